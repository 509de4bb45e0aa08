// Does the kube test server keep up with kubectl? Lists a 5,000-pod namespace with the real
// kubectl (default table output, chunks of 500, and -o json) and with a raw HTTPS GET of the
// same list, and prints medians and the kubectl/raw ratio. Run: node bench/kube-list.ts

import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeTestServer } from '../tests/kube-server/index.ts';

const PODS = 5000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const server = await startKubeTestServer({ extraUsers: [{ name: 'bench', groups: [], auth: 'token', token: 'bench-token', rules: [{ verbs: ['*'], resources: ['*'] }] }] });
const home = await mkdtemp(join(tmpdir(), 'kiops-bench-kubectl-'));
try {
  const seedStart = performance.now();
  server.seedPods({ namespace: 'bench', prefix: 'load', counts: { running: PODS - 100, pending: 50, crashLoop: 50 } });
  const seedMs = performance.now() - seedStart;
  const kubeconfig = await server.kubeconfigPath('bench');

  const kubectl = (args: string[]): Promise<{ ms: number; bytes: number }> =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args], { env: { HOME: home, PATH: process.env.PATH ?? '' }, maxBuffer: 512 * 2 ** 20 }, (error, stdout) => {
        if (error) reject(error);
        else resolve({ ms: performance.now() - start, bytes: stdout.length });
      });
    });

  const rawGet = (path: string, accept: string): Promise<{ ms: number; bytes: number }> =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const url = new URL(path, server.url);
      const req = request(url, { ca: server.caPem, headers: { Authorization: 'Bearer bench-token', Accept: accept } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const parsed = JSON.parse(body) as { items?: unknown[]; rows?: unknown[] };
          if ((parsed.items ?? parsed.rows ?? []).length !== PODS) reject(new Error('incomplete list'));
          else resolve({ ms: performance.now() - start, bytes: body.length });
        });
      });
      req.on('error', reject);
      req.end();
    });

  /** The same request sequence kubectl sends: limit=500 pages followed by their continue tokens. */
  const rawChunked = async (accept: string): Promise<{ ms: number; bytes: number }> => {
    const start = performance.now();
    let token = '';
    let bytes = 0;
    let count = 0;
    do {
      const page = await new Promise<{ body: string }>((resolve, reject) => {
        const url = new URL(`/api/v1/namespaces/bench/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`, server.url);
        const req = request(url, { ca: server.caPem, headers: { Authorization: 'Bearer bench-token', Accept: accept } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
      });
      const parsed = JSON.parse(page.body) as { items?: unknown[]; rows?: unknown[]; metadata?: { continue?: string } };
      bytes += page.body.length;
      count += (parsed.items ?? parsed.rows ?? []).length;
      token = parsed.metadata?.continue ?? '';
    } while (token);
    if (count !== PODS) throw new Error(`chunked list returned ${count} pods`);
    return { ms: performance.now() - start, bytes };
  };

  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const measure = async (run: () => Promise<{ ms: number; bytes: number }>): Promise<{ ms: number; bytes: number }> => {
    await run(); // warm-up: discovery cache, JIT, serialisation cache
    const samples: number[] = [];
    let bytes = 0;
    for (let index = 0; index < RUNS; index++) {
      const sample = await run();
      samples.push(sample.ms);
      bytes = sample.bytes;
    }
    return { ms: median(samples), bytes };
  };

  const rawJson = await measure(() => rawGet('/api/v1/namespaces/bench/pods', 'application/json'));
  const rawTable = await measure(() => rawGet('/api/v1/namespaces/bench/pods', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'));
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  const rawTableChunks = await measure(() => rawChunked(TABLE));
  const rawJsonChunks = await measure(() => rawChunked('application/json'));
  const kubectlStartup = await measure(() => kubectl(['get', 'namespace', 'default']));
  const kubectlTable = await measure(() => kubectl(['get', 'pods', '-n', 'bench']));
  const kubectlJson = await measure(() => kubectl(['get', 'pods', '-n', 'bench', '-o', 'json']));

  const line = (label: string, result: { ms: number; bytes: number }): string => `${label.padEnd(44)} ${result.ms.toFixed(1).padStart(8)} ms  ${(result.bytes / 2 ** 20).toFixed(2).padStart(7)} MiB`;
  process.stdout.write(
    [
      `kube test server list benchmark: ${PODS} pods in one namespace, median of ${RUNS} runs (seeding took ${seedMs.toFixed(0)} ms)`,
      line('raw HTTPS GET, JSON list (one request)', rawJson),
      line('raw HTTPS GET, Table (one request)', rawTable),
      line('raw HTTPS GETs, Table, 10 chunks of 500', rawTableChunks),
      line('raw HTTPS GETs, JSON, 10 chunks of 500', rawJsonChunks),
      line('kubectl get namespace default (startup floor)', kubectlStartup),
      line('kubectl get pods (Table, 10 chunks of 500)', kubectlTable),
      line('kubectl get pods -o json (10 chunks of 500)', kubectlJson),
      `ratio kubectl get pods / raw same-chunk Table GETs:       ${(kubectlTable.ms / rawTableChunks.ms).toFixed(1)}x`,
      `ratio kubectl get pods / raw single Table GET:            ${(kubectlTable.ms / rawTable.ms).toFixed(1)}x`,
      `ratio kubectl get pods -o json / raw same-chunk JSON GETs: ${(kubectlJson.ms / rawJsonChunks.ms).toFixed(1)}x`,
      `server share of kubectl get pods (raw chunks / kubectl):  ${((rawTableChunks.ms / kubectlTable.ms) * 100).toFixed(0)}%`,
      '',
    ].join('\n'),
  );
} finally {
  await server.close();
  await rm(home, { recursive: true, force: true });
}
