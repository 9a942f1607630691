/**
 * One TCP connection with a hard deadline, read as a pull stream. The deadline covers connect
 * and every read: when it passes, the socket is destroyed and the pending read resolves with
 * `timeout`. Writes issued before the connection is up are queued by Node, so a ClientHello
 * can be written at once.
 */
import net from 'node:net';

export type ConnectionEnd =
  | { kind: 'timeout'; connected: boolean }
  | { kind: 'closed' }
  | { kind: 'reset'; message: string }
  | { kind: 'connectFailed'; message: string }
  | { kind: 'tooMuchData'; limit: number };

export type ReadResult = { data: Buffer } | { end: ConnectionEnd };

export interface ConnectOptions {
  host: string;
  port: number;
  /** Absolute deadline (Date.now() based) for the whole conversation. */
  deadline: number;
  /** Stop reading after this many bytes (protects against endless streams). */
  maxBytes: number;
}

export class RawConnection {
  private readonly socket: net.Socket;
  private readonly queue: Buffer[] = [];
  private ended: ConnectionEnd | undefined;
  private waiter: ((r: ReadResult) => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private connected = false;
  bytesReceived = 0;

  constructor(options: ConnectOptions) {
    this.socket = net.connect({ host: options.host, port: options.port });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.connected = true;
    });
    this.socket.on('data', (chunk: Buffer) => {
      if (this.ended) return;
      this.bytesReceived += chunk.length;
      if (this.bytesReceived > options.maxBytes) {
        this.finish({ kind: 'tooMuchData', limit: options.maxBytes });
        return;
      }
      this.queue.push(chunk);
      this.wake();
    });
    this.socket.on('end', () => this.finish({ kind: 'closed' }));
    this.socket.on('close', () => this.finish({ kind: 'closed' }));
    this.socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.connected) this.finish({ kind: 'connectFailed', message: err.code ?? err.message });
      else this.finish({ kind: 'reset', message: err.code ?? err.message });
    });
    const wait = Math.max(0, options.deadline - Date.now());
    this.timer = setTimeout(
      () => this.finish({ kind: 'timeout', connected: this.connected }),
      wait,
    );
    this.timer.unref();
  }

  write(data: Buffer): void {
    if (!this.ended && !this.socket.destroyed) this.socket.write(data);
  }

  /** The next chunk, or how the connection ended. Queued data is delivered before the end. */
  read(): Promise<ReadResult> {
    const chunk = this.queue.shift();
    if (chunk) return Promise.resolve({ data: chunk });
    if (this.ended) return Promise.resolve({ end: this.ended });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    const chunk = this.queue.shift();
    waiter(chunk ? { data: chunk } : { end: this.ended! });
  }

  private finish(end: ConnectionEnd): void {
    if (this.ended) return;
    // A timeout or an overflow discards what is queued: the answer is incomplete anyway.
    if (end.kind === 'timeout' || end.kind === 'tooMuchData') this.queue.length = 0;
    this.ended = end;
    clearTimeout(this.timer);
    this.socket.destroy();
    this.wake();
  }

  /** Ends the conversation at once (we have what we need). */
  close(): void {
    this.finish({ kind: 'closed' });
  }
}
