/**
 * Where intents go: the simulator judges each one, the journal records it before anything
 * else happens, the console shows it, and, in live mode, accepted ones continue to the
 * risk gate and executor (bound only when live): those the simulator accepted, and carry
 * trades their strategy accepted (engine/portfolio/pair-intent.ts opensPair).
 */
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { Journal } from '../journal/journal.ts';
import type { ExecutionSimulator, Judgment } from '../simulation/execution-simulator.ts';
import type { ArbIntent } from '../strategy/strategy.ts';
import { opensPair } from '../portfolio/pair-intent.ts';

export type JudgmentListener = (j: Judgment) => void;

/** Live mode plugs the executor in here; dry-run leaves it unset, so nothing can be sent. */
export interface IntentExecutor {
  execute(j: Judgment): void;
}

export class OpportunityFlow {
  private readonly listeners: JudgmentListener[] = [];
  errors = 0;

  constructor(
    private readonly simulator: ExecutionSimulator,
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly executor?: IntentExecutor,
  ) {}

  onJudgment(listener: JudgmentListener): void {
    this.listeners.push(listener);
  }

  submit(intent: ArbIntent): void {
    let judgment: Judgment;
    try {
      judgment = this.simulator.judge(intent, this.clock.now());
    } catch (err) {
      this.errors++;
      this.logger.error('could not judge intent', { intent: intent.id, error: (err as Error).message });
      return;
    }
    this.journal.recordOpportunity(judgment);
    for (const l of this.listeners) l(judgment);
    // A carry trade is accepted on its own verdict (funding the simulator does not price).
    if (this.executor && opensPair(judgment)) this.executor.execute(judgment);
  }
}
