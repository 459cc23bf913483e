/**
 * Client order ids: short, [a-z0-9-] only, unique across restarts (time + randomness), and
 * derived from the trade id so a venue's order list points back to the journal. Venues that
 * need an integer (Lighter's ClientOrderIndex) hash this string in their gateway.
 */
import { randomBytes } from 'node:crypto';
import type { OrderRole } from '../journal/trade-journal.ts';

const ROLE_CODE: Record<OrderRole, string> = { leg1: 'a', leg2: 'b', hedge: 'h', unwind: 'u', 'stop-loss': 's' };

export function newTradeId(now: number): string {
  return now.toString(36) + randomBytes(3).toString('hex');
}

export function clientIdFor(tradeId: string, role: OrderRole, attempt: number): string {
  return `${tradeId}-${ROLE_CODE[role]}${attempt}`;
}
