import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';

// Test helpers for browser mode's WebSocket: a well-behaved client (what the renderer does) and
// a raw TCP peer that can write any bytes after the handshake.

export interface Endpoint {
  readonly port: number;
  readonly origin: string;
  readonly token: string;
}

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** A well-behaved client: one WebSocket, calls matched to results by id. */
export class IpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: Envelope) => void>();
  readonly ends = new Map<number, unknown>();
  readonly closed: Promise<{ code: number; reason: string }>;

  readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { t: string; id: number; envelope?: Envelope; end?: unknown };
      if (message.t === 'result') {
        this.pending.get(message.id)?.(message.envelope as Envelope);
        this.pending.delete(message.id);
      } else if (message.t === 'end') {
        this.ends.set(message.id, message.end);
      }
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(endpoint: Endpoint): Promise<IpcClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${endpoint.port}/ipc`, [`kiops-token.${endpoint.token}`], { origin: endpoint.origin, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new IpcClient(ws);
  }

  call(name: string, payload: unknown): Promise<Envelope> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ t: 'call', id, name, payload }));
    });
  }

  subscribe(name: string, payload: unknown): number {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'sub', id, name, payload }));
    return id;
  }

  close(): void {
    this.ws.terminate();
  }
}

export interface FrameOptions {
  readonly fin?: boolean;
  readonly rsv?: number;
  readonly masked?: boolean;
  /** Claim a different payload length in the header than the bytes that follow. */
  readonly declaredLength?: number;
}

/** One WebSocket frame as a client would put it on the wire (masked unless told otherwise). */
export function frame(opcode: number, payload: Buffer, options: FrameOptions = {}): Buffer {
  const { fin = true, rsv = 0, masked = true } = options;
  const length = options.declaredLength ?? payload.length;
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(length));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((byte, index) => byte ^ (key[index % 4] as number)));
  return Buffer.concat([Buffer.from(head), extended, key, body]);
}

export function closePayload(code: number, reason = ''): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(code);
  return Buffer.concat([buffer, Buffer.from(reason)]);
}

/** A raw TCP peer past the WebSocket handshake; `received` holds what the server sent after it. */
export class RawPeer {
  received = Buffer.alloc(0);
  readonly ended: Promise<void>;

  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(endpoint: Endpoint): Promise<RawPeer> {
    const socket = connect(endpoint.port, '127.0.0.1');
    socket.on('error', () => {});
    const peer = new RawPeer(socket);
    const key = randomBytes(16).toString('base64');
    socket.write(
      [
        'GET /ipc HTTP/1.1',
        `Host: 127.0.0.1:${endpoint.port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Protocol: kiops-token.${endpoint.token}`,
        `Origin: ${endpoint.origin}`,
        '',
        '',
      ].join('\r\n'),
    );
    await new Promise<void>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        if (!head.subarray(0, end).toString().startsWith('HTTP/1.1 101')) reject(new Error(`handshake refused: ${head.subarray(0, end).toString()}`));
        peer.received = head.subarray(end + 4);
        socket.on('data', (more: Buffer) => (peer.received = Buffer.concat([peer.received, more])));
        resolve();
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error('closed during the handshake')));
    });
    return peer;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The status code of the first close frame the server sent, or null when none came. */
  closeCode(): number | null {
    let offset = 0;
    const data = this.received;
    while (offset + 2 <= data.length) {
      const opcode = (data[offset] as number) & 0x0f;
      let length = (data[offset + 1] as number) & 0x7f;
      let start = offset + 2;
      if (length === 126) {
        length = data.readUInt16BE(start);
        start += 2;
      } else if (length === 127) {
        length = Number(data.readBigUInt64BE(start));
        start += 8;
      }
      if (opcode === 0x8) return length >= 2 ? data.readUInt16BE(start) : 1005;
      offset = start + length;
    }
    return null;
  }
}
