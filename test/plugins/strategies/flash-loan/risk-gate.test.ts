/**
 * The flash-loan cycle through the engine's on-chain risk gate: a tripped kill switch, a halt or
 * an exceeded flash-loan limit stops start_cycle before any transaction RPC reaches the node.
 * The node is a loopback JSON-RPC stub (as in strategy.test.ts): it answers get_reserves and
 * counts every other request, which is what a StarknetCycleSender would send to submit.
 */
import { createServer, type Server } from 'node:http';
import { Decimal } from 'decimal.js';
import { hash } from 'starknet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { Journal } from '../../../../engine/journal/journal.ts';
import { MarketDataHub } from '../../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../../engine/market/instruments.ts';
import { FlashLoanRiskConfigSchema } from '../../../../engine/risk/config.ts';
import { KillSwitch } from '../../../../engine/risk/kill-switch.ts';
import { OnChainGate } from '../../../../engine/risk/on-chain-gate.ts';
import { StarknetCycleSender } from '../../../../plugins/strategies/flash-loan/cycle-sender.ts';
import { parseFlashLoanOptions } from '../../../../plugins/strategies/flash-loan/options.ts';
import { RpcPoolSource } from '../../../../plugins/strategies/flash-loan/pool-reader.ts';
import { FlashLoanStrategy } from '../../../../plugins/strategies/flash-loan/strategy.ts';
import { market, snapshot } from '../../../helpers/books.ts';

const E18 = 10n ** 18n;
const E6 = 10n ** 6n;
const GET_RESERVES = hash.getSelectorFromName('get_reserves');
let server: Server;
let rpcUrl = '';
/** JSON-RPC methods other than the reserves reads: any of them means a send was attempted. */
let sends: string[] = [];

function u256(v: bigint): string[] {
  return ['0x' + (v & ((1n << 128n) - 1n)).toString(16), '0x' + (v >> 128n).toString(16)];
}

