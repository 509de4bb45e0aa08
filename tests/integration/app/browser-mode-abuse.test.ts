import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserModeProcess } from './browser-mode-process.ts';
import { closePayload, frame, IpcClient, RawPeer, type FrameOptions } from './browser-mode-frames.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

// Class 8 of issue 10: browser mode on plain Node, attacked frame by frame through raw TCP.
// Each abusive connection must be closed (with the code the RFC asks for) while the process
// keeps running and a connection opened before the abuse keeps getting answers.

async function until<T>(check: () => T | null | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const text = (value: string, options?: FrameOptions) => frame(0x1, Buffer.from(value), options);

/** Each abuse: the bytes a hostile peer writes after the handshake, and the close code it must get. */
const abuses: [string, () => Buffer, number][] = [
  ['a frame declaring 64 MiB, far past the payload limit', () => frame(0x1, Buffer.alloc(4096, 0x61), { declaredLength: 64 * 1024 * 1024 }), 1009],
  ['a frame declaring 2^53 bytes', () => frame(0x2, Buffer.alloc(16), { declaredLength: 2 ** 53 - 1 }), 1009],
  ['invalid UTF-8 in a text frame', () => frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
  ['an overlong UTF-8 encoding of "/"', () => frame(0x1, Buffer.from([0xc0, 0xaf])), 1007],
  ['a lone UTF-16 surrogate encoded as UTF-8 (CESU)', () => frame(0x1, Buffer.from([0xed, 0xa0, 0x80])), 1007],
  ['an unmasked client frame', () => text('{"t":"call","id":1,"name":"environments.list","payload":{}}', { masked: false }), 1002],
  ['close code 999', () => frame(0x8, closePayload(999)), 1002],
  ['close code 1005 (reserved, never on the wire)', () => frame(0x8, closePayload(1005)), 1002],
  ['close code 1006 (reserved)', () => frame(0x8, closePayload(1006)), 1002],
  ['close code 5000', () => frame(0x8, closePayload(5000)), 1002],
  ['a one-byte close payload', () => frame(0x8, Buffer.from([0x03])), 1002],
  ['a close reason that is not UTF-8', () => frame(0x8, Buffer.concat([closePayload(1000), Buffer.from([0xff])])), 1007],
  ['RSV1 set without a negotiated extension', () => text('{}', { rsv: 4 }), 1002],
  ['a reserved opcode', () => frame(0x3, Buffer.from('x')), 1002],
  ['a fragmented ping', () => frame(0x9, Buffer.from('x'), { fin: false }), 1002],
  ['a ping longer than 125 bytes', () => frame(0x9, Buffer.alloc(126)), 1002],
  ['a continuation frame with nothing to continue', () => frame(0x0, Buffer.from('x')), 1002],
  ['a message that is not JSON', () => text('not json at all'), 1008],
  ['JSON that is not a KIOPS message', () => text('{"t":"exec","cmd":"id"}'), 1008],
  ['a binary frame', () => frame(0x2, Buffer.from('{"t":"cancel","id":1}')), 1008],
];

describe('browser mode survives frame-level abuse', () => {
  const env = useTestEnvironment('keyring');
  let folder: string;
  let app: BrowserModeProcess;
  let witness: IpcClient;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'kiops-web-abuse-'));
    app = await startBrowserMode(folder, env.keyring.env);
    witness = await IpcClient.open(app);
  });

  afterAll(async () => {
    witness?.close();
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    rmSync(folder, { recursive: true, force: true });
  });

  const stillServing = async () => {
    expect(app.child.exitCode, app.stderr()).toBeNull();
    expect(await witness.call('environments.list', {})).toMatchObject({ ok: true, value: { environments: [] } });
    const fresh = await IpcClient.open(app);
    expect(await fresh.call('environments.list', {})).toMatchObject({ ok: true });
    fresh.close();
  };

  it.each(abuses)('%s closes that connection only (code %i)', async (_what, bytes, code) => {
    const peer = await RawPeer.open(app);
    peer.write(bytes());
    expect(await until(() => peer.closeCode(), 'a close frame')).toBe(code);
    peer.socket.destroy();
    await stillServing();
  });

  it('a peer that resets mid-frame or mid-handshake does not take the process down', async () => {
    const peer = await RawPeer.open(app);
    peer.write(frame(0x1, Buffer.alloc(10_000, 0x61)).subarray(0, 5_000));
    peer.socket.resetAndDestroy();
    await peer.ended;
    const { connect } = await import('node:net');
    const half = connect(app.port, '127.0.0.1');
    half.on('error', () => {});
    await new Promise<void>((resolve) => half.once('connect', () => resolve()));
    half.write(`GET /ipc HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nUpgrade: websocket\r\n`);
    half.resetAndDestroy();
    await stillServing();
  });

  it.each([
    ['a plain request', (port: number) => `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`],
    ['an upgrade', (port: number) => `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n`],
    ['a header past the size limit', (port: number) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`],
  ])('an HTTP request target that is not a URL, as %s, is answered with an error status', async (_what, request) => {
    const { connect } = await import('node:net');
    const socket = connect(app.port, '127.0.0.1');
    socket.on('error', () => {});
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(request(app.port));
    await until(() => /^HTTP\/1\.1 (4\d\d)/.test(answer), 'an HTTP error status');
    socket.destroy();
    await closed;
    await stillServing();
  });

  it('accepts a valid 2 MB kubeconfig preview in one frame', async () => {
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:\n- name: big\n  cluster:\n    server: https://127.0.0.1:6443',
      'users:\n- name: big-user\n  user:\n    token: not-a-real-token',
      'contexts:\n- name: big-context\n  context:\n    cluster: big\n    user: big-user',
      'current-context: big-context',
      '# padding line to grow the kubeconfig past two megabytes\n'.repeat(Math.ceil((2 * 1024 * 1024) / 57)),
    ].join('\n');
    expect(kubeconfig.length).toBeGreaterThan(2 * 1024 * 1024);
    const reply = await witness.call('environments.previewKubeconfig', { source: { kind: 'text', text: kubeconfig } });
    expect(reply).toMatchObject({ ok: true, value: { contexts: [{ name: 'big-context', cluster: 'big', user: 'big-user' }] } });
  });

  it('caps live subscriptions per connection: the one past the cap ends with LIMIT_REACHED', async () => {
    const client = await IpcClient.open(app);
    const ids = Array.from({ length: 64 }, () => client.subscribe('audit.appended', {}));
    const extra = client.subscribe('audit.appended', {});
    const end = await until(() => client.ends.get(extra), 'the refused subscription to end');
    expect(end).toMatchObject({ reason: 'error', error: { code: 'LIMIT_REACHED' } });
    expect(ids.some((id) => client.ends.has(id))).toBe(false);
    // the connection still answers calls
    expect(await client.call('environments.list', {})).toMatchObject({ ok: true });
    client.close();
    await stillServing();
  });

  it('answers 50,000 pipelined calls on one connection without exhausting memory, while another connection is served', async () => {
    const flood = await IpcClient.open(app);
    const replies = Array.from({ length: 50_000 }, () => flood.call('environments.list', {}));
    // the witness is answered while the flood is being worked through
    expect(await witness.call('environments.list', {})).toMatchObject({ ok: true });
    const settled = await Promise.all(replies);
    expect(settled.filter((reply) => reply.ok)).toHaveLength(50_000);
    const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${app.child.pid}/status`, 'utf8'))?.[1]);
    expect(peakKiB).toBeLessThan(1024 * 1024);
    flood.close();
    await stillServing();
  }, 180_000);
});
