import type Docker from 'dockerode';
import { AppError } from '../../../shared/errors.ts';
import { phraseParams, type SubjectPhrase } from '../../../shared/message-params.ts';

export type EngineKind = 'docker' | 'podman';

/** What an engine API said about itself: enough to decide, never the socket path. */
export interface EngineAnswers {
  /** `/version` as parsed JSON, or null when it did not answer with JSON. */
  readonly version: { Platform?: { Name?: string }; Components?: { Name?: string }[]; Version?: string } | null;
  /** HTTP status of `/libpod/_ping` (200 only on Podman), or null when the request failed. */
  readonly libpodPing: number | null;
}

export interface EngineIdentity {
  readonly kind: EngineKind;
  readonly version?: string;
}

/**
 * Decides Docker or Podman from the API's own answers: Podman names itself in `/version`
 * (a "Podman Engine" component, a Platform name with "Podman") and answers `/libpod/_ping`;
 * Docker has an "Engine" component (Platform "Docker Engine - …" on Docker's builds) and no
 * libpod routes. Anything else is refused, whatever socket it listens on.
 */
export function engineKindOf(answers: EngineAnswers, where: SubjectPhrase<'where'>): EngineIdentity {
  const components = (answers.version?.Components ?? []).map((component) => component.Name ?? '');
  const platform = answers.version?.Platform?.Name ?? '';
  const version = answers.version?.Version;
  const withVersion = (kind: EngineKind): EngineIdentity => (version ? { kind, version } : { kind });
  if (answers.libpodPing === 200 || components.some((name) => /podman/i.test(name)) || /podman/i.test(platform)) return withVersion('podman');
  if (components.some((name) => name === 'Engine') || /docker/i.test(platform)) return withVersion('docker');
  const listed = components.map((name) => `"${name}"`).join(', ');
  const said = components.length > 0 ? `components ${listed}` : answers.version ? 'no engine components' : 'no /version answer';
  const variant = components.length > 0 ? 'unknownComponents' : answers.version ? 'noComponents' : 'noVersion';
  throw new AppError(
    'INVALID_INPUT',
    `${where.english} answered, but as neither Docker nor Podman (${said}${platform ? `, platform "${platform}"` : ''}). KIOPS manages Docker and Podman engines only; point it at a Docker or Podman API socket.`,
    { engineComponents: components.slice(0, 8), platform: platform.slice(0, 100) },
    { key: `environments.engine.${variant}${platform ? 'OnPlatform' : ''}`, params: { ...phraseParams(where), components: listed, platform } },
  );
}

/** Asks the engine behind a dockerode client (local socket or over SSH) what it is. */
export async function identifyEngine(docker: Docker, where: SubjectPhrase<'where'>): Promise<EngineIdentity> {
  const [version, libpodPing] = await Promise.all([
    dial(docker, '/version').then((answer) => (answer.status === 200 && answer.body && typeof answer.body === 'object' ? (answer.body as EngineAnswers['version']) : null)),
    dial(docker, '/libpod/_ping').then(
      (answer) => answer.status,
      () => null,
    ),
  ]);
  return engineKindOf({ version, libpodPing }, where);
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** A GET through docker-modem that reports an HTTP status instead of throwing; connection errors still throw. */
function dial(docker: Docker, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    docker.modem.dial({ path, method: 'GET', statusCodes: { 200: true } }, (error: unknown, body: unknown) => {
      if (error) {
        const status = (error as { statusCode?: unknown }).statusCode;
        if (typeof status === 'number') resolve({ status, body: null });
        else reject(error as Error);
        return;
      }
      resolve({ status: 200, body });
    });
  });
}
