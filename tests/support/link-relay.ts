// A relay between the app and one target (TCP port or unix socket) that a test controls like a
// bad network: cut (every connection reset), freeze (nothing forwarded, sockets kept open, new
// connections accepted and held: a half-open link), resume, down/up (refuse connections), and
// forget (connections dropped without a word, reset when next used: a NAT that lost its state).
import { createServer, Socket, type Server } from 'node:net';

/**
 * How long a test waits for a link to heal after the relay lets it through again. The app is
 * designed to heal within 10 s of a link's return (retries capped at 10 s, plus a probe that
 * ends a long wait early); bench/link-heal.ts measures how soon. A test only asserts that it
 * heals without the operator doing anything, and waits ten times the design, so a loaded
 * machine that delivers late never fails it and a link that never heals still does.
 */
export const healWaitMs = 100_000;

/** How long a test waits for a frozen (half-open) link to be shown: ten times the ~12 s idle check. */
export const silentWaitMs = 120_000;

export type RelayTarget = { readonly port: number; readonly host?: string } | { readonly path: string };
export type RelayListen = { readonly port: 0 } | { readonly path: string };

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  connected: boolean;
}

export class LinkRelay {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private readonly forgotten = new Set<Socket>();
  private frozen = false;
  private refusing = false;
  private accepted = 0;
  private readonly target: RelayTarget;

  private constructor(target: RelayTarget) {
    this.target = target;
    this.server = createServer((client) => this.accept(client));
  }

  static async start(target: RelayTarget, listen: RelayListen = { port: 0 }): Promise<LinkRelay> {
    const relay = new LinkRelay(target);
    await new Promise<void>((resolve, reject) => {
      relay.server.once('error', reject);
      if ('path' in listen) relay.server.listen(listen.path, resolve);
      else relay.server.listen(0, '127.0.0.1', resolve);
    });
    return relay;
  }

  /** The relay's TCP port (TCP listeners only). */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  /** Connections forwarded since the relay started. */
  get acceptedConnections(): number {
    return this.accepted;
  }

  /** Resets every open connection, as a dropped VPN or a restarted NAT does. */
  cut(): void {
    for (const pair of [...this.pairs]) this.drop(pair);
  }

  /** Stops forwarding in both directions while keeping every socket open; new connections hang too. */
  freeze(): void {
    this.frozen = true;
    for (const pair of this.pairs) this.stopForwarding(pair);
  }

  /** Forwards again, held bytes included, and lets held connections through. */
  resume(): void {
    this.frozen = false;
    this.refusing = false;
    for (const pair of this.pairs) this.forward(pair);
  }

  /**
   * Forgets every open connection without telling the client, as a NAT or load balancer that
   * rebooted or timed a flow out does: the target's side is closed, and the client's socket looks
   * open until the client sends on it, which is answered with a reset (ECONNRESET on first use).
   */
  forget(): void {
    for (const pair of [...this.pairs]) {
      this.pairs.delete(pair);
      this.stopForwarding(pair);
      pair.upstream.destroy();
      const client = pair.client;
      if (client.remotePort === undefined) {
        client.destroy();
        continue;
      }
      this.forgotten.add(client);
      client.once('close', () => this.forgotten.delete(client));
      client.once('data', () => client.resetAndDestroy());
      client.resume();
    }
  }

  /** The target is unreachable: open connections are cut and new ones refused until resume(). */
  down(): void {
    this.refusing = true;
    this.cut();
  }

  async close(): Promise<void> {
    this.cut();
    for (const client of this.forgotten) client.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      if (client.remotePort === undefined) client.destroy();
      else client.resetAndDestroy();
      return;
    }
    this.accepted += 1;
    const upstream = 'path' in this.target ? new Socket().connect(this.target.path) : new Socket().connect(this.target.port, this.target.host ?? '127.0.0.1');
    const pair: Pair = { client, upstream, connected: false };
    this.pairs.add(pair);
    client.pause();
    upstream.pause();
    const forget = (): void => this.drop(pair);
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    upstream.once('connect', () => {
      pair.connected = true;
      if (!this.frozen) this.forward(pair);
    });
  }

  private forward(pair: Pair): void {
    if (!pair.connected || !this.pairs.has(pair)) return;
    pair.client.pipe(pair.upstream);
    pair.upstream.pipe(pair.client);
    pair.client.resume();
    pair.upstream.resume();
  }

  private stopForwarding(pair: Pair): void {
    pair.client.unpipe(pair.upstream);
    pair.upstream.unpipe(pair.client);
    pair.client.pause();
    pair.upstream.pause();
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    // A TCP reset where there is TCP; unix sockets can only be closed.
    if (pair.client.remotePort === undefined) pair.client.destroy();
    else pair.client.resetAndDestroy();
    pair.upstream.destroy();
  }
}
