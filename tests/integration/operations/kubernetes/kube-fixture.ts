// Shared set-up for the Kubernetes operations tests: kubeconfigs per test user, a real audit
// trail and permission gates. Links a test breaks go through tests/support/link-relay.ts.
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
