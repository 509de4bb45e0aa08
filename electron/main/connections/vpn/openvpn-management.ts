import { connect, type Socket } from 'node:net';
import { delay } from './tunnel.ts';

/**
 * A client for OpenVPN's management interface over its unix socket. It forwards real-time
 * notifications (`>STATE:`, `>HOLD:`, `>PASSWORD:`, `>FATAL:`) and sends one-line commands.
 * Replies (`SUCCESS:`/`ERROR:`) are not matched to commands: the tunnel only needs the
 * notifications, and a command that fails shows up as a state that never comes.
 */
export interface ManagementNotification {
  /** STATE, HOLD, PASSWORD, FATAL, INFO, LOG, … */
  readonly type: string;
  readonly body: string;
}

export class OpenVpnManagement {
  private readonly socket: Socket;
  private buffer = '';
  private readonly listeners = new Set<(n: ManagementNotification) => void>();
  private closedFlag = false;
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.closedFlag = true;
        resolve();
      });
    });
    socket.on('error', () => {
      // 'close' follows; the tunnel notices the process exit on its own.
    });
  }

  /**
   * Connects once the socket exists: OpenVPN creates it a moment after it starts. Gives up when
   * `stillRunning()` turns false or `timeoutMs` passes.
   */
  static async connect(path: string, timeoutMs: number, stillRunning: () => boolean): Promise<OpenVpnManagement | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && stillRunning()) {
      const socket = await new Promise<Socket | null>((resolve) => {
        const s = connect(path);
        s.once('connect', () => resolve(s));
        s.once('error', () => {
          s.destroy();
          resolve(null);
        });
      });
      if (socket) return new OpenVpnManagement(socket);
      await delay(50);
    }
    return null;
  }

  onNotification(listener: (n: ManagementNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(command: string): void {
    if (this.closedFlag || /[\r\n]/.test(command)) return;
    this.socket.write(`${command}\n`);
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      const m = /^>([A-Z0-9_-]+):(.*)$/.exec(line);
      if (m) {
        const notification = { type: m[1] as string, body: m[2] as string };
        for (const listener of [...this.listeners]) listener(notification);
      }
      newline = this.buffer.indexOf('\n');
    }
  }
}

/** `>STATE:1700000000,CONNECTED,SUCCESS,10.8.0.2,203.0.113.1,1194,,` → name and detail. */
export function parseStateNotification(body: string): { name: string; detail: string; localIp: string; remote: string } {
  const fields = body.split(',');
  return { name: fields[1] ?? '', detail: fields[2] ?? '', localIp: fields[3] ?? '', remote: fields[4] ?? '' };
}
