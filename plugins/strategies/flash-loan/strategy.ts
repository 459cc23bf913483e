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
import type { CycleRoute } from './calldata.ts';
import type { CycleSender } from './cycle-sender.ts';
import { bestEkuboCycle } from './ekubo-cycles.ts';
import { RpcEkuboQuoter, type SwapQuoter } from './ekubo-quote.ts';
import { recordFlashJudgment, type FlashJudgment } from './flash-journal.ts';
import type { FlashLoanOptions } from './options.ts';
import type { PoolReserves, PoolSource } from './pool-reader.ts';
import { profitGuard } from './profit-guard.ts';
import { bestBorrow } from './sizing.ts';

interface Candidate {
  quote: { amount: bigint; tokenBack: bigint; lenderFee: bigint; onChainProfit: bigint; netProfit: bigint };
  sell: number;
  buy: number;
  sellName: string;
  buyName: string;
  /** Mid per token on each side (display and journal). */
  sellPrice: Decimal;
  buyPrice: Decimal;
  /** Router legs: the two routers; Ekubo legs: the route itself. */
  sellRouter?: string;
  buyRouter?: string;
  route?: CycleRoute;
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
    /** Ekubo quotes (lender kind 'ekubo'); by default the router's quote_swap over rpcUrl. */
    private readonly quoter?: SwapQuoter,
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
      const best = this.options.ekubo ? await this.ekuboCandidate(ref) : await this.routerCandidate(ref);
      if (!best) return undefined;
      const key = `${best.sell}>${best.buy}`;
      const now = this.deps.clock.now();
      const last = this.lastJudged.get(key);
      if (last !== undefined && now - last < this.options.cooldownMs) return undefined;
      this.lastJudged.set(key, now);
      const judgment = this.judge(best, ref, now);
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

  /**
   * Most that can be borrowed now: the configured cap, bounded by what the lender holds. A Vesu V2
   * pool lends its own balance of the asset (vesu-v2 pool.cairo flash_loan transfers from the
   * pool), a zkLend market its reserve balance, Ekubo's core what it holds; asking for more
   * reverts the whole cycle.
   */
  private async borrowCap(): Promise<bigint> {
    const { lender, token } = this.options;
    const cap = BigInt(new Decimal(lender.maxBorrow).mul(new Decimal(10).pow(token.decimals)).floor().toFixed(0));
    if (!this.pools.balanceOf) return cap;
    const held = await this.pools.balanceOf(token.address, lender.address);
    return held < cap ? held : cap;
  }

  /** Router pools: reserves over get_reserves, sized in closed form (sizing.ts). */
  private async routerCandidate(ref: Decimal): Promise<Candidate | undefined> {
    const [maxBorrow, ...reserves] = await Promise.all([
      this.borrowCap(),
      ...this.options.pools.map((p) => this.pools.reserves(p.pair ?? p.router, p.reserveOrder)),
    ]);
    const best = this.bestCandidate(reserves as PoolReserves[], ref, maxBorrow as bigint);
    if (!best) return undefined;
    const { token, midToken, pools } = this.options;
    const tokenScale = new Decimal(10).pow(token.decimals);
    const midScale = new Decimal(10).pow(midToken.decimals);
    const price = (r: PoolReserves) => new Decimal(r.mid.toString()).div(midScale).div(new Decimal(r.token.toString()).div(tokenScale));
    return {
      ...best,
      sellName: pools[best.sell]!.name,
      buyName: pools[best.buy]!.name,
      sellPrice: price(reserves[best.sell]!),
      buyPrice: price(reserves[best.buy]!),
      sellRouter: pools[best.sell]!.router,
      buyRouter: pools[best.buy]!.router,
    };
  }

  private ekuboQuoter: SwapQuoter | undefined;

