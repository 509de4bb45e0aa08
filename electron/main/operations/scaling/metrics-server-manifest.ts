import type { KubernetesObject } from '@kubernetes/client-node';
import { bundledMetricsServerVersion } from '../../../../shared/contract/scaling.ts';

// The objects of the official Metrics Server manifest (kubernetes-sigs/metrics-server
// release v0.7.2, components.yaml), embedded so installing needs no download from the
// operator's machine: clusters behind a bastion or VPN often cannot reach GitHub, and a fetched
// manifest would be code the app did not ship. The image is still pulled by the cluster.

export const metricsServerVersion = bundledMetricsServerVersion;
export const metricsServerNamespace = 'kube-system';
export const metricsServerName = 'metrics-server';
export const metricsServerImage = `registry.k8s.io/metrics-server/metrics-server:${metricsServerVersion}`;

export type ManifestObject = KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

const labels = { 'k8s-app': metricsServerName };
const namespace = metricsServerNamespace;
const subjects = [{ kind: 'ServiceAccount', name: metricsServerName, namespace }];

export const metricsServerManifest: readonly ManifestObject[] = [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: metricsServerName, namespace, labels } },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'system:aggregated-metrics-reader',
      labels: { ...labels, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
    },
    rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'system:metrics-server', labels },
    rules: [
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'metrics-server-auth-reader', namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
    subjects,
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'metrics-server:system:auth-delegator', labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
    subjects,
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:metrics-server', labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:metrics-server' },
    subjects,
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: metricsServerName, namespace, labels },
    spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }], selector: labels },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: metricsServerName, namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: metricsServerName,
              image: metricsServerImage,
              imagePullPolicy: 'IfNotPresent',
              args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s'],
              ports: [{ containerPort: 10250, name: 'https', protocol: 'TCP' }],
              livenessProbe: { failureThreshold: 3, httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10 },
              readinessProbe: { failureThreshold: 3, httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10 },
              resources: { requests: { cpu: '100m', memory: '200Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 1000,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ mountPath: '/tmp', name: 'tmp-dir' }],
            },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: metricsServerName,
          volumes: [{ emptyDir: {}, name: 'tmp-dir' }],
        },
      },
    },
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1beta1.metrics.k8s.io', labels },
    spec: {
      group: 'metrics.k8s.io',
      groupPriorityMinimum: 100,
      insecureSkipTLSVerify: true,
      service: { name: metricsServerName, namespace },
      version: 'v1beta1',
      versionPriority: 100,
    },
  },
];
