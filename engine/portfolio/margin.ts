/**
 * Collateral and margin use per venue, and the check the risk gate calls before a trade.
 *
 * margin use of a venue = sum over its positions of |size| x mark x initial margin ratio,
 * divided by its collateral. Perp venues margin each account separately, so a pair needs
 * free collateral on both venues: a trade is refused when either leg would push its venue
 * past `maxMarginUse`, and a CapitalTransfer is suggested when a venue ends above
 * `warnMarginUse` while another has collateral to spare (moving it is a withdrawal and a
 * deposit, minutes to hours: it is advice, never done here).
 *
 * Where the numbers come from: live, from each venue's account and positions (a gateway's
 * positions() plus a collateral reader); dry-run, from configured balances and the open
 * simulated pairs. Both produce the same VenueAccount, so the check does not know the mode.
 */
import { Decimal } from 'decimal.js';
import type { Fill, OrderSide, Position } from '../exchange/orders.ts';
import type { VenueId } from '../market/types.ts';
import { legExposures, ZERO, type PairPosition } from './pair-position.ts';

export interface AccountPosition {
  symbol: string;
  /** Signed base size: + long, - short. */
  size: Decimal;
  mark: Decimal;
}

export interface VenueAccount {
  venue: VenueId;
  /** Account value in the settlement currency (USD), including unrealized PnL when known. */
  collateral: Decimal;
  positions: AccountPosition[];
}

export interface MarginLimits {
  /** Refuse a trade that would put a venue's margin use above this fraction (0.5 = 50%). */
  maxMarginUse: Decimal;
  /** Above this, suggest moving capital to the venue. */
  warnMarginUse: Decimal;
  /** Initial margin as a fraction of notional (0.1 = 10x) per venue; venues not listed use the default. */
  initialMarginRatio: ReadonlyMap<VenueId, Decimal>;
  defaultInitialMarginRatio: Decimal;
}

export interface MarginLeg {
  venue: VenueId;
  symbol: string;
  side: OrderSide;
  size: Decimal;
  price: Decimal;
}

export interface VenueMarginUse {
  venue: VenueId;
  collateral: Decimal;
  requiredBefore: Decimal;
  requiredAfter: Decimal;
  useBefore: Decimal;
  useAfter: Decimal;
}

export interface CapitalTransfer {
  from: VenueId;
  to: VenueId;
  /** USD to move so `to` is back at the warn level, capped by what `from` can spare. */
  amount: Decimal;
  reason: string;
}

export interface MarginCheck {
  allowed: boolean;
  venues: VenueMarginUse[];
  /** Why the trade is refused, one line per venue over the limit. */
  refusals: string[];
  transfers: CapitalTransfer[];
}

export function imrOf(limits: MarginLimits, venue: VenueId): Decimal {
  return limits.initialMarginRatio.get(venue) ?? limits.defaultInitialMarginRatio;
}

/** Initial margin an account's positions need now. */
export function requiredMargin(account: VenueAccount, imr: Decimal): Decimal {
  return account.positions.reduce((sum, p) => sum.plus(p.size.abs().mul(p.mark).mul(imr)), ZERO);
}

function useOf(required: Decimal, collateral: Decimal): Decimal {
  if (collateral.lte(0)) return required.isZero() ? ZERO : new Decimal(Infinity);
  return required.div(collateral);
}

/**
 * Would these legs keep every venue within the limit? A leg that reduces an existing
 * position on its market lowers the requirement (netted per symbol), so closing is never refused.
 */
export function checkMargin(accounts: ReadonlyMap<VenueId, VenueAccount>, legs: MarginLeg[], limits: MarginLimits): MarginCheck {
  const venues: VenueMarginUse[] = [];
  const refusals: string[] = [];
  const touched = [...new Set(legs.map((l) => l.venue))];
  for (const venue of touched) {
    const account = accounts.get(venue) ?? { venue, collateral: ZERO, positions: [] };
    const imr = imrOf(limits, venue);
    const after = applyLegs(account, legs.filter((l) => l.venue === venue));
    const requiredBefore = requiredMargin(account, imr);
    const requiredAfter = requiredMargin(after, imr);
    const u: VenueMarginUse = {
      venue,
      collateral: account.collateral,
      requiredBefore,
      requiredAfter,
      useBefore: useOf(requiredBefore, account.collateral),
      useAfter: useOf(requiredAfter, account.collateral),
    };
    venues.push(u);
    if (u.useAfter.gt(limits.maxMarginUse) && requiredAfter.gt(requiredBefore)) {
      refusals.push(
        `${venue}: margin use would be ${pct(u.useAfter)} (needs ${requiredAfter.toFixed(2)} of ${account.collateral.toFixed(2)} collateral), limit ${pct(limits.maxMarginUse)}: add collateral on ${venue} or trade smaller`,
      );
    }
  }
  const transfers = suggestTransfers(accounts, venues, limits);
  // A refusal says which transfer would have made room, when another venue can spare it.
  for (let i = 0; i < refusals.length; i++) {
    const venue = refusals[i]!.slice(0, refusals[i]!.indexOf(':'));
    const t = transfers.find((x) => x.to === venue);
    if (t) refusals[i] += ` (or move ${t.amount.toFixed(2)} USD from ${t.from} to ${t.to})`;
  }
  return { allowed: refusals.length === 0, venues, refusals, transfers };
}

