/**
 * Flash-loan cycle detection between on-chain Starknet pools, with Paradex as the reference.
 *
 * Paradex Chain is a separate appchain: no Starknet transaction can touch its order book, so the
 * atomic cycle runs between two constant-product pools (borrow token, sell it on the rich pool,
 * buy it back on the cheap one, repay). Paradex's mid price is the signal of which pool is off
 * and the rate that turns token profit and gas into dollars.
 */
import { Decimal } from 'decimal.js';
import type { Journal } from '../../../engine/journal/journal.ts';
import type { VenueId } from '../../../engine/market/types.ts';
import type { OnChainGate } from '../../../engine/risk/on-chain-gate.ts';
import type { Strategy, StrategyDeps } from '../../../engine/strategy/strategy.ts';
import type { CycleSender } from './cycle-sender.ts';
import { recordFlashJudgment, type FlashJudgment } from './flash-journal.ts';
import type { FlashLoanOptions } from './options.ts';
import type { PoolReserves, PoolSource } from './pool-reader.ts';
import { bestBorrow, type CycleQuote } from './sizing.ts';

interface Candidate {
  quote: CycleQuote;
  sell: number;
  buy: number;
}

export class FlashLoanStrategy implements Strategy {
  readonly name = 'flash-loan';
  readonly stats = { polls: 0, noReference: 0, judged: 0, sent: 0, errors: 0, refused: 0 };
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly lastJudged = new Map<string, number>();
  private inFlight = false;
  private sequence = 0;

  constructor(
    private readonly deps: StrategyDeps,
    private readonly options: FlashLoanOptions,
    private readonly pools: PoolSource,
    private readonly journal: Journal,
    private readonly sender?: CycleSender,
    autoPoll = true,
    /**
     * The engine's on-chain risk gate (kill switch, halts, flash-loan limits), looked up at each
     * send: the engine binds it when it starts live. No gate, no call.
     */
    private readonly gate?: () => Pick<OnChainGate, 'admit'> | undefined,
  ) {
    if (autoPoll) {
      this.timer = setInterval(() => void this.poll(), options.pollMs);
      this.timer.unref();
    }
  }

