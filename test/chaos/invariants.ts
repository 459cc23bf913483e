/**
 * The invariants a chaos run must keep, each a function of what the venues (the simulators'
 * matching engines) and the journal say. Every check returns the violations it found as lines
 * naming the invariant, so a report says which one broke and with what numbers.
 */
import { Decimal } from 'decimal.js';
import type { LiveRig } from '../e2e/harness.ts';
import { linesWithSecrets } from '../e2e/harness.ts';
import { VENUES, type Venue } from './schedule.ts';

/**
 * What the checks read: the venues (simulators, accounts), the journal file and the log lines.
 * Not the engine itself: a run may crash its engine and start another on the same journal.
 */
export type RunView = Pick<LiveRig, 'rows' | 'position' | 'accounts' | 'sims' | 'logLines'>;

export const INSTRUMENTS: Record<string, Record<Venue, string>> = {
  'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP', lighter: '1' },
  'ETH-USD-PERP': { paradex: 'ETH-USD-PERP', vest: 'ETH-PERP', lighter: '0' },
};

const FINAL = new Set(['completed', 'hedged', 'unwound', 'stopped-out', 'failed-unresolved', 'no-fill']);

/** Net base position of one instrument over the three venues (what a lone leg leaves). */
export function netExposure(rig: RunView, instrument: string): Decimal {
  const symbols = INSTRUMENTS[instrument]!;
  return VENUES.reduce((s, v) => s.plus(rig.position(v, symbols[v])), new Decimal(0));
}

/** The engine account of a venue, as provisioned. */
export function accountOf(rig: RunView, venue: Venue): string {
  return rig.accounts.accounts.find((a) => a.venue === venue)!.engineAccount;
}

/**
 * The journal row of an order the venue received, by the id each venue carries: Paradex keeps
 * our client id, Vest the signed nonce, Lighter the integer ClientOrderIndex (both journaled in
 * venue_ref by recordSend before the send).
 */
export function journalRowFor(rig: RunView, venue: Venue, venueClientId: string | undefined): boolean {
  if (venueClientId === undefined) return false;
  const sql =
    venue === 'paradex'
      ? "SELECT 1 FROM orders WHERE venue = 'paradex' AND client_id = ?"
      : venue === 'vest'
        ? "SELECT 1 FROM orders WHERE venue = 'vest' AND CAST(json_extract(venue_ref, '$.nonce') AS TEXT) = ?"
        : "SELECT 1 FROM orders WHERE venue = 'lighter' AND CAST(json_extract(venue_ref, '$.clientOrderIndex') AS TEXT) = ?";
  return rig.rows(sql, venueClientId).length > 0;
}

/** Watches every new order on every venue and checks, at the moment it arrives, that its journal row exists. */
export class OrderWatch {
  readonly seen: Array<{ venue: Venue; id: string; clientId: string | undefined; at: number }> = [];
  readonly violations: string[] = [];
  private readonly ids = new Set<string>();
  private readonly offs: Array<() => void> = [];

  constructor(private readonly rig: RunView) {
    for (const venue of VENUES) {
      const account = accountOf(rig, venue);
      this.offs.push(
        rig.sims.trading[venue].engine.on((e) => {
          if (e.type !== 'order' || e.order.account !== account) return;
          const key = `${venue}/${e.order.id}`;
          if (this.ids.has(key)) return;
          this.ids.add(key);
          this.seen.push({ venue, id: e.order.id, clientId: e.order.clientId, at: Date.now() });
          // Synchronous: the venue's handler runs in this process, so the journal row must be on disk now.
          if (journalRowFor(rig, venue, e.order.clientId)) return;
          // Vest re-signs an INVALID_NONCE refusal once with a fresh nonce the journal never saw
          // (plugins/exchanges/vest/orders.ts, "Nonces"): the order's row is the one still in flight
          // ('sent', or 'unresolved' when the re-sign waited out the ack timeout behind a rate-limit
          // hold) on the same side; its journaled nonce stands for the venue's.
          const resigned = venue === 'vest' ? rig.rows("SELECT venue_ref FROM orders WHERE venue = 'vest' AND outcome IN ('sent', 'unresolved') AND side = ?", e.order.side) : [];
          if (resigned.length === 1) {
            this.seen.push({ venue, id: `${e.order.id}/resigned`, clientId: venueIdOf(venue, '', resigned[0]!['venue_ref']), at: Date.now() });
            return;
          }
          this.violations.push(`journal-before-send: ${venue} order ${e.order.id} (client id ${e.order.clientId}) reached the venue with no journaled order row`);
        }),
      );
    }
  }