  /** Ekubo pools: no reserves, sized through the router's quote_swap (ekubo-cycles.ts). */
  private async ekuboCandidate(ref: Decimal): Promise<Candidate | undefined> {
    const { ekubo, token, midToken } = this.options;
    this.ekuboQuoter ??= this.quoter ?? new RpcEkuboQuoter(this.options.rpcUrl, ekubo!.quoter, ekubo!.blockTag);
    const tokenScale = new Decimal(10).pow(token.decimals);
    const midScale = new Decimal(10).pow(midToken.decimals);
    const c = await bestEkuboCycle({
      token: token.address,
      midToken: midToken.address,
      pools: ekubo!.pools,
      quoter: this.ekuboQuoter,
      maxBorrow: await this.borrowCap(),
      gasCost: BigInt(new Decimal(this.options.gasUsd).div(ref).mul(tokenScale).ceil().toFixed(0)),
    });
    if (!c) return undefined;
    const rate = (r: { mid: bigint; token: bigint }) => new Decimal(r.mid.toString()).div(midScale).div(new Decimal(r.token.toString()).div(tokenScale));
    return {
      quote: { ...c.quote, lenderFee: 0n },
      sell: c.sell,
      buy: c.buy,
      sellName: ekubo!.pools[c.sell]!.name,
      buyName: ekubo!.pools[c.buy]!.name,
      sellPrice: rate(c.sellRate),
      buyPrice: rate(c.buyRate),
      route: c.route,
    };
  }

  private bestCandidate(reserves: PoolReserves[], ref: Decimal, maxBorrow: bigint): Omit<Candidate, 'sellName' | 'buyName' | 'sellPrice' | 'buyPrice'> | undefined {
    const { pools, token, lender } = this.options;
    const scale = new Decimal(10).pow(token.decimals);
    const gasCost = BigInt(new Decimal(this.options.gasUsd).div(ref).mul(scale).ceil().toFixed(0));
    let best: { quote: Candidate['quote']; sell: number; buy: number } | undefined;
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

  private judge(c: Candidate, ref: Decimal, now: number): FlashJudgment {
    const { token } = this.options;
    const tokenScale = new Decimal(10).pow(token.decimals);
    const { sellPrice, buyPrice } = c;
    const netUsd = new Decimal(c.quote.netProfit.toString()).div(tokenScale).mul(ref);
    return {
      id: `${this.deps.idPrefix ?? ''}flash-${now}-${++this.sequence}`,
      detectedAt: now,
      token: token.symbol,
      sellPool: c.sellName,
      buyPool: c.buyName,
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
    const request = {
      amount: c.quote.amount,
      minProfit: minProfit > 0n ? minProfit : 1n,
      sellRouter: c.sellRouter ?? '0x0',
      buyRouter: c.buyRouter ?? '0x0',
      ...(c.route ? { route: c.route } : {}),
    };
    try {
      if (this.sender!.simulate && this.options.strkUsd !== undefined) {
        // The exact call, simulated: the fee it will pay goes into min_profit, so a cycle that
        // clears min_profit cannot lose money after the fee.
        const sim = await this.sender!.simulate(request);
        const guard = profitGuard({
          quotedProfit: c.quote.onChainProfit,
          minProfitShare: this.options.minProfitShare,
          feeFri: sim.fee,
          strkUsd: this.options.strkUsd,
          tokenUsd: j.referencePrice,
          tokenDecimals: this.options.token.decimals,
          marginUsd: this.options.marginUsd,
        });
        const figures = { id: j.id, simulatedProfit: sim.profit?.toString(), quotedProfit: c.quote.onChainProfit.toString(), fee: `${sim.fee} ${sim.feeUnit}`, minProfit: guard.minProfit.toString() };
        if (!sim.ok || sim.profit === undefined || sim.profit < guard.minProfit || guard.expectedNet <= 0n) {
          this.stats.refused++;
          this.journal.db.prepare("UPDATE flash_opportunities SET decision = 'refused' WHERE id = ?").run(j.id);
          this.deps.logger.warn('flash-loan cycle not sent: the simulation does not clear the fee and margin', { ...figures, revert: sim.revertReason });
          return;
        }
        this.deps.logger.info('flash-loan cycle simulated', figures);
        request.minProfit = guard.minProfit;
      }
      const tx = await this.sender!.startCycle(request);
      // The realized profit (CycleExecuted) beside the quoted one, once the transaction lands.
      if (this.sender!.realizedProfit) {
        void this.sender!.realizedProfit(tx).then(
          (realized) => this.deps.logger.info('flash-loan cycle landed', { id: j.id, tx, quotedProfit: c.quote.onChainProfit.toString(), realizedProfit: realized?.toString() ?? 'none (reverted)' }),
          (err: Error) => this.deps.logger.warn('flash-loan cycle receipt not read', { id: j.id, tx, error: err.message }),
        );
      }
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
