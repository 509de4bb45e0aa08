import type { ConnectionMethod, ConnectionPreferences, MethodSelection, SshJump } from '../../../shared/contract/connections.ts';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { allowedMethods, type EnvironmentPlace } from './use-environment-methods.ts';

/** The connection part of an add or edit form, before it becomes ConnectionPreferences. */
export interface ConnectionDraft {
  selected: MethodSelection;
  methods: ConnectionMethod[];
  /** `jumps`: a ProxyJump chain, filled from a ~/.ssh/config alias. */
  ssh: { host: string; port: number; username: string; identityId: string | null; jumps?: SshJump[] };
  vpnProfileId: string | null;
}

/** A new environment's defaults: Direct where the place allows it, else Direct SSH. */
export function newConnectionDraft(place: EnvironmentPlace): ConnectionDraft {
  const first = allowedMethods[place][0] ?? 'direct';
  return { selected: 'auto', methods: [first], ssh: { host: '', port: 22, username: '', identityId: null }, vpnProfileId: null };
}

export function connectionDraftOf(environment: EnvironmentView): ConnectionDraft {
  const { connection } = environment;
  return {
    selected: connection.selected,
    methods: [...connection.methods],
    ssh: connection.ssh ? { ...connection.ssh, ...(connection.ssh.jumps ? { jumps: connection.ssh.jumps.map((hop) => ({ ...hop })) } : {}) } : { host: '', port: 22, username: '', identityId: null },
    vpnProfileId: connection.vpnProfileId ?? null,
  };
}

/** Whether the form must ask for an SSH host: a remote engine always, otherwise with Direct SSH. */
export function needsSshHost(place: EnvironmentPlace, draft: ConnectionDraft): boolean {
  return place === 'remote-engine' || draft.methods.includes('ssh');
}

/**
 * The preferences main receives. Fields the chosen methods do not use are left out, so an
 * untouched SSH section never becomes a half-filled host; main checks the rest and says what
 * is missing.
 */
export function toPreferences(place: EnvironmentPlace, draft: ConnectionDraft): ConnectionPreferences {
  const selected = draft.selected === 'auto' || draft.methods.includes(draft.selected) ? draft.selected : 'auto';
  const { host, port, username, identityId, jumps } = draft.ssh;
  return {
    selected,
    methods: [...draft.methods],
    ...(needsSshHost(place, draft) && identityId !== null ? { ssh: { host: host.trim(), port, username: username.trim(), identityId, ...(jumps && jumps.length > 0 ? { jumps: jumps.map((hop) => ({ ...hop })) } : {}) } } : {}),
    ...(draft.methods.includes('vpn') && draft.vpnProfileId !== null ? { vpnProfileId: draft.vpnProfileId } : {}),
  };
}

/** Keeps the priority order when methods are ticked or unticked: kept ones in place, new ones last. */
export function withMethods(current: readonly ConnectionMethod[], ticked: readonly ConnectionMethod[]): ConnectionMethod[] {
  return [...current.filter((m) => ticked.includes(m)), ...ticked.filter((m) => !current.includes(m))];
}
