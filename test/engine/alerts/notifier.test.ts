/** The notifier over the Telegram Bot API shapes and a webhook, against a loopback server. */
import { afterEach, describe, expect, it } from 'vitest';
import { Notifier, type NotifierOptions } from '../../../engine/alerts/notifier.ts';
import { TelegramTransport } from '../../../engine/alerts/telegram.ts';
import { WebhookTransport } from '../../../engine/alerts/webhook.ts';
import { ALERT_KINDS } from '../../../engine/alerts/config.ts';
import { createLogger } from '../../../engine/core/logger.ts';
import { closedPort, startBotApiServer, type BotApiServer } from './bot-api-server.ts';

const TOKEN = '123456:ABC-alerts-test-token';
const lines: string[] = [];
const logger = createLogger({ level: 'debug', format: 'json', destination: { write: (l: string) => void lines.push(l) } } as never);
const options = (o: Partial<NotifierOptions> = {}): NotifierOptions => ({
  events: ALERT_KINDS,
  dedupWindowMs: 60_000,
  maxPerMinute: 100,
  queueSize: 50,
  retry: { attempts: 4, minMs: 20, maxMs: 200 },
  timeoutMs: 2000,
  ...o,
});
let server: BotApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Notifier', () => {
  it('sends through sendMessage with chat_id and text, once per subject within the window', async () => {
    server = await startBotApiServer(TOKEN);
    const n = new Notifier([new TelegramTransport(TOKEN, '-1001', server.url)], options(), logger);
    expect(n.notify({ kind: 'venue-down', subject: 'vest', text: 'VENUE DOWN: vest' })).toBe(true);
    expect(n.notify({ kind: 'venue-down', subject: 'vest', text: 'VENUE DOWN: vest again' })).toBe(false);
    expect(n.notify({ kind: 'venue-down', subject: 'paradex', text: 'VENUE DOWN: paradex' })).toBe(true);
    expect(n.notify({ kind: 'venue-benched', subject: 'vest', text: 'VENUE BENCHED: vest' })).toBe(true);
    await n.idle();
    expect(server.messages).toEqual([
      { chat_id: '-1001', text: 'VENUE DOWN: vest' },
      { chat_id: '-1001', text: 'VENUE DOWN: paradex' },
      { chat_id: '-1001', text: 'VENUE BENCHED: vest' },
    ]);
    expect(n.counts).toMatchObject({ sent: 3, deduplicated: 1, failed: 0 });
  });

  it('after the window the same subject alerts again', async () => {
    server = await startBotApiServer(TOKEN);
    let t = 1_000_000;
    const n = new Notifier([new TelegramTransport(TOKEN, '7', server.url)], options({ dedupWindowMs: 1000, now: () => t }), logger);
    n.notify({ kind: 'kill-switch', subject: 'kill', text: 'a' });
    t += 999;
    n.notify({ kind: 'kill-switch', subject: 'kill', text: 'b' });
    t += 1;
    n.notify({ kind: 'kill-switch', subject: 'kill', text: 'c' });
    await n.idle();
    expect(server.messages.map((m) => m.text)).toEqual(['a', 'c']);
  });

  it('honours an ok:false 429 with parameters.retry_after, then delivers once', async () => {
    server = await startBotApiServer(TOKEN);
    server.floodNext(1, 1);
    const n = new Notifier([new TelegramTransport(TOKEN, '7', server.url)], options(), logger);
    const t0 = Date.now();
    n.notify({ kind: 'hedge-failed', subject: 't1', text: 'HEDGE FAILED' });
    await n.idle();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    expect(server.requests).toBe(2);
    expect(server.messages.map((m) => m.text)).toEqual(['HEDGE FAILED']);
    expect(n.counts).toMatchObject({ sent: 1, retries: 1 });
  });

  it('retries 5xx with backoff and gives up after the attempts; a 401 is not retried; the token is never logged', async () => {
    server = await startBotApiServer(TOKEN);
    server.failNext(10);
    const n = new Notifier([new TelegramTransport(TOKEN, '7', server.url)], options(), logger);
    lines.length = 0;
    n.notify({ kind: 'kill-switch', subject: 'kill', text: 'KILL' });
    await n.idle();
    expect(server.requests).toBe(4);
    expect(n.counts).toMatchObject({ sent: 0, failed: 1, retries: 3 });
    const wrong = new Notifier([new TelegramTransport('999:wrong-token', '7', server.url)], options(), logger);
    const before = server.requests;
    wrong.notify({ kind: 'kill-switch', subject: 'kill', text: 'KILL' });
    await wrong.idle();
    expect(server.requests - before).toBe(1);
    expect(wrong.counts.failed).toBe(1);
    const logged = lines.join('\n');
    expect(logged).toContain('alert not delivered');
    expect(logged).toContain('telegram 401: Unauthorized');
    expect(logged).not.toContain('ABC-alerts-test-token');
    expect(logged).not.toContain('wrong-token');
  });

  it('rate-limits per transport: the message beyond maxPerMinute waits in the queue', async () => {
    server = await startBotApiServer(TOKEN);
    let t = 0;
    const n = new Notifier([new TelegramTransport(TOKEN, '7', server.url)], options({ maxPerMinute: 2, now: () => t }), logger);
    for (const s of ['a', 'b', 'c']) n.notify({ kind: 'venue-down', subject: s, text: s });
    await n.idle(1000);
    expect(server.messages.map((m) => m.text)).toEqual(['a', 'b']);
    expect(n.counts.sent).toBe(2);
    t += 60_000;
    await n.idle(3000);
    expect(server.messages.map((m) => m.text)).toEqual(['a', 'b', 'c']);
  });

  it('an endpoint that is down costs notify() nothing: 1000 calls return in well under 250 ms (one blocking send would wait out its 2 s timeout) and the queue stays bounded', async () => {
    const n = new Notifier([new TelegramTransport(TOKEN, '7', await closedPort())], options({ queueSize: 10, retry: { attempts: 2, minMs: 5, maxMs: 5 } }), logger);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) n.notify({ kind: 'venue-down', subject: `v${i}`, text: `down ${i}` });
    expect(performance.now() - t0).toBeLessThan(250);
    expect(n.counts.dropped).toBeGreaterThanOrEqual(989);
    await n.stop(100);
    expect(n.counts.sent).toBe(0);
  });

  it('webhook: Slack gets { text }, Discord { content }; events switched off are not sent', async () => {
    server = await startBotApiServer(TOKEN);
    const slack = new Notifier([new WebhookTransport(`${server.url}/hook`, 'slack')], options({ events: ['kill-switch'] }), logger);
    const discord = new Notifier([new WebhookTransport(`${server.url}/hook`, 'discord')], options(), logger);
    expect(slack.notify({ kind: 'venue-down', subject: 'x', text: 'off' })).toBe(false);
    slack.notify({ kind: 'kill-switch', subject: 'k', text: 'KILL' });
    await slack.idle();
    discord.notify({ kind: 'kill-switch', subject: 'k', text: 'KILL' });
    await discord.idle();
    expect(server.hooks).toEqual([{ text: 'KILL' }, { content: 'KILL' }]);
  });
});

describe('Notifier queue', () => {
  it('a message queued in the microtasks while the sender loop is ending is still sent', async () => {
    // For each microtask depth: the only message's send resolves, the loop finds the queue empty
    // and ends, and one more notify lands `depth` microtasks later; some depth falls between the
    // loop's end and its cleanup, where a notify used to see the loop "running" and wait forever.
    const stranded: number[] = [];
    for (let depth = 0; depth < 30; depth++) {
      const sent: string[] = [];
      let n: Notifier | undefined;
      const transport = {
        name: 'fake',
        async send(text: string) {
          sent.push(text);
          if (text === 'first') {
            let p: Promise<void> = Promise.resolve();
            for (let k = 0; k < depth; k++) p = p.then(() => undefined);
            void p.then(() => n!.notify({ kind: 'venue-down', subject: 'late', text: 'late' }));
          }
          return { ok: true as const };
        },
      };
      n = new Notifier([transport], options(), logger);
      n.notify({ kind: 'venue-down', subject: 'first', text: 'first' });
      await new Promise((r) => setTimeout(r, 5));
      await n.idle(200);
      if (!sent.includes('late')) stranded.push(depth);
    }
    expect(stranded).toEqual([]);
  });
});
