/**
 * Paradex order gateway: signs orders on the market grid, places them with a JWT, and answers
 * status, fills, positions, open orders and the account value from the private REST API.
 *
 * - Grid: size and price are checked exactly against GET /markets (tick, size increment) before
 *   signing; the 1e8 scaling happens in the signer.
 * - Auth: every private call carries `Authorization: Bearer <JWT>`; on 401 the token is dropped
 *   and the call retried once with a fresh one (a 401 means the venue did not act).
 * - Outcomes: VenueRejectError with the venue's code for a refusal; OrderOutcomeUnknownError for a
 *   timeout, transport failure or 5xx, so the executor reconciles by status.
 * - Cancel is by client id (`DELETE /orders/by_client_id/{cid}?market=`); it only queues the
 *   cancellation (204): status() is the confirmation.
 */
import type { Decimal } from 'decimal.js';
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { SecretSource } from '../../../engine/exchange/connector.ts';
import {
  OrderNotFoundError,
  type Fill,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type Position,
  type SignedOrder,
} from '../../../engine/exchange/orders.ts';
import type { MarketInfo } from '../../../engine/market/types.ts';
import { checkOrderGrid } from '../shared/order-grid.ts';
import { OrderOutcomeUnknownError, venueFailure, venueRequest, type VenueResponse } from '../shared/private-rest.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import { ParadexAuth } from './auth.ts';
import { PARADEX, decodeMarkets } from './codec.ts';
import type { ParadexOptions } from './config.ts';
import {
  PARADEX_ERRORS,
  decodeParadexAccountValue,
  decodeParadexFill,
  decodeParadexOrder,
  decodeParadexPosition,
  paradexErrorOf,
  resultsOf,
} from './order-codec.ts';
import { ParadexSigner } from './signer.ts';

export class ParadexCredentialsError extends Error {
  constructor(message: string) {
    super(`paradex: ${message}`);
    this.name = 'ParadexCredentialsError';
  }
}

export interface ParadexGatewayDeps {
  clock: Clock;
  logger: Logger;
  secrets: SecretSource;
  optionsPath?: string;
}

export class ParadexOrderGateway implements OrderGateway {
  readonly auth: ParadexAuth;
  private signerPromise: Promise<ParadexSigner> | undefined;
  private marketsPromise: Promise<Map<string, MarketInfo>> | undefined;
  private readonly privateKey: string;
  private readonly log: Logger;

  constructor(
    private readonly options: ParadexOptions,
    private readonly deps: ParadexGatewayDeps,
  ) {
    const path = deps.optionsPath ?? 'venues.paradex';
    const creds = options.credentials;
    if (!creds) throw new ParadexCredentialsError(`live mode needs ${path}.credentials (account, privateKey: { env } or { file })`);
    if (options.onboard && (creds.subkey || !creds.ethereumAccount)) {
      throw new ParadexCredentialsError(`${path}.onboard needs the main key (subkey: false) and ${path}.credentials.ethereumAccount`);
    }
    this.privateKey = deps.secrets.read(creds.privateKey, `${path}.credentials.privateKey`);
    this.log = deps.logger.child({ venue: PARADEX, component: 'orders' });
    this.auth = new ParadexAuth(
      {
        restUrl: options.restUrl,
        requestTimeoutMs: options.requestTimeoutMs,
        jwtRefreshMarginMs: options.jwtRefreshMarginMs,
        jwtFallbackLifetimeMs: options.jwtFallbackLifetimeMs,
        authSignatureTtlSec: options.authSignatureTtlSec,
        onboard: options.onboard && creds.ethereumAccount ? { ethereumAccount: creds.ethereumAccount } : undefined,
      },
      () => this.signer(),
      deps.clock,
      this.log,
    );
  }

  /** The signer, built once the chain id is known (config, else GET /system/config). */
  signer(): Promise<ParadexSigner> {
    this.signerPromise ??= this.buildSigner().catch((err: unknown) => {
      this.signerPromise = undefined;
      throw err;
    });
    return this.signerPromise;
  }

  private async buildSigner(): Promise<ParadexSigner> {
    let chainId = this.options.chainId;
    if (!chainId) {
      const body = (await getJson(joinUrl(this.options.restUrl, 'system/config'), { venue: PARADEX, timeoutMs: this.options.requestTimeoutMs })) as { starknet_chain_id?: unknown };
      if (typeof body.starknet_chain_id !== 'string') throw new ParadexCredentialsError('GET /system/config has no starknet_chain_id; set chainId in the config');
      chainId = body.starknet_chain_id;
    }
    const creds = this.options.credentials!;
    try {
      return new ParadexSigner({ chainId, account: creds.account, privateKey: this.privateKey });
    } catch (err) {
      // The signer's messages never include the key; keep only them.
      throw new ParadexCredentialsError(err instanceof Error ? err.message : 'signer refused the credentials');
    }
  }

  private markets(): Promise<Map<string, MarketInfo>> {
    this.marketsPromise ??= getJson(joinUrl(this.options.restUrl, 'markets'), { venue: PARADEX, timeoutMs: this.options.requestTimeoutMs })
      .then((body) => new Map(decodeMarkets(body).map((m) => [m.info.symbol, m.info])))
      .catch((err: unknown) => {
        this.marketsPromise = undefined;
        throw err;
      });
    return this.marketsPromise;
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    const market = (await this.markets()).get(request.symbol);
    if (!market) throw new ParadexCredentialsError(`order ${request.clientId}: market ${request.symbol} is not listed by GET /markets`);
    checkOrderGrid(PARADEX, request, market);
    const signer = await this.signer();
    const signed = signer.signOrderRequest(request, this.deps.clock.now());
    if (this.options.recvWindowMs !== undefined) signed.wire = { ...(signed.wire as object), recv_window: this.options.recvWindowMs };
    return signed;
  }

