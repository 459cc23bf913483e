/**
 * Vest account stream: the listenKey socket subscribed to `account_private`, feeding ORDER pushes
 * into PushedOrders so that report() can answer an order's end without REST and the executor
 * wakes on the push (waitForUpdate). REST stays the reconciliation path.
 *
 * Venue facts (Vest API docs, hummingbot/hummingbot VEST_API_DOCS.md @ 0d60409b, the copy of
 * https://docs.vest.exchange/getting-started/vest-api, "Private WS Endpoints"):
 * - POST /account/listenKey "Returns a listen key that is valid for 60 minutes. If a client has an
 *   active listenKey, it will return the existing listenKey and extend its validity by 60 minutes."
 *   PUT extends it by 60 minutes; "If the existing key has already expired or there is no listen
 *   key, it will return an error response": `{"code": 1125, "msg": "Listen key expired. Make a
 *   POST request to create a new key."}` (test/fixtures/venues/vest/errors/listen-key-expired-docs.json).
 * - The socket is the public URL plus `listenKey=`; channel `account_private`; every push is
 *   `{"channel": "account_private", "data": {"event": ..., "args": payload}}`; socket error codes
 *   LISTEN_KEY_REQUIRED 4003, LISTEN_KEY_NOT_FOUND 4004, LISTEN_KEY_EXPIRED 4005.
 * - ORDER payloads: new order (full order, status NEW), execution (status, lastFilledSize/Price/
 *   Time, avgFilledPrice, cumulative `fees`), cancellation and rejection (id, status, code, nonce
 *   only). Pushes carry the signed `nonce`: that is how a push finds our client id.
 *
 * Trust: a push with an execution is one fill (its fee the rise of the order's cumulative fees).
 * Only a stream that saw an order from its NEW push on, on one connection (pushes arrive in
 * order), is trusted to have every execution: then a CANCELLED push's filled size is the sum of
 * its executions. Otherwise a cancellation is news (it wakes the poller) and REST decides.
 */
import { Decimal } from 'decimal.js';
import type { Logger } from '../../../engine/core/logger.ts';
import type { OrderState } from '../../../engine/exchange/orders.ts';
import { WireFormatError } from '../shared/errors.ts';
import type { PushedOrders } from '../shared/pushed-orders.ts';
import { ReconnectingSocket, type SocketState } from '../shared/reconnecting-socket.ts';
import { VEST, pingRequest } from './codec.ts';
import { vestSocketUrl, type VestOptions } from './config.ts';
import { decodeVestPrivateFrame, type VestOrderView } from './order-codec.ts';

export const ACCOUNT_CHANNEL = 'account_private';
/** Socket close codes and the REST/WS error code that mean "get a new listen key" (docs). */
const KEY_REFUSED_CLOSE = /\b(4003|4004|4005)\b|LISTEN_KEY/;
const INVALID_LISTEN_KEY = 1125;

export interface VestPrivateStreamOptions {
  options: Pick<VestOptions, 'wsUrl' | 'accountGroup' | 'reconnect' | 'connectTimeoutMs' | 'stallTimeoutMs' | 'heartbeatIntervalMs' | 'listenKeyRenewMs'>;
  /** POST creates (or returns and extends) the key; PUT extends it. A refusal answers its code. */
  listenKey(method: 'POST' | 'PUT'): Promise<{ listenKey?: string; code?: string; message: string }>;
  /** Our client id for a pushed order (by its signed nonce), undefined when it is not ours. */
  clientIdOf(nonce: number | undefined, id: string | undefined): string | undefined;
  pushed: PushedOrders;
  logger: Logger;
  random?: () => number;
}

interface Seen {
  session: number;
  fromNew: boolean;
  gap: boolean;
  finalSeen: boolean;
  fees: Decimal;
  filled: Decimal;
  symbol: string | undefined;
  isBuy: boolean | undefined;
}

