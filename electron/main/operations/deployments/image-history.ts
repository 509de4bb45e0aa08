import type Docker from 'dockerode';
import { z } from 'zod';
import { imageHistorySources, recordedContainerConfigSchema as recordedConfigSchema } from '../../../../shared/contract/deployments.ts';
import type { AppDatabase } from '../../storage/database.ts';
import { composeProjectLabel, composeServiceLabel, containerName } from '../containers/engine.ts';

export type ImageHistorySource = (typeof imageHistorySources)[number];

export type RecordedConfig = z.infer<typeof recordedConfigSchema>;

export interface ImageHistoryEntry {
  readonly id: number;
  readonly environmentId: string;
  readonly serviceId: string;
  readonly containerName: string;
  /** "project/service" for a Compose service's containers; null for a standalone container. */
  readonly composeService: string | null;
  readonly imageRef: string;
  readonly imageId: string;
  readonly digest: string | null;
  readonly recordedAt: string;
  readonly actor: string;
  readonly source: ImageHistorySource;
  readonly config: RecordedConfig;
}

export type ImageFacts = Pick<ImageHistoryEntry, 'containerName' | 'composeService' | 'imageRef' | 'imageId' | 'digest' | 'config'>;

const rowSchema = z.object({
  id: z.number().int(),
  environment_id: z.string(),
  service_id: z.string(),
  container_name: z.string(),
  compose_service: z.string().nullable(),
  image_ref: z.string(),
  image_id: z.string(),
  digest: z.string().nullable(),
  recorded_at: z.string(),
  actor: z.string(),
  source: z.enum(imageHistorySources),
  config: z.string(),
});

/** The Compose service a container belongs to ("project/service"), or null. */
export function composeServiceOf(labels: Readonly<Record<string, string>> | undefined): string | null {
  const project = labels?.[composeProjectLabel];
  const service = labels?.[composeServiceLabel];
  return project && service ? `${project}/${service}` : null;
}

/** What a container runs, from its inspect result and its image's (digest). */
export async function imageFactsOf(docker: Docker, info: Docker.ContainerInspectInfo): Promise<ImageFacts> {
  const image = await docker
    .getImage(info.Image)
    .inspect()
    .catch(() => null);
  const host = info.HostConfig;
  const ports = Object.entries(host.PortBindings ?? {}).flatMap(([port, bindings]) =>
    ((bindings as { HostIp?: string; HostPort?: string }[] | null) ?? []).map((binding) => `${binding.HostIp ? `${binding.HostIp}:` : ''}${binding.HostPort ?? ''}->${port}`),
  );
  const list = (value: unknown): string[] | null => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : null);
  return {
    containerName: containerName(info.Name),
    composeService: composeServiceOf(info.Config.Labels),
    imageRef: info.Config.Image,
    imageId: info.Image,
    digest: image?.RepoDigests?.[0] ?? null,
    config: {
      cmd: list(info.Config.Cmd),
      entrypoint: list(info.Config.Entrypoint),
      envNames: (info.Config.Env ?? []).map((entry) => entry.split('=')[0] ?? '').filter(Boolean),
      ports,
      mounts: (info.Mounts ?? []).map((mount) => `${mount.Name ?? mount.Source}:${mount.Destination}${mount.RW === false ? ':ro' : ''}`),
      restartPolicy: host.RestartPolicy?.Name || null,
      networkMode: host.NetworkMode || null,
      user: info.Config.User || null,
    },
  };
}

/**
 * Per service container, every image it ran: written on first sight (and when the image changed
 * outside the app) and on every redeploy, image update and rollback the app does. The table is
 * created here, beside its only user, so this feature adds no step to the shared migration list.
 */
export class ImageHistory {
  private readonly db: AppDatabase;

  constructor(db: AppDatabase) {
    this.db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS container_image_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        environment_id TEXT NOT NULL,
        service_id TEXT NOT NULL,
        container_name TEXT NOT NULL,
        compose_service TEXT,
        image_ref TEXT NOT NULL,
        image_id TEXT NOT NULL,
        digest TEXT,
        recorded_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('observed', 'redeploy', 'update', 'rollback')),
        config TEXT NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS container_image_history_by_service ON container_image_history (service_id, container_name, id);
    `);
  }

  /** Records what a container runs unless its newest row already says the same image. */
  observe(environmentId: string, serviceId: string, facts: ImageFacts, actor: string, at: Date): boolean {
    const latest = this.latest(serviceId, facts.containerName);
    if (latest && latest.imageId === facts.imageId) return false;
    this.record(environmentId, serviceId, facts, actor, 'observed', at);
    return true;
  }

  record(environmentId: string, serviceId: string, facts: ImageFacts, actor: string, source: ImageHistorySource, at: Date): void {
    this.db
      .prepare(
        `INSERT INTO container_image_history (environment_id, service_id, container_name, compose_service, image_ref, image_id, digest, recorded_at, actor, source, config)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(environmentId, serviceId, facts.containerName, facts.composeService, facts.imageRef, facts.imageId, facts.digest, at.toISOString(), actor, source, JSON.stringify(facts.config));
  }

  /** Newest first. */
  list(serviceId: string, limit = 200): ImageHistoryEntry[] {
    return this.db
      .prepare('SELECT * FROM container_image_history WHERE service_id = ? ORDER BY id DESC LIMIT ?')
      .all(serviceId, limit)
      .map((row) => toEntry(row));
  }

  get(serviceId: string, id: number): ImageHistoryEntry | null {
    const row: unknown = this.db.prepare('SELECT * FROM container_image_history WHERE service_id = ? AND id = ?').get(serviceId, id);
    return row === undefined ? null : toEntry(row);
  }

  private latest(serviceId: string, name: string): ImageHistoryEntry | null {
    const row: unknown = this.db.prepare('SELECT * FROM container_image_history WHERE service_id = ? AND container_name = ? ORDER BY id DESC LIMIT 1').get(serviceId, name);
    return row === undefined ? null : toEntry(row);
  }
}

function toEntry(raw: unknown): ImageHistoryEntry {
  const row = rowSchema.parse(raw);
  return {
    id: row.id,
    environmentId: row.environment_id,
    serviceId: row.service_id,
    containerName: row.container_name,
    composeService: row.compose_service,
    imageRef: row.image_ref,
    imageId: row.image_id,
    digest: row.digest,
    recordedAt: row.recorded_at,
    actor: row.actor,
    source: row.source,
    config: recordedConfigSchema.parse(JSON.parse(row.config)),
  };
}
