import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { OpenVpnTunnel } from './openvpn-tunnel.ts';
import type { PrivilegedLauncher } from './privileged-launcher.ts';
import { StateEmitter } from './state-emitter.ts';
import type { HealthResult, Tunnel, TunnelState } from './tunnel.ts';
import { parseVpnProfile, type VpnProfile } from './vpn-profile.ts';
import { WireGuardTunnel } from './wireguard-tunnel.ts';

/** Where profiles come from: the keychain (VPN profiles are secrets). */
export interface VpnProfileSource {
  get(key: string): Promise<string | null>;
}

export interface VpnStateEvent {
  readonly profileId: string;
  readonly state: TunnelState;
  readonly reason?: string;
  /** `reason` as a key for the window's language. */
  readonly text?: MessageText;
}

export interface VpnManagerOptions {
  readonly secrets: VpnProfileSource;
  readonly launcher: PrivilegedLauncher;
  /** Parent of the private per-tunnel folders (default: the OS temp folder). */
  readonly tempRoot?: string;
  /** Secret key of a profile (default `vpn/<id>/profile`). */
  readonly profileKey?: (profileId: string) => string;
  /** How long bringUp waits for the tunnel before it fails (default 30 s). */
  readonly upTimeoutMs?: number;
  /** Installs a process 'exit' handler that kills what is still running (default true). */
  readonly exitSafetyNet?: boolean;
  /** Builds the tunnel; tests and other platforms may replace it. */
  readonly createTunnel?: (profileId: string, profile: VpnProfile) => Tunnel;
}

export const vpnProfileKey = (profileId: string): string => `vpn/${profileId}/profile`;

/**
 * One tunnel per registered profile. The composition root calls `tearDownAll()` when the app
 * quits; the 'exit' safety net covers the paths where it cannot (an uncaught error, a signal
 * Node handles by exiting): it signals the VPN processes and removes the private profile files
 * synchronously, because nothing asynchronous runs in an 'exit' handler.
 */
export class VpnManager {
  private readonly tunnels = new Map<string, Tunnel>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly emitter = new StateEmitter<VpnStateEvent>();
  private readonly reasons = new Map<string, { readonly reason: string; readonly text?: MessageText }>();
  private readonly options: VpnManagerOptions;
  private readonly exitHandler = (): void => {
    for (const tunnel of this.tunnels.values()) tunnel.killNow();
  };

  constructor(options: VpnManagerOptions) {
    this.options = options;
    if (options.exitSafetyNet ?? true) process.on('exit', this.exitHandler);
  }

  onState(listener: (event: VpnStateEvent) => void): () => void {
    return this.emitter.on(listener);
  }

  state(profileId: string): TunnelState {
    return this.tunnels.get(profileId)?.state ?? 'down';
  }

  /** Brings the profile's tunnel up; resolves when traffic can flow. A second call while connecting shares the first. */
  bringUp(profileId: string): Promise<void> {
    const existing = this.tunnels.get(profileId);
    if (existing?.state === 'up') return Promise.resolve();
    const inFlight = this.pending.get(profileId);
    if (inFlight) return inFlight;
    const attempt = this.start(profileId).finally(() => this.pending.delete(profileId));
    this.pending.set(profileId, attempt);
    return attempt;
  }

  private async start(profileId: string): Promise<void> {
    const previous = this.tunnels.get(profileId);
    if (previous) await this.tearDown(profileId);
    this.emit({ profileId, state: 'connecting' });
    let tunnel: Tunnel;
    try {
      const text = await this.options.secrets.get((this.options.profileKey ?? vpnProfileKey)(profileId));
      if (text === null) throw new AppError('NOT_FOUND', `The VPN profile "${profileId}" is not in the keychain; register it again.`, { profileId }, { key: 'connections.vpn.profileMissing', params: { profileId } });
      const profile = parseVpnProfile(text);
      tunnel = (this.options.createTunnel ?? ((id, p) => this.defaultTunnel(id, p)))(profileId, profile);
    } catch (error) {
      const text = error instanceof AppError ? error.text : { key: 'statusReasons.vpn.profileUnreadable' };
      this.emit({ profileId, state: 'failed', reason: error instanceof AppError ? error.message : 'The VPN profile could not be read.', ...(text === undefined ? {} : { text }) });
      throw error;
    }
    this.tunnels.set(profileId, tunnel);
    tunnel.onState((change) => {
      // The 'connecting' of the first attempt was already announced.
      if (change.state === 'connecting' && change.reason === undefined) return;
      this.emit({ profileId, ...change });
      if (change.state === 'down' && this.tunnels.get(profileId) === tunnel) this.tunnels.delete(profileId);
    });
    await tunnel.up();
  }