export class VestPrivateStream {
  private socket: ReconnectingSocket | undefined;
  private readonly log: Logger;
  private readonly seen = new Map<string, Seen>();
  private key: string | undefined;
  private started = false;
  private session = 0;
  private subscribed = false;
  private renewTimer: NodeJS.Timeout | undefined;
  private rekeying: Promise<void> | undefined;
  private nextId = 1;
  /** Pushes decoded into PushedOrders, frames refused as malformed, listen keys fetched. */
  pushes = 0;
  malformedFrames = 0;
  keysFetched = 0;

  constructor(private readonly o: VestPrivateStreamOptions) {
    this.log = o.logger.child({ venue: VEST, component: 'private-stream' });
  }

  get running(): boolean {
    return this.started;
  }

  /** Subscribed to account_private on the current connection. */
  get live(): boolean {
    return this.subscribed;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.rekey('start');
    this.renewTimer = setInterval(() => void this.renew(), this.o.options.listenKeyRenewMs);
    this.renewTimer.unref?.();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    clearInterval(this.renewTimer);
    await this.rekeying?.catch(() => undefined);
    await this.socket?.stop();
    this.socket = undefined;
  }

  async whenLive(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!this.live && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return this.live;
  }

  /** Whether every push of this order can have been seen (see the header). */
  sawEveryPush(clientId: string): boolean {
    const s = this.seen.get(clientId);
    return s !== undefined && s.fromNew && !s.gap && (s.finalSeen || (s.session === this.session && this.subscribed));
  }

  /** Extend the key; an expired one (1125) is replaced with a new key and a new socket. */
  private async renew(): Promise<void> {
    if (!this.started || this.rekeying) return;
    try {
      const res = await this.o.listenKey('PUT');
      if (res.listenKey) return;
      this.log.warn('listen key not extended; fetching a new one', { code: res.code, message: res.message });
      await this.rekey(`PUT /account/listenKey refused (${res.code ?? '?'})`);
    } catch (err) {
      this.log.warn('listen key renewal failed; next renewal retries', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** POST a key and (re)open the socket with it. One at a time; a failure retries with backoff. */
  private rekey(reason: string): Promise<void> {
    this.rekeying ??= (async () => {
      for (let attempt = 0; this.started; attempt++) {
        try {
          const res = await this.o.listenKey('POST');
          if (!res.listenKey) throw new Error(`POST /account/listenKey refused (${res.code ?? '?'}: ${res.message})`);
          this.keysFetched += 1;
          if (res.listenKey !== this.key || !this.socket) await this.open(res.listenKey);
          return;
        } catch (err) {
          this.log.warn('no listen key; REST answers until the stream is up', { reason, error: err instanceof Error ? err.message : String(err) });
          await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)).unref?.());
        }
      }
    })().finally(() => {
      this.rekeying = undefined;
    });
    return this.rekeying;
  }

  private async open(key: string): Promise<void> {
    await this.socket?.stop();
    if (!this.started) return;
    this.key = key;
    const url = new URL(vestSocketUrl(this.o.options));
    url.searchParams.set('listenKey', key);
    const c = this.o.options;
    this.socket = new ReconnectingSocket({
      name: `${VEST}-private`,
      url: url.toString(),
      backoff: c.reconnect,
      connectTimeoutMs: c.connectTimeoutMs,
      stallTimeoutMs: c.stallTimeoutMs,
      heartbeat: { intervalMs: c.heartbeatIntervalMs, message: pingRequest },
      logger: this.log,
      random: this.o.random,
      onOpen: () => this.socket?.send(JSON.stringify({ method: 'SUBSCRIBE', params: [ACCOUNT_CHANNEL], id: this.nextId++ })),
      onMessage: (data) => this.onMessage(data),
      onState: (state, reason) => this.onState(state, reason),
    });
    this.socket.start();
  }

