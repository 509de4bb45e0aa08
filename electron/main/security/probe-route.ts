import { request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { proxyEnvironmentOf, proxyFor } from '../environments/kubeconfig/proxy-environment.ts';

/**
 * How one probe reaches its target: directly, or through the workstation's proxy exactly as
 * the Kubernetes client decides it (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, upper case first, via
 * `proxyFor`). An http:// target is asked in absolute form of the proxy; an https:// target
 * gets a CONNECT tunnel and then TLS to the target itself (certificate checked against the
 * target's name, never the proxy's).
 */
export interface ProbeSend {
  readonly method: string;
  readonly headers: OutgoingHttpHeaders;
  readonly signal: AbortSignal;
}

export type ProbeResponseHandler = (incoming: IncomingMessage) => void;

/** The proxy for `url` from the app's host environment, read at every request as the Kubernetes client does. */
export function probeProxyFor(url: URL, env: Readonly<Record<string, string | undefined>> = process.env): URL | undefined {
  const proxy = proxyFor(url.href, proxyEnvironmentOf(env));
  if (proxy === undefined) return undefined;
  const parsed = new URL(proxy);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`the proxy ${parsed.protocol}//${parsed.host} is not supported by the scanner (http:// or https:// proxies only)`);
  return parsed;
}

/** Sends the probe: `onResponse` with the answer, or `onError` once for any failure on the way (proxy included). */
export function sendProbe(url: URL, send: ProbeSend, onResponse: ProbeResponseHandler, onError: (error: Error) => void): void {
  let proxy: URL | undefined;
  try {
    proxy = probeProxyFor(url);
  } catch (error) {
    onError(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  const started = (outgoing: ClientRequest) => {
    outgoing.on('error', onError);
    outgoing.end();
  };
  if (proxy === undefined || url.protocol === 'http:') {
    started(openRequest(url, proxy, send, onResponse));
    return;
  }
  const hostname = bareHost(url);
  tunnelTo(url, proxy, send.signal).then((socket) => {
    if (send.signal.aborted) {
      socket.destroy();
      onError(new Error('the probe was stopped'));
      return;
    }
    started(
      httpsRequest(
        url,
        {
          method: send.method,
          signal: send.signal,
          // No agent at all: with `agent: false` Node makes a fresh agent that ignores createConnection.
          headers: send.headers,
          createConnection: () => tlsConnect({ socket, ...(isIP(hostname) === 0 ? { servername: hostname } : {}) }),
        },
        onResponse,
      ),
    );
  }, onError);
}

/** A direct request, or an http:// target asked of the proxy in absolute form. */
function openRequest(url: URL, proxy: URL | undefined, send: ProbeSend, onResponse: ProbeResponseHandler): ClientRequest {
  const base: RequestOptions = { method: send.method, signal: send.signal, agent: false, headers: send.headers };
  if (proxy === undefined) {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return request(url, base, onResponse);
  }
  const request = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
  return request(
    {
      ...base,
      protocol: proxy.protocol,
      hostname: bareHost(proxy),
      port: proxyPort(proxy),
      path: url.href,
      headers: { ...send.headers, host: url.host, ...proxyAuthorization(proxy) },
    },
    onResponse,
  );
}

/** Opens `CONNECT host:port` through the proxy and hands back the raw tunnel. */
function tunnelTo(url: URL, proxy: URL, signal: AbortSignal): Promise<Socket> {
  const request = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
  const authority = `${url.hostname}:${url.port === '' ? '443' : url.port}`;
  return new Promise((resolve, reject) => {
    const connect = request({
      method: 'CONNECT',
      hostname: bareHost(proxy),
      port: proxyPort(proxy),
      path: authority,
      signal,
      agent: false,
      headers: { host: authority, ...proxyAuthorization(proxy) },
    });
    connect.once('connect', (response: IncomingMessage, socket: Socket) => {
      if (response.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(new Error(`the proxy ${proxy.host} refused the tunnel to ${authority}: HTTP ${response.statusCode ?? 0}`));
    });
    connect.once('error', reject);
    connect.end();
  });
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function proxyPort(proxy: URL): number {
  return proxy.port === '' ? (proxy.protocol === 'https:' ? 443 : 80) : Number(proxy.port);
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '' && proxy.password === '') return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}
