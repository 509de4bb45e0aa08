import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { kubectlFor, parseTable, type Kubectl } from './kubectl.ts';

describe('kubectl get -w and --chunk-size', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 60, containerStopMs: 20 } });
    kubectl = await kubectlFor(kube);
  });

  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
  });

  it('streams pod changes to kubectl get pods -w as they happen', async () => {
    kube.applyDeployment({ name: 'web', replicas: 1 });
    await kube.waitFor(() => kube.podsOf('default', 'web')[0]?.status?.phase === 'Running', 30_000, 'first pod');
    const kubeconfig = await kube.kubeconfigPath('admin');
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(kubectl.home, 'cache'), 'get', 'pods', '-w', '-l', 'app=web'], { env: { HOME: kubectl.home, PATH: process.env.PATH ?? '' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await kube.waitFor(() => output.includes('Running'), 30_000, 'initial listing');
      expect(output.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      kube.applyDeployment({ name: 'web', replicas: 2 });
      await kube.waitFor(() => output.split('\n').filter((line) => line.includes('Running')).length >= 2 && output.includes('ContainerCreating'), 30_000, 'streamed changes');
      const lines = output.trim().split('\n');
      const newPod = kube.podsOf('default', 'web').find((pod) => !lines[1]?.startsWith(pod.metadata.name ?? ''))?.metadata.name ?? '';
      // Watch rows are aligned one by one, so split them on runs of spaces.
      const states = lines.filter((line) => line.startsWith(newPod)).map((line) => line.split(/\s{2,}|\s(?=\S+$)/)[2]);
      expect(states[0]).toBe('Pending');
      expect(states).toContain('ContainerCreating');
      expect(states.at(-1)).toBe('Running');
      expect(lines.filter((line) => line.startsWith('NAME'))).toHaveLength(1);
    } finally {
      child.kill();
    }
  });

  it('pages through a 1,000-pod namespace with --chunk-size=100', async () => {
    kube.seedPods({ namespace: 'big', prefix: 'item', counts: { running: 990, pending: 5, crashLoop: 5 } });
    const result = await kubectl(['get', 'pods', '-n', 'big', '--chunk-size=100', '-v=6']);
    expect(result.code).toBe(0);
    const rows = parseTable(result.stdout);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((row) => row.NAME)).size).toBe(1000);
    expect(rows.filter((row) => row.STATUS === 'CrashLoopBackOff')).toHaveLength(5);
    const requests = result.stderr.split('\n').filter((line) => line.includes('GET') && /\/api\/v1\/namespaces\/big\/pods\?\S*limit=100/.test(line));
    expect(requests).toHaveLength(10);
    expect(requests.filter((line) => line.includes('continue='))).toHaveLength(9);
    const names = rows.map((row) => row.NAME ?? '');
    expect([...names].sort()).toEqual(names);
  });
});