  private defaultTunnel(profileId: string, profile: VpnProfile): Tunnel {
    const common = {
      profileId,
      launcher: this.options.launcher,
      tempRoot: this.options.tempRoot ?? tmpdir(),
      upTimeoutMs: this.options.upTimeoutMs ?? 30_000,
    };
    if (profile.kind === 'openvpn') return new OpenVpnTunnel({ ...common, profile });
    // Unique per tunnel and at most 15 characters (IFNAMSIZ).
    return new WireGuardTunnel({ ...common, profile, interfaceName: `kiwg${randomBytes(4).toString('hex')}` });
  }

  async tearDown(profileId: string): Promise<void> {
    const tunnel = this.tunnels.get(profileId);
    if (!tunnel) return;
    await tunnel.down();
    if (this.tunnels.get(profileId) === tunnel) this.tunnels.delete(profileId);
  }

  /** Tears down every tunnel the app brought up; the composition root awaits this on quit. */
  async tearDownAll(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
    await Promise.allSettled([...this.tunnels.keys()].map((id) => this.tearDown(id)));
  }

  /** Removes the 'exit' handler (after tearDownAll, or in tests). */
  dispose(): void {
    process.off('exit', this.exitHandler);
  }

  /**
   * The VPN method's health probe for Auto: with a profile, its tunnel must be up and healthy;
   * then the target must accept a TCP connection within the timeout.
   */
  async probe(host: string, port: number, timeoutMs = 3_000, profileId?: string): Promise<HealthResult> {
    if (profileId !== undefined) {
      const tunnel = this.tunnels.get(profileId);
      if (!tunnel) return { healthy: false, reason: `The VPN "${profileId}" is not up.`, text: { key: 'statusReasons.vpn.notUp', params: { profileId } } };
      const health = await tunnel.health();
      if (!health.healthy) return health;
    }
    return probeTcp(host, port, timeoutMs);
  }

  /** Why the profile's VPN is failed or reconnecting, as last announced; undefined once it is up or down. */
  reason(profileId: string): { readonly reason: string; readonly text?: MessageText } | undefined {
    return this.reasons.get(profileId);
  }

  private emit(event: VpnStateEvent): void {
    if (event.reason !== undefined) this.reasons.set(event.profileId, { reason: event.reason, ...(event.text === undefined ? {} : { text: event.text }) });
    else if (event.state === 'up' || event.state === 'down') this.reasons.delete(event.profileId);
    this.emitter.emit(event);
  }
}

/** Connects to host:port and closes again; healthy when the connection opened in time. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<HealthResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host, port });
    const finish = (result: HealthResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const target = `${host}:${port}`;
    const timer = setTimeout(() => finish({ healthy: false, reason: `${target} did not answer within ${timeoutMs} ms.`, text: { key: 'statusReasons.probe.tcpSilent', params: { target, ms: timeoutMs } } }), timeoutMs);
    socket.once('connect', () => {
      const ms = Date.now() - started;
      finish({ healthy: true, reason: `${target} accepted a connection in ${ms} ms.`, text: { key: 'statusReasons.probe.tcpAccepted', params: { target, ms } } });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      finish({ healthy: false, reason: `${target} is not reachable (${code}).`, text: { key: 'statusReasons.probe.tcpUnreachable', params: { target, code } } });
    });
  });
}