/** Transfers that would bring every venue now above the warn level back to it (no trade assumed). */
export function transferAdvice(accounts: ReadonlyMap<VenueId, VenueAccount>, limits: MarginLimits): CapitalTransfer[] {
  const venues: VenueMarginUse[] = [...accounts.values()].map((a) => {
    const required = requiredMargin(a, imrOf(limits, a.venue));
    const use = useOf(required, a.collateral);
    return { venue: a.venue, collateral: a.collateral, requiredBefore: required, requiredAfter: required, useBefore: use, useAfter: use };
  });
  return suggestTransfers(accounts, venues, limits);
}

/** For each venue ending above the warn level, the venue with most spare collateral funds it. */
function suggestTransfers(accounts: ReadonlyMap<VenueId, VenueAccount>, after: VenueMarginUse[], limits: MarginLimits): CapitalTransfer[] {
  const required = new Map<VenueId, Decimal>();
  for (const [venue, a] of accounts) required.set(venue, requiredMargin(a, imrOf(limits, venue)));
  for (const u of after) required.set(u.venue, u.requiredAfter);
  const collateral = new Map<VenueId, Decimal>();
  for (const [venue, a] of accounts) collateral.set(venue, a.collateral);
  // Spare = collateral beyond what keeps the venue at the warn level.
  const spare = (venue: VenueId) => (collateral.get(venue) ?? ZERO).minus((required.get(venue) ?? ZERO).div(limits.warnMarginUse));
  const transfers: CapitalTransfer[] = [];
  for (const u of after) {
    if (!u.useAfter.gt(limits.warnMarginUse)) continue;
    const need = spare(u.venue).neg();
    let best: VenueId | undefined;
    for (const venue of collateral.keys()) {
      if (venue === u.venue || spare(venue).lte(0)) continue;
      if (best === undefined || spare(venue).gt(spare(best))) best = venue;
    }
    if (best === undefined) continue;
    const amount = Decimal.min(need, spare(best)).toDecimalPlaces(2, Decimal.ROUND_UP);
    transfers.push({ from: best, to: u.venue, amount, reason: `${u.venue} margin use ${pct(u.useAfter)} above warn level ${pct(limits.warnMarginUse)}` });
    collateral.set(best, (collateral.get(best) ?? ZERO).minus(amount));
    collateral.set(u.venue, (collateral.get(u.venue) ?? ZERO).plus(amount));
  }
  return transfers;
}

function applyLegs(account: VenueAccount, legs: MarginLeg[]): VenueAccount {
  const positions = account.positions.map((p) => ({ ...p }));
  for (const leg of legs) {
    const signed = leg.side === 'buy' ? leg.size : leg.size.neg();
    const p = positions.find((x) => x.symbol === leg.symbol);
    if (p) {
      p.size = p.size.plus(signed);
      p.mark = leg.price;
    } else positions.push({ symbol: leg.symbol, size: signed, mark: leg.price });
  }
  return { ...account, positions };
}

function pct(x: Decimal): string {
  return x.isFinite() ? `${x.mul(100).toFixed(1)}%` : 'unbounded (no collateral)';
}

/** Dry-run accounts: configured balances, positions from the open simulated pairs at their marks. */
export function simulatedAccounts(
  balances: ReadonlyMap<VenueId, Decimal>,
  pairs: PairPosition[],
  mark: (venue: VenueId, symbol: string) => Decimal | undefined,
): Map<VenueId, VenueAccount> {
  const out = new Map<VenueId, VenueAccount>();
  for (const [venue, collateral] of balances) out.set(venue, { venue, collateral, positions: [] });
  for (const pair of pairs) {
    for (const leg of legExposures(pair)) {
      const account = out.get(leg.venue) ?? { venue: leg.venue, collateral: ZERO, positions: [] };
      out.set(leg.venue, account);
      const entry = leg.size.gt(0) ? pair.long.entryPrice : pair.short.entryPrice;
      const m = mark(leg.venue, leg.symbol) ?? entry;
      const p = account.positions.find((x) => x.symbol === leg.symbol);
      if (p) p.size = p.size.plus(leg.size);
      else account.positions.push({ symbol: leg.symbol, size: leg.size, mark: m });
    }
  }
  return out;
}

/** What a live gateway must offer for margin: its positions, and its account value. */
export interface AccountReader {
  positions(): Promise<Position[]>;
  /** Account value (collateral + unrealized PnL) in USD: OrderGateway.accountValue. */
  collateral(): Promise<Decimal>;
}

