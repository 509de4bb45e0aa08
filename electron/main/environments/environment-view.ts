import type { ConnectionPreferences } from '../../../shared/contract/connections.ts';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { AppError } from '../../../shared/errors.ts';
import { checkPreferences, type TargetPlace } from '../connections/connection-methods.ts';
import type { EnvironmentRecord } from './environment-repository.ts';
import { redactUrl } from './kubeconfig/index.ts';

/** The slim row the Runtime Environments page shows; built field by field so nothing else leaves main. */
export function toEnvironmentView(record: EnvironmentRecord): EnvironmentView {
  const { access } = record;
  const view: EnvironmentView = {
    id: record.id,
    name: record.name,
    kind: record.kind,
    production: record.production,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    connection: {
      selected: access.selected,
      methods: [...access.methods],
      ...(access.ssh
        ? {
            ssh: {
              host: access.ssh.host,
              port: access.ssh.port,
              username: access.ssh.username,
              identityId: access.ssh.identityId,
              // the ProxyJump chain, so an edit that keeps the SSH host keeps its hops
              ...(access.ssh.jumps ? { jumps: access.ssh.jumps.map((hop) => ({ host: hop.host, port: hop.port, username: hop.username })) } : {}),
            },
          }
        : {}),
      ...(access.vpnProfileId ? { vpnProfileId: access.vpnProfileId } : {}),
    },
  };
  if (record.target.kind === 'kubernetes') {
    const c = record.target.context;
    view.kubernetes = {
      contextName: c.contextName,
      clusterName: c.clusterName,
      userName: c.userName,
      server: redactUrl(c.server),
      ...(c.namespace ? { namespace: c.namespace } : {}),
      ...(c.proxyUrl ? { proxyUrl: redactUrl(c.proxyUrl) } : {}),
      warnings: c.warnings.map((w) => ({ kind: w.kind, message: w.message })),
    };
  } else {
    const tcp = record.target.tcp;
    view.engine = tcp ? { location: 'tcp', socketPath: record.target.socketPath, tls: tcp.tls } : { location: access.ssh ? 'ssh' : 'local', socketPath: record.target.socketPath };
  }
  return view;
}

export function placeOf(kind: 'kubernetes' | 'engine', preferences: ConnectionPreferences | undefined): TargetPlace {
  if (kind === 'kubernetes') return 'kubernetes';
  return preferences?.ssh ? 'remote-engine' : 'local-engine';
}

/** The registered SSH identity and VPN profile must exist. */
export interface ReferenceCheck {
  identityExists(id: string): boolean;
  vpnProfileExists(id: string): boolean;
}

export function checkAccess(place: TargetPlace, preferences: ConnectionPreferences, references: ReferenceCheck): ConnectionPreferences {
  checkPreferences(place, preferences);
  if (preferences.ssh && !references.identityExists(preferences.ssh.identityId)) {
    throw new AppError('NOT_FOUND', 'The chosen SSH identity does not exist (any more); add it under SSH identities first.', undefined, { key: 'environments.identityGone' });
  }
  if (preferences.vpnProfileId && !references.vpnProfileExists(preferences.vpnProfileId)) {
    throw new AppError('NOT_FOUND', 'The chosen VPN profile does not exist (any more); add it under VPN profiles first.', undefined, { key: 'environments.vpnProfileGone' });
  }
  return preferences;
}