  stop(): void {
    for (const off of this.offs) off();
  }
}

/** Samples net exposure; a lone leg (non-zero net) open longer than `windowMs` is a violation. */
export class ExposureWatch {
  readonly violations: string[] = [];
  maxOpenMs = 0;
  private readonly since = new Map<string, number>();
  private readonly reported = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  /** Instruments exempted at some point because an order of theirs could still execute (see instrumentsAwaitingExpiry). */
  readonly exempted = new Set<string>();

  constructor(
    private readonly rig: RunView,
    private readonly windowMs: number,
    private readonly watch: OrderWatch,
    everyMs = 50,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(now = Date.now()): void {
    const awaiting = instrumentsAwaitingExpiry(this.rig, this.watch, now + this.windowMs);
    for (const instrument of Object.keys(INSTRUMENTS)) {
      const net = netExposure(this.rig, instrument);
      if (net.isZero()) {
        this.since.delete(instrument);
        continue;
      }
      if (awaiting.has(instrument)) {
        // The engine must not guess while a leg may still execute; the clock starts when it can know.
        this.exempted.add(instrument);
        this.since.set(instrument, now);
        continue;
      }
      const from = this.since.get(instrument) ?? now;
      this.since.set(instrument, from);
      this.maxOpenMs = Math.max(this.maxOpenMs, now - from);
      if (now - from > this.windowMs && !this.reported.has(instrument)) {
        this.reported.add(instrument);
        this.violations.push(`lone-leg: ${instrument} net ${net} across venues for ${now - from} ms (repair window ${this.windowMs} ms)`);
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The venue's own id for a journal order row (see journalRowFor). */
function venueIdOf(venue: Venue, clientId: string, venueRef: unknown): string {
  const ref = venueRef ? (JSON.parse(String(venueRef)) as Record<string, unknown>) : {};
  return venue === 'paradex' ? clientId : venue === 'vest' ? String(ref['nonce']) : String(ref['clientOrderIndex']);
}

export interface PendingOrder {
  instrument: string;
  venue: Venue;
  role: string;
  clientId: string;
  outcome: string;
  /**
   * The venue has no trace of it and it is before its executableUntil (Lighter's ExpiredAt, 10 min;
   * a Vest/Paradex recvWindow): the engine cannot yet tell "lost" from "late" and keeps the
   * instrument quarantined, as it must (engine/execution/order-command.ts, notPlaced).
   */
  untilExpiry: boolean;
}

/**
 * Journal orders of unknown fate ('sent' or 'unresolved'); `untilExpiry` when the venue has no
 * trace of one and it stays executable past `horizon` (ms since epoch).
 */
export function pendingOrders(rig: RunView, watch: OrderWatch, horizon = Date.now()): PendingOrder[] {
  const known = new Set(watch.seen.map((s) => `${s.venue}/${s.clientId}`));
  return rig
    .rows("SELECT o.client_id, o.venue, o.role, o.outcome, o.venue_ref, o.executable_until, t.instrument FROM orders o JOIN trades t ON t.id = o.trade_id WHERE o.outcome IN ('sent', 'unresolved')")
    .map((o) => {
      const venue = o['venue'] as Venue;
      const until = o['executable_until'] === null ? undefined : Number(o['executable_until']);
      const traced = known.has(`${venue}/${venueIdOf(venue, String(o['client_id']), o['venue_ref'])}`);
      return { instrument: String(o['instrument']), venue, role: String(o['role']), clientId: String(o['client_id']), outcome: String(o['outcome']), untilExpiry: !traced && until !== undefined && horizon < until };
    });
}

/** Instruments whose exposure the engine cannot yet know: an order of theirs may still execute. */
export function instrumentsAwaitingExpiry(rig: RunView, watch: OrderWatch, horizon = Date.now()): Set<string> {
  return new Set(pendingOrders(rig, watch, horizon).filter((o) => o.untilExpiry).map((o) => o.instrument));
}

/** The end-of-run checks, on settled venues. */
export function finalChecks(rig: RunView, watch: OrderWatch, opts: { maxOrdersPerTrade: number }): string[] {
  const v: string[] = [];
  const awaiting = instrumentsAwaitingExpiry(rig, watch);
  // Every trade ended.
  for (const t of rig.rows('SELECT id, state FROM trades')) if (!FINAL.has(String(t['state']))) v.push(`trade-final: trade ${t['id']} still ${t['state']} after settling`);
  // No order of unknown fate left behind (a 'sent' or 'unresolved' order on a healthy venue), but
  // one the venue never saw and could still execute (before its executableUntil) is rightly kept.
  for (const o of pendingOrders(rig, watch))
    if (!o.untilExpiry) v.push(`order-resolved: ${o.venue} ${o.role} ${o.clientId} still ${o.outcome} after settling`);
  // No lone leg left at the end.
  for (const instrument of Object.keys(INSTRUMENTS)) {
    const net = netExposure(rig, instrument);
    if (!net.isZero() && !awaiting.has(instrument)) v.push(`flat-at-end: ${instrument} net ${net} across venues after settling`);
  }
  // Each venue's position is what the journal's fills say.
  for (const venue of VENUES) {
    for (const symbols of Object.values(INSTRUMENTS)) {
      const symbol = symbols[venue];
      const fills = rig.rows('SELECT side, size FROM fills WHERE venue = ? AND symbol = ?', venue, symbol);
      const journal = fills.reduce((s, f) => (f['side'] === 'buy' ? s.plus(String(f['size'])) : s.minus(String(f['size']))), new Decimal(0));
      const venuePos = rig.position(venue, symbol);
      if (!venuePos.eq(journal)) v.push(`venue-equals-journal: ${venue} ${symbol} venue holds ${venuePos}, journal fills sum to ${journal}`);
    }
  }
  // A confirmed order with fills is one the venue knows.
  const known = new Set(watch.seen.map((s) => `${s.venue}/${s.clientId}`));
  for (const o of rig.rows("SELECT client_id, venue, venue_ref, filled_size FROM orders WHERE outcome = 'confirmed' AND filled_size IS NOT NULL AND filled_size != '0'")) {
    const venue = o['venue'] as Venue;
    const id = venueIdOf(venue, String(o['client_id']), o['venue_ref']);
    if (!known.has(`${venue}/${id}`)) v.push(`journal-explained: ${venue} order ${o['client_id']} confirmed with fills ${o['filled_size']} in the journal, the venue never received it`);
  }
  // No duplicate client ids at any venue.
  for (const venue of VENUES) {
    const ids = watch.seen.filter((s) => s.venue === venue).map((s) => s.clientId);
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dup.length > 0) v.push(`unique-client-ids: ${venue} received client id(s) ${[...new Set(dup)].join(', ')} more than once`);
  }
  // Realized PnL of a flat trade is exactly the cash flow of its fills.
  for (const t of rig.rows("SELECT id, realized_pnl FROM trades WHERE realized_pnl IS NOT NULL")) {
    const fills = rig.rows('SELECT side, price, size, fee FROM fills WHERE trade_id = ?', t['id']);
    const pnl = fills.reduce((s, f) => {
      const n = new Decimal(String(f['price'])).mul(String(f['size']));
      return (f['side'] === 'sell' ? s.plus(n) : s.minus(n)).minus(String(f['fee']));
    }, new Decimal(0));
    if (!pnl.eq(String(t['realized_pnl']))) v.push(`pnl-exact: trade ${t['id']} realized_pnl ${t['realized_pnl']}, its fills' cash flow ${pnl}`);
  }
  // No futile loop: a trade does not keep sending (the repair budget bounds it), and a refusal is not sent again as is.
  for (const t of rig.rows('SELECT trade_id, COUNT(*) AS n FROM orders GROUP BY trade_id HAVING n > ?', opts.maxOrdersPerTrade))
    v.push(`no-futile-loop: trade ${t['trade_id']} sent ${t['n']} orders (bound ${opts.maxOrdersPerTrade})`);
  for (const r of rig.rows("SELECT trade_id, venue, reject_reason, COUNT(*) AS n FROM orders WHERE outcome = 'rejected' AND reject_reason LIKE '%reduce%' GROUP BY trade_id, venue, reject_reason HAVING n > 1"))
    v.push(`no-futile-loop: trade ${r['trade_id']} had ${r['n']} orders on ${r['venue']} refused '${r['reject_reason']}'`);
  // No secret in any log line.
  const leaked = linesWithSecrets(rig.logLines, rig.accounts.secrets);
  if (leaked.length > 0) v.push(`no-secret-in-logs: ${leaked.length} log line(s) carry a generated key`);
  return v;
}
