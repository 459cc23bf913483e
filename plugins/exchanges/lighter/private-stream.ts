/**
 * Lighter private stream: one socket on `/stream` subscribed to the account's orders and trades,
 * feeding PushedOrders so that report() can answer an order's end without REST (a full REST report
 * costs accountOrders 300 + trades 600 of the 24,000 weighted requests a minute, limits.ts) and the
 * executor wakes on the push (waitForUpdate). REST stays the reconciliation path: only final
 * states whose fills add up are trusted from here, so a gap in the stream costs a REST poll, never
 * a wrong answer.
 *
 * Venue facts (https://apidocs.lighter.xyz/docs/websocket-reference, read December 2026; shapes in
 * stream-codec.ts):
 * - Channels `account_all_orders/{ACCOUNT_ID}` and `account_all_trades/{ACCOUNT_ID}` (every
 *   market in one subscription each), authenticated by an `auth` field in the subscribe message
 *   itself; there is no separate login. The token is the signer's CreateAuthToken
 *   ("{deadline}:{account}:{key}:{sig}", the same as on private GETs; apidocs.lighter.xyz/docs/account-data:
 *   "Add auth to the subscribe message for private channels").
 * - What the venue does when a subscription's token passes its deadline is not documented. So the
 *   stream never lets it happen: it reconnects (fresh token, fresh subscriptions) before the
 *   token's renewAt. Every (re)connect subscribes with a freshly minted token.
 * - A refused subscription answers `{"error": {...}}` (no documented code for a bad token; the
 *   simulator's are its own). Any error while a subscription is pending counts as a refusal: the
 *   socket reconnects through its backoff with a new token.
 * - Lighter drops sockets silent for 2 minutes and pings at the application level: we send
 *   `{"type":"ping"}` every heartbeatIntervalMs and answer its pings (as the public feed does).
 *
 * Keys: PushedOrders is keyed by the decimal client_order_index (what the venue pushes); the
 * gateway maps its clientId with clientOrderIndexOf. A trade names our order by order index and,
 * usually, by client index; when it has no client index it waits (bounded) for the order's push.
 */
import type { Logger } from '../../../engine/core/logger.ts';
import type { ConnectionOptions } from '../shared/config.ts';
import { WireFormatError } from '../shared/errors.ts';
import type { PushedOrders } from '../shared/pushed-orders.ts';
import { ReconnectingSocket, type SocketState } from '../shared/reconnecting-socket.ts';
import { LIGHTER, PING, PONG } from './codec.ts';
import { accountOrdersChannel, accountTradesChannel, authedSubscribeRequest, decodeLighterPrivateFrame, type LighterStreamFill } from './stream-codec.ts';

/** An auth token and when to replace it (before its deadline), epoch ms. */
export interface LighterStreamToken {
  value: string;
  renewAt: number;
}

export interface LighterPrivateStreamOptions {
  url: string;
  connection: Pick<ConnectionOptions, 'reconnect' | 'connectTimeoutMs' | 'stallTimeoutMs' | 'heartbeatIntervalMs'>;
  accountIndex: number;
  /** A freshly minted auth token (the gateway's signer). */
  token(): Promise<LighterStreamToken>;
  pushed: PushedOrders;
  logger: Logger;
  now?: () => number;
  random?: () => number;
}

/** Fills waiting for their order's push (no client index on the trade), bounded. */
const MAX_UNMATCHED_FILLS = 1_000;
const MAX_KNOWN_ORDERS = 10_000;

export class LighterPrivateStream {
  private readonly socket: ReconnectingSocket;
  private readonly log: Logger;
  private readonly channels: readonly string[];
  private readonly pending = new Set<string>();
  private readonly subscribed = new Set<string>();
  /** Order index -> client order index, from order pushes. */
  private readonly clientIndexOf = new Map<number, number>();
  private readonly unmatched = new Map<number, LighterStreamFill[]>();
  private session = 0;
  private started = false;
  private renewTimer: NodeJS.Timeout | undefined;
  /** Pushes decoded into PushedOrders, frames refused as malformed, subscriptions the venue refused. */
  pushes = 0;
  malformedFrames = 0;
  refusedSubscriptions = 0;
  /** Tokens minted for subscriptions (one per connection). */
  tokensUsed = 0;

