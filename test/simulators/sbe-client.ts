/**
 * Test-side WebSocket client that keeps text and binary frames apart (the Paradex SBE socket
 * sends JSON-RPC replies as text and channel data as binary). Independent of any connector.
 */
import WebSocket from 'ws';

export type Frame = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'binary'; readonly bytes: Uint8Array };

export class SbeClient {
  readonly frames: Frame[] = [];
  heartbeats = 0;
  private cursor = 0;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly ws: WebSocket,
    private readonly keepHeartbeats: boolean,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      // HeartbeatEvent (template id 40 at header offset 2) can come between any two frames.
      if (isBinary && !keepHeartbeats && data.length >= 4 && data.readUInt16LE(2) === 40) return void this.heartbeats++;
      this.frames.push(isBinary ? { kind: 'binary', bytes: new Uint8Array(data) } : { kind: 'text', text: data.toString('utf8') });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Idle heartbeats are counted and left out of `frames` unless `keepHeartbeats`. */
  static async open(url: string, options: { keepHeartbeats?: boolean } = {}): Promise<SbeClient> {
    const ws = new WebSocket(url);
    const client = new SbeClient(ws, options.keepHeartbeats ?? false);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** The HTTP status an upgrade is refused with (throws if it connects). */
  static async refusal(url: string): Promise<{ status: number; body: string }> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.terminate();
        reject(new Error(`${url} connected`));
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.once('error', () => undefined);
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  subscribe(channel: string, id: number): void {
    this.send({ jsonrpc: '2.0', method: 'subscribe', params: { channel }, id });
  }

  async next(timeoutMs = 2000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.cursor >= this.frames.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames[this.cursor++] as Frame;
  }

  async nextText(timeoutMs = 2000): Promise<any> {
    const f = await this.next(timeoutMs);
    if (f.kind !== 'text') throw new Error(`expected a text frame, got ${f.bytes.length} binary bytes`);
    return JSON.parse(f.text);
  }

  async nextBinary(timeoutMs = 2000): Promise<Uint8Array> {
    const f = await this.next(timeoutMs);
    if (f.kind !== 'binary') throw new Error(`expected a binary frame, got text ${f.text.slice(0, 200)}`);
    return f.bytes;
  }

  close(): void {
    this.ws.terminate();
  }
}
