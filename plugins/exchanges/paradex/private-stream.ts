/**
 * Paradex private stream: one authenticated JSON-RPC socket subscribed to `orders.ALL` and
 * `fills.ALL`, feeding PushedOrders so that report() can answer an order's end without REST and
 * the executor wakes on the push (waitForUpdate). REST stays the reconciliation path: only
 * final states whose fills add up are trusted from here, so a gap in the stream costs a REST
 * poll, never a wrong answer.
 *
 * Venue facts (looked up December 2026):
 * - Auth: `{"jsonrpc":"2.0","method":"auth","params":{"bearer":JWT},"id":0}` -> `{"result":
 *   {"node_id":..}}`; "After the initial authentication, you do not need to re-authenticate your
 *   WebSocket connection for the lifetime of the connection"
 *   (https://docs.paradex.trade/ws/general-information/authentication.md). So a token refresh
 *   leaves a live socket alone; every (re)connect authenticates with a fresh token.
 * - Errors: 40110 "Malformed Bearer Token", 40111 "Invalid Bearer Token"
 *   (https://docs.paradex.trade/ws/general-information/error-handling); paradex-py reconnects
 *   with a refreshed JWT on 40111 (paradex_py/api/ws_client.py `_check_subscribed_channel`).
 * - Channels `orders.{market}` / `fills.{market}` with market `ALL` for every market
 *   (paradex-py 334a7f8 ws_client.py `ParadexWebsocketChannel`; examples/evm_onboard_and_trade.py
 *   subscribes `params={"market": "ALL"}`).
 * - Encoding: "The JSON-RPC control plane and private channel payloads remain JSON"
 *   (https://docs.paradex.trade/ws/general-information/binary-encoding-sbe.md), and a connection
 *   that does not ask for SBE receives JSON. The SBE schema does define private templates 20-23
 *   (OrderEvent, FillEvent, ...; paradex_py/api/sbe/codec.py), and paradex-py routes SBE
 *   orders/fills frames when SBE is on. This socket therefore connects WITHOUT the sbeSchemaId /
 *   sbeSchemaVersion parameters (SBE is required only for public channels) and subscribes only to
 *   private channels: every frame it receives is JSON whichever reading holds. A binary frame
 *   is counted and ignored, never decoded as JSON.
 */
import type { Logger } from '../../../engine/core/logger.ts';
import type { ConnectionOptions } from '../shared/config.ts';
import { WireFormatError } from '../shared/errors.ts';
import type { PushedOrders } from '../shared/pushed-orders.ts';
import { ReconnectingSocket, type SocketState } from '../shared/reconnecting-socket.ts';
import { PARADEX } from './codec.ts';
import { decodeParadexPrivateFrame } from './order-codec.ts';

export const PRIVATE_CHANNELS = ['orders.ALL', 'fills.ALL'] as const;

/** WS JSON-RPC codes that mean the bearer token was refused (docs: error handling). */
const BEARER_REFUSED = new Set([40110, 40111]);

export interface ParadexPrivateStreamOptions {
  url: string;
  connection: Pick<ConnectionOptions, 'reconnect' | 'connectTimeoutMs' | 'stallTimeoutMs' | 'heartbeatIntervalMs'>;
  /** A JWT valid for at least the refresh margin (ParadexAuth.token). */
  token(): Promise<string>;
  /** The venue refused this JWT: the next token() must fetch a new one. */
  invalidate(jwt: string): void;
  pushed: PushedOrders;
  logger: Logger;
  random?: () => number;
}

/** The private socket URL: the configured one without SBE negotiation (see the header). */
export function privateStreamUrl(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.searchParams.delete('sbeSchemaId');
  u.searchParams.delete('sbeSchemaVersion');
  return u.toString();
}

export class ParadexPrivateStream {
  private readonly socket: ReconnectingSocket;
  private readonly log: Logger;
  private readonly pending = new Map<number, string>();
  private readonly subscribed = new Set<string>();
  /** Order id -> client id, for a fill pushed without its client_id. */
  private readonly clientIdOf = new Map<string, string>();
  private nextId = 1;
  private session = 0;
  private jwt: string | undefined;
  private started = false;
  /** Pushes decoded into PushedOrders, frames refused as malformed, binary frames ignored. */
  pushes = 0;
  malformedFrames = 0;
  binaryFrames = 0;
  authenticated = false;

