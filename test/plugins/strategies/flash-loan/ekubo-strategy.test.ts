/**
 * The flash-loan strategy with lender kind 'ekubo': two Ekubo pools quoted through a loopback
 * Starknet JSON-RPC node answering quote_swap with Ekubo-shaped Deltas, a Paradex book in the real
 * hub, and a sender whose simulation decides min_profit (and whether anything is sent at all).
 */
import { createServer, type Server } from 'node:http';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engine/core/clock.ts';
import { ConfigError } from '../../../../engine/core/config-errors.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { Journal } from '../../../../engine/journal/journal.ts';
import { MarketDataHub } from '../../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../../engine/market/instruments.ts';
import { encodeStartCycle } from '../../../../plugins/strategies/flash-loan/calldata.ts';
import { startCycleArgs, type CycleRequest, type CycleSender, type CycleSimulation } from '../../../../plugins/strategies/flash-loan/cycle-sender.ts';
import { QUOTE_SWAP_SELECTOR } from '../../../../plugins/strategies/flash-loan/ekubo-quote.ts';
import { parseFlashLoanOptions } from '../../../../plugins/strategies/flash-loan/options.ts';
import { FlashLoanStrategy } from '../../../../plugins/strategies/flash-loan/strategy.ts';
import { market, snapshot } from '../../../helpers/books.ts';

const E18 = 10n ** 18n;
const E6 = 10n ** 6n;
const U128 = 2n ** 128n;
const TOKEN = 0x222n; // ETH (token0: the smaller address)
const MID = 0x333n; // USDC
const FEE_30 = 1020847100762815390390123822295304634n;
const FEE_5 = 170141183460469231731687303715884105n;
const computeFee = (a: bigint, fee: bigint) => (a * fee + U128 - 1n) / U128;
const swapOut = (a: bigint, rIn: bigint, rOut: bigint, fee: bigint) => {
  const after = a - computeFee(a, fee);
  return (after * rOut) / (rIn + after);
};
/** fee -> [ETH, USDC] the pool prices at (full-range constant product, the mock core's math). */
const pools = new Map<bigint, [bigint, bigint]>();
const hex = (v: bigint) => '0x' + v.toString(16);
const i129 = (v: bigint) => [hex(v < 0n ? -v : v), v < 0n ? '0x1' : '0x0'];
let quotes = 0;
let server: Server;
let rpcUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const msg = JSON.parse(body);
      const reply = (payload: object) => res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...payload }));
      res.setHeader('content-type', 'application/json');
      const call = msg.params?.request;
      if (msg.method !== 'starknet_call' || BigInt(call.entry_point_selector) !== BigInt(QUOTE_SWAP_SELECTOR)) {
        return reply({ error: { code: 21, message: 'Invalid message selector' } });
      }
      quotes++;
      const f = (call.calldata as string[]).map((x) => BigInt(x));
      const r = pools.get(f[2]!);
      if (!r) return reply({ error: { code: 40, message: 'Contract error', data: { revert_error: 'POOL_NOT_INITIALIZED' } } });
      const [tokenIn, mag] = [f[8]!, f[9]!];
      const out = tokenIn === TOKEN ? swapOut(mag, r[0], r[1], f[2]!) : swapOut(mag, r[1], r[0], f[2]!);
      reply({ result: tokenIn === TOKEN ? [...i129(mag), ...i129(-out)] : [...i129(-out), ...i129(mag)] });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  rpcUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function options(extra: Record<string, unknown> = {}) {
  return parseFlashLoanOptions(
    {
      rpcUrl,
      lender: { kind: 'ekubo', address: '0xe0', maxBorrow: '20' },
      token: { address: hex(TOKEN), symbol: 'ETH', decimals: 18 },
      midToken: { address: hex(MID), symbol: 'USDC', decimals: 6 },
      ekubo: {
        quoter: '0x5e',
        pools: [
          { name: 'ekubo-30', fee: FEE_30.toString(), tickSpacing: 60 },
          { name: 'ekubo-5', fee: FEE_5.toString(), tickSpacing: 10 },
        ],
      },
      reference: { instrument: 'ETH-USD-PERP' },
      gasUsd: '0.05',
      strkUsd: '0.5',
      marginUsd: '0.10',
      ...extra,
    },
    'strategies.flash-loan',
  );
}

class FakeSender implements CycleSender {
  sent: CycleRequest[] = [];
  simulated: CycleRequest[] = [];
  constructor(private readonly answer: (r: CycleRequest) => CycleSimulation) {}
  async simulate(r: CycleRequest): Promise<CycleSimulation> {
    this.simulated.push({ ...r });
    return this.answer(r);
  }
  async startCycle(r: CycleRequest): Promise<string> {
    this.sent.push({ ...r });
    return '0x7x';
  }
}

function setup(sender?: CycleSender) {
  const clock = new ManualClock(50_000);
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  const m = market('paradex', 'ETH-USD-PERP', 1, 3);
  hub.addVenue('paradex', [m], () => {});
  hub.onBook(snapshot(m, [['2999.9', '10']], [['3000.1', '10']], { seq: 1, receivedAt: 50_000 }));
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  journal.startSession('s', 'live', '{}', 0);
  const o = options();
  const strategy = new FlashLoanStrategy(
    {
      options: {},
      optionsPath: 'strategies.flash-loan',
      clock,
      logger: silentLogger,
      books: hub,
      instruments: new InstrumentMap({ 'ETH-USD-PERP': { paradex: 'ETH-USD-PERP' } }),
      submit: () => {},
      live: sender !== undefined,
      journal,
      announce: () => {},
    },
    o,
    { reserves: () => Promise.reject(new Error('Ekubo pools have no reserves to read')) },
    journal,
    sender,
    false,
    () => ({ admit: () => ({ ok: true }) as const }),
  );
  return { strategy, journal, o };
}

