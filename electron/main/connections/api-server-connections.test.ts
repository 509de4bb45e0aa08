import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiServerConnections } from './api-server-connections.ts';
import { ApiServerPool, isStreamRequest } from './api-server-pool.ts';
import { DeadlineKubeConfig, safeToResend } from './request-deadlines.ts';

// Which pool a request gets is decided before any byte is sent, so these run without a server:
// a client is built as the app builds it, a request authenticated, and its pool compared.

const b64 = (text: string): string => Buffer.from(text).toString('base64');

interface Credentials {
  server?: string;
  ca?: string;
  cert?: string;
  token?: string;
  proxy?: string;
}

function kubeconfig({ server = 'https://api.prod.example:6443', ca = 'prod-ca', cert, token, proxy }: Credentials): string {
  const user = cert === undefined ? `    token: ${token ?? 'alice-token'}` : `    client-certificate-data: ${b64(cert)}\n    client-key-data: ${b64(`${cert}-key`)}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: prod',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(ca)}`,
    ...(proxy === undefined ? [] : [`    proxy-url: ${proxy}`]),
    'users:',
    '- name: alice',
    '  user:',
    user,
    'contexts:',
    '- name: prod',
    '  context: { cluster: prod, user: alice }',
    'current-context: prod',
  ].join('\n');
}

let connections = new ApiServerConnections();
afterEach(async () => {
  await connections.close();
  connections = new ApiServerConnections();
});

/** The pool a request of `environmentId` goes over, from a client built the way RuntimeAccess builds one. */
async function poolOf(environmentId: string, credentials: Credentials = {}, path = '/apis/apps/v1/namespaces/shop/deployments'): Promise<ApiServerPool> {
  const kubeConfig = new DeadlineKubeConfig(undefined, { connections: connections.of(environmentId) });
  kubeConfig.loadFromString(kubeconfig(credentials));
  const request = new RequestContext(`${kubeConfig.getCurrentCluster()?.server ?? ''}${path}`, HttpMethod.GET);
  await kubeConfig.applySecurityAuthentication(request);
  const pool = request.getDispatcher();
  if (!(pool instanceof ApiServerPool)) throw new Error('the request did not get the environment pool');
  return pool;
}

