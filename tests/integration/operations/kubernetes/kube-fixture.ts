// Shared set-up for the Kubernetes operations tests: kubeconfigs per test user, a real audit
// trail, permission gates, and a TCP relay in front of the test API server that a test can cut
// (server-side connection drops) or block (API server unreachable).
import { createServer, Socket, type Server } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../../../shared/errors.ts';
import { clusterIdentity, type KubernetesAccess, type PermissionGate } from '../../../../electron/main/operations/kubernetes/kubernetes-access.ts';
import type { KubeTestServer } from '../../../kube-server/index.ts';

export function kubeConfigFor(kube: KubeTestServer, user = 'admin', server?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  const yaml = kube.kubeconfigYaml(user);
  kubeConfig.loadFromString(server === undefined ? yaml : yaml.replace(kube.url, server));
  return kubeConfig;
}

export function accessFor(kube: KubeTestServer, user = 'admin', environmentId = 'test-cluster'): KubernetesAccess {
  const kubeConfig = kubeConfigFor(kube, user);
  return { kubeConfig, identity: clusterIdentity(kubeConfig), environmentId };
}

export const allowAll: PermissionGate = { require: async () => undefined };

export function denying(message: string): PermissionGate & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async require(environmentId, capability) {
      asked.push(`${environmentId}:${capability}`);
      throw new AppError('PERMISSION_DENIED', message);
    },
  };
}

/** A relay 127.0.0.1:port → the API server. TLS passes through untouched. */
export interface ApiRelay {
  readonly url: string;
  /** Destroys every open connection, as a load balancer or a dying tunnel would. */
  dropConnections(): void;
  /** New connections are closed at once until unblock(); open ones are dropped. */
  block(): void;
  unblock(): void;
  close(): Promise<void>;
}

export async function startApiRelay(targetUrl: string): Promise<ApiRelay> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let blocked = false;
  const server: Server = createServer((client) => {
    if (blocked) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    const forget = (): void => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
    upstream.connect(Number(target.port), target.hostname, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const dropConnections = (): void => {
    for (const socket of [...sockets]) socket.destroy();
  };
  return {
    url: `https://127.0.0.1:${port}`,
    dropConnections,
    block() {
      blocked = true;
      dropConnections();
    },
    unblock() {
      blocked = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropConnections();
        server.close(() => resolve());
      }),
  };
}
