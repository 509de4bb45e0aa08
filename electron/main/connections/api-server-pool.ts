import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type { DispatcherOptions } from '@kubernetes/client-node';
import { SocksClient } from 'socks';
import { Agent, Dispatcher, ProxyAgent, type buildConnector } from 'undici';

/**
 * Sockets one environment's API requests (lists, gets, writes) may hold at once. The API
 * server speaks HTTP/1.1 to us, one request per socket at a time: a catalogue reading 20
 * namespaces queues on these, which costs far less than 20 TLS handshakes.
 */
export const requestSockets = 8;

/**
 * How long a socket may stay idle before it is closed. Well under the idle timeouts of API
 * servers and the load balancers in front of them (60 s and more), so we close first and never
 * write into a socket the far end has already dropped; long enough that opening one service after
 * another in a session finds its connections open.
 */
export const idleSocketMs = 20_000;

/**
 * Watches hold their socket for their whole life (minutes). Counted against the request sockets
 * they would starve lists and writes, so they get a pool of their own, bounded by the watches the
 * app runs (one per open service), not by a number here.
 */
export function isStreamRequest(path: string): boolean {
  const [resource = '', query = ''] = path.split('?', 2);
  const params = new URLSearchParams(query);
  return params.get('watch') === 'true' || params.get('watch') === '1' || params.get('follow') === 'true' || /^\/(apis\/[^/]+\/[^/]+|api\/v1)\/watch\//.test(resource);
}

/**
 * One environment's keep-alive connections to its API server for one TLS identity (server, CA,
 * client certificate, proxy): a bounded pool for requests and a separate one for watches.
 * Built from the options client-node derives from the kubeconfig (`createDispatcherOptions`),
 * so TLS verification, SNI and proxies are exactly client-node's.
 */
export class ApiServerPool extends Dispatcher {
  private readonly requests: Dispatcher;
  private readonly streams: Dispatcher;
  private ending: 'open' | 'closed' | 'destroyed' = 'open';

  constructor(options: DispatcherOptions) {
    super();
    this.requests = openDispatcher(options, { connections: requestSockets, keepAliveTimeout: idleSocketMs, keepAliveMaxTimeout: idleSocketMs });
    this.streams = openDispatcher(options, { connections: null, keepAliveTimeout: idleSocketMs, keepAliveMaxTimeout: idleSocketMs });
  }

  /** True once closed or destroyed (undici's Dispatcher meaning): no new request is taken. */
  get closed(): boolean {
    return this.ending !== 'open';
  }

  /** True once destroyed: requests in flight were cut. */
  get destroyed(): boolean {
    return this.ending === 'destroyed';
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return (isStreamRequest(options.path) ? this.streams : this.requests).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    if (this.ending === 'open') this.ending = 'closed';
    const closed = Promise.all([this.requests.close(), this.streams.close()]).then(() => undefined);
    if (callback === undefined) return closed;
    void closed.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(first?: Error | null | (() => void), second?: () => void): Promise<void> | void {
    const error = typeof first === 'function' ? null : (first ?? null);
    const callback = typeof first === 'function' ? first : second;
    this.ending = 'destroyed';
    const destroyed = Promise.all([this.requests.destroy(error), this.streams.destroy(error)]).then(() => undefined);
    if (callback === undefined) return destroyed;
    void destroyed.then(callback);
  }
}

type PoolLimits = Pick<Agent.Options, 'connections' | 'keepAliveTimeout' | 'keepAliveMaxTimeout'>;

/** client-node's `createDispatcher`, with our pool limits (client-node sets none, so its sockets close after undici's 4 s). */
function openDispatcher(options: DispatcherOptions, limits: PoolLimits): Dispatcher {
  switch (options.type) {
    case 'proxy':
      return new ProxyAgent({ uri: options.uri, requestTls: options.requestTls, connect: options.connect, ...limits });
    case 'socks':
      return new Agent({ connect: socksConnector(options.uri, options.requestTls), ...limits });
    case 'agent':
      return new Agent({ connect: options.connect, ...limits });
    case 'none':
      return new Agent(limits);
  }
}

/** client-node's SOCKS connector (SOCKS4 for socks4/socks4a URLs, else SOCKS5), as undici's `connect` function. */
function socksConnector(proxyUrl: string, tls: ConnectionOptions): buildConnector.connector {
  const proxy = new URL(proxyUrl);
  const type = proxy.protocol === 'socks4:' || proxy.protocol === 'socks4a:' ? 4 : 5;
  return ({ hostname, port, protocol, servername }, callback) => {
    SocksClient.createConnection(
      { proxy: { host: proxy.hostname, port: Number(proxy.port) || 1080, type }, command: 'connect', destination: { host: hostname, port: Number(port) } },
      (error, info) => {
        if (error || info === undefined) {
          callback(error ?? new Error(`The SOCKS proxy ${proxy.host} gave no connection.`), null);
          return;
        }
        const socket: Socket = info.socket;
        // client-node's TCP keep-alive probe delay, the same as client-go's
        socket.setKeepAlive(true, 30_000);
        if (protocol !== 'https:') {
          callback(null, socket);
          return;
        }
        const secure: TLSSocket = tlsConnect({ ...tls, socket, servername: servername || hostname });
        const failed = (tlsError: Error): void => callback(tlsError, null);
        secure.once('error', failed);
        secure.once('secureConnect', () => {
          secure.off('error', failed);
          callback(null, secure);
        });
      },
    );
  };
}
