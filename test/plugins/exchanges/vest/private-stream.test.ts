/**
 * Vest account stream: the docs' ORDER payloads decode; against the simulator the stream gets a
 * listen key, subscribes `account_private`, answers report() from pushes, and replaces a key the
 * venue says is expired (socket closed with LISTEN_KEY_EXPIRED, or PUT answering 1125).
 */
import { Decimal } from 'decimal.js';
import { Wallet } from 'ethers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import type { SecretRef, SecretSource } from '../../../../engine/exchange/connector.ts';
import { parseVestOptions } from '../../../../plugins/exchanges/vest/config.ts';
import { decodeVestPrivateFrame } from '../../../../plugins/exchanges/vest/order-codec.ts';
import { VestOrderGateway } from '../../../../plugins/exchanges/vest/orders.ts';
import { signVestRegistration } from '../../../../plugins/exchanges/vest/signer.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../../simulators/index.ts';
import { VEST_VERIFYING_CONTRACT } from '../../../../simulators/vest/private.ts';
import { fixtureJson } from '../../../fixtures/venues/corpus.ts';
import { setBook } from '../../../simulators/private/helpers.ts';

const push = (file: string) => JSON.stringify({ channel: 'account_private', data: { event: 'ORDER', args: fixtureJson('vest', `private-ws/${file}`) } });

describe('vest account stream frames (docs payloads)', () => {
  it('decodes the new, execution, cancellation and rejection payloads', () => {
    const filled = decodeVestPrivateFrame(push('order-filled-docs.json'));
    expect(filled.kind).toBe('order');
    if (filled.kind !== 'order') return;
    expect(filled.view.state.status).toBe('filled');
    expect(filled.view.state.filledSize.toFixed()).toBe('0.1');
    expect(filled.view.lastFill?.price.toFixed()).toBe('30000');
    expect(filled.view.fees.toFixed()).toBe('0.01');
    const created = decodeVestPrivateFrame(push('order-new-docs.json'));
    expect(created.kind === 'order' && created.view.state.status).toBe('open');
    const cancelled = decodeVestPrivateFrame(push('order-cancelled-docs.json'));
    expect(cancelled.kind === 'order' && [cancelled.view.state.status, cancelled.view.nonce, cancelled.view.fillUnknown]).toEqual(['cancelled', 0, false]);
    const rejected = decodeVestPrivateFrame(push('order-rejected-docs.json'));
    expect(rejected.kind === 'order' && rejected.view.state.rejectReason).toBe('3010');
    expect(decodeVestPrivateFrame('{"result":null,"id":1}').kind).toBe('ack');
    expect(decodeVestPrivateFrame('{"data":"PONG"}').kind).toBe('other');
    expect(() => decodeVestPrivateFrame('{"channel":"account_private","data":{"event":"ORDER","args":{"status":"FILLED"}}}')).toThrow(/data\.args\.id/);
  });
});

describe('vest account stream against the simulator', () => {
  let sims: VenueSimulators;
  const keys: Record<string, string> = {};
  const gateways: VestOrderGateway[] = [];
  const secrets: SecretSource = {
    read(ref: SecretRef, field: string) {
      const v = 'env' in ref ? keys[ref.env] : undefined;
      if (!v) throw new Error(`secret ${field}: not set`);
      return v;
    },
  };

  beforeAll(async () => {
    sims = await startVenueSimulators({ seed: 17, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
    const primary = Wallet.createRandom();
    const signing = Wallet.createRandom();
    const registration = signVestRegistration(primary.privateKey, signing.address, Date.now() + 86_400_000, VEST_VERIFYING_CONTRACT);
    const res = await fetch(`${sims.vest.restUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', xrestservermm: `restserver${sims.vest.accountGroup}` },
      body: JSON.stringify(registration),
    });
    keys['S'] = signing.privateKey;
    keys['A'] = ((await res.json()) as { apiKey: string }).apiKey;
    sims.trading.vest.engine.fund(sims.trading.vest.accountId(primary.address), '1000000');
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.stop()));
  });
  afterAll(async () => {
    await sims.stop();
  });

  function gateway(extra: Record<string, unknown> = {}): VestOrderGateway {
    const options = parseVestOptions({
      restUrl: sims.vest.restUrl,
      wsUrl: sims.vest.wsUrl.split('?')[0],
      accountGroup: sims.vest.accountGroup,
      requestTimeoutMs: 5_000,
      credentials: { signingKey: { env: 'S' }, apiKey: { env: 'A' } },
      ...extra,
    });
    const gw = new VestOrderGateway(options, { clock: systemClock, logger: silentLogger, secrets });
    gateways.push(gw);
    return gw;
  }

  it('a filled IOC is answered from its pushes: report() sends no GET /orders', async () => {
    setBook(sims.market('vest', 'BTC'), [['64990.00', '5']], [['65000.00', '0.1'], ['65002.00', '0.3']]);
    const gw = gateway();
    gw.startStream();
    expect(await gw.stream!.whenLive(5_000)).toBe(true);
    const signed = await gw.sign({ venue: 'vest', symbol: 'BTC-PERP', side: 'buy', type: 'limit', size: new Decimal('0.2'), price: new Decimal('65005'), timeInForce: 'IOC', clientId: 'ps-1' });
    await gw.send(signed);
    await until(() => gw.pushed.complete('ps-1') !== undefined);
    const since = Date.now();
    const { state, fills } = await gw.report({ symbol: 'BTC-PERP', clientId: 'ps-1', venueRef: signed.venueRef! });
    expect(state.status).toBe('filled');
    expect(fills.map((f) => [f.price.toFixed(), f.size.toFixed()])).toEqual([
      ['65000', '0.1'],
      ['65002', '0.1'],
    ]);
    expect(sims.trading.vest.requestsTo('GET', '/v2/orders', since)).toHaveLength(0);
  });

  it('a socket closed as LISTEN_KEY_EXPIRED gets a new key and is live again', async () => {
    const gw = gateway();
    gw.startStream();
    expect(await gw.stream!.whenLive(5_000)).toBe(true);
    expect(gw.stream!.keysFetched).toBe(1);
    sims.trading.vest.expireListenKeys();
    await until(() => gw.stream!.keysFetched === 2 && gw.stream!.live);
  });

  it('a renewal the venue refuses as expired (PUT -> 1125) is replaced by a new key (POST)', async () => {
    const gw = gateway({ listenKeyRenewMs: 1_000 });
    gw.startStream();
    expect(await gw.stream!.whenLive(5_000)).toBe(true);
    const since = Date.now();
    sims.trading.vest.expireListenKeys(false);
    await until(() => gw.stream!.keysFetched === 2 && gw.stream!.live, 4_000);
    expect(sims.trading.vest.requestsTo('PUT', '/v2/account/listenKey', since).length).toBeGreaterThanOrEqual(1);
  });
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
