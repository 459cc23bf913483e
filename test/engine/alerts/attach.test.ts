/**
 * Every alert event, from the engine's own publishers, delivered once over the Telegram Bot API
 * shapes; repeats de-duplicated. The engine surface here is the real publishers (kill switch,
 * venue reachability, a trade-end listener list) on a stand-in Engine object; the live e2e file
 * beside this one runs the real engine with the endpoint down.
 */
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { attachAlerts, nextDailyAt, type AttachedAlerts } from '../../../engine/alerts/attach.ts';
import { AlertsConfigSchema } from '../../../engine/alerts/config.ts';
import type { Engine } from '../../../engine/core/engine.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import type { TradeResult } from '../../../engine/execution/trade-result.ts';
import { KillSwitch } from '../../../engine/risk/kill-switch.ts';
import { VenueReachability } from '../../../engine/risk/venue-reachability.ts';
import { startBotApiServer, type BotApiServer } from './bot-api-server.ts';

const TOKEN = '4242:alerts-attach-token';
process.env.ARB_TEST_ALERT_TOKEN = TOKEN;

function fakeEngine() {
  const tradeEnds: Array<(r: TradeResult) => void> = [];
  const judgments: Array<(j: { decision: string }) => void> = [];
  const state = { halted: undefined as string | undefined, benched: new Map<string, string>(), realized: new Decimal(0) };
  const killSwitch = new KillSwitch({ signal: false });
  const venues = new VenueReachability();
  const engine = {
    liveTrading: {
      executor: { onTradeEnd: (l: (r: TradeResult) => void) => tradeEnds.push(l) },
      killSwitch,
      gate: { get halted() { return state.halted; } },
      health: { benchedFor: (v: string) => state.benched.get(v) },
      exposure: { realizedToday: () => state.realized },
    },
    venues,
    flow: { onJudgment: (l: (j: { decision: string }) => void) => judgments.push(l) },
    connectors: [{ venue: 'paradex' }, { venue: 'vest' }],
    hub: { allBooks: () => [][Symbol.iterator](), isTradable: () => true },
    config: { risk: { dailyLossLimitUsd: '100' } },
  } as unknown as Engine;
  const end = (r: Partial<TradeResult>) => tradeEnds.forEach((l) => l({ tradeId: 't', intentId: 'i', instrument: 'BTC-USD-PERP', state: 'completed', residual: new Decimal(0), orders: [], ...r } as TradeResult));
  return { engine, state, killSwitch, venues, end, judge: (d: string) => judgments.forEach((l) => l({ decision: d })) };
}

let server: BotApiServer | undefined;
let alerts: AttachedAlerts | undefined;
afterEach(async () => {
  await alerts?.stop({ quiet: true });
  await server?.close();
  alerts = server = undefined;
});

describe('attachAlerts', () => {
  it('each event type is delivered once, de-duplicated on repeats, over sendMessage', async () => {
    server = await startBotApiServer(TOKEN);
    const config = AlertsConfigSchema.parse({ telegram: { botToken: { env: 'ARB_TEST_ALERT_TOKEN' }, chatId: 99, apiUrl: server.url }, watchMs: 60_000, retry: { minMs: 10 } });
    const f = fakeEngine();
    const { EnvironmentSecrets } = await import('../../../engine/core/secrets.ts');
    alerts = attachAlerts(f.engine, config, { logger: silentLogger, secrets: new EnvironmentSecrets() });
    for (let i = 0; i < 2; i++) {
      f.end({ tradeId: 't-unwound', state: 'unwound', realizedPnl: new Decimal('-1.5') });
      f.end({ tradeId: 't-stopped', state: 'stopped-out', realizedPnl: new Decimal('-3') });
      f.end({ tradeId: 't-exposed', state: 'failed-unresolved', residual: new Decimal('0.01') });
      f.end({ tradeId: 't-fine', state: 'completed', realizedPnl: new Decimal('2') });
      f.venues.markDown('vest', 'ECONNREFUSED', Date.now() + 1000);
      f.state.halted = 'journal and venues disagree: vest BTC-PERP position 0.01, journal 0';
      f.state.benched.set('paradex', '3 repeated rejects within 60000 ms');
      f.state.realized = new Decimal('-100');
      f.killSwitch.trip('kill file data/KILL exists');
      alerts.watch();
    }
    f.state.halted = 'reconciling vest with the journal after it joined';
    alerts.watch();
    f.judge('accept');
    f.judge('reject');
    const summary = alerts.dailySummary();
    expect(summary).toContain('judged 2, accepted 1');
    expect(summary).toContain('2 unwound');
    expect(summary).toContain('realized -5.00 USD');
    await alerts.notifier.idle();
    const texts = server.messages.map((m) => m.text);
    const kinds = ['TRADE UNWOUND', 'TRADE STOPPED OUT', 'HEDGE FAILED', 'VENUE DOWN', 'TRADING HALTED', 'VENUE BENCHED', 'DAILY LOSS LIMIT', 'KILL SWITCH'];
    for (const k of kinds) expect(texts.filter((t) => t.includes(k)), k).toHaveLength(1);
    expect(texts).toHaveLength(kinds.length);
    expect(server.messages.every((m) => m.chat_id === '99')).toBe(true);
    expect(texts.find((t) => t.includes('HEDGE FAILED'))).toContain('left 0.01 exposed');
    expect(texts.find((t) => t.includes('TRADE UNWOUND'))).toContain('realized -1.50 USD');
    expect(texts.every((t) => t.startsWith('[arb LIVE] '))).toBe(true);
  });

  it('the daily summary is sent at the configured UTC time', () => {
    const at = Date.UTC(2026, 11, 3, 7, 30);
    expect(new Date(nextDailyAt(at, '08:00')).toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(new Date(nextDailyAt(at, '00:00')).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(new Date(nextDailyAt(Date.UTC(2026, 11, 3, 8), '08:00')).toISOString()).toBe('2026-12-04T08:00:00.000Z');
  });

  it('config: a transport is required, the token must be a secret reference, fields are named', () => {
    expect(AlertsConfigSchema.safeParse({}).success).toBe(false);
    const literal = AlertsConfigSchema.safeParse({ telegram: { botToken: '123:abc', chatId: 1 } });
    expect(literal.success).toBe(false);
    expect(JSON.stringify(literal.error?.issues)).toContain('a secret is never written in the config itself');
    expect(AlertsConfigSchema.safeParse({ webhook: { url: 'https://hooks.slack.com/services/x' }, dailySummaryUtc: '25:00' }).success).toBe(false);
    expect(AlertsConfigSchema.parse({ webhook: { url: { env: 'HOOK' }, format: 'discord' } }).events).toHaveLength(9);
  });
});
