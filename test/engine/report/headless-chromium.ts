/**
 * Drives Debian's chromium over the DevTools protocol (ws), no playwright: start it headless on
 * a fresh profile, open a file, evaluate an expression in the page, stop the process we started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';

/** CHROMIUM_PATH when set (only that), else Debian's and Ubuntu's paths. */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => existsSync(p));
}

export interface OpenPage {
  evaluate<T>(expression: string): Promise<T>;
  /** PNG of the whole page. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

export class HeadlessChromium {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly ws: WebSocket,
    private readonly profile: string,
  ) {
    ws.on('message', (data) => this.onMessage(String(data)));
  }
  private nextId = 1;
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();

  static async launch(executable: string): Promise<HeadlessChromium> {
    const profile = mkdtempSync(join(tmpdir(), 'arb-chromium-'));
    const proc = spawn(
      executable,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--remote-debugging-port=0',
        '--remote-debugging-address=127.0.0.1', '--window-size=1400,2400', 'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const endpoint = await new Promise<string>((ok, fail) => {
      let err = '';
      const timer = setTimeout(() => fail(new Error(`chromium did not print its DevTools endpoint within 20 s:\n${err}`)), 20_000);
      proc.stderr!.on('data', (c) => {
        err += String(c);
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      proc.once('exit', (code) => fail(new Error(`chromium exited (${code}) before it listened:\n${err}`)));
    });
    const ws = new WebSocket(endpoint);
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    return new HeadlessChromium(proc, ws, profile);
  }

  private onMessage(text: string): void {
    const msg = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
    if (msg.id === undefined) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.fail(new Error(msg.error.message));
    else p.ok(msg.result);
  }

  private send<T>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise<T>((ok, fail) => this.pending.set(id, { ok: ok as (v: unknown) => void, fail }));
  }

  /** Open a local file and return the value of `expression` once the page has loaded. */
  async evaluateInFile<T>(file: string, expression: string): Promise<T> {
    const url = pathToFileURL(file).href;
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const evaluate = async (expr: string) =>
      (await this.send<{ result: { value: unknown } }>('Runtime.evaluate', { expression: expr, returnByValue: true }, sessionId)).result.value;
    // A new tab is about:blank (and "complete") until the file's navigation commits: wait for both.
    const loaded = `location.href === ${JSON.stringify(url)} && document.readyState === 'complete'`;
    for (let i = 0; i < 200 && (await evaluate(loaded)) !== true; i++) await new Promise((r) => setTimeout(r, 25));
    const value = (await evaluate(expression)) as T;
    await this.send('Target.closeTarget', { targetId });
    return value;
  }

  /** Open a URL in a new tab and keep it: evaluate in it while it runs, screenshot it, close it. */
  async openPage(url: string): Promise<OpenPage> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = await this.send<{ result: { value: unknown }; exceptionDetails?: { text: string } }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
      if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text}`);
      return r.result.value as T;
    };
    return {
      evaluate,
      screenshot: async () => Buffer.from((await this.send<{ data: string }>('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, sessionId)).data, 'base64'),
      close: async () => void (await this.send('Target.closeTarget', { targetId })),
    };
  }

  async close(): Promise<void> {
    this.ws.close();
    const exited = new Promise((ok) => this.proc.once('exit', ok));
    this.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 3000))]);
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    // Chromium's helper processes can still be writing the profile for a moment after the main
    // one exits: retry, and never fail a test over a temp folder the OS will clean anyway.
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (err) {
      console.warn(`headless chromium: could not remove its profile ${this.profile}: ${(err as Error).message}`);
    }
  }
}