  private onState(state: SocketState, reason?: string): void {
    if (state === 'open') {
      this.session += 1;
      return;
    }
    this.subscribed = false;
    if (state === 'closed') {
      this.session += 1;
      if (reason && KEY_REFUSED_CLOSE.test(reason)) {
        this.log.warn('listen key refused by the socket; fetching a new one', { reason });
        void this.rekey(`socket closed: ${reason}`);
      }
    }
  }

  private onMessage(data: string | Buffer): void {
    let frame;
    try {
      frame = decodeVestPrivateFrame(typeof data === 'string' ? data : data.toString('utf8'));
    } catch (err) {
      this.malformedFrames += 1;
      this.log.warn('account stream: malformed frame ignored', { error: err instanceof WireFormatError ? err.message : String(err), malformedFrames: this.malformedFrames });
      return;
    }
    switch (frame.kind) {
      case 'ack':
        this.subscribed = true;
        return;
      case 'error':
        this.log.warn('account stream: venue error', { code: frame.code, message: frame.message });
        if (frame.code === INVALID_LISTEN_KEY) {
          this.socket?.reconnect('listen key refused');
          void this.rekey('INVALID_LISTEN_KEY');
        }
        return;
      case 'order':
        this.onOrder(frame.view);
        return;
      case 'other':
        return;
    }
  }

  private onOrder(view: VestOrderView): void {
    const clientId = this.o.clientIdOf(view.nonce, view.id);
    if (!clientId) return; // not placed by this engine
    this.pushes += 1;
    let s = this.seen.get(clientId);
    if (!s) {
      s = { session: this.session, fromNew: view.state.status === 'open', gap: false, finalSeen: false, fees: new Decimal(0), filled: new Decimal(0), symbol: undefined, isBuy: undefined };
      this.seen.set(clientId, s);
      if (this.seen.size > 5_000) this.seen.delete(this.seen.keys().next().value!);
    } else if (s.session !== this.session) {
      s.gap = true;
    }
    s.symbol ??= view.symbol;
    s.isBuy ??= view.isBuy;
    if (view.lastFill) this.onExecution(clientId, view, s);
    const base = { clientId, venueOrderId: view.id, ...(s.symbol ? { symbol: s.symbol } : {}) };
    const trusted = s.fromNew && !s.gap;
    const status = view.state.status;
    let state: OrderState;
    if (status === 'filled') state = { ...base, status, filledSize: view.state.filledSize, ...(view.state.averagePrice ? { averagePrice: view.state.averagePrice } : {}) };
    else if (status === 'rejected') state = { ...base, status, filledSize: new Decimal(0), ...(view.state.rejectReason ? { rejectReason: view.state.rejectReason } : {}) };
    else if (status === 'cancelled') state = trusted ? { ...base, status, filledSize: s.filled } : { ...base, status: 'unknown', filledSize: s.filled };
    else state = { ...base, status, filledSize: s.filled };
    if (status === 'filled' || status === 'cancelled' || status === 'rejected') s.finalSeen = true;
    this.o.pushed.order(state);
  }

  private onExecution(clientId: string, view: VestOrderView, s: Seen): void {
    const last = view.lastFill!;
    // `fees` is the order's cumulative fee: this execution's fee is its rise.
    const fee = view.fees.gt(s.fees) ? view.fees.minus(s.fees) : new Decimal(0);
    s.fees = Decimal.max(s.fees, view.fees);
    s.filled = s.filled.plus(last.size);
    this.o.pushed.fill({
      venue: VEST,
      symbol: s.symbol ?? '',
      clientId,
      venueOrderId: view.id,
      fillId: `${view.id}:${last.time ?? 0}:${last.size.toFixed()}:${last.price.toFixed()}:${s.filled.toFixed()}`,
      side: s.isBuy === false ? 'sell' : 'buy',
      price: last.price,
      size: last.size,
      fee,
      // Taker-only venue (order-codec.ts header).
      liquidity: 'taker',
      time: last.time ?? 0,
    });
  }
}