  async send(order: SignedOrder): Promise<OrderState> {
    const res = await this.call('POST', 'orders', `POST /orders ${order.request.clientId}`, order.wire);
    if (res.status !== 200 && res.status !== 201) throw this.failure(`POST /orders ${order.request.clientId}`, res);
    const view = this.decodeOr(`POST /orders ${order.request.clientId}`, () => decodeParadexOrder(res.json));
    if (!view.state.clientId) view.state.clientId = order.request.clientId;
    return view.state;
  }

  async cancel({ symbol, clientId }: OrderLocator): Promise<void> {
    const op = `DELETE /orders/by_client_id ${clientId}`;
    const res = await this.call('DELETE', `orders/by_client_id/${encodeURIComponent(clientId)}?market=${encodeURIComponent(symbol)}`, op);
    if (res.status === 200 || res.status === 204) return;
    throw this.failure(op, res);
  }

  async report(order: OrderLocator): Promise<OrderReport> {
    const state = await this.status(order.symbol, order.clientId);
    return { state, fills: await this.fillsOf(order.symbol, order.clientId, state) };
  }

  private async status(symbol: string, clientId: string): Promise<OrderState> {
    const op = `GET /orders/by_client_id ${clientId}`;
    const res = await this.call('GET', `orders/by_client_id/${encodeURIComponent(clientId)}?market=${encodeURIComponent(symbol)}`, op);
    if (res.status === 404) throw new OrderNotFoundError(PARADEX, clientId);
    if (res.status !== 200) {
      const { code } = paradexErrorOf(res.json, res.text);
      if (code === 'CLIENT_ORDER_ID_NOT_FOUND' || code === 'NOT_FOUND') throw new OrderNotFoundError(PARADEX, clientId);
      throw this.failure(op, res);
    }
    return this.decodeOr(op, () => decodeParadexOrder(res.json)).state;
  }

  private async fillsOf(symbol: string, clientId: string, state: OrderState): Promise<Fill[]> {
    const op = `GET /fills ${clientId}`;
    const res = await this.call('GET', `fills?market=${encodeURIComponent(symbol)}`, op);
    if (res.status !== 200) throw this.failure(op, res);
    return this.decodeOr(op, () =>
      resultsOf(res.json)
        .map((raw, i) => decodeParadexFill(raw, `results[${i}]`))
        .filter((f) => f.clientId === clientId || (state.venueOrderId !== undefined && f.orderId === state.venueOrderId))
        .map(({ orderId: _orderId, ...fill }) => ({ ...fill, clientId })),
    );
  }

  async positions(): Promise<Position[]> {
    const res = await this.call('GET', 'positions', 'GET /positions');
    if (res.status !== 200) throw this.failure('GET /positions', res);
    return this.decodeOr('GET /positions', () =>
      resultsOf(res.json)
        .map((raw, i) => decodeParadexPosition(raw, `results[${i}]`))
        .filter((p): p is Position => p !== undefined),
    );
  }

  async openOrders(): Promise<OrderState[]> {
    const res = await this.call('GET', 'orders', 'GET /orders');
    if (res.status !== 200) throw this.failure('GET /orders', res);
    // The kill switch cancels by (symbol, clientId): openOrders must say the symbol.
    return this.decodeOr('GET /orders', () =>
      resultsOf(res.json).map((raw, i) => {
        const view = decodeParadexOrder(raw, `results[${i}]`);
        return { ...view.state, symbol: view.market };
      }),
    );
  }

  /** A malformed answer throws the codec's WireFormatError (it names the field): a read has no order outcome to reconcile. */
  async accountValue(): Promise<Decimal> {
    const res = await this.call('GET', 'account', 'GET /account');
    if (res.status !== 200) throw this.failure('GET /account', res);
    return decodeParadexAccountValue(res.json);
  }

  stop(): void {
    this.auth.stop();
  }

  /** One private call with the JWT; on 401 one retry with a fresh token. */
  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, op: string, body?: unknown): Promise<VenueResponse> {
    for (let attempt = 0; ; attempt++) {
      const jwt = await this.auth.token();
      const res = await venueRequest({
        venue: PARADEX,
        method,
        url: joinUrl(this.options.restUrl, path),
        headers: { authorization: `Bearer ${jwt}` },
        body,
        timeoutMs: this.options.requestTimeoutMs,
        secrets: [this.privateKey, jwt],
      });
      if (res.status === 401 && attempt === 0) {
        this.log.info('JWT refused; refreshing once', { op });
        this.auth.invalidate(jwt);
        continue;
      }
      return res;
    }
  }

  private failure(op: string, res: VenueResponse): Error {
    const { code, message } = paradexErrorOf(res.json, res.text);
    return venueFailure(PARADEX, op, res.status, code, message, PARADEX_ERRORS, [this.privateKey]);
  }

  /** A 2xx body we cannot read leaves the outcome unknown, never "rejected". */
  private decodeOr<T>(op: string, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      throw new OrderOutcomeUnknownError(PARADEX, op, `unreadable answer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
