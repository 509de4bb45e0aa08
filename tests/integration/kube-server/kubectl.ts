// Runs the real kubectl binary against a kube test server, as a user would: execFile (no
// shell), a kubeconfig per test user, and a private HOME and discovery cache per server.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeTestServer } from '../../kube-server/index.ts';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Kubectl {
  (args: string[], options?: { user?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** Runs kubectl and fails the test with its stderr if it exits non-zero. */
  ok(args: string[], options?: { user?: string; timeoutMs?: number }): Promise<string>;
  home: string;
  cleanup(): Promise<void>;
}

export async function kubectlFor(server: KubeTestServer): Promise<Kubectl> {
  const home = await mkdtemp(join(tmpdir(), 'kiops-kubectl-home-'));
  const run = async (args: string[], options: { user?: string; timeoutMs?: number } = {}): Promise<KubectlResult> => {
    const kubeconfig = await server.kubeconfigPath(options.user ?? 'admin');
    return new Promise((resolve) => {
      execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, timeout: options.timeoutMs ?? 30_000, maxBuffer: 256 * 2 ** 20 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ stdout, stderr, code });
        },
      );
    });
  };
  const kubectl = Object.assign(run, {
    home,
    async ok(args: string[], options: { user?: string; timeoutMs?: number } = {}): Promise<string> {
      const result = await run(args, options);
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return result.stdout;
    },
    async cleanup(): Promise<void> {
      await rm(home, { recursive: true, force: true });
    },
  });
  return kubectl;
}

/** Rows of a kubectl table as objects keyed by header (columns split on 2+ spaces). */
export function parseTable(output: string): Record<string, string>[] {
  const lines = output.trimEnd().split('\n').filter((line) => line.trim() !== '');
  const header = lines[0] ?? '';
  const starts: number[] = [];
  const names: string[] = [];
  const pattern = /\S+(?: \S+)*/g;
  for (let match = pattern.exec(header); match; match = pattern.exec(header)) {
    starts.push(match.index);
    names.push(match[0]);
  }
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    names.forEach((name, index) => {
      const end = starts[index + 1] ?? line.length;
      row[name] = line.slice(starts[index], end).trim();
    });
    return row;
  });
}
