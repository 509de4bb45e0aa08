import { createServer, type Server, type Socket } from 'node:net';
import type { Client, ClientChannel } from 'ssh2';
import { parseGreeting, parseRequest, replyBytes, socksReply } from './socks-protocol.ts';

/** What the proxy needs from a pooled connection: a ready client (reconnected if needed). */
export interface ChannelSource {
  ready(): Promise<Client>;
}

export interface SocksProxy {
  /** `socks5://127.0.0.1:PORT`, for a kubeconfig `proxy-url` or client-node. */
  readonly url: string;
  readonly port: number;
  /** Tunnelled connections opened so far (for status display and tests). */
  openedConnections(): number;
  close(): Promise<void>;
}

const handshakeTimeoutMs = 10_000;
const maxHandshakeBytes = 600;

/**
 * A SOCKS5 listener on 127.0.0.1 (random port, no authentication, CONNECT only) that opens
 * each connection as a `direct-tcpip` channel on the host's one SSH client, so the target is
 * resolved and reached from the SSH host. Only local processes can use it; it carries
 * Kubernetes API traffic for client-node and for kubectl's temporary kubeconfig.
 */
export async function startSocksProxy(source: ChannelSource): Promise<SocksProxy> {
  const sockets = new Set<Socket>();
  let opened = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handleSocksConnection(socket, source, () => (opened += 1));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('SOCKS listener has no TCP address');
  let closing: Promise<void> | undefined;
  return {
    url: `socks5://127.0.0.1:${address.port}`,
    port: address.port,
    openedConnections: () => opened,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function handleSocksConnection(socket: Socket, source: ChannelSource, onOpened: () => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  let phase: 'greeting' | 'request' | 'opening' = 'greeting';
  socket.setNoDelay(true);
  const timer = setTimeout(() => socket.destroy(), handshakeTimeoutMs);
  socket.on('error', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));

  const fail = (code: number): void => {
    socket.end(replyBytes(code));
  };

  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > maxHandshakeBytes) return void socket.destroy();
    if (phase === 'greeting') {
      const greeting = parseGreeting(buffered);
      if (greeting.kind === 'more') return;
      if (greeting.kind === 'bad') return void socket.destroy();
      if (!greeting.noAuthOffered) return void socket.end(Buffer.from([0x05, 0xff]));
      socket.write(Buffer.from([0x05, 0x00]));
      buffered = greeting.rest;
      phase = 'request';
    }
    if (phase !== 'request') return;
    const request = parseRequest(buffered);
    if (request.kind === 'more') return;
    if (request.kind === 'bad') return fail(request.reply);
    phase = 'opening';
    socket.off('data', onData);
    socket.pause();
    const early = Buffer.from(request.rest);
    openChannel(source, request.host, request.port).then(
      (channel) => {
        clearTimeout(timer);
        if (socket.destroyed) return void channel.close();
        onOpened();
        socket.write(replyBytes(socksReply.succeeded));
        if (early.length > 0) channel.write(early);
        channel.on('error', () => socket.destroy());
        channel.on('close', () => socket.destroy());
        socket.on('close', () => channel.close());
        socket.pipe(channel);
        channel.pipe(socket);
        socket.resume();
      },
      (error: unknown) => fail(replyForError(error)),
    );
  };
  socket.on('data', onData);
}

async function openChannel(source: ChannelSource, host: string, port: number): Promise<ClientChannel> {
  const client = await source.ready();
  return new Promise<ClientChannel>((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

/** OpenSSH answers a refused or unresolvable target with "connect failed" (reason 2). */
function replyForError(error: unknown): number {
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  if (reason === 1) return socksReply.generalFailure; // administratively prohibited (AllowTcpForwarding no)
  if (reason === 2) return socksReply.connectionRefused;
  return socksReply.hostUnreachable;
}
