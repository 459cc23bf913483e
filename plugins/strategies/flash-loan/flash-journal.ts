/**
 * Journal rows for flash-loan cycle judgments (migration 5). Amounts in the borrowed token's
 * integer units as decimal strings, USD figures exact.
 */
import type { Journal } from '../../../engine/journal/journal.ts';

export interface FlashJudgment {
  id: string;
  detectedAt: number;
  token: string;
  sellPool: string;
  buyPool: string;
  amount: bigint;
  tokenBack: bigint;
  lenderFee: bigint;
  gasCost: bigint;
  onChainProfit: bigint;
  netProfit: bigint;
  netUsd: string;
  referencePrice: string;
  sellPoolPrice: string;
  buyPoolPrice: string;
  poolSpread: string;
  /** refused: accepted, but the risk gate said no (kill switch, halt, a flash-loan limit): nothing sent. */
  decision: 'accept' | 'reject-unprofitable' | 'sent' | 'send-failed' | 'refused';
}

export function recordFlashJudgment(journal: Journal, j: FlashJudgment): void {
  journal.db
    .prepare(
      `INSERT INTO flash_opportunities (id, session_id, detected_at, token, sell_pool, buy_pool, amount, token_back,
        lender_fee, gas_cost, on_chain_profit, net_profit, net_usd, reference_price, sell_pool_price, buy_pool_price,
        pool_spread, decision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      j.id,
      journal.sessionId ?? null,
      j.detectedAt,
      j.token,
      j.sellPool,
      j.buyPool,
      j.amount.toString(),
      j.tokenBack.toString(),
      j.lenderFee.toString(),
      j.gasCost.toString(),
      j.onChainProfit.toString(),
      j.netProfit.toString(),
      j.netUsd,
      j.referencePrice,
      j.sellPoolPrice,
      j.buyPoolPrice,
      j.poolSpread,
      j.decision,
    );
}
