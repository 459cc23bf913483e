/**
 * A loopback server that speaks the Telegram Bot API's sendMessage as documented at
 * https://core.telegram.org/bots/api: POST /bot<token>/sendMessage with a JSON body
 * { chat_id, text }, answered { ok: true, result: Message } or
 * { ok: false, error_code, description, parameters?: { retry_after } } (flood control: HTTP 429).
 * The same server takes Slack/Discord-style webhook posts on /hook.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BotApiServer {
  url: string;
  /** Every sendMessage body accepted (ok: true), in order. */
  messages: Array<{ chat_id: string | number; text: string }>;
  /** Every webhook body accepted. */
  hooks: Array<Record<string, unknown>>;
  /** Every request seen, accepted or not. */
  requests: number;
  /** Answer the next n sendMessage calls with a 429 flood-control error naming retry_after seconds. */
  floodNext(n: number, retryAfterSec: number): void;
  /** Answer the next n calls with a 500 (Telegram's "Internal Server Error"). */
  failNext(n: number): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

export async function startBotApiServer(token: string): Promise<BotApiServer> {
  let flood = { n: 0, after: 0 };
  let fail = 0;
  let messageId = 0;
  const state: Omit<BotApiServer, 'url' | 'close'> & { server?: Server } = {
    messages: [],
    hooks: [],
    requests: 0,
    floodNext: (n, after) => void (flood = { n, after }),
    failNext: (n) => void (fail = n),
  };
  const server = createServer(async (req, res) => {
    state.requests++;
    const text = await body(req);
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.url === '/hook' && req.method === 'POST') {
      state.hooks.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(204).end();
      return;
    }
    const m = /^\/bot([^/]+)\/sendMessage$/i.exec(req.url ?? '');
    if (!m) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    if (fail > 0) {
      fail--;
      return reply(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    }
    if (flood.n > 0) {
      flood.n--;
      return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${flood.after}`, parameters: { retry_after: flood.after } });
    }
    const msg = JSON.parse(text) as { chat_id?: string | number; text?: string };
    if (msg.chat_id === undefined || msg.chat_id === '') return reply(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' });
    if (!msg.text) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    if ([...msg.text].length > 4096) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    state.messages.push({ chat_id: msg.chat_id, text: msg.text });
    reply(200, { ok: true, result: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(msg.chat_id), type: 'private' }, text: msg.text } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }) as BotApiServer;
}

/** A loopback port nothing listens on: an alert endpoint that is down. */
export async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
