import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { CallInput, CallName } from '../../../shared/contract/index.ts';
import { mutatingCalls } from '../../../electron/main/audit/audited-calls.ts';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { openDatabase } from '../../../electron/main/storage/database.ts';
import { MemorySecretStore } from '../../../electron/main/secrets/memory-secret-store.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { compose, EngineContainers } from '../catalog/support.ts';
import { freePort, startCaddy, type CaddyServer } from '../../support/caddy-server.ts';
import { writeDockerContext } from '../environments/support/docker-context-files.ts';

// Architecture property 7 as a table: every mutating contract call, once carried out and once
// refused, through the router as the renderer reaches it, leaves its newest audit row. The list
// of mutating calls comes from the contract (all calls minus audit/audited-calls.ts'
// readOnlyCalls), so a new mutating call without a case here fails the first test.

const env = useTestEnvironment('keyring', 'docker', 'ssh');
const wgKey = () => randomBytes(32).toString('base64');
const wireguard = (allowedIps: string) =>
  ['[Interface]', `PrivateKey = ${wgKey()}`, 'Address = 10.231.0.2/32', '', '[Peer]', `PublicKey = ${wgKey()}`, 'Endpoint = 127.0.0.1:51820', `AllowedIPs = ${allowedIps}`, ''].join('\n');

type Expected = { action: string; outcome: AuditRowView['outcome'] };
interface Attempt {
  readonly input: () => unknown;
  readonly row: Expected;
  /** Checks the call's own answer where it tells more than the row (a needs-confirmation answer). */
  readonly answer?: (value: unknown) => void;
}
interface Case {
  readonly call: CallName;
  readonly succeed: Attempt;
  readonly refuse: Attempt;
  /** The passphrase vault's calls need a computer without an OS keychain: a second core of its own. */
  readonly on?: 'no-keychain';
}