  constructor(private readonly options: ParadexPrivateStreamOptions) {
    this.log = options.logger.child({ venue: PARADEX, component: 'private-stream' });
    this.socket = new ReconnectingSocket({
      name: `${PARADEX}-private`,
      url: options.url,
      backoff: options.connection.reconnect,
      connectTimeoutMs: options.connection.connectTimeoutMs,
      stallTimeoutMs: options.connection.stallTimeoutMs,
      // Protocol pings: the venue pings every 55 s and answers ours, which keeps a quiet account's
      // socket from looking stalled.
      heartbeat: { intervalMs: options.connection.heartbeatIntervalMs },
      logger: this.log,
      random: options.random,
      onOpen: () => this.onOpen(),
      onMessage: (data, isBinary) => this.onMessage(data, isBinary),
      onState: (state, reason) => this.onState(state, reason),
    });
  }

  get running(): boolean {
    return this.started;
  }

  /** Subscribed to both channels on the current connection. */
  get live(): boolean {
    return this.authenticated && PRIVATE_CHANNELS.every((c) => this.subscribed.has(c));
  }

  get connections(): number {
    return this.socket.connections;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.socket.start();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.socket.stop();
  }

  /** Resolves once subscribed (or after ms); for callers that want the stream up before sending. */
  async whenLive(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!this.live && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return this.live;
  }

  private onState(state: SocketState, reason?: string): void {
    if (state !== 'open') {
      this.session += 1;
      this.authenticated = false;
      this.subscribed.clear();
      this.pending.clear();
    }
    if (state === 'closed') this.log.info('private stream closed; REST answers until it is back', { reason });
  }

  private onOpen(): void {
    const session = ++this.session;
    this.options
      .token()
      .then((jwt) => {
        if (session !== this.session) return;
        this.jwt = jwt;
        this.request('auth', { bearer: jwt }, 'auth');
      })
      .catch((err: unknown) => {
        if (session !== this.session) return;
        this.log.warn('private stream: no JWT to authenticate with; reconnecting', { error: err instanceof Error ? err.message : String(err) });
        this.socket.reconnect('no JWT');
      });
  }

  private onMessage(data: string | Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.binaryFrames += 1;
      return;
    }
    let frame;
    try {
      frame = decodeParadexPrivateFrame(typeof data === 'string' ? data : data.toString('utf8'));
    } catch (err) {
      this.malformedFrames += 1;
      this.log.warn('private stream: malformed frame ignored', { error: err instanceof WireFormatError ? err.message : String(err) });
      return;
    }
    switch (frame.kind) {
      case 'ack': {
        const what = typeof frame.id === 'number' ? this.pending.get(frame.id) : undefined;
        if (typeof frame.id === 'number') this.pending.delete(frame.id);
        if (what === 'auth') {
          this.authenticated = true;
          for (const channel of PRIVATE_CHANNELS) this.request('subscribe', { channel }, channel);
        } else if (what !== undefined) {
          this.subscribed.add(what);
        }
        return;
      }
      case 'rpc-error': {
        const what = typeof frame.id === 'number' ? this.pending.get(frame.id) : undefined;
        if (typeof frame.id === 'number') this.pending.delete(frame.id);
        if (what === 'auth' || (frame.code !== undefined && BEARER_REFUSED.has(frame.code))) {
          this.log.warn('private stream: bearer refused; reconnecting with a fresh JWT', { code: frame.code, message: frame.message });
          if (this.jwt) this.options.invalidate(this.jwt);
          this.socket.reconnect('bearer refused');
          return;
        }
        this.log.warn('private stream: request refused', { request: what, code: frame.code, message: frame.message });
        return;
      }
      case 'order': {
        const { state } = frame.view;
        if (state.venueOrderId && state.clientId) this.clientIdOf.set(state.venueOrderId, state.clientId);
        // An order without a client id was not placed by this engine.
        if (!state.clientId) return;
        this.pushes += 1;
        this.options.pushed.order(state);
        return;
      }
      case 'fill': {
        const { orderId, ...fill } = frame.fill;
        const clientId = fill.clientId || this.clientIdOf.get(orderId);
        if (!clientId) return;
        this.pushes += 1;
        this.options.pushed.fill({ ...fill, clientId });
        if (this.clientIdOf.size > 10_000) this.clientIdOf.clear();
        return;
      }
      case 'other':
        return;
    }
  }

  private request(method: string, params: Record<string, unknown>, what: string): void {
    const id = this.nextId++;
    this.pending.set(id, what);
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
  }
}
