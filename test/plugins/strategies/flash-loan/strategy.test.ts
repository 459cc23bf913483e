/**
 * The flash-loan strategy against a loopback Starknet JSON-RPC node (answers starknet_call
 * get_reserves as a JediSwap-style pair would) and a Paradex book in the real hub.
 */
import { createServer, type Server } from 'node:http';
import { Decimal } from 'decimal.js';
import { hash } from 'starknet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engine/core/clock.ts';
import { ConfigError } from '../../../../engine/core/config-errors.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { Journal } from '../../../../engine/journal/journal.ts';
import { MarketDataHub } from '../../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../../engine/market/instruments.ts';
import { startCycleArgs } from '../../../../plugins/strategies/flash-loan/cycle-sender.ts';
import { encodeStartCycle } from '../../../../plugins/strategies/flash-loan/calldata.ts';
import { parseFlashLoanOptions } from '../../../../plugins/strategies/flash-loan/options.ts';
import { RpcPoolSource } from '../../../../plugins/strategies/flash-loan/pool-reader.ts';
import { quoteCycle } from '../../../../plugins/strategies/flash-loan/sizing.ts';
import { FlashLoanStrategy } from '../../../../plugins/strategies/flash-loan/strategy.ts';
import { market, snapshot } from '../../../helpers/books.ts';

const E18 = 10n ** 18n;
const E6 = 10n ** 6n;
const GET_RESERVES = hash.getSelectorFromName('get_reserves');
const BALANCE_OF = hash.getSelectorFromName('balance_of');
let lenderBalance = 10_000n * 10n ** 18n;
/** pair address -> [reserve0, reserve1] as the node would return them. */
const reserves = new Map<string, [bigint, bigint]>();
let server: Server;
let rpcUrl = '';
/** block_id of every starknet_call the node answered. */
const blockIds: unknown[] = [];

function u256(v: bigint): string[] {
  return ['0x' + (v & ((1n << 128n) - 1n)).toString(16), '0x' + (v >> 128n).toString(16)];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const msg = JSON.parse(body);
      const reply = (payload: object) => res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...payload }));
      res.setHeader('content-type', 'application/json');
      const call = msg.params?.request;
      const pair = call ? BigInt(call.contract_address) : 0n;
      const r = [...reserves.entries()].find(([a]) => BigInt(a) === pair)?.[1];
      if (msg.method === 'starknet_call' && BigInt(call.entry_point_selector) === BigInt(BALANCE_OF)) {
        // The lender's balance of the borrowed token: what it can lend (default: plenty).
        return reply({ result: u256(lenderBalance) });
      }
      if (msg.method !== 'starknet_call' || BigInt(call.entry_point_selector) !== BigInt(GET_RESERVES) || !r) {
        return reply({ error: { code: 21, message: 'Invalid message selector' } });
      }
      blockIds.push(msg.params.block_id);
      // JediSwap v1 pairs append a block timestamp after the two reserves.
      reply({ result: [...u256(r[0]), ...u256(r[1]), '0x65'] });
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
      lender: { kind: 'vesu', address: '0x111', maxBorrow: '50' },
      token: { address: '0x222', symbol: 'ETH', decimals: 18 },
      midToken: { address: '0x333', symbol: 'USDC', decimals: 6 },
      pools: [
        { name: 'jedi', router: '0xa1', reserveOrder: 'token-mid' },
        { name: 'tenk', router: '0xb1', reserveOrder: 'mid-token' },
      ],
      reference: { instrument: 'ETH-USD-PERP' },
      gasUsd: '0.05',
      ...extra,
    },
    'strategies.flash-loan',
  );
}

function setup(withBook = true) {
  const clock = new ManualClock(50_000);
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  const m = market('paradex', 'ETH-USD-PERP', 1, 3);
  hub.addVenue('paradex', [m], () => {});
  if (withBook) hub.onBook(snapshot(m, [['2999.9', '10']], [['3000.1', '10']], { seq: 1, receivedAt: 50_000 }));
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  journal.startSession('s', 'dry-run', '{}', 0);
  const lines: string[] = [];
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
      live: false,
      journal,
      announce: (l) => lines.push(l),
    },
    o,
    new RpcPoolSource(rpcUrl),
    journal,
    undefined,
    false,
  );
  return { strategy, journal, lines, clock };
}

