// kubeconfig documents for the test users: one cluster entry with the test CA embedded, and
// per user either a bearer token or an embedded client certificate.

import type { TestUser } from './rbac.ts';
import type { TestPki } from './tls.ts';

export const CLUSTER_NAME = 'kiops-test';

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

export function contextName(user: string): string {
  return `${user}@${CLUSTER_NAME}`;
}

export function kubeconfigYaml(url: string, pki: TestPki, user: TestUser, namespace = 'default'): string {
  const credentials =
    user.auth === 'token'
      ? `    token: ${user.token ?? ''}\n`
      : `    client-certificate-data: ${b64(pki.clients.get(user.name)?.certPem ?? '')}\n    client-key-data: ${b64(pki.clients.get(user.name)?.keyPem ?? '')}\n`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${CLUSTER_NAME}`,
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${b64(pki.caPem)}`,
    'users:',
    `- name: ${user.name}`,
    '  user:',
    credentials.trimEnd(),
    'contexts:',
    `- name: ${contextName(user.name)}`,
    '  context:',
    `    cluster: ${CLUSTER_NAME}`,
    `    user: ${user.name}`,
    `    namespace: ${namespace}`,
    `current-context: ${contextName(user.name)}`,
    'preferences: {}',
    '',
  ].join('\n');
}
