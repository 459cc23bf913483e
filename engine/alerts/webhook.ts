/**
 * Generic incoming-webhook transport, Slack- or Discord-compatible JSON:
 * - Slack incoming webhooks take { "text": "..." } (https://api.slack.com/messaging/webhooks) and
 *   answer 429 with a Retry-After header (seconds) when rate limited.
 * - Discord "Execute Webhook" takes { "content": "..." } of at most 2000 characters
 *   (https://discord.com/developers/docs/resources/webhook#execute-webhook) and answers 429 with
 *   a JSON body whose `retry_after` is in seconds, plus a Retry-After header.
 * The URL embeds the webhook's credential, so it is never logged: errors carry the status only.
 */
import { clip } from './telegram.ts';
import { networkFailure, retryAfterHeader, type AlertTransport, type SendOutcome } from './transport.ts';

export const DISCORD_MAX_CONTENT = 2000;

export class WebhookTransport implements AlertTransport {
  readonly name: string;

  constructor(
    private readonly url: string,
    private readonly format: 'slack' | 'discord',
  ) {
    this.name = `webhook (${format})`;
  }

  async send(text: string, signal: AbortSignal): Promise<SendOutcome> {
    const body = this.format === 'discord' ? { content: clip(text, DISCORD_MAX_CONTENT) } : { text };
    let res: Response;
    try {
      res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    } catch (err) {
      return networkFailure(err);
    }
    if (res.ok) {
      await res.arrayBuffer().catch(() => undefined);
      return { ok: true };
    }
    const json = (await res.json().catch(() => ({}))) as { retry_after?: number };
    const why = `${this.name} HTTP ${res.status}`;
    if (res.status === 429) {
      const fromBody = typeof json.retry_after === 'number' ? Math.ceil(json.retry_after * 1000) : undefined;
      return { ok: false, retryable: true, retryAfterMs: fromBody ?? retryAfterHeader(res.headers.get('retry-after')), error: why };
    }
    return { ok: false, retryable: res.status >= 500, error: why };
  }
}