describe('flash-loan strategy', () => {
  it('borrows where the rich pool pays, prices gas and profit at the Paradex mid, and journals the cycle', async () => {
    // jedi: 100 ETH / 306,000 USDC (3060, rich); tenk: 100 ETH / 294,000 USDC (2940, cheap), reserves mid-first.
    reserves.set('0xa1', [100n * E18, 306_000n * E6]);
    reserves.set('0xb1', [294_000n * E6, 100n * E18]);
    const { strategy, journal, lines } = setup();
    const j = (await strategy.poll())!;
    // Reserves come from the node's freshest state, not the last closed block.
    expect(blockIds.length).toBeGreaterThan(0);
    expect(new Set(blockIds)).toEqual(new Set(['pre_confirmed']));
    expect(j.sellPool).toBe('jedi');
    expect(j.buyPool).toBe('tenk');
    expect(j.sellPoolPrice).toBe('3060');
    expect(j.buyPoolPrice).toBe('2940');
    expect(j.referencePrice).toBe('3000');
    // gas $0.05 at $3000/ETH, rounded up to the wei: 0.05/3000 ETH
    expect(j.gasCost).toBe(16_666_666_666_667n);
    // the chosen amount is the optimum of the exact on-chain quote: 0.1 ETH either way earns less
    // (closer steps drown in the 1-micro-USDC rounding of the pool output)
    const input = {
      poolA: { reserveIn: 100n * E18, reserveOut: 306_000n * E6, feeBps: 30n },
      poolB: { reserveIn: 294_000n * E6, reserveOut: 100n * E18, feeBps: 30n },
      lenderFee: { rateRay: 0n },
      gasCost: j.gasCost,
    };
    const q = quoteCycle(j.amount, input);
    expect(q.onChainProfit).toBe(j.onChainProfit);
    expect(quoteCycle(j.amount + 10n ** 17n, input).netProfit).toBeLessThan(q.netProfit);
    expect(quoteCycle(j.amount - 10n ** 17n, input).netProfit).toBeLessThan(q.netProfit);
    expect(j.amount > E18 / 2n && j.amount < E18).toBe(true); // ~0.84 ETH closes the gap net of 2 x 0.3% fees
    // net USD is the net token profit at the reference price, exactly
    expect(new Decimal(j.netUsd).eq(new Decimal(j.netProfit.toString()).div(1e18).mul(3000))).toBe(true);
    expect(j.decision).toBe('accept');
    const row = journal.db.prepare('SELECT amount, net_profit, decision, sell_pool FROM flash_opportunities').get();
    expect(row).toEqual({ amount: j.amount.toString(), net_profit: j.netProfit.toString(), decision: 'accept', sell_pool: 'jedi' });
    expect(lines[0]).toMatch(/^\[SIMULATION\] ✅ ETH flash-loan \| Pool spread: 4\.08% \| sell on jedi → buy on tenk \| Borrow 0\.84\d+ ETH \| Net profit: \$\d+\.\d\d \| Paradex ref \$3000\.00/);
  });

  it('borrows no more than the lender holds (a Vesu V2 pool lends its own balance)', async () => {
    reserves.set('0xa1', [100n * E18, 306_000n * E6]);
    reserves.set('0xb1', [294_000n * E6, 100n * E18]);
    const uncapped = (await setup().strategy.poll())!;
    const held = uncapped.amount / 2n; // the pool holds half the optimum (50 ETH configured)
    lenderBalance = held;
    try {
      const j = (await setup().strategy.poll())!;
      expect(j.amount).toBe(held);
      expect(j.decision).toBe('accept');
    } finally {
      lenderBalance = 10_000n * E18;
    }
  });

  it('finds nothing when the pools agree, and waits for a live Paradex book', async () => {
    reserves.set('0xa1', [100n * E18, 300_000n * E6]);
    reserves.set('0xb1', [300_000n * E6, 100n * E18]);
    const aligned = setup();
    expect(await aligned.strategy.poll()).toBeUndefined();
    expect(aligned.journal.db.prepare('SELECT COUNT(*) AS n FROM flash_opportunities').get()).toEqual({ n: 0 });
    const noBook = setup(false);
    expect(await noBook.strategy.poll()).toBeUndefined();
    expect(noBook.strategy.stats.noReference).toBe(1);
  });

  it('journals a cycle below the minimum net profit as unprofitable', async () => {
    reserves.set('0xa1', [100n * E18, 306_000n * E6]);
    reserves.set('0xb1', [294_000n * E6, 100n * E18]);
    const { strategy, journal, lines } = setup();
    (strategy as unknown as { options: { minNetUsd: string } }).options.minNetUsd = '100000';
    const j = (await strategy.poll())!;
    expect(j.netProfit > 0n).toBe(true);
    expect(j.decision).toBe('reject-unprofitable');
    expect(journal.db.prepare('SELECT decision FROM flash_opportunities').get()).toEqual({ decision: 'reject-unprofitable' });
    expect(lines[0]).toMatch(/^\[SIMULATION\] ❌/);
  });

  it('builds start_cycle calldata for the chosen route and refuses live without an account', () => {
    const o = options({ contract: '0xc0ffee' });
    const felts = encodeStartCycle(startCycleArgs(o, { amount: 5n, minProfit: 2n, sellRouter: '0xa1', buyRouter: '0xb1' }));
    // lender kind vesu=1 with is_legacy=false, lender, token, amount (low, high), route (router leg
    // [0, sell], router leg [0, buy], mid), min profit (low, high)
    expect(felts).toEqual([1n, 0n, 0x111n, 0x222n, 5n, 0n, 0n, 0xa1n, 0n, 0xb1n, 0x333n, 2n, 0n]);
    // A camelCase-only token: Vesu pulls with transferFrom when is_legacy is set (vesu-v2 pool.cairo flash_loan).
    const legacy = options({ contract: '0xc0ffee', lender: { kind: 'vesu', address: '0x111', maxBorrow: '50', isLegacy: true } });
    expect(encodeStartCycle(startCycleArgs(legacy, { amount: 5n, minProfit: 2n, sellRouter: '0xa1', buyRouter: '0xb1' })).slice(0, 2)).toEqual([1n, 1n]);
    expect(() => parseFlashLoanOptions({ ...o, account: { address: '0x1', privateKey: '0xsecretkey123456' } }, 'strategies.flash-loan')).toThrow(ConfigError);
    expect(() => parseFlashLoanOptions({ ...o, account: { address: '0x1', privateKey: '0xsecretkey123456' } }, 'strategies.flash-loan')).not.toThrow(/secretkey/);
    expect(() => parseFlashLoanOptions({ ...o, pools: [o.pools[0]] }, 'strategies.flash-loan')).toThrow(/strategies\.flash-loan\.pools/);
  });
});

