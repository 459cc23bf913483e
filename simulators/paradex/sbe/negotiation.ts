/**
 * SBE negotiation from the WebSocket upgrade URL. docs.paradex.trade "Binary Encoding (SBE)":
 * append `?sbeSchemaId=1&sbeSchemaVersion=1` (version "0 or 1. Use 1"); "An unsupported schema
 * or version is rejected with HTTP 400 at connect. There is no silent fallback to JSON".
 *
 * A connection without either parameter is not an SBE session. The docs do not say what the
 * venue does to one ("Omitting it is not supported for public channels", Code Examples page);
 * the simulator accepts it, because the private channels stay JSON and a private-only client
 * connects without the parameters, and refuses its public subscriptions (see server.ts).
 * One parameter without the other is taken as a bad negotiation (HTTP 400): also a choice.
 */
import { NEGOTIABLE_VERSIONS, SCHEMA_ID } from './schema.ts';

export type Negotiation =
  | { readonly kind: 'sbe'; readonly version: number }
  | { readonly kind: 'none' }
  | { readonly kind: 'refused'; readonly reason: string };

const INTEGER = /^\d{1,5}$/;

export function negotiate(query: URLSearchParams): Negotiation {
  const id = query.get('sbeSchemaId');
  const version = query.get('sbeSchemaVersion');
  if (id === null && version === null) return { kind: 'none' };
  if (id === null || version === null) {
    return { kind: 'refused', reason: 'sbeSchemaId and sbeSchemaVersion must be given together' };
  }
  if (!INTEGER.test(id) || Number(id) !== SCHEMA_ID) {
    return { kind: 'refused', reason: `unsupported sbeSchemaId ${JSON.stringify(id)} (supported: ${SCHEMA_ID})` };
  }
  if (!INTEGER.test(version) || !NEGOTIABLE_VERSIONS.includes(Number(version))) {
    return { kind: 'refused', reason: `unsupported sbeSchemaVersion ${JSON.stringify(version)} (supported: ${NEGOTIABLE_VERSIONS.join(', ')})` };
  }
  return { kind: 'sbe', version: Number(version) };
}
