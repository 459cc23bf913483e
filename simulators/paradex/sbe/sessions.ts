/**
 * Which encoding each Paradex public connection speaks, and the SBE heartbeat.
 *
 * Mode 'json' is the simulator as it was before SBE (every connection JSON, the SBE URL
 * parameters ignored). Mode 'sbe' is the venue since 21 September 2026 (docs.paradex.trade
 * "Binary Encoding (SBE)": "Paradex requires SBE for public channel payloads"): the upgrade
 * URL negotiates the schema (negotiation.ts), public channel data goes out as binary frames,
 * JSON-RPC replies and private channel payloads stay JSON text ("The JSON-RPC control plane and
 * private channel payloads remain JSON"), and an idle SBE connection gets a HeartbeatEvent
 * (schema paradex_1_0.xml, template 40: "Server sends every 20s on idle connections").
 */
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../../engine/core/clock.ts';
import { json, type ClientSocket, type RestReply } from '../../venue-host.ts';
import { heartbeatFrame } from './frames.ts';
import { negotiate } from './negotiation.ts';

export type ParadexPublicEncoding = 'sbe' | 'json';

/**
 * The encoding a simulator starts with when not told: 'sbe', as the venue is since 21 September 2026;
 * 'json' serves the pre-SBE feed for tests that are about the JSON connector.
 */
export const DEFAULT_PUBLIC_ENCODING: ParadexPublicEncoding = 'sbe';

/** What one connection's public channels speak. 'refused' never connects (HTTP 400). */
export type PublicWire =
  | { readonly kind: 'json' }
  | { readonly kind: 'sbe'; readonly version: number }
  /** SBE mode, connected without the parameters: private channels only. */
  | { readonly kind: 'no-sbe' };

/** The schema's idle heartbeat period. */
export const SBE_HEARTBEAT_MS = 20_000;

interface SbeState {
  readonly version: number;
  /** Heartbeat seq, per connection (what the venue's heartbeat seq counts is not published). */
  beats: number;
  /** A binary frame went out since the last heartbeat tick. */
  busy: boolean;
}

export interface PublicSessionsOptions {
  readonly encoding: ParadexPublicEncoding;
  /** Heartbeat tick, ms; 0 turns it off. */
  readonly heartbeatMs: number;
  readonly clock: Clock;
  readonly clients: () => Iterable<ClientSocket>;
}

export class PublicSessions {
  private readonly wires = new WeakMap<ClientSocket, PublicWire>();
  private readonly sbe = new WeakMap<ClientSocket, SbeState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PublicSessionsOptions) {}

  get encoding(): ParadexPublicEncoding {
    return this.options.encoding;
  }

  /** HTTP 400 for a bad or unsupported schema, in SBE mode; JSON mode takes every upgrade. */
  refuseUpgrade(request: IncomingMessage): RestReply | undefined {
    if (this.options.encoding !== 'sbe') return undefined;
    const n = negotiate(new URL(request.url ?? '/', 'http://localhost').searchParams);
    if (n.kind !== 'refused') return undefined;
    return json(400, { error: 'BAD_REQUEST', message: `SBE negotiation failed: ${n.reason}` });
  }

  open(client: ClientSocket, request: IncomingMessage): void {
    if (this.options.encoding === 'json') {
      this.wires.set(client, { kind: 'json' });
      return;
    }
    const n = negotiate(new URL(request.url ?? '/', 'http://localhost').searchParams);
    if (n.kind === 'sbe') {
      this.wires.set(client, { kind: 'sbe', version: n.version });
      this.sbe.set(client, { version: n.version, beats: 0, busy: false });
    } else {
      this.wires.set(client, { kind: 'no-sbe' });
    }
  }

  wire(client: ClientSocket): PublicWire {
    return this.wires.get(client) ?? { kind: 'json' };
  }

  /** Send one binary frame and note the connection was not idle. */
  sendFrame(client: ClientSocket, frame: Uint8Array): void {
    const state = this.sbe.get(client);
    if (state) state.busy = true;
    client.sendBinary(frame);
  }

  start(): void {
    if (this.options.encoding !== 'sbe' || this.options.heartbeatMs <= 0) return;
    this.timer = setInterval(() => this.beat(), this.options.heartbeatMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One heartbeat tick: every SBE connection that got no binary frame since the last tick. */
  beat(): void {
    const now = this.options.clock.now();
    for (const client of this.options.clients()) {
      const state = this.sbe.get(client);
      if (!state) continue;
      if (state.busy) {
        state.busy = false;
        continue;
      }
      state.beats++;
      client.sendBinary(heartbeatFrame(state.beats, now, state.version));
    }
  }
}
