import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuPercentBetween, cpuReadingOf, memoryOf, networkOf, parseStatsPayload, summarizeStats, timestampNs } from './container-stats.ts';

// Real payloads: GET /containers/busy/stats?stream=false, 1.5 s apart, from dockerd 20.10
// (cgroup v1) and Podman 4.3, for busybox `sh -c 'while :; do :; done'` with --cpus 0.5 -m 64m
// and no network. `docker stats` showed 50.76 %, `podman stats` 43.55 % (its average since start).
const fixture = (name: string) => parseStatsPayload(JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')));
const at = new Date('2026-11-27T07:10:00Z');

describe('CPU % from recorded Docker samples', () => {
  const first = fixture('docker-stats-1');
  const second = fixture('docker-stats-2');

  it('uses precpu_stats for the first sample, as docker stats does', () => {
    const { sample } = summarizeStats('busy', first, null, at);
    // (1573848548 − 1058099962) ÷ (3336050000000 − 3334040000000) × 2 × 100
    expect(sample.cpuPercent).toBeCloseTo(51.318, 2);
  });

  it('uses our own previous reading afterwards', () => {
    const { reading } = summarizeStats('busy', first, null, at);
    const { sample } = summarizeStats('busy', second, reading, at);
    expect(sample.cpuPercent).toBeCloseTo(((2828237170 - 1573848548) / (3341090000000 - 3336050000000)) * 2 * 100, 6);
    expect(sample.cpuPercent).toBeGreaterThan(45);
    expect(sample.cpuPercent).toBeLessThan(55);
  });

  it('subtracts total_inactive_file (cgroup v1) from usage and reports the limit', () => {
    expect(memoryOf(first.memory_stats)).toEqual({ usageBytes: 503808, limitBytes: 67108864, percent: (503808 / 67108864) * 100 });
  });

  it('reports no network at all for NetworkMode none (no "networks" key)', () => {
    expect(networkOf(first.networks)).toBeNull();
  });
});

describe('CPU % from recorded Podman samples (precpu_stats all zero)', () => {
  const first = fixture('podman-stats-1');
  const second = fixture('podman-stats-2');

  it('says "measuring" (null) on the first sample instead of inventing a number', () => {
    expect(cpuReadingOf(first.precpu_stats)).toBeNull();
    expect(summarizeStats('busy', first, null, at).sample.cpuPercent).toBeNull();
  });

  it('computes from its own previous sample on the second, over wall-clock time as podman stats does', () => {
    const { reading } = summarizeStats('busy', first, null, at, 'podman');
    const { sample } = summarizeStats('busy', second, reading, at, 'podman');
    // Δ container ns ÷ Δ read time (07:09:34.974545231 → 07:09:36.496827881) × 100
    expect(sample.cpuPercent).toBeCloseTo(((1566200100 - 885690835) / 1_522_282_650) * 100, 4);
    expect(sample.cpuPercent).toBeGreaterThan(40);
    expect(sample.cpuPercent).toBeLessThan(55);
  });

  it("does not trust Podman's system_cpu_usage, which counts only the host's busy time", () => {
    // The same container samples on an otherwise idle host: the host's busy time grows little more
    // than the container's, so docker's formula would claim ~2 cores for a container held to half of one.
    const { reading } = summarizeStats('busy', first, null, at, 'podman');
    const idleHost = { ...second, cpu_stats: { ...second.cpu_stats, system_cpu_usage: 1419636000436 + 800_000_000 } };
    const docker = summarizeStats('busy', idleHost, reading, at, 'docker').sample.cpuPercent;
    const podman = summarizeStats('busy', idleHost, reading, at, 'podman').sample.cpuPercent;
    expect(docker).toBeGreaterThan(150);
    expect(podman).toBeCloseTo(((1566200100 - 885690835) / 1_522_282_650) * 100, 4);
  });

  it('reads nanosecond timestamps', () => {
    expect(timestampNs('2026-11-27T07:09:36.496827881Z')! - timestampNs('2026-11-27T07:09:34.974545231Z')!).toBeCloseTo(1_522_282_650, -3);
    expect(timestampNs('0001-01-01T00:00:00Z')).toBeNull();
  });

  it('takes usage as is when the engine sends no breakdown (podman stats does the same)', () => {
    expect(memoryOf(first.memory_stats)).toEqual({ usageBytes: 405504, limitBytes: 67108864, percent: (405504 / 67108864) * 100 });
  });

  it('sums Podman\'s one all-zero interface honestly', () => {
    expect(networkOf(first.networks)).toEqual({ rxBytes: 0, txBytes: 0, interfaces: 1 });
  });
});

describe('edge cases', () => {
  it('subtracts inactive_file on cgroup v2', () => {
    expect(memoryOf({ usage: 10_000, limit: 20_000, stats: { inactive_file: 4_000, anon: 6_000 } })?.usageBytes).toBe(6_000);
  });

  it('sums rx/tx over interfaces', () => {
    expect(networkOf({ eth0: { rx_bytes: 10, tx_bytes: 1 }, eth1: { rx_bytes: 5, tx_bytes: 2 } })).toEqual({ rxBytes: 15, txBytes: 3, interfaces: 2 });
  });

  it('returns null instead of a negative number after the counters reset (restart)', () => {
    expect(cpuPercentBetween({ containerTotal: 5e9, systemTotal: 1e12, onlineCpus: 2, readAtNs: null }, { containerTotal: 1e8, systemTotal: 1.1e12, onlineCpus: 2, readAtNs: null })).toBeNull();
    expect(cpuPercentBetween({ containerTotal: 1, systemTotal: 1e12, onlineCpus: 2, readAtNs: null }, { containerTotal: 2, systemTotal: 1e12, onlineCpus: 2, readAtNs: null })).toBeNull();
  });

  it('falls back to the per-CPU list when online_cpus is missing', () => {
    expect(cpuReadingOf({ cpu_usage: { total_usage: 10, percpu_usage: [5, 5, 0, 0] }, system_cpu_usage: 100 })?.onlineCpus).toBe(4);
  });
});