describe('every mutating contract call leaves its audit row, carried out and refused', () => {
  let kube: KubeTestServer;
  let core: KiopsCore;
  let client: KiopsClient;
  let containers: EngineContainers;
  let caddy: CaddyServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-mutating-'));
  const vaultDataDir = mkdtempSync(join(tmpdir(), 'kiops-mutating-vault-'));
  const vaultPassphrase = `mutating ${randomBytes(8).toString('hex')}`;
  let noKeychainCore: KiopsCore | undefined;
  let noKeychainClient: KiopsClient;
  const ids = { admin: '', viewer: '', docker: '', readonlyDocker: '', sshCluster: '' };
  const state = { fileEnvironment: '', historyId: 0, domainPort: 0, extraEnvironment: '', engineEnvironment: '', identity: '', vpnProfile: '', manualService: '', configVersion: '', webPod: '', containerId: '' };
  const project = `audit${Date.now().toString(36)}`;
  const service = (user: 'admin' | 'viewer', deployment: string) => `${ids[user]}:deployment:default/${deployment}`;
  const unknownId = 'no-such-record-0000';
  const sshHostPort = () => `${env.ssh.host}:${env.ssh.port}`;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27', requests: { cpu: '100m' } });
    kube.applyDeployment({ name: 'batch', replicas: 4, requests: { cpu: '3' } });
    kube.applyDeployment({ name: 'pull', replicas: 1, image: 'registry.example.com/team/pull-error:1.0' });
    // at 0 replicas under an HPA (ScalingDisabled): what scaling.resumeHpa mends
    kube.applyDeployment({ name: 'idle', replicas: 0, image: 'nginx:1.27', requests: { cpu: '100m' } });
    kube.apply({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'idle', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'idle' }, minReplicas: 1, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] } });
    caddy = await startCaddy();
    kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    await kube.waitFor(() => kube.podsOf('default', 'batch').length === 4 && kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running').length === 2, 30_000, 'pods');

    // an engine environment whose name the organisation policy limits to logs
    writeFileSync(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\nrules:\n  - match: { name: "readonly-*" }\n    allow: [logs]\n');
    // Docker contexts from a private config folder: one on the test dockerd, one plain tcp (refused unless accepted)
    const dockerConfig = join(dataDir, 'docker-config');
    writeDockerContext(dockerConfig, 'audit-local', `unix://${env.docker.socketPath}`);
    writeDockerContext(dockerConfig, 'audit-plain', 'tcp://127.0.0.1:2375');
    // a home folder of the test's own, whose ~/.ssh/known_hosts holds the test sshd's key (hostKeys.importKnownHosts)
    mkdirSync(join(dataDir, 'home', '.ssh'), { recursive: true });
    writeFileSync(join(dataDir, 'home', '.ssh', 'known_hosts'), `[${env.ssh.host}]:${env.ssh.port} ${env.ssh.hostKey.publicKey}\n`);
    const host = { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, homeDir: join(dataDir, 'home') };
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-mutating-test-${randomUUID()}`, probeTimeoutMs: 3_000, caddyAdminUrls: [caddy.adminUrl], host, logger: { error: () => {}, warn: () => {} } });
    const sender = { transport: 'memory', origin: 'mutating-test' } as const;
    core.senderPolicy.allow((candidate) => candidate.origin === sender.origin);
    client = createClient(createMemoryTransport(core.router, sender));
    noKeychainCore = await createKiopsCore({ dataDir: vaultDataDir, shell: 'browser', version: 'test', secrets: new MemorySecretStore({ available: false }), logger: { error: () => {}, warn: () => {} } });
    noKeychainCore.senderPolicy.allow((candidate) => candidate.origin === sender.origin);
    noKeychainClient = createClient(createMemoryTransport(noKeychainCore.router, sender));
    for (const user of ['admin', 'viewer'] as const) {
      const added = await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') }, contexts: [kube.contextName(user)], name: `${user} cluster` });
      ids[user] = added.environments[0]?.id ?? '';
    }
    ids.docker = (await client.call('environments.addEngine', { name: 'local docker', engine: 'docker', socketPath: env.docker.socketPath })).id;
    ids.readonlyDocker = (await client.call('environments.addEngine', { name: 'readonly-docker', engine: 'docker', socketPath: env.docker.socketPath })).id;
    containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    state.containerId = (await containers.docker.getContainer(`${project}-web-1`).inspect()).Id;
    // a service Caddy can route to: host networking, httpd on a loopback port
    state.domainPort = await freePort();
    const site = await containers.docker.createContainer({
      name: `${project}site-web-1`,
      Image: env.docker.images.version1.reference,
      Cmd: ['httpd', '-f', '-p', `127.0.0.1:${state.domainPort}`, '-h', '/etc'],
      ExposedPorts: { [`${state.domainPort}/tcp`]: {} },
      Labels: { 'com.docker.compose.project': `${project}site`, 'com.docker.compose.service': 'web' },
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'host' },
    });
    await site.start();
  });

  afterAll(async () => {
    await containers?.removeAll();
    await containers?.docker.getContainer(`${project}site-web-1`).remove({ force: true }).catch(() => undefined);
    await caddy?.stop();
    if (core !== undefined) {
      for (const key of await core.secrets.list('').catch(() => [])) await core.secrets.delete(key).catch(() => false);
      await core.close();
    }
    await noKeychainCore?.close();
    await kube?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(vaultDataDir, { recursive: true, force: true });
  });

  const runningWebPod = () => kube.podsOf('default', 'web').find((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp)?.metadata.name ?? '';
  const pendingBatchPod = () => kube.podsOf('default', 'batch').find((pod) => pod.status?.phase === 'Pending')?.metadata.name ?? '';
  const viewerRefusal = (action: string): Expected => ({ action, outcome: 'refused' });
  const testPolicy = { version: 1, default: ['logs', 'commands', 'management'], rules: [{ match: { name: 'readonly-*' }, allow: ['logs'] }] } as const satisfies CallInput<'policy.save'>['policy'];
  const policyRevision = () => createHash('sha256').update(readFileSync(join(dataDir, 'organisation-policy.yaml'), 'utf8')).digest('hex');

  const cases: Case[] = [
    {
      call: 'app.createVault',
      on: 'no-keychain',
      succeed: { input: () => ({ passphrase: vaultPassphrase }), row: { action: 'app.create-vault', outcome: 'success' } },
      // there is one now: never overwritten
      refuse: { input: () => ({ passphrase: `${vaultPassphrase}-other` }), row: { action: 'app.create-vault', outcome: 'refused' } },
    },
    {
      call: 'app.unlockVault',
      on: 'no-keychain',
      succeed: { input: () => ({ passphrase: vaultPassphrase }), row: { action: 'app.unlock-vault', outcome: 'success' } },
      refuse: { input: () => ({ passphrase: `${vaultPassphrase}x` }), row: { action: 'app.unlock-vault', outcome: 'refused' } },
    },
    {
      call: 'environments.addKubernetes',
      succeed: { input: () => ({ source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'extra cluster' }), row: { action: 'environment.add', outcome: 'success' } },
      refuse: { input: () => ({ source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: ['no-such-context'], name: 'never added' }), row: { action: 'environment.add', outcome: 'refused' } },
    },
    {
      call: 'environments.addEngine',
      succeed: { input: () => ({ name: 'second docker', engine: 'docker', socketPath: env.docker.socketPath }), row: { action: 'environment.add', outcome: 'success' } },
      // an SSH host through an identity that does not exist: refused before anything is stored
      refuse: {
        input: () => ({ name: 'third docker', engine: 'docker', socketPath: env.docker.socketPath, connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: unknownId } } }),
        row: { action: 'environments.add-engine', outcome: 'refused' },
      },
    },
    {
      call: 'environments.addDockerContext',
      succeed: { input: () => ({ contextName: 'audit-local', name: 'docker from a context' }), row: { action: 'environment.add', outcome: 'success' } },
      // plain tcp without the user's explicit acceptance
      refuse: { input: () => ({ contextName: 'audit-plain', name: 'plain tcp docker' }), row: { action: 'environment.add', outcome: 'refused' } },
    },
    {
      call: 'environments.update',
      succeed: { input: () => ({ id: state.extraEnvironment, name: 'extra cluster renamed' }), row: { action: 'environment.edit', outcome: 'success' } },
      refuse: { input: () => ({ id: unknownId, name: 'nobody' }), row: { action: 'environments.update', outcome: 'refused' } },
    },
    {
      call: 'environments.reimportKubeconfig',
      succeed: { input: () => ({ id: state.fileEnvironment }), row: { action: 'environment.reimport', outcome: 'success' } },
      refuse: { input: () => ({ id: unknownId }), row: { action: 'environments.reimport-kubeconfig', outcome: 'refused' } },
    },
    {
      call: 'environments.remove',
      succeed: { input: () => ({ id: state.extraEnvironment }), row: { action: 'environment.remove', outcome: 'success' } },
      refuse: { input: () => ({ id: unknownId }), row: { action: 'environments.remove', outcome: 'refused' } },
    },
    {
      call: 'sshIdentities.add',
      succeed: { input: () => ({ kind: 'private-key', name: 'audit key', privateKey: readFileSync(env.ssh.keys.ed25519.privateKeyPath, 'utf8') }), row: { action: 'ssh-identity.add', outcome: 'success' } },
      refuse: { input: () => ({ kind: 'private-key', name: 'broken key', privateKey: 'not a private key' }), row: { action: 'ssh-identity.add', outcome: 'refused' } },
    },
    {
      call: 'hostKeys.trust',
      succeed: { input: () => ({ environmentId: ids.sshCluster, fingerprint: env.ssh.hostKey.fingerprint }), row: { action: 'host-key.trust', outcome: 'success' } },
      refuse: { input: () => ({ environmentId: ids.admin, fingerprint: env.ssh.hostKey.fingerprint }), row: { action: 'host-keys.trust', outcome: 'refused' } },
    },
    {
      // the pin is already this key: re-pinning it to itself is carried out; a stale previous key is refused
      call: 'hostKeys.repin',
      succeed: { input: () => ({ environmentId: ids.sshCluster, hostPort: sshHostPort(), previousFingerprint: env.ssh.hostKey.fingerprint, fingerprint: env.ssh.hostKey.fingerprint, confirm: true }), row: { action: 'host-key.repin', outcome: 'success' } },
      refuse: { input: () => ({ environmentId: ids.sshCluster, hostPort: sshHostPort(), previousFingerprint: `SHA256:${'A'.repeat(43)}`, fingerprint: env.ssh.hostKey.fingerprint, confirm: true }), row: { action: 'host-keys.repin', outcome: 'refused' } },
    },
    {
      call: 'hostKeys.forget',
      succeed: { input: () => ({ environmentId: ids.sshCluster, hostPort: sshHostPort() }), row: { action: 'host-key.forget', outcome: 'success' } },
      refuse: { input: () => ({ environmentId: ids.admin, hostPort: sshHostPort() }), row: { action: 'host-keys.forget', outcome: 'refused' } },
    },
    {
      // pins the key again from the known_hosts written in the test's home folder
      call: 'hostKeys.importKnownHosts',
      succeed: { input: () => ({ environmentId: ids.sshCluster, hostPort: sshHostPort() }), row: { action: 'host-key.import', outcome: 'success' } },
      refuse: { input: () => ({ environmentId: ids.admin, hostPort: sshHostPort() }), row: { action: 'host-keys.import-known-hosts', outcome: 'refused' } },
    },
    {
      call: 'connections.setMethod',
      succeed: { input: () => ({ environmentId: ids.sshCluster, selected: 'direct' }), row: { action: 'connection.change', outcome: 'success' } },
      refuse: { input: () => ({ environmentId: unknownId, selected: 'direct' }), row: { action: 'connections.set-method', outcome: 'refused' } },
    },
    {
      call: 'sshIdentities.remove',
      succeed: { input: () => ({ id: state.identity }), row: { action: 'ssh-identity.remove', outcome: 'success' } },
      refuse: { input: () => ({ id: unknownId }), row: { action: 'ssh-identities.remove', outcome: 'refused' } },
    },
    {
      call: 'vpnProfiles.add',
      succeed: { input: () => ({ name: 'audit vpn', profile: wireguard('10.231.0.0/24') }), row: { action: 'vpn-profile.add', outcome: 'success' } },
      refuse: { input: () => ({ name: 'full tunnel', profile: wireguard('0.0.0.0/0') }), row: { action: 'vpn-profile.add', outcome: 'refused' } },
    },
    {
      call: 'vpnProfiles.remove',
      succeed: { input: () => ({ id: state.vpnProfile }), row: { action: 'vpn-profile.remove', outcome: 'success' } },
      refuse: { input: () => ({ id: unknownId }), row: { action: 'vpn-profiles.remove', outcome: 'refused' } },
    },
    {
      call: 'catalog.setNamespaces',
      succeed: { input: () => ({ environmentId: ids.admin, namespaces: ['default'] }), row: { action: 'catalog.set-namespaces', outcome: 'success' } },
      refuse: { input: () => ({ environmentId: ids.docker, namespaces: ['default'] }), row: { action: 'catalog.set-namespaces', outcome: 'refused' } },
    },
    {
      call: 'catalog.register',
      succeed: { input: () => ({ name: 'manual web', environmentId: ids.admin, target: { kind: 'deployment', namespace: 'default', deployment: 'web' } }), row: { action: 'service.register', outcome: 'success' } },
      refuse: { input: () => ({ name: 'misplaced', environmentId: ids.docker, target: { kind: 'deployment', namespace: 'default', deployment: 'web' } }), row: { action: 'catalog.register', outcome: 'refused' } },
    },
    {
      call: 'catalog.unregister',
      succeed: { input: () => ({ serviceId: state.manualService }), row: { action: 'service.unregister', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('admin', 'web') }), row: { action: 'catalog.unregister', outcome: 'refused' } },
    },
    {
      call: 'pods.restart',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), pod: runningWebPod() }), row: { action: 'pod.delete', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), pod: runningWebPod() }), row: viewerRefusal('pod.delete') },
    },
    {
      call: 'pods.forceDelete',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), pod: runningWebPod() }), row: { action: 'pod.force-delete', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), pod: runningWebPod() }), row: viewerRefusal('pod.force-delete') },
    },
    {
      call: 'pods.deletePending',
      succeed: { input: () => ({ serviceId: service('admin', 'batch'), expectedPods: [pendingBatchPod()] }), row: { action: 'pods.delete-pending', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'batch'), expectedPods: [pendingBatchPod() || 'batch-x'] }), row: viewerRefusal('pods.delete-pending') },
    },
    {
      call: 'scaling.setReplicas',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), replicas: 3 }), row: { action: 'deployment.scale', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), replicas: 1 }), row: viewerRefusal('deployment.scale') },
    },
    {
      call: 'metricsServer.install',
      succeed: { input: () => ({ serviceId: service('admin', 'web') }), row: { action: 'metrics-server.install', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web') }), row: viewerRefusal('metrics-server.install') },
    },
    {
      call: 'scaling.setHpa',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), minReplicas: 2, maxReplicas: 4, targetCpu: 70 }), row: { action: 'hpa.set', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), minReplicas: 2, maxReplicas: 4, targetCpu: 70 }), row: viewerRefusal('hpa.set') },
    },
    {
      call: 'scaling.deleteHpa',
      succeed: { input: () => ({ serviceId: service('admin', 'web') }), row: { action: 'hpa.delete', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web') }), row: viewerRefusal('hpa.delete') },
    },
    {
      call: 'diagnostics.imageCacheCleanup',
      succeed: { input: () => ({ serviceId: service('admin', 'pull'), expectedPods: kube.podsOf('default', 'pull').map((pod) => pod.metadata.name ?? '') }), row: { action: 'pods.image-cache-cleanup', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'pull'), expectedPods: kube.podsOf('default', 'pull').map((pod) => pod.metadata.name ?? '') }), row: viewerRefusal('pods.image-cache-cleanup') },
    },
    {
      call: 'deployment.setImage',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), container: 'web', image: 'nginx:1.28' }), row: { action: 'deployment.set-image', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), container: 'web', image: 'nginx:1.29' }), row: viewerRefusal('deployment.set-image') },
    },
    {
      call: 'deployment.rollback',
      succeed: { input: () => ({ serviceId: service('admin', 'web') }), row: { action: 'deployment.rollback', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web') }), row: viewerRefusal('deployment.rollback') },
    },
    {
      call: 'deployment.restart',
      succeed: { input: () => ({ serviceId: service('admin', 'web') }), row: { action: 'deployment.restart', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web') }), row: viewerRefusal('deployment.restart') },
    },
    {
      call: 'config.create',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), kind: 'secret', name: 'audit-secret' }), row: { action: 'secret.create', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), kind: 'secret', name: 'viewer-secret' }), row: viewerRefusal('secret.create') },
    },
    {
      call: 'config.setKey',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), kind: 'secret', name: 'audit-secret', key: 'TOKEN', value: 'swordfish', resourceVersion: state.configVersion }), row: { action: 'secret.set-key', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), kind: 'secret', name: 'audit-secret', key: 'TOKEN', value: 'x', resourceVersion: state.configVersion }), row: viewerRefusal('secret.set-key') },
    },
    {
      call: 'config.reveal',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), kind: 'secret', name: 'audit-secret', key: 'TOKEN' }), row: { action: 'secret.reveal', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), kind: 'secret', name: 'audit-secret', key: 'TOKEN' }), row: viewerRefusal('secret.reveal') },
    },
    {
      call: 'config.deleteKey',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), kind: 'secret', name: 'audit-secret', key: 'TOKEN', resourceVersion: state.configVersion }), row: { action: 'secret.delete-key', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), kind: 'secret', name: 'audit-secret', key: 'TOKEN', resourceVersion: state.configVersion }), row: viewerRefusal('secret.delete-key') },
    },
    {
      call: 'domains.add',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), host: 'audit.example.com', servicePort: 80 }), row: { action: 'domain.add', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), host: 'viewer.example.com', servicePort: 80 }), row: viewerRefusal('domain.add') },
    },
    {
      call: 'domains.remove',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), host: 'audit.example.com', path: '/' }), row: { action: 'domain.remove', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'web'), host: 'audit.example.com', path: '/' }), row: viewerRefusal('domain.remove') },
    },
    {
      call: 'commands.run',
      succeed: { input: () => ({ serviceId: service('admin', 'web'), line: 'kubectl get pods' }), row: { action: 'command.run', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('admin', 'web'), line: 'kubectl delete namespace kube-system' }), row: { action: 'command.run', outcome: 'refused' } },
    },
    {
      call: 'containers.restart',
      succeed: { input: () => ({ serviceId: `${ids.docker}:compose:${project}`, containerId: state.containerId, stopTimeoutSeconds: 0 }), row: { action: 'container.restart', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: `${ids.docker}:compose:${project}`, containerId: 'a'.repeat(64) }), row: { action: 'containers.restart', outcome: 'refused' } },
    },
    {
      call: 'containers.redeploy',
      succeed: { input: () => ({ serviceId: `${ids.docker}:compose:${project}`, containerId: state.containerId, stopTimeoutSeconds: 0 }), row: { action: 'container.redeploy', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: `${ids.docker}:compose:${project}`, containerId: 'b'.repeat(64) }), row: { action: 'containers.redeploy', outcome: 'refused' } },
    },
    {
      call: 'containers.rollback',
      succeed: { input: () => ({ serviceId: `${ids.docker}:compose:${project}`, historyId: state.historyId }), row: { action: 'container.rollback', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: `${ids.docker}:compose:${project}`, historyId: 2 ** 40 }), row: { action: 'containers.rollback', outcome: 'refused' } },
    },
    {
      call: 'scaling.resumeHpa',
      succeed: { input: () => ({ serviceId: service('admin', 'idle') }), row: { action: 'deployment.scale', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: service('viewer', 'idle') }), row: { action: 'deployment.scale', outcome: 'refused' } },
    },
    {
      call: 'engineDomains.add',
      succeed: { input: () => ({ serviceId: `${ids.docker}:compose:${project}site`, host: 'audit-site.example.test', port: state.domainPort }), row: { action: 'domain.add', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: `${ids.readonlyDocker}:compose:${project}site`, host: 'audit-site.example.test', port: state.domainPort }), row: { action: 'domain.add', outcome: 'refused' } },
    },
    {
      call: 'engineDomains.remove',
      succeed: { input: () => ({ serviceId: `${ids.docker}:compose:${project}site`, host: 'audit-site.example.test' }), row: { action: 'domain.remove', outcome: 'success' } },
      refuse: { input: () => ({ serviceId: `${ids.readonlyDocker}:compose:${project}site`, host: 'audit-site.example.test' }), row: { action: 'domain.remove', outcome: 'refused' } },
    },
    {
      call: 'audit.acknowledge',
      // An intact trail has nothing to acknowledge (refused); after a row is edited behind the app's back, it has.
      refuse: { input: () => ({ reason: 'nothing happened' }), row: { action: 'audit.acknowledge', outcome: 'refused' } },
      succeed: { input: () => ({ reason: 'edited row reviewed by the test' }), row: { action: 'audit.reseal', outcome: 'success' } },
    },
    {
      // the same rules the test wrote (the cases after it rely on them); then the file is made read-only (managed)
      call: 'policy.save',
      succeed: { input: () => ({ policy: testPolicy, revision: policyRevision() }), row: { action: 'policy.save', outcome: 'success' } },
      refuse: {
        input: () => {
          chmodSync(join(dataDir, 'organisation-policy.yaml'), 0o444);
          return { policy: { ...testPolicy, default: [] }, revision: policyRevision() };
        },
        row: { action: 'policy.save', outcome: 'refused' },
      },
    },
  ];

  /** Steps between cases that the next case needs (ids of what the previous one created). */
  const after: Partial<Record<CallName, () => Promise<void>>> = {
    'environments.addKubernetes': async () => {
      state.extraEnvironment = (await client.call('environments.list', {})).environments.find((candidate) => candidate.name === 'extra cluster')?.id ?? '';
      // one imported from a file, which environments.reimportKubeconfig reads again
      const file = join(dataDir, 'file-cluster.kubeconfig');
      writeFileSync(file, kube.kubeconfigYaml('admin', 'default'), { mode: 0o600 });
      const fromFile = await client.call('environments.addKubernetes', { source: { kind: 'paths', paths: [file] }, contexts: [kube.contextName('admin')], name: 'file cluster' });
      state.fileEnvironment = fromFile.environments[0]?.id ?? '';
    },
    'sshIdentities.add': async () => {
      state.identity = (await client.call('sshIdentities.list', {})).identities.find((candidate) => candidate.name === 'audit key')?.id ?? '';
      const added = await client.call('environments.addKubernetes', {
        source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') },
        contexts: [kube.contextName('admin')],
        name: 'cluster over ssh',
        connection: { selected: 'ssh', methods: ['ssh', 'direct'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: state.identity } },
      });
      ids.sshCluster = added.environments[0]?.id ?? '';
    },
    'connections.setMethod': async () => {
      await client.call('environments.remove', { id: ids.sshCluster }); // frees the identity for sshIdentities.remove
    },
    'vpnProfiles.add': async () => {
      state.vpnProfile = (await client.call('vpnProfiles.list', {})).profiles.find((candidate) => candidate.name === 'audit vpn')?.id ?? '';
    },
    'catalog.register': async () => {
      state.manualService = (await client.call('catalog.list', {})).services.find((candidate) => candidate.name === 'manual web')?.id ?? '';
    },
    'config.create': async () => {
      const listed = await client.call('config.list', { serviceId: service('admin', 'web') });
      state.configVersion = listed.objects.find((object) => object.name === 'audit-secret')?.resourceVersion ?? '';
    },
    'config.setKey': async () => {
      const listed = await client.call('config.list', { serviceId: service('admin', 'web') });
      state.configVersion = listed.objects.find((object) => object.name === 'audit-secret')?.resourceVersion ?? '';
    },
  };
  async function rolloutSettled(): Promise<void> {
    await kube.waitFor(() => {
      const deployment = kube.get('Deployment', 'default', 'web') as { metadata: { generation?: number }; status?: { observedGeneration?: number; updatedReplicas?: number; replicas?: number } } | undefined;
      return deployment?.status?.observedGeneration === deployment?.metadata.generation && deployment?.status?.updatedReplicas === deployment?.status?.replicas;
    }, 30_000, 'the rollout to settle');
  }
  const before: Partial<Record<CallName, () => Promise<void>>> = {
    'diagnostics.imageCacheCleanup': async () => {
      await kube.waitFor(() => kube.podsOf('default', 'pull').every((pod) => ['ErrImagePull', 'ImagePullBackOff'].includes(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '')), 30_000, 'pull errors');
    },
    // each rewrites the Deployment: let the controller finish the previous rollout first (no
    // retry on a resourceVersion conflict in the app yet; that is not what this table tests)
    'deployment.setImage': rolloutSettled,
    'deployment.rollback': rolloutSettled,
    'deployment.restart': rolloutSettled,
    'containers.rollback': async () => {
      const view = await client.call('containers.deployment', { serviceId: `${ids.docker}:compose:${project}` });
      state.historyId = view.history?.[0]?.id ?? 0;
      if (state.historyId === 0) throw new Error('no image history recorded for the service');
    },
    'pods.forceDelete': async () => {
      await kube.waitFor(() => runningWebPod() !== '', 30_000, 'a running web pod');
    },
  };

  const newest = async (via: KiopsClient = client): Promise<AuditRowView> => {
    const row = (await via.call('audit.list', { limit: 1 })).rows[0];
    if (row === undefined) throw new Error('no audit row at all');
    return row;
  };

  const attempt = async (name: CallName, input: unknown, via: KiopsClient): Promise<{ value?: unknown; error?: unknown }> => {
    try {
      return { value: await (via.call as (name: CallName, input: CallInput<CallName>) => Promise<unknown>)(name, input as CallInput<CallName>) };
    } catch (error) {
      return { error };
    }
  };

  it('has one case for every mutating call in the contract', () => {
    expect(cases.map((entry) => entry.call).sort()).toEqual(mutatingCalls().sort());
  });

  for (const entry of cases) {
    const order: ('succeed' | 'refuse')[] = entry.call === 'audit.acknowledge' ? ['refuse', 'succeed'] : ['succeed', 'refuse'];
    for (const way of order) {
      it(`${entry.call}: ${way === 'succeed' ? 'carried out' : 'refused'} → newest row ${entry[way].row.action} ${entry[way].row.outcome}`, async () => {
        if (way === 'succeed') await before[entry.call]?.();
        if (entry.call === 'audit.acknowledge' && way === 'succeed') {
          const database = openDatabase(dataDir);
          try {
            database.exec('DROP TRIGGER audit_trail_append_only_update');
            database.prepare("UPDATE audit_trail SET target = 'someone-else' WHERE seq = 5").run();
          } finally {
            database.close();
          }
          expect(await client.call('audit.verify', {})).toMatchObject({ ok: false, problem: 'edited', atSeq: 5 });
        }
        const via = entry.on === 'no-keychain' ? noKeychainClient : client;
        // the vault keeps the audit key, so before it exists that trail has no row at all
        const seqBefore = (await via.call('audit.list', { limit: 1 })).rows[0]?.seq ?? 0;
        const result = await attempt(entry.call, entry[way].input(), via);
        if (way === 'succeed') expect(result.error).toBeUndefined();
        const row = await newest(via);
        if (entry.on === 'no-keychain') expect(JSON.stringify(row)).not.toContain(vaultPassphrase);
        expect(row.seq).toBeGreaterThan(seqBefore);
        expect(row).toMatchObject(entry[way].row);
        if (way === 'refuse') expect(row.error ?? JSON.stringify(row.details)).not.toBe('');
        const startedSeq = row.details.startedSeq;
        if (typeof startedSeq === 'number') {
          const started = (await via.call('audit.list', { limit: 1, beforeSeq: startedSeq + 1 })).rows[0];
          expect(started).toMatchObject({ seq: startedSeq, action: row.action, outcome: 'started', target: row.target });
        } else if (way === 'succeed' && entry.call !== 'commands.run' && entry.call !== 'audit.acknowledge') {
          throw new Error(`${entry.call} succeeded without a started row chained to its outcome: ${JSON.stringify(row)}`);
        }
        if (way === 'succeed') await after[entry.call]?.();
      });
    }
  }
});