beforeAll(async () => {
  // jedi 3060 (rich), tenk 2940 (cheap): a profitable cycle at a 3000 reference.
  const reserves = new Map<bigint, [bigint, bigint]>([
    [0xa1n, [100n * E18, 306_000n * E6]],
    [0xb1n, [294_000n * E6, 100n * E18]],
  ]);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const msg = JSON.parse(body);
      const reply = (payload: object) => res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...payload }));
      res.setHeader('content-type', 'application/json');
      const call = msg.params?.request;
      const r = call ? reserves.get(BigInt(call.contract_address)) : undefined;
      if (msg.method === 'starknet_call' && BigInt(call.entry_point_selector) === BigInt(GET_RESERVES) && r) {
        return reply({ result: [...u256(r[0]), ...u256(r[1]), '0x65'] });
      }
      // The lender's liquidity (the borrow cap reads it): plenty.
      if (msg.method === 'starknet_call' && BigInt(call.entry_point_selector) === BigInt(hash.getSelectorFromName('balance_of'))) {
        return reply({ result: u256(10_000n * E18) });
      }
      sends.push(msg.method);
      reply({ error: { code: 24, message: 'Block not found' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  rpcUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  sends = [];
});

function setup(limits: Record<string, unknown> = {}, opts: { withGate?: boolean } = {}) {
  const clock = new ManualClock(50_000);
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  const m = market('paradex', 'ETH-USD-PERP', 1, 3);
  hub.addVenue('paradex', [m], () => {});
  hub.onBook(snapshot(m, [['2999.9', '10']], [['3000.1', '10']], { seq: 1, receivedAt: 50_000 }));
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  journal.startSession('s', 'live', '{}', 0);
  const options = parseFlashLoanOptions(
    {
      rpcUrl,
      contract: '0xc0ffee',
      lender: { kind: 'vesu', address: '0x111', maxBorrow: '50' },
      token: { address: '0x222', symbol: 'ETH', decimals: 18 },
      midToken: { address: '0x333', symbol: 'USDC', decimals: 6 },
      pools: [
        { name: 'jedi', router: '0xa1', reserveOrder: 'token-mid' },
        { name: 'tenk', router: '0xb1', reserveOrder: 'mid-token' },
      ],
      reference: { instrument: 'ETH-USD-PERP' },
      gasUsd: '0.05',
      cooldownMs: 0,
    },
    'strategies.flash-loan',
  );
  const killSwitch = new KillSwitch({ signal: false });
  let halted: string | undefined;
  const gate = new OnChainGate({ limits: FlashLoanRiskConfigSchema.parse(limits), clock, killSwitch, halted: () => halted });
  const sender = new StarknetCycleSender(options, '0xc0ffee', '0x123', '0x1');
  const strategy = new FlashLoanStrategy(
    {
      options: {},
      optionsPath: 'strategies.flash-loan',
      clock,
      logger: silentLogger,
      books: hub,
      instruments: new InstrumentMap({ 'ETH-USD-PERP': { paradex: 'ETH-USD-PERP' } }),
      submit: () => {},
      live: true,
      journal,
    },
    options,
    new RpcPoolSource(rpcUrl),
    journal,
    sender,
    false,
    opts.withGate === false ? undefined : () => gate,
  );
  const decisions = () => (journal.db.prepare('SELECT decision FROM flash_opportunities ORDER BY rowid').all() as Array<{ decision: string }>).map((r) => r.decision);
  let seq = 1;
  const poll = async () => {
    // A fresh reference book at every poll: a clock moved by an hour must not leave Paradex stale.
    hub.onBook(snapshot(m, [['2999.9', '10']], [['3000.1', '10']], { seq: ++seq, receivedAt: clock.now() }));
    const j = await strategy.poll();
    clock.advance(1000);
    return j;
  };
  return { strategy, gate, killSwitch, journal, clock, decisions, poll, halt: (why: string | undefined) => (halted = why) };
}

describe('flash-loan cycles through the on-chain risk gate', () => {
  it('the gate open: the accepted cycle reaches the node (the stub sees the send attempt)', async () => {
    const { poll, decisions } = setup();
    const j = await poll();
    expect(j?.decision).toBe('accept');
    expect(sends.length).toBeGreaterThan(0);
    expect(decisions()).toEqual(['send-failed']); // the stub refuses the transaction: still, it was sent
  });

  it('a tripped kill switch stops the call: no RPC beyond the reserves reads', async () => {
    const { poll, killSwitch, gate, decisions } = setup();
    killSwitch.trip('operator');
    expect((await poll())?.decision).toBe('accept');
    expect(sends).toEqual([]);
    expect(decisions()).toEqual(['refused']);
    expect(gate.denied.get('kill-switch')).toBe(1);
  });

  it('a halt (journal and venues disagree) stops the call', async () => {
    const { poll, halt, gate } = setup();
    halt('journal and venues disagree');
    await poll();
    expect(sends).toEqual([]);
    expect(gate.denied.get('halted')).toBe(1);
  });

  it('max borrow per cycle: a cycle borrowing more than maxBorrowUsd is not sent', async () => {
    const { poll, gate } = setup({ maxBorrowUsd: '100' });
    const j = await poll();
    // The sized borrow is several ETH at ~3000: far above 100 USD.
    expect(new Decimal(j!.amount.toString()).div(1e18).mul(3000).gt(100)).toBe(true);
    expect(sends).toEqual([]);
    expect(gate.denied.get('max-borrow')).toBe(1);
  });

  it('max cycles per hour: the second cycle within the hour is refused, one an hour later passes', async () => {
    const { poll, gate, clock, decisions } = setup({ maxCyclesPerHour: 1 });
    await poll();
    const afterFirst = sends.length;
    expect(afterFirst).toBeGreaterThan(0);
    await poll();
    expect(sends.length).toBe(afterFirst);
    expect(gate.denied.get('cycles-per-hour')).toBe(1);
    clock.advance(3_600_000);
    await poll();
    expect(sends.length).toBeGreaterThan(afterFirst);
    expect(decisions()).toEqual(['send-failed', 'refused', 'send-failed']);
  });

  it('daily loss: each cycle books its gas as the worst case; the cycle that would pass the limit is refused until the next UTC day', async () => {
    // gasUsd 0.05 per cycle, limit 0.1: two cycles fit, the third would make 0.15.
    const { poll, gate, clock, decisions } = setup({ dailyLossLimitUsd: '0.1' });
    await poll();
    await poll();
    const afterTwo = sends.length;
    await poll();
    expect(sends.length).toBe(afterTwo);
    expect(gate.denied.get('daily-loss')).toBe(1);
    expect(gate.lossBookedToday().toString()).toBe('0.1');
    clock.advance(86_400_000);
    await poll();
    expect(sends.length).toBeGreaterThan(afterTwo);
    expect(decisions()).toEqual(['send-failed', 'send-failed', 'refused', 'send-failed']);
  });

  it('live without a gate bound: nothing is sent', async () => {
    const { poll, decisions } = setup({}, { withGate: false });
    await poll();
    expect(sends).toEqual([]);
    expect(decisions()).toEqual(['refused']);
  });
});
