/**
 * A WebSocket that stays up: reconnects with exponential backoff and jitter, sends a heartbeat,
 * and treats a socket that has been silent for stallTimeoutMs as dead (venues sometimes stop
 * sending without closing; TCP can take minutes to notice). It knows nothing about any venue's
 * messages: the owner subscribes in onOpen and decodes in onMessage.
 */
import WebSocket from 'ws';
import type { Logger } from '../../../engine/core/logger.ts';
import { reconnectDelay, type BackoffOptions } from './backoff.ts';

export type SocketState = 'connecting' | 'open' | 'closed' | 'stopped';

export interface Heartbeat {
  intervalMs: number;
  /**
   * Text to send as an application-level ping (Vest `{"method":"PING"}`, Lighter
   * `{"type":"ping"}`); absent means a WebSocket protocol ping frame.
   */
  message?: () => string;
}

export interface ReconnectingSocketOptions {
  /** For log lines: the venue name. */
  name: string;
  url: string;
  backoff: BackoffOptions;
  connectTimeoutMs: number;
  stallTimeoutMs: number;
  heartbeat?: Heartbeat;
  logger: Logger;
  random?: () => number;
  onOpen(): void;
  onMessage(data: string | Buffer, isBinary: boolean): void;
  onState(state: SocketState, reason?: string): void;
}

export class ReconnectingSocket {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heardSinceOpen = false;
  /** Connections opened so far; tests and status lines read it. */
  connections = 0;

  constructor(private readonly options: ReconnectingSocketOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Send text if the socket is open; false (and nothing sent) otherwise. */
  send(text: string): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(text);
    return true;
  }

  /** Drop the current connection and reconnect through the normal backoff path. */
  reconnect(reason: string): void {
    if (this.stopped) return;
    this.options.logger.warn('reconnecting socket', { venue: this.options.name, reason });
    this.ws?.terminate();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.clearConnectionTimers();
    const ws = this.ws;
    this.ws = undefined;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000, 'stop');
        // A peer that never answers the close handshake must not hold stop() hostage.
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    }
    this.options.onState('stopped');
  }

  private connect(): void {
    const { options } = this;
    options.onState('connecting');
    const ws = new WebSocket(options.url, { handshakeTimeout: options.connectTimeoutMs });
    this.ws = ws;
    this.heardSinceOpen = false;
    let closeReason = 'connection closed';

    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.connections += 1;
      this.armStallTimer(ws);
      this.startHeartbeat(ws);
      options.onState('open');
      try {
        options.onOpen();
      } catch (err) {
        options.logger.error('onOpen failed', { venue: options.name, error: String(err) });
      }
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ws !== ws) return;
      this.heard(ws);
      try {
        options.onMessage(isBinary ? data : data.toString('utf8'), isBinary);
      } catch (err) {
        // The owner's decoder is expected to catch its own errors; this is the last guard
        // that keeps one bad frame from taking the process down.
        options.logger.error('message handler threw', { venue: options.name, error: String(err) });
      }
    });
    // Protocol pings from the venue (Paradex pings every 55 s) and answers to ours are
    // liveness too; `ws` answers pings by itself.
    ws.on('ping', () => this.ws === ws && this.heard(ws));
    ws.on('pong', () => this.ws === ws && this.heard(ws));
    ws.on('error', (err: Error) => {
      closeReason = err.message;
      options.logger.warn('socket error', { venue: options.name, error: err.message });
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (this.ws !== ws) return;
      this.clearConnectionTimers();
      this.ws = undefined;
      if (this.stopped) return;
      const why = reason.length > 0 ? reason.toString('utf8') : code === 1006 ? closeReason : `code ${code}`;
      options.onState('closed', why);
      this.scheduleReconnect();
    });
    // Covers a handshake that hangs past the TCP connect.
    this.armStallTimer(ws);
  }

  private heard(ws: WebSocket): void {
    if (!this.heardSinceOpen) {
      // Reset the backoff only once the venue has actually spoken: a server that accepts and
      // immediately drops us must still be backed off from.
      this.heardSinceOpen = true;
      this.attempt = 0;
    }
    this.armStallTimer(ws);
  }

  private scheduleReconnect(): void {
    const delay = reconnectDelay(this.attempt, this.options.backoff, this.options.random);
    this.attempt += 1;
    this.options.logger.info('reconnect scheduled', { venue: this.options.name, delayMs: delay, attempt: this.attempt });
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped) this.connect();
    }, delay);
  }

  private armStallTimer(ws: WebSocket): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      if (this.ws !== ws) return;
      this.options.logger.warn('socket stalled', { venue: this.options.name, silentMs: this.options.stallTimeoutMs });
      ws.terminate();
    }, this.options.stallTimeoutMs);
  }

  private startHeartbeat(ws: WebSocket): void {
    const heartbeat = this.options.heartbeat;
    if (!heartbeat) return;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      if (heartbeat.message) ws.send(heartbeat.message());
      else ws.ping();
    }, heartbeat.intervalMs);
  }

  private clearConnectionTimers(): void {
    clearTimeout(this.stallTimer);
    clearInterval(this.heartbeatTimer);
    this.stallTimer = undefined;
    this.heartbeatTimer = undefined;
  }
}
