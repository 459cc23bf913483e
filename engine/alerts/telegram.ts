/**
 * Telegram Bot API transport: POST https://api.telegram.org/bot<token>/sendMessage.
 *
 * Shapes from https://core.telegram.org/bots/api ("Making requests", "sendMessage",
 * "ResponseParameters"):
 * - request: JSON body { chat_id: Integer | String, text: String (1-4096 characters after entity
 *   parsing), ... }; the token is part of the path, /bot<token>/METHOD_NAME.
 * - response: always a JSON object with Boolean `ok`. ok:true carries `result` (the sent Message);
 *   ok:false carries `error_code` (Integer, "subject to change") and `description`, and may carry
 *   `parameters` (ResponseParameters): `retry_after` = seconds to wait after flood control
 *   (HTTP 429), `migrate_to_chat_id` = the group became a supergroup with that id.
 * The token is never put in a log line or an error: errors name the transport and the status only.
 */
import { networkFailure, retryAfterHeader, type AlertTransport, type SendOutcome } from './transport.ts';

/** sendMessage's documented maximum, in characters. */
export const TELEGRAM_MAX_TEXT = 4096;

interface TelegramResponse {
  ok?: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export class TelegramTransport implements AlertTransport {
  readonly name = 'telegram';
  private chatId: string;

  constructor(
    private readonly botToken: string,
    chatId: string,
    private readonly apiUrl = 'https://api.telegram.org',
  ) {
    this.chatId = chatId;
  }

  async send(text: string, signal: AbortSignal): Promise<SendOutcome> {
    let res: Response;
    try {
      res = await fetch(`${this.apiUrl.replace(/\/$/, '')}/bot${this.botToken}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: this.chatId, text: clip(text, TELEGRAM_MAX_TEXT), disable_web_page_preview: true }),
        signal,
      });
    } catch (err) {
      return networkFailure(err);
    }
    const body = (await res.json().catch(() => ({}))) as TelegramResponse;
    if (res.ok && body.ok === true) return { ok: true };
    const status = body.error_code ?? res.status;
    const why = `telegram ${status}${body.description ? `: ${body.description}` : ''}`;
    const retryAfter = body.parameters?.retry_after;
    if (status === 429 || res.status === 429) {
      return { ok: false, retryable: true, retryAfterMs: retryAfter !== undefined ? retryAfter * 1000 : retryAfterHeader(res.headers.get('retry-after')), error: why };
    }
    // The chat moved (a group upgraded to a supergroup): the API names the new id; send there from now on.
    if (body.parameters?.migrate_to_chat_id !== undefined) {
      this.chatId = String(body.parameters.migrate_to_chat_id);
      return { ok: false, retryable: true, retryAfterMs: 0, error: `${why} (chat migrated; resending to ${this.chatId})` };
    }
    return { ok: false, retryable: res.status >= 500, error: why };
  }
}

export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