describe('flash-loan strategy on Ekubo pools (quoted through quote_swap)', () => {
  it('sells on the rich pool, buys back on the cheap one, and routes both legs inside the lock', async () => {
    pools.set(FEE_30, [100n * E18, 306_000n * E6]); // 3060 USDC/ETH
    pools.set(FEE_5, [100n * E18, 294_000n * E6]); // 2940
    quotes = 0;
    const { strategy, journal, o } = setup();
    const j = (await strategy.poll())!;
    expect([j.sellPool, j.buyPool, j.decision]).toEqual(['ekubo-30', 'ekubo-5', 'accept']);
    expect(j.lenderFee).toBe(0n);
    // The chosen size's profit is what the two quotes give for it, and within 0.1% of the best
    // any size earns (brute force over 0.01 ETH steps on the same math).
    const back = (x: bigint) => swapOut(swapOut(x, 100n * E18, 306_000n * E6, FEE_30), 294_000n * E6, 100n * E18, FEE_5);
    expect(j.tokenBack).toBe(back(j.amount));
    let best = 0n;
    for (let x = E18 / 100n; x <= 20n * E18; x += E18 / 100n) if (back(x) - x > best) best = back(x) - x;
    expect(j.onChainProfit >= (best * 999n) / 1000n).toBe(true);
    expect(quotes).toBeLessThan(200); // two directions, one of them skipped at the probe
    const row = journal.db.prepare('SELECT sell_pool, decision FROM flash_opportunities').get() as { sell_pool: string; decision: string };
    expect(row).toEqual({ sell_pool: 'ekubo-30', decision: 'accept' });
    // The route it would send: both legs Ekubo, lender kind ekubo (variant 2).
    expect(o.lender.kind).toBe('ekubo');
  });

  it('sends with min_profit raised to the simulated fee plus margin, and the Ekubo route', async () => {
    pools.set(FEE_30, [100n * E18, 306_000n * E6]);
    pools.set(FEE_5, [100n * E18, 294_000n * E6]);
    // The fee is three quarters of the quoted profit (in STRK at $0.5, ETH at $3000): half the
    // quote (the old min_profit) would let the cycle succeed and lose money after the fee.
    let feeFri = 0n;
    const sender = new FakeSender((r) => {
      const quoted = r.minProfit * 2n;
      feeFri = ((quoted * 3n) / 4n) * 3000n * 2n;
      return { ok: true, fee: feeFri, feeUnit: 'FRI', profit: quoted };
    });
    const { strategy, o } = setup(sender);
    const j = (await strategy.poll())!;
    expect(sender.simulated[0]!.minProfit).toBe(j.onChainProfit / 2n);
    expect(sender.sent).toHaveLength(1);
    // floor = ceil((fee in USD + $0.10 margin) / $3000 in wei)
    const floor = BigInt(new Decimal(feeFri.toString()).div('1e18').mul('0.5').plus('0.10').div(3000).mul('1e18').ceil().toFixed(0));
    expect(floor > j.onChainProfit / 2n).toBe(true);
    expect(sender.sent[0]!.minProfit).toBe(floor);
    const felts = encodeStartCycle(startCycleArgs(o, sender.sent[0]!));
    expect(felts[0]).toBe(2n); // LenderKind::Ekubo
    expect(felts[5]).toBe(1n); // leg A is an Ekubo leg
    expect(felts.slice(6, 9)).toEqual([TOKEN, MID, FEE_30]);
  });

  it('sends nothing when the simulation reverts or its profit does not clear the fee', async () => {
    pools.set(FEE_30, [100n * E18, 306_000n * E6]);
    pools.set(FEE_5, [100n * E18, 294_000n * E6]);
    const reverted = new FakeSender(() => ({ ok: false, fee: 10n ** 17n, feeUnit: 'FRI', revertReason: 'PROFIT_BELOW_MIN' }));
    const a = setup(reverted);
    await a.strategy.poll();
    expect(reverted.simulated).toHaveLength(1);
    expect(reverted.sent).toHaveLength(0);
    expect((a.journal.db.prepare('SELECT decision FROM flash_opportunities').get() as { decision: string }).decision).toBe('refused');
    // A fee of 100,000 STRK ($50,000) dwarfs the cycle: the guard refuses it whatever it returned.
    const dear = new FakeSender((r) => ({ ok: true, fee: 100_000n * E18, feeUnit: 'FRI', profit: r.minProfit }));
    const b = setup(dear);
    await b.strategy.poll();
    expect(dear.sent).toHaveLength(0);
  });

  it('refuses Ekubo pools without the Ekubo lender, and the Ekubo lender without pools', () => {
    expect(() => options({ lender: { kind: 'vesu', address: '0x1', maxBorrow: '1' } })).toThrow(/ekubo: Ekubo pools swap inside/);
    expect(() => options({ ekubo: undefined })).toThrow(ConfigError);
    expect(() => options({ ekubo: undefined })).toThrow(/strategies\.flash-loan\.ekubo: required/);
  });
});
