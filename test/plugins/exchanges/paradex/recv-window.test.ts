/**
 * Paradex's receive window, which lets a restarted engine believe "not placed": "Order will be
 * created if it is received by API within RecvWindow milliseconds from signature timestamp"
 * (recv_window on POST /orders, https://docs.paradex.trade/api/prod/orders/new); without it the
 * venue applies 300 000 ms (https://docs.paradex.trade/trading/receive-window). The gateway sends
 * one with every order and says until when the order can execute; the simulator refuses an order
 * whose request reached it (after an ack-stall hold) past the window, and runs one inside it.
 */
import { Decimal } from 'decimal.js';
import { ec } from 'starknet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../engine/core/logger.ts';
import type { SecretRef, SecretSource } from '../../../../engine/exchange/connector.ts';
import { VenueRejectError, type OrderRequest } from '../../../../engine/exchange/orders.ts';
import { parseParadexOptions } from '../../../../plugins/exchanges/paradex/config.ts';
import { ParadexOrderGateway } from '../../../../plugins/exchanges/paradex/orders.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../../simulators/index.ts';
import { setBook } from '../../../simulators/private/helpers.ts';

const ACCOUNT = '0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa';
const KEY = '0x3c1e9550e66958296d11b60f8e8e7a7ad990d07fa65d5f7652c4a6c87d4e3cc';
const secrets: SecretSource = {
  read(ref: SecretRef) {
    if ('env' in ref && ref.env === 'PDX_RECV_KEY') return KEY;
    throw new Error('secret not set');
  },
};

function ioc(clientId: string): OrderRequest {
  return { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'buy', type: 'limit', size: new Decimal('0.01'), price: new Decimal('65010'), timeInForce: 'IOC', clientId };
}

let sims: VenueSimulators;
let now = 1_800_000_000_000;
function gateway(extra: Record<string, unknown> = {}, clock: () => number = () => Date.now()) {
  const options = parseParadexOptions({
    restUrl: sims.paradex.restUrl,
    wsUrl: sims.paradex.wsUrl,
    requestTimeoutMs: 5_000,
    privateStream: false,
    credentials: { account: ACCOUNT, privateKey: { env: 'PDX_RECV_KEY' } },
    ...extra,
  });
  return new ParadexOrderGateway(options, { clock: { now: clock }, logger: silentLogger, secrets });
}

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 5, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
  sims.trading.paradex.registerAccount(ACCOUNT, ec.starkCurve.getStarkKey(KEY));
  sims.trading.paradex.engine.fund(sims.trading.paradex.accountId(ACCOUNT), '100000');
});
afterAll(async () => {
  await sims.stop();
});

describe('paradex recv_window', () => {
  it('every signed order carries recv_window (5000 ms by default) and can execute until signature time + recv_window', async () => {
    const fixed = gateway({}, () => now);
    const signed = await fixed.sign(ioc('rw-1'));
    expect((signed.wire as Record<string, unknown>)['signature_timestamp']).toBe(now);
    expect((signed.wire as Record<string, unknown>)['recv_window']).toBe(5000);
    expect(signed.executableUntil).toBe(1_800_000_005_000);
    const seven = await gateway({ recvWindowMs: 7000 }, () => now).sign(ioc('rw-2'));
    expect((seven.wire as Record<string, unknown>)['recv_window']).toBe(7000);
    expect(seven.executableUntil).toBe(1_800_000_007_000);
    now += 1;
    await fixed.stop();
  });

  it('the venue refuses an order its API receives after the window (held 600 ms on the way in, window 300 ms): nothing executes', async () => {
    const trading = sims.trading.paradex;
    const id = trading.accountId(ACCOUNT);
    setBook(sims.market('paradex', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    const gw = gateway({ recvWindowMs: 300 });
    trading.faults.stallAck(600, 'defer');
    const err = await gw.send(await gw.sign(ioc('rw-late'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectError);
    expect((err as VenueRejectError).code).toBe('VALIDATION_ERROR');
    expect((err as Error).message).toMatch(/recv_window 300/);
    expect(trading.engine.orders(id).some((o) => o.clientId === 'rw-late')).toBe(false);
    expect(trading.engine.position(id, 'BTC-USD-PERP').size.toString()).toBe('0');

    // The same hold inside the default 5 s window: the order executes when it arrives.
    const inside = gateway();
    trading.faults.stallAck(600, 'defer');
    const state = await inside.send(await inside.sign(ioc('rw-inside')));
    expect(state.clientId).toBe('rw-inside');
    expect(trading.engine.position(id, 'BTC-USD-PERP').size.toString()).toBe('0.01');
    await gw.stop();
    await inside.stop();
  });
});