describe('keep-alive connections per environment and TLS identity', () => {
  it('gives every client of an environment the same connections, whatever bearer token it sends', async () => {
    const first = await poolOf('prod');
    expect(await poolOf('prod')).toBe(first);
    // an exec plugin's refreshed token is a header: the TLS connection stays the same
    expect(await poolOf('prod', { token: 'refreshed-token' })).toBe(first);
    expect(connections.poolsOf('prod')).toBe(1);
  });

  it.each<[string, Credentials]>([
    ['another server', { server: 'https://api.prod-2.example:6443' }],
    ['another CA', { ca: 'rotated-ca' }],
    ['a client certificate', { cert: 'alice-cert' }],
    ['a proxy (Direct SSH)', { proxy: 'socks5://127.0.0.1:41234' }],
  ])('never shares connections with %s', async (_change, credentials) => {
    const plain = await poolOf('prod');
    const other = await poolOf('prod', credentials);
    expect(other).not.toBe(plain);
    expect(plain.closed).toBe(false);
  });

  it('never shares connections between two environments, even with the same kubeconfig', async () => {
    expect(await poolOf('prod-admin')).not.toBe(await poolOf('prod-oncall'));
  });

  it('keeps the previous client certificate for clients still holding it, and retires the one before', async () => {
    const january = await poolOf('prod', { cert: 'cert-january' });
    const february = await poolOf('prod', { cert: 'cert-february' });
    // a watch built in January authenticates again: its connections are still there
    expect(await poolOf('prod', { cert: 'cert-january' })).toBe(january);
    const march = await poolOf('prod', { cert: 'cert-march' });
    expect(connections.poolsOf('prod')).toBe(2);
    expect(february.closed).toBe(true);
    expect(february.destroyed).toBe(false); // its requests in flight finish
    expect(january.closed).toBe(false);
    expect(march.closed).toBe(false);
  });

  it('after a dead or silent link, the next request dials anew; a second report of the same link retires nothing more', async () => {
    const failed = await poolOf('prod');
    connections.of('prod').linkFailed(failed);
    expect(failed.closed).toBe(true);
    const fresh = await poolOf('prod');
    expect(fresh).not.toBe(failed);
    // a request that failed together with the first reports its pool late
    connections.of('prod').linkFailed(failed);
    expect(fresh.closed).toBe(false);
    expect(await poolOf('prod')).toBe(fresh);
  });

  it('cuts an environment’s connections when it is edited or removed, and leaves the others', async () => {
    const edited = await poolOf('prod');
    const other = await poolOf('staging');
    await connections.release('prod');
    expect(edited.destroyed).toBe(true);
    expect(other.closed).toBe(false);
    expect(await poolOf('prod')).not.toBe(edited);
  });

  it('cuts every connection when the app stops', async () => {
    const pools = [await poolOf('prod'), await poolOf('staging', { cert: 'staging-cert' })];
    await connections.close();
    expect(pools.map((pool) => pool.destroyed)).toEqual([true, true]);
  });

  it('without an environment, a client opens connections per request as client-node does', async () => {
    const kubeConfig = new DeadlineKubeConfig();
    kubeConfig.loadFromString(kubeconfig({}));
    const dispatchers = [];
    for (let i = 0; i < 2; i++) {
      const request = new RequestContext('https://api.prod.example:6443/api/v1/namespaces', HttpMethod.GET);
      await kubeConfig.applySecurityAuthentication(request);
      dispatchers.push(request.getDispatcher());
    }
    expect(dispatchers[0]).not.toBe(dispatchers[1]);
    expect(dispatchers[0]).not.toBeInstanceOf(ApiServerPool);
  });
});

describe('which requests hold a socket for their life', () => {
  it.each([
    ['/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb&watch=true&resourceVersion=12', true],
    ['/apis/apps/v1/deployments?watch=1', true],
    ['/api/v1/watch/namespaces/shop/pods', true],
    ['/apis/apps/v1/watch/namespaces/shop/deployments/web', true],
    ['/api/v1/namespaces/shop/pods/web-1/log?follow=true', true],
    ['/api/v1/namespaces/shop/pods?watch=false', false],
    ['/apis/apps/v1/namespaces/shop/deployments?limit=500', false],
    ['/api/v1/namespaces/watch/pods', false],
    ['/livez', false],
  ])('%s → stream: %s', (path, stream) => {
    expect(isStreamRequest(path)).toBe(stream);
  });
});

describe('which failed requests are sent again on a new connection', () => {
  const reset = (code: string): Error => new TypeError('fetch failed', { cause: Object.assign(new Error(`socket ${code}`), { code }) });

  it.each([
    ['GET', 'ECONNRESET', true],
    ['GET', 'EPIPE', true],
    ['GET', 'UND_ERR_SOCKET', true],
    ['HEAD', 'ECONNRESET', true],
    // a write may have reached the server: never sent twice
    ['POST', 'ECONNRESET', false],
    ['PATCH', 'EPIPE', false],
    ['PUT', 'UND_ERR_SOCKET', false],
    ['DELETE', 'ECONNRESET', false],
    // refused or unresolvable: a new connection would meet the same, the caller's backoff handles it
    ['GET', 'ECONNREFUSED', false],
    ['GET', 'ENOTFOUND', false],
    // the pool was retired before the request went out: nothing was sent, whatever the verb
    ['POST', 'UND_ERR_CLOSED', true],
  ])('%s after %s → %s', (method, code, again) => {
    expect(safeToResend(method, reset(code))).toBe(again);
  });

  it('does not send again a request the user or a deadline stopped', () => {
    expect(safeToResend('GET', new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe(false);
    expect(safeToResend('GET', new DOMException('This operation was aborted', 'AbortError'))).toBe(false);
  });
});
