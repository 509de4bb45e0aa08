import type Docker from 'dockerode';

export type EngineKind = 'docker' | 'podman';

/**
 * One Docker or Podman engine as the operations services need it: a dockerode client already
 * connected (local socket or SSH forward, chosen by the connection layer), which API dialect
 * it speaks, and who the app acts as there (`docker@host`) for the audit trail.
 */
export interface EngineConnection {
  readonly docker: Docker;
  readonly kind: EngineKind;
  readonly identity: string;
}

export const composeProjectLabel = 'com.docker.compose.project';
export const composeServiceLabel = 'com.docker.compose.service';

/** Docker prefixes names with "/" in list and inspect results; Podman's compat API does too. */
export function containerName(names: readonly string[] | string | undefined): string {
  const first = typeof names === 'string' ? names : names?.[0];
  return (first ?? '').replace(/^\//, '');
}
