import { z } from 'zod';
import { engineConcurrencyFor, mapWithConcurrency } from './bounded-parallel.ts';
import type { EngineConnection } from './engine.ts';

// The fields we read from GET /containers/{id}/stats. Docker and Podman fill different
// subsets (Podman: no memory_stats.stats, zero precpu_stats; NetworkMode none: no networks on
// Docker, one all-zero interface on Podman), so everything is optional and checked.
const count = z.number().nonnegative().optional();
const cpuSchema = z
  .looseObject({
    cpu_usage: z.looseObject({ total_usage: count, percpu_usage: z.array(z.number()).nullish() }).optional(),
    system_cpu_usage: count,
    online_cpus: count,
  })
  .optional();
const statsPayloadSchema = z.looseObject({
  read: z.string().optional(),
  preread: z.string().optional(),
  cpu_stats: cpuSchema,
  precpu_stats: cpuSchema,
  memory_stats: z.looseObject({ usage: count, limit: count, stats: z.record(z.string(), z.number()).optional() }).optional(),
  networks: z.record(z.string(), z.looseObject({ rx_bytes: count, tx_bytes: count })).nullish(),
  blkio_stats: z
    .looseObject({ io_service_bytes_recursive: z.array(z.looseObject({ op: z.string(), value: z.number() })).nullish() })
    .optional(),
  pids_stats: z.looseObject({ current: count }).optional(),
});
export type StatsPayload = z.infer<typeof statsPayloadSchema>;

/** Cumulative CPU counters from one sample, in nanoseconds. */
export interface CpuReading {
  readonly containerTotal: number;
  readonly systemTotal: number;
  readonly onlineCpus: number;
  /** When the engine took the sample (its `read` field), nanoseconds since the epoch. */
  readonly readAtNs: number | null;
}

/**
 * How an engine's counters turn into CPU %. Docker's system_cpu_usage is the host's total CPU
 * time, so the docker CLI divides by it. Podman's (4.x compat API) is the host's *busy* time
 * (the root cgroup's usage), which makes that formula swing with the rest of the host's load;
 * `podman stats` divides by wall-clock time instead, and so do we.
 */
export type CpuFormula = 'docker' | 'podman';

export interface MemoryUsage {
  /** Usage without reclaimable page cache, as `docker stats` shows it. */
  readonly usageBytes: number;
  readonly limitBytes: number | null;
  readonly percent: number | null;
}

export interface NetworkTotals {
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly interfaces: number;
}

/** One container's statistics at one moment: slim and JSON-able. */
export interface ContainerStatsSample {
  readonly containerId: string;
  readonly sampledAt: string;
  /** Percent of one CPU (200 = two full cores), like `docker stats`; null while measuring. */
  readonly cpuPercent: number | null;
  readonly memory: MemoryUsage | null;
  /** Null when the engine reports no interfaces at all (Docker with NetworkMode none). */
  readonly network: NetworkTotals | null;
  readonly blockIo: { readonly readBytes: number; readonly writeBytes: number } | null;
  readonly pids: number | null;
  /** Set when the engine refused or failed this sample; the other fields are then null. */
  readonly problem?: string;
}

export function parseStatsPayload(value: unknown): StatsPayload {
  return statsPayloadSchema.parse(value);
}

export function cpuReadingOf(cpu: StatsPayload['cpu_stats'], read?: string): CpuReading | null {
  const containerTotal = cpu?.cpu_usage?.total_usage ?? 0;
  const systemTotal = cpu?.system_cpu_usage ?? 0;
  // docker CLI: fall back to the per-CPU list's length when online_cpus is absent (old kernels).
  const onlineCpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 0;
  if (containerTotal === 0 || systemTotal === 0 || onlineCpus === 0) return null;
  return { containerTotal, systemTotal, onlineCpus, readAtNs: read === undefined ? null : timestampNs(read) };
}

/** An RFC 3339 time with up to nanosecond fractions, as nanoseconds since the epoch. */
export function timestampNs(value: string): number | null {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (match === null || match[1]?.startsWith('0001-01-01')) return null;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return null;
  return seconds * 1e6 + Number((match[2] ?? '').padEnd(9, '0'));
}

/**
 * The docker CLI's formula: (Δ container total ÷ Δ system total) × online CPUs × 100. Null when
 * the deltas are unusable (a restart reset the counters, or no time passed).
 */
export function cpuPercentBetween(previous: CpuReading, current: CpuReading, formula: CpuFormula = 'docker'): number | null {
  const containerDelta = current.containerTotal - previous.containerTotal;
  if (containerDelta < 0) return null;
  if (formula === 'podman') {
    if (previous.readAtNs === null || current.readAtNs === null) return null;
    const wallDelta = current.readAtNs - previous.readAtNs;
    return wallDelta > 0 ? (containerDelta / wallDelta) * 100 : null;
  }
  const systemDelta = current.systemTotal - previous.systemTotal;
  if (systemDelta <= 0) return null;
  return (containerDelta / systemDelta) * current.onlineCpus * 100;
}

/**
 * usage − inactive_file: `total_inactive_file` on cgroup v1, `inactive_file` on v2 (the docker
 * CLI's order). Podman sends no breakdown, so its usage is taken as is, as `podman stats` does.
 */
