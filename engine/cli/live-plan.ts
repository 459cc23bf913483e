/**
 * What a live run will trade, printed before the confirmation prompt: the operator confirms
 * the venues, instruments, sizes and limits, not just "are you sure".
 */
import { createInterface } from 'node:readline/promises';
import type { EngineConfig } from '../core/config.ts';

export function formatLivePlan(config: EngineConfig, pid = process.pid): string[] {
  const simulated = config.simulators.enabled;
  // Strategies are the plugins that load, with their options or the defaults they run on.
  const strategyNames = config.plugins.filter((p) => p.startsWith('strategy:')).map((p) => p.slice('strategy:'.length));
  const strategyLines = strategyNames.length
    ? strategyNames.map((name) => `  Strategy:     ${name} ${config.strategies[name] === undefined ? '(default options)' : JSON.stringify(config.strategies[name])}`)
    : ['  Strategy:     none in plugins: books stream, nothing is traded'];
  // On the simulators each run journals to a fresh, time-stamped file (simulated-venues.ts).
  const journal = simulated ? `${config.journal.path.replace(/(\.sqlite)?$/, '-<start time>$1')} (a fresh file per simulator run)` : config.journal.path;
  const venues = new Set<string>();
  const instruments: string[] = [];
  for (const [instrument, listings] of Object.entries(config.instruments)) {
    for (const v of Object.keys(listings)) venues.add(v);
    instruments.push(`${instrument} (${Object.entries(listings).map(([v, s]) => `${v} ${String(s)}`).join(', ')})`);
  }
  const { risk, execution } = config;
  const positions = Object.entries(risk.maxPositionPerInstrument).map(([i, s]) => `${i} ${s}`).join(', ');
  return [
    simulated
      ? 'LIVE TRADING ON THE LOOPBACK SIMULATORS: real order flow against test accounts, no real money.'
      : 'LIVE TRADING: this run sends real orders with real money.',
    `  Venues:       ${[...venues].join(', ')}`,
    `  Instruments:  ${instruments.join('; ') || 'none typed'}${discoveryNote(config)}`,
    ...strategyLines,
    `  Limits:       ${risk.maxNotionalPerTradeUsd} USD per trade, ${risk.maxNotionalPerVenueUsd} USD open per venue, position per instrument ${positions}, daily loss ${risk.dailyLossLimitUsd} USD`,
    `  Execution:    ${execution.legOrder}, IOC band ${execution.priceBandBps} bps, hedge ${execution.hedgeBandBps} bps / unwind ${execution.unwindBandBps} bps x${execution.repairAttempts}, stop-loss ${execution.stopLoss.orderType} ${execution.stopLoss.bandBps} bps`,
    `  Kill switch:  create ${risk.killSwitch.file}${risk.killSwitch.signal ? ` or kill -USR2 ${pid}` : ''}; Ctrl-C settles trades in flight and exits (open pairs stay open at the venues)`,
    `  Journal:      ${journal}`,
  ];
}

/** instruments.auto resolves after the prompt (the venues' market lists are read at start): say what it will add. */
function discoveryNote(config: EngineConfig): string {
  const d = config.instrumentDiscovery;
  if (!d) return '';
  const which = d.include?.length ? `of ${d.include.join(', ')}` : 'every';
  return `; plus, discovered at start and printed before trading, ${which} ${d.quote} perpetual listed on at least ${d.minVenues} venues${d.exclude.length ? ` except ${d.exclude.join(', ')}` : ''}`;
}

export type Ask = (prompt: string) => Promise<string>;

export const askOnTerminal: Ask = async (prompt) => {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    // stdin closed before an answer (`< /dev/null`, a pipe that ended): not a "yes". Without this the
    // question never settles and Node exits silently with code 13.
    return await new Promise<string>((resolve) => {
      rl.once('close', () => resolve(''));
      rl.question(prompt).then(resolve, () => resolve(''));
    });
  } finally {
    rl.close();
  }
};

/** Only the typed word "yes" starts live trading; anything else, including "y", does not. */
export async function confirmLive(ask: Ask): Promise<boolean> {
  return (await ask('Type "yes" to start live trading: ')).trim() === 'yes';
}
