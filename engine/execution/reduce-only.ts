/**
 * Reduce-only orders against a netted venue position. A venue holds one position per account and
 * market: two pairs with opposite legs on the same market net into it, so a pair's reduce-only
 * close can be refused although the pair itself holds the position it closes. Retrying such a
 * refusal changes nothing until the position changes: the caller re-reads it and re-plans.
 *
 * How each venue words the refusal (all three matched by REDUCE_ONLY_REFUSAL):
 * - Paradex: cancel_reason REDUCE_ONLY_WILL_INCREASE on the closed order (seen live: a close of a
 *   stale size refused with it, public notes found in the code corpus; also mapped as a cancel reason
 *   in public Paradex connectors, and in plugins/exchanges/paradex/order-codec.ts REJECT_REASONS);
 * - Lighter: order status `canceled-reduce-only` (LighterOrderStatus::CanceledReduceOnly,
 *   https://nautilustrader.io/docs/rust-api-nightly/nautilus_lighter/common/enums/enum.LighterOrderStatus.html);
 * - Vest: error 3018 "reduce-only would increase the position" / 3019 "exceeds the position size"
 *   (plugins/exchanges/vest/order-codec.ts), REDUCE_ONLY_INCREASES / REDUCE_ONLY_EXCEEDS_SIZE as the
 *   order's rejection code.
 */
import { Decimal } from 'decimal.js';
import type { OrderSide, Position } from '../exchange/orders.ts';

const REDUCE_ONLY_REFUSAL = /reduce[-_ ]?only|\b30(18|19)\b/i;

/** The venue refused the order because it would not reduce the position (a fact retrying cannot change). */
export function isReduceOnlyRefusal(reason: string | undefined): boolean {
  return reason !== undefined && REDUCE_ONLY_REFUSAL.test(reason);
}

/** The signed size the venue holds on this market (0 when it lists none). */
export function heldOn(positions: readonly Position[], symbol: string): Decimal {
  return positions.find((p) => p.symbol === symbol)?.size ?? new Decimal(0);
}

/**
 * How much a reduce-only order on `side` may take off a signed position: a sell reduces a long,
 * a buy reduces a short; anything else would open or grow a position, so the room is zero.
 */
export function reduceOnlyRoom(held: Decimal, side: OrderSide): Decimal {
  const room = side === 'sell' ? held : held.neg();
  return room.gt(0) ? room : new Decimal(0);
}