  constructor(private readonly options: LighterPrivateStreamOptions) {
    this.log = options.logger.child({ venue: LIGHTER, component: 'private-stream' });
    this.channels = [accountOrdersChannel(options.accountIndex), accountTradesChannel(options.accountIndex)];
    this.socket = new ReconnectingSocket({
      name: `${LIGHTER}-private`,
      url: options.url,
      backoff: options.connection.reconnect,
      connectTimeoutMs: options.connection.connectTimeoutMs,
      stallTimeoutMs: options.connection.stallTimeoutMs,
      heartbeat: { intervalMs: options.connection.heartbeatIntervalMs, message: () => PING },
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
    return this.channels.every((c) => this.subscribed.has(c));
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
    clearTimeout(this.renewTimer);
    await this.socket.stop();
  }

  /** Resolves once subscribed (or after ms). */
  async whenLive(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!this.live && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return this.live;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private onState(state: SocketState, reason?: string): void {
    if (state === 'open') return;
    this.session += 1;
    this.pending.clear();
    this.subscribed.clear();
    clearTimeout(this.renewTimer);
    if (state === 'closed') this.log.info('private stream closed; REST answers until it is back', { reason });
  }

  private onOpen(): void {
    const session = ++this.session;
    this.options
      .token()
      .then((token) => {
        if (session !== this.session) return;
        this.tokensUsed += 1;
        for (const channel of this.channels) {
          this.pending.add(channel);
          this.socket.send(authedSubscribeRequest(channel, token.value));
        }
        // Replace the token before its deadline: a new connection subscribes with a new one (the floor keeps
        // a token already due from reconnecting in a loop).
        const ms = Math.max(250, token.renewAt - this.now());
        this.renewTimer = setTimeout(() => {
          if (session === this.session) this.socket.reconnect('auth token renewal');
        }, ms);
        this.renewTimer.unref?.();
      })
      .catch((err: unknown) => {
        if (session !== this.session) return;
        this.log.warn('private stream: no auth token to subscribe with; reconnecting', { error: err instanceof Error ? err.message : String(err) });
        this.socket.reconnect('no auth token');
      });
  }

  private onMessage(data: string | Buffer, isBinary: boolean): void {
    let frame;
    try {
      if (isBinary) throw new WireFormatError(LIGHTER, '(frame)', 'is binary; Lighter speaks JSON text');
      frame = decodeLighterPrivateFrame(typeof data === 'string' ? data : data.toString('utf8'), this.options.accountIndex);
    } catch (err) {
      this.malformedFrames += 1;
      this.log.warn('private stream: malformed frame ignored', { error: err instanceof Error ? err.message : String(err), malformedFrames: this.malformedFrames });
      return;
    }
    switch (frame.kind) {
      case 'ping':
        this.socket.send(PONG);
        return;
      case 'connected':
      case 'pong':
      case 'other':
        return;
      case 'error':
        if (this.pending.size > 0) {
          this.refusedSubscriptions += 1;
          this.log.warn('private stream: subscription refused; reconnecting with a fresh auth token', { code: frame.code, message: frame.message, pending: [...this.pending] });
          this.socket.reconnect('subscription refused');
          return;
        }
        this.log.warn('private stream: venue reported an error', { code: frame.code, message: frame.message });
        return;
      case 'orders':
        this.ack(frame.channel);
        for (const view of frame.views) {
          // Client index 0: not placed by this engine (clientOrderIndexOf never answers 0).
          if (view.clientOrderIndex <= 0) continue;
          this.learn(view.orderIndex, view.clientOrderIndex);
          this.pushes += 1;
          this.options.pushed.order(view.state);
        }
        return;
      case 'trades':
        this.ack(frame.channel);
        for (const f of frame.fills) this.fill(f);
        return;
    }
  }

  /** A frame on a channel: its subscription stands (the wire names it with ':' for '/'). */
  private ack(wireChannel: string): void {
    const name = this.channels.find((c) => c.replace('/', ':') === wireChannel);
    if (!name) return;
    this.pending.delete(name);
    this.subscribed.add(name);
  }

  private fill(f: LighterStreamFill): void {
    const coi = f.clientOrderIndex ?? this.clientIndexOf.get(f.orderIndex);
    if (coi === undefined) {
      const waiting = this.unmatched.get(f.orderIndex) ?? [];
      waiting.push(f);
      this.unmatched.set(f.orderIndex, waiting);
      if (this.unmatched.size > MAX_UNMATCHED_FILLS) this.unmatched.delete(this.unmatched.keys().next().value!);
      return;
    }
    this.pushes += 1;
    this.options.pushed.fill({ ...f.fill, clientId: String(coi) });
  }

  private learn(orderIndex: number, clientOrderIndex: number): void {
    if (!this.clientIndexOf.has(orderIndex) && this.clientIndexOf.size >= MAX_KNOWN_ORDERS) this.clientIndexOf.delete(this.clientIndexOf.keys().next().value!);
    this.clientIndexOf.set(orderIndex, clientOrderIndex);
    const waiting = this.unmatched.get(orderIndex);
    if (!waiting) return;
    this.unmatched.delete(orderIndex);
    for (const f of waiting) this.fill(f);
  }
}