  onBookUpdate(): void {
    // Pools are polled on a timer; the reference book is read when a poll runs.
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One evaluation: read every pool, size the best cycle, judge it, journal it, send it in live. */
  async poll(): Promise<FlashJudgment | undefined> {
    if (this.inFlight) return undefined;
    this.inFlight = true;
    try {
      this.stats.polls++;
      const ref = this.referencePrice();
      if (!ref) {
        this.stats.noReference++;
        return undefined;
      }
      const reserves = await Promise.all(this.options.pools.map((p) => this.pools.reserves(p.pair ?? p.router, p.reserveOrder)));
      const best = this.bestCandidate(reserves, ref);
      if (!best) return undefined;
      const key = `${best.sell}>${best.buy}`;
      const now = this.deps.clock.now();
      const last = this.lastJudged.get(key);
      if (last !== undefined && now - last < this.options.cooldownMs) return undefined;
      this.lastJudged.set(key, now);
      const judgment = this.judge(best, reserves, ref, now);
      recordFlashJudgment(this.journal, judgment); // journaled before anything is sent
      this.stats.judged++;
      if (this.deps.verdict) {
        // The console prints, counts and summarizes verdicts beside the simulator's judgments.
        this.deps.verdict({
          strategy: this.name,
          kind: 'flash cycle',
          instrument: this.options.reference.instrument,
          decision: judgment.decision === 'accept' ? 'accept' : 'reject',
          netUsd: new Decimal(judgment.netUsd),
          summary: flashSummary(judgment, this.options),
          detail: flashDetail(judgment, this.options),
        });
      } else {
        this.deps.announce?.(formatFlashJudgment(judgment, this.options, this.deps.live ? 'LIVE' : 'SIMULATION'));
      }
      if (this.sender && judgment.decision === 'accept') await this.send(judgment, best);
      return judgment;
    } catch (err) {
      this.stats.errors++;
      this.reportPollFailure((err as Error).message, this.deps.clock.now());
      return undefined;
    } finally {
      this.inFlight = false;
    }
  }

  private referencePrice(): Decimal | undefined {
    const { instrument, venue } = this.options.reference;
    const listing = this.deps.instruments.listings(instrument).find((l) => l.venue === venue);
    if (!listing) return undefined;
    const book = this.deps.books.book(venue as VenueId, listing.symbol);
    if (!book || !this.deps.books.isTradable(book, this.deps.clock.now())) return undefined;
    const bid = book.bids.best();
    const ask = book.asks.best();
    if (bid === undefined || ask === undefined) return undefined;
    return new Decimal(bid + ask).div(2).div(new Decimal(10).pow(book.market.priceDecimals));
  }

  private bestCandidate(reserves: PoolReserves[], ref: Decimal): Candidate | undefined {
    const { pools, token, lender } = this.options;
    const scale = new Decimal(10).pow(token.decimals);
    const gasCost = BigInt(new Decimal(this.options.gasUsd).div(ref).mul(scale).ceil().toFixed(0));
    const maxBorrow = BigInt(new Decimal(lender.maxBorrow).mul(scale).floor().toFixed(0));
    let best: Candidate | undefined;
    for (let sell = 0; sell < pools.length; sell++) {
      for (let buy = 0; buy < pools.length; buy++) {
        if (sell === buy) continue;
        const a = reserves[sell]!;
        const b = reserves[buy]!;
        const quote = bestBorrow({
          poolA: { reserveIn: a.token, reserveOut: a.mid, feeBps: BigInt(pools[sell]!.feeBps) },
          poolB: { reserveIn: b.mid, reserveOut: b.token, feeBps: BigInt(pools[buy]!.feeBps) },
          lenderFee: { rateRay: BigInt(lender.feeRay) },
          gasCost,
          maxBorrow,
        });
        if (quote && (!best || quote.netProfit > best.quote.netProfit)) best = { quote, sell, buy };
      }
    }
    return best;
  }

  private judge(c: Candidate, reserves: PoolReserves[], ref: Decimal, now: number): FlashJudgment {
    const { token, midToken, pools } = this.options;
    const tokenScale = new Decimal(10).pow(token.decimals);
    const midScale = new Decimal(10).pow(midToken.decimals);
    const price = (r: PoolReserves) => new Decimal(r.mid.toString()).div(midScale).div(new Decimal(r.token.toString()).div(tokenScale));
    const sellPrice = price(reserves[c.sell]!);
    const buyPrice = price(reserves[c.buy]!);
    const netUsd = new Decimal(c.quote.netProfit.toString()).div(tokenScale).mul(ref);
    return {
      id: `flash-${now}-${++this.sequence}`,
      detectedAt: now,
      token: token.symbol,
      sellPool: pools[c.sell]!.name,
      buyPool: pools[c.buy]!.name,
      amount: c.quote.amount,
      tokenBack: c.quote.tokenBack,
      lenderFee: c.quote.lenderFee,
      gasCost: c.quote.onChainProfit - c.quote.netProfit,
      onChainProfit: c.quote.onChainProfit,
      netProfit: c.quote.netProfit,
      netUsd: netUsd.toString(),
      referencePrice: ref.toString(),
      sellPoolPrice: sellPrice.toString(),
      buyPoolPrice: buyPrice.toString(),
      poolSpread: sellPrice.minus(buyPrice).div(buyPrice).toString(),
      decision: netUsd.gt(this.options.minNetUsd) && c.quote.netProfit > 0n ? 'accept' : 'reject-unprofitable',
    };
  }

  private lastPollFailure = { message: '', at: -Infinity, repeats: 0 };

  /**
   * A node that is down fails every poll: say it once with the node named (origin only: a provider
   * URL often carries an API key in its path), then once every 30 s with how many polls failed since.
   */
  private reportPollFailure(message: string, now: number): void {
    const last = this.lastPollFailure;
    if (message === last.message && now - last.at < 30_000) {
      last.repeats++;
      return;
    }
    const node = nodeOrigin(this.options.rpcUrl);
    this.deps.logger.warn(`flash-loan poll failed: Starknet node ${node} (strategies.flash-loan.rpcUrl)`, { error: message, ...(last.repeats ? { failedPollsSinceLastLine: last.repeats } : {}) });
    this.lastPollFailure = { message, at: now, repeats: 0 };
  }

  private async send(j: FlashJudgment, c: Candidate): Promise<void> {
    const share = new Decimal(this.options.minProfitShare);
    const minProfit = BigInt(new Decimal(c.quote.onChainProfit.toString()).mul(share).floor().toFixed(0));
    const pools = this.options.pools;
    // Every on-chain call passes the engine's risk gate first, like every order does.
    const gate = this.gate?.();
    const scale = new Decimal(10).pow(this.options.token.decimals);
    const verdict = gate
      ? gate.admit({
          id: j.id,
          borrowUsd: new Decimal(c.quote.amount.toString()).div(scale).mul(j.referencePrice),
          worstLossUsd: new Decimal(this.options.gasUsd),
        })
      : ({ ok: false, rule: 'no-gate', reason: 'no risk gate bound (the engine binds it when it starts live)' } as const);
    if (!verdict.ok) {
      this.stats.refused++;
      this.journal.db.prepare("UPDATE flash_opportunities SET decision = 'refused' WHERE id = ?").run(j.id);
      this.deps.logger.warn('flash-loan cycle refused by the risk gate: not sent', { id: j.id, rule: verdict.rule, reason: verdict.reason });
      return;
    }
    try {
      const tx = await this.sender!.startCycle({
        amount: c.quote.amount,
        minProfit: minProfit > 0n ? minProfit : 1n,
        sellRouter: pools[c.sell]!.router,
        buyRouter: pools[c.buy]!.router,
      });
      this.stats.sent++;
      this.journal.db.prepare("UPDATE flash_opportunities SET decision = 'sent' WHERE id = ?").run(j.id);
      this.deps.logger.info('flash-loan cycle sent', { id: j.id, tx });
    } catch (err) {
      this.journal.db.prepare("UPDATE flash_opportunities SET decision = 'send-failed' WHERE id = ?").run(j.id);
      this.deps.logger.warn('flash-loan cycle failed', { id: j.id, error: (err as Error).message });
    }
  }
}

export function formatFlashJudgment(j: FlashJudgment, o: FlashLoanOptions, label: string): string {
  const mark = j.decision === 'accept' ? '✅' : '❌';
  return `[${label}] ${mark} ${o.token.symbol} flash-loan | ${flashSummary(j, o)}\n  └─ ${flashDetail(j, o)}`;
}

function money(d: Decimal): string {
  return (d.isNegative() ? '-$' : '$') + d.abs().toFixed(2);
}

/** The judgment's headline figures (display only: the journal keeps them exact). */
export function flashSummary(j: FlashJudgment, o: FlashLoanOptions): string {
  const scale = new Decimal(10).pow(o.token.decimals);
  return (
    `Pool spread: ${new Decimal(j.poolSpread).mul(100).toFixed(2)}% | ` +
    `sell on ${j.sellPool} → buy on ${j.buyPool} | Borrow ${new Decimal(j.amount.toString()).div(scale).toSignificantDigits(8)} ${o.token.symbol} | ` +
    `Net profit: ${money(new Decimal(j.netUsd))} | Paradex ref ${money(new Decimal(j.referencePrice))}`
  );
}

export function flashDetail(j: FlashJudgment, o: FlashLoanOptions): string {
  const scale = new Decimal(10).pow(o.token.decimals);
  const ref = new Decimal(j.referencePrice);
  const usd = (units: bigint) => new Decimal(units.toString()).div(scale).mul(ref);
  return `Details: Gross=${money(usd(j.tokenBack - j.amount))} (after pool fees) | Costs=${money(usd(j.lenderFee + j.gasCost))} (lender fee: ${money(usd(j.lenderFee))}, gas: ${money(usd(j.gasCost))})`;
}

function nodeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