export function memoryOf(memory: StatsPayload['memory_stats']): MemoryUsage | null {
  const usage = memory?.usage;
  if (usage === undefined) return null;
  const breakdown = memory?.stats ?? {};
  const inactive = breakdown.total_inactive_file ?? breakdown.inactive_file ?? 0;
  const usageBytes = inactive < usage ? usage - inactive : usage;
  // An unlimited container reports the host's memory or a huge sentinel; both are still a limit.
  const limit = memory?.limit;
  const limitBytes = limit !== undefined && limit > 0 ? limit : null;
  return { usageBytes, limitBytes, percent: limitBytes === null ? null : (usageBytes / limitBytes) * 100 };
}

export function networkOf(networks: StatsPayload['networks']): NetworkTotals | null {
  if (networks === undefined || networks === null) return null;
  const interfaces = Object.values(networks);
  return {
    rxBytes: interfaces.reduce((sum, entry) => sum + (entry.rx_bytes ?? 0), 0),
    txBytes: interfaces.reduce((sum, entry) => sum + (entry.tx_bytes ?? 0), 0),
    interfaces: interfaces.length,
  };
}

export function blockIoOf(blkio: StatsPayload['blkio_stats']): ContainerStatsSample['blockIo'] {
  const entries = blkio?.io_service_bytes_recursive;
  if (entries === undefined || entries === null) return null;
  const total = (op: string): number => entries.filter((entry) => entry.op.toLowerCase() === op).reduce((sum, entry) => sum + entry.value, 0);
  return { readBytes: total('read'), writeBytes: total('write') };
}

/**
 * Turns one payload into a sample. CPU comes from the caller's previous reading of the same
 * container; on the first sample, from the engine's precpu_stats when it filled them (Docker),
 * else null, "measuring…" (Podman always sends zeros there).
 */
export function summarizeStats(
  containerId: string,
  payload: StatsPayload,
  previous: CpuReading | null,
  now: Date,
  formula: CpuFormula = 'docker',
): { sample: ContainerStatsSample; reading: CpuReading | null } {
  const reading = cpuReadingOf(payload.cpu_stats, payload.read);
  const before = previous ?? cpuReadingOf(payload.precpu_stats, payload.preread);
  const cpuPercent = reading !== null && before !== null ? cpuPercentBetween(before, reading, formula) : null;
  return {
    reading,
    sample: {
      containerId,
      sampledAt: payload.read && !payload.read.startsWith('0001-01-01') ? payload.read : now.toISOString(),
      cpuPercent,
      memory: memoryOf(payload.memory_stats),
      network: networkOf(payload.networks),
      blockIo: blockIoOf(payload.blkio_stats),
      pids: payload.pids_stats?.current ?? null,
    },
  };
}

export interface ContainerStatsSamplerOptions {
  /** Requests in flight at once; default: see `engineConcurrencyFor`. */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

/**
 * Samples containers with one-shot requests rather than open streams. A stream per container
 * holds a connection (over SSH, a channel) open for as long as the list is visible, and Docker
 * makes each streamed sample wait a second for its precpu; a snapshot every refresh is cheaper,
 * and keeping our own previous reading gives the same CPU% on both engines.
 */
export class ContainerStatsSampler {
  private readonly engine: EngineConnection;
  private readonly concurrency: number | undefined;
  private readonly now: () => Date;
  private readonly previous = new Map<string, CpuReading>();

  constructor(engine: EngineConnection, options: ContainerStatsSamplerOptions = {}) {
    this.engine = engine;
    this.concurrency = options.concurrency;
    this.now = options.now ?? (() => new Date());
  }

  /** Samples the given (running) containers in parallel, capped; one failure does not fail the rest. */
  async sample(containerIds: readonly string[]): Promise<ContainerStatsSample[]> {
    const wanted = new Set(containerIds);
    for (const id of this.previous.keys()) if (!wanted.has(id)) this.previous.delete(id);
    return mapWithConcurrency(containerIds, this.concurrency ?? engineConcurrencyFor(this.engine), (id) => this.sampleOne(id));
  }

  /** Forget a container's reading (after a restart its counters start again from zero). */
  forget(containerId: string): void {
    this.previous.delete(containerId);
  }

  private async sampleOne(containerId: string): Promise<ContainerStatsSample> {
    try {
      const previous = this.previous.get(containerId) ?? null;
      // one-shot (API 1.41) answers at once without priming precpu_stats. With a previous reading
      // of our own that is all we need. For a container's first sample Docker is asked without
      // it, so its ~1 s wait fills precpu and the first row already shows a CPU figure; Podman
      // leaves precpu at zero either way, so it always gets one-shot and shows "measuring…" once.
      const oneShot = previous !== null || this.engine.kind === 'podman';
      const raw: unknown = await this.engine.docker.getContainer(containerId).stats({ stream: false, 'one-shot': oneShot });
      const { sample, reading } = summarizeStats(containerId, parseStatsPayload(raw), previous, this.now(), this.engine.kind);
      if (reading === null) this.previous.delete(containerId);
      else this.previous.set(containerId, reading);
      return sample;
    } catch (error) {
      this.previous.delete(containerId);
      return {
        containerId,
        sampledAt: this.now().toISOString(),
        cpuPercent: null,
        memory: null,
        network: null,
        blockIo: null,
        pids: null,
        problem: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
