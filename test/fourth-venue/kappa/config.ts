/** `venues.kappa`: restUrl, wsUrl (defaults from the spec), credentials.apiKey (a secret ref, live only). */
import type { SecretRef } from 'perp-arb-engine/engine/exchange/connector.ts';
import { KAPPA_SPEC } from './spec.ts';

export interface KappaOptions {
  restUrl: string;
  wsUrl: string;
  apiKey?: SecretRef;
}

export function parseKappaOptions(raw: unknown, path: string): KappaOptions {
  const o = (raw ?? {}) as { restUrl?: unknown; wsUrl?: unknown; credentials?: { apiKey?: unknown } };
  for (const field of ['restUrl', 'wsUrl'] as const) {
    if (o[field] !== undefined && typeof o[field] !== 'string') throw new Error(`${path}.${field}: expected a URL string`);
  }
  const apiKey = o.credentials?.apiKey as SecretRef | undefined;
  return { restUrl: (o.restUrl as string | undefined) ?? KAPPA_SPEC.urls.rest, wsUrl: (o.wsUrl as string | undefined) ?? KAPPA_SPEC.urls.ws, ...(apiKey ? { apiKey } : {}) };
}