describe('flash-loan with its node unreachable', () => {
  it('warns once naming the node (origin only, no key in the path), then once every 30 s with the count', async () => {
    const clock = new ManualClock(50_000);
    const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
    const m = market('paradex', 'ETH-USD-PERP', 1, 3);
    hub.addVenue('paradex', [m], () => {});
    hub.onBook(snapshot(m, [['2999.9', '10']], [['3000.1', '10']], { seq: 1, receivedAt: 50_000 }));
    const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
    journal.startSession('s', 'dry-run', '{}', 0);
    const warnings: Array<{ msg: string; fields: Record<string, unknown> | undefined }> = [];
    const logger = { ...silentLogger, warn: (msg: string, fields?: Record<string, unknown>) => void warnings.push({ msg, fields }) };
    const down = { reserves: async () => Promise.reject(new Error('fetch failed')) };
    const strategy = new FlashLoanStrategy(
      { options: {}, optionsPath: 'strategies.flash-loan', clock, logger, books: hub, instruments: new InstrumentMap({ 'ETH-USD-PERP': { paradex: 'ETH-USD-PERP' } }), submit: () => {}, live: false, journal },
      options({ rpcUrl: 'https://starknet-mainnet.example.com/v3/SECRETKEY123' }),
      down,
      journal,
      undefined,
      false,
    );
    let seq = 1;
    const fresh = () => hub.onBook(snapshot(m, [['2999.9', '10']], [['3000.1', '10']], { seq: ++seq, receivedAt: clock.now() }));
    for (let i = 0; i < 10; i++) {
      fresh();
      await strategy.poll();
      clock.advance(2_000);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('https://starknet-mainnet.example.com (strategies.flash-loan.rpcUrl)');
    expect(JSON.stringify(warnings)).not.toContain('SECRETKEY123');
    clock.advance(12_000);
    fresh();
    await strategy.poll();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]!.fields).toMatchObject({ error: 'fetch failed', failedPollsSinceLastLine: 9 });
  });
});
