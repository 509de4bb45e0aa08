import { afterAll, describe, expect, it } from 'vitest';
import { ContainerStatsSampler } from '../../../../electron/main/operations/containers/container-stats.ts';
import { runCommandLine, useTestEnvironment } from '../../../support/test-environment.ts';
import { ContainerKit } from './engine-kit.ts';

const env = useTestEnvironment('docker', 'podman');

const units: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** "332KiB" (docker) or "405.5kB" (podman) → bytes. */
function bytesOf(text: string): number {
  const match = /^([\d.]+)\s*([A-Za-z]+)$/.exec(text.trim());
  const unit = units[match?.[2] ?? ''];
  if (match === null || unit === undefined) throw new Error(`unreadable size "${text}"`);
  return Number(match[1]) * unit;
}

describe.each(['docker', 'podman'] as const)('stats on real %s agree with its CLI stats --no-stream', (kind) => {
  const kit = new ContainerKit(kind, env[kind].socketPath, env[kind].images.version1.reference);
  afterAll(() => kit.removeAll());

  it('CPU % and memory of a busy container limited to half a CPU', async () => {
    const name = kit.uniqueName('busy');
    // Half a core by CFS quota: the loop would take a whole core, the quota holds it near 50 %,
    // which keeps the figure stable enough to compare two independent measurements.
    const container = await kit.run(name, { cmd: ['sh', '-c', 'while :; do :; done'], nanoCpus: 500_000_000, memory: 64 * 1024 * 1024 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const sampler = new ContainerStatsSampler(kit.engine);
    const [first] = await sampler.sample([container.id]);
    if (kind === 'podman') expect(first?.cpuPercent).toBeNull(); // precpu_stats is zero: "measuring…"
    else expect(first?.cpuPercent).toBeGreaterThan(0); // docker fills precpu on the first request
    const cli = async () => {
      const { stdout } = await runCommandLine(env[kind].cli, ['stats', '--no-stream', '--format', '{{.CPUPerc}}|{{.MemUsage}}', name]);
      const [cpuText = '', memText = ''] = stdout.trim().split('|');
      return { cpu: Number.parseFloat(cpuText), memory: bytesOf(memText.split('/')[0] ?? ''), limit: bytesOf(memText.split('/')[1] ?? '') };
    };
    // Our window brackets the CLI's own measurement (docker: its 1 s precpu window; podman 4.3:
    // the average since start, steady for a quota-held loop). Both should sit near the 50 %
    // quota, but this machine has 2 cores shared with both engines and with other test runs
    // (load averages of 5 seen), and Podman's system_cpu_usage comes from /proc/stat, which
    // jumps under such load. So: 15 points of tolerance, which still catches a wrong formula (a
    // missing × online CPUs halves the figure, a wrong Δ is far off), and up to three windows,
    // because one contended window says nothing about the formula. The formula itself is pinned
    // exactly against recorded payloads in the unit tests.
    const attempts: string[] = [];
    let ours: Awaited<ReturnType<typeof sampler.sample>>[number] | undefined;
    let cliReading: Awaited<ReturnType<typeof cli>> | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await sampler.sample([container.id]);
      cliReading = await cli();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      [ours] = await sampler.sample([container.id]);
      attempts.push(`ours ${ours?.cpuPercent?.toFixed(1)} vs cli ${cliReading.cpu}`);
      if (ours?.cpuPercent !== null && ours?.cpuPercent !== undefined && Math.abs(ours.cpuPercent - cliReading.cpu) <= 15) break;
    }
    expect(ours?.problem).toBeUndefined();
    expect(ours?.cpuPercent, attempts.join('; ')).toBeGreaterThan(5);
    expect(ours?.cpuPercent, attempts.join('; ')).toBeLessThan(100);
    expect(Math.abs((ours?.cpuPercent ?? 0) - (cliReading?.cpu ?? 0)), attempts.join('; ')).toBeLessThanOrEqual(15);
    const cliMemory = cliReading?.memory ?? 0;
    const cliLimit = cliReading?.limit ?? 0;

    // Memory of a shell loop barely moves; the CLI rounds to 4 significant digits and samples a
    // moment later, so 256 KiB absolute is generous for the same formula and tight for a wrong one
    // (counting page cache, or mixing up MB and MiB on a 64 MiB limit).
    expect(Math.abs((ours?.memory?.usageBytes ?? 0) - cliMemory), `ours ${ours?.memory?.usageBytes}, cli ${cliMemory}`).toBeLessThanOrEqual(256 * 1024);
    expect(ours?.memory?.limitBytes).toBe(64 * 1024 * 1024);
    expect(Math.abs(cliLimit - 64 * 1024 * 1024)).toBeLessThan(0.01 * 64 * 1024 * 1024);
    // NetworkMode none: Docker reports no interfaces at all, Podman one all-zero entry.
    if (kind === 'docker') expect(ours?.network).toBeNull();
    else expect(ours?.network).toMatchObject({ rxBytes: 0, txBytes: 0 });
  });

  it('reports a sample problem instead of failing the batch when a container is gone', async () => {
    const sampler = new ContainerStatsSampler(kit.engine);
    const samples = await sampler.sample(['no-such-container-kiops']);
    expect(samples[0]?.problem).toBeTruthy();
    expect(samples[0]?.cpuPercent).toBeNull();
  });
});