/** Live accounts from the venues; a mark falls back to the venue's entry price when no book has one. */
export async function liveAccounts(
  readers: ReadonlyMap<VenueId, AccountReader>,
  mark: (venue: VenueId, symbol: string) => Decimal | undefined,
): Promise<Map<VenueId, VenueAccount>> {
  const out = new Map<VenueId, VenueAccount>();
  await Promise.all(
    [...readers].map(async ([venue, r]) => {
      const [positions, collateral] = await Promise.all([r.positions(), r.collateral()]);
      out.set(venue, {
        venue,
        collateral,
        positions: positions
          .filter((p) => !p.size.isZero())
          .map((p) => ({ symbol: p.symbol, size: p.size, mark: mark(venue, p.symbol) ?? p.entryPrice ?? ZERO })),
      });
    }),
  );
  return out;
}

/**
 * Live account source from the order gateways, when every one reads its account value;
 * undefined otherwise (the margin check then stays off rather than see zero collateral).
 */
export function venueAccounts(
  gateways: ReadonlyMap<VenueId, { positions(): Promise<Position[]>; accountValue?(): Promise<Decimal> }>,
  mark: (venue: VenueId, symbol: string) => Decimal | undefined,
): (() => Promise<Map<VenueId, VenueAccount>>) | undefined {
  const readers = new Map<VenueId, AccountReader>();
  for (const [venue, gw] of gateways) {
    const accountValue = gw.accountValue?.bind(gw);
    if (!accountValue) return undefined;
    readers.set(venue, { positions: () => gw.positions(), collateral: accountValue });
  }
  return () => liveAccounts(readers, mark);
}

/** The two legs of an intent at their worst (IOC limit) prices: the margin its orders could use. */
function intentLegs(intent: IntentMarginInput): MarginLeg[] {
  return [
    { venue: intent.buy.venue, symbol: intent.buy.symbol, side: 'buy', size: intent.size, price: intent.buy.worstPrice },
    { venue: intent.sell.venue, symbol: intent.sell.symbol, side: 'sell', size: intent.size, price: intent.sell.worstPrice },
  ];
}

export interface IntentMarginInput {
  id?: string;
  size: Decimal;
  buy: { venue: VenueId; symbol: string; worstPrice: Decimal };
  sell: { venue: VenueId; symbol: string; worstPrice: Decimal };
}

/**
 * What the risk gate holds: the latest account snapshot (refreshed off the trading path) and
 * a synchronous check of a judgment's two legs against it.
 *
 * The snapshot is seconds old, so on top of it the check counts what the venues cannot have
 * reported yet: the legs of trades approved and still running (reserved at their worst
 * prices), and the fills of trades that ended since the read began. Without that, trades in
 * quick succession (one funding update opening pairs on several instruments) would each see
 * the same free collateral.
 */
export class MarginGuard {
  private accounts: ReadonlyMap<VenueId, VenueAccount> = new Map();
  private readonly reserved = new Map<string, MarginLeg[]>();
  private recent: Array<{ at: number; legs: MarginLeg[]; fees: Array<{ venue: VenueId; fee: Decimal }> }> = [];
  refreshedAt: number | undefined;

  constructor(
    private readonly limits: MarginLimits,
    private readonly source: () => Promise<ReadonlyMap<VenueId, VenueAccount>> | ReadonlyMap<VenueId, VenueAccount>,
  ) {}

  /** Re-read the accounts; `now` is when the read starts, so fills after it stay counted. */
  async refresh(now: number): Promise<void> {
    const accounts = await this.source();
    this.accounts = accounts;
    this.recent = this.recent.filter((r) => r.at >= now);
    this.refreshedAt = now;
  }

  reserve(intent: IntentMarginInput): void {
    if (intent.id !== undefined) this.reserved.set(intent.id, intentLegs(intent));
  }

  settle(intentId: string, fills: Fill[], at: number): void {
    this.reserved.delete(intentId);
    if (fills.length === 0) return;
    this.recent.push({
      at,
      legs: fills.map((f) => ({ venue: f.venue, symbol: f.symbol, side: f.side, size: f.size, price: f.price })),
      fees: fills.map((f) => ({ venue: f.venue, fee: f.fee })),
    });
  }

  /** The snapshot plus reserved legs and fills since the read. */
  current(): Map<VenueId, VenueAccount> {
    const legs = [...[...this.reserved.values()].flat(), ...this.recent.flatMap((r) => r.legs)];
    const out = new Map<VenueId, VenueAccount>();
    for (const [venue, a] of this.accounts) out.set(venue, a);
    for (const venue of new Set(legs.map((l) => l.venue))) {
      const base = out.get(venue) ?? { venue, collateral: ZERO, positions: [] };
      out.set(venue, applyLegs(base, legs.filter((l) => l.venue === venue)));
    }
    for (const r of this.recent) {
      for (const f of r.fees) {
        const a = out.get(f.venue);
        if (a) out.set(f.venue, { ...a, collateral: a.collateral.minus(f.fee) });
      }
    }
    return out;
  }

  checkIntent(intent: IntentMarginInput): MarginCheck {
    return checkMargin(this.current(), intentLegs(intent), this.limits);
  }

  /** Capital moves that would bring venues above the warn level back under it, now. */
  transferAdvice(): CapitalTransfer[] {
    return transferAdvice(this.current(), this.limits);
  }
}
