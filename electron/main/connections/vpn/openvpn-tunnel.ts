import { userInfo } from 'node:os';
import { join } from 'node:path';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { LogTail } from './log-tail.ts';
import { OpenVpnManagement, parseStateNotification, type ManagementNotification } from './openvpn-management.ts';
import { serializeOpenVpnProfile, type OpenVpnProfile } from './openvpn-profile.ts';
import { launcherRefusal, type LaunchedProcess, type PrivilegedLauncher } from './privileged-launcher.ts';
import { StateEmitter } from './state-emitter.ts';
import { type HealthResult, type Tunnel, type TunnelState, type TunnelStateChange } from './tunnel.ts';
import { within } from '../within.ts';
import { createPrivateFolder, type PrivateFolder } from './vpn-profile.ts';

export interface OpenVpnTunnelOptions {
  readonly profileId: string;
  readonly profile: OpenVpnProfile;
  readonly launcher: PrivilegedLauncher;
  /** Parent of the private 0700 folder that holds the profile and the management socket. */
  readonly tempRoot: string;
  readonly upTimeoutMs: number;
}

/**
 * Runs `openvpn` for one profile and follows it through its management interface.
 *
 * The management interface is a unix socket inside the tunnel's private 0700 folder (not a
 * loopback TCP port: no port to pick and race for, and no other local user can reach it). With
 * `--management-hold` OpenVPN waits until the app listens (`state on`) before it connects, so
 * no state change is missed; `--management-query-passwords` keeps OpenVPN from ever prompting on
 * a terminal nobody sees. When the app runs it through sudo/pkexec (as root), the socket is
 * restricted to the app's user with `--management-client-user`.
 */
export class OpenVpnTunnel implements Tunnel {
  readonly kind = 'openvpn' as const;
  private currentState: TunnelState = 'down';
  private readonly emitter = new StateEmitter<TunnelStateChange>();
  // The management chatter says nothing to a user; the states are noted separately.
  private readonly log = new LogTail({ rewrite: (line) => (line.startsWith('MANAGEMENT:') ? null : line) });
  private readonly options: OpenVpnTunnelOptions;
  private folder: PrivateFolder | undefined;
  private child: LaunchedProcess | undefined;
  private management: OpenVpnManagement | null = null;
  private stopping = false;
  private wasUp = false;
  private downPromise: Promise<void> | undefined;

  constructor(options: OpenVpnTunnelOptions) {
    this.options = options;
  }

  get state(): TunnelState {
    return this.currentState;
  }

  onState(listener: (change: TunnelStateChange) => void): () => void {
    return this.emitter.on(listener);
  }

  async up(): Promise<void> {
    if (this.currentState === 'up') return;
    this.setState('connecting');
    try {
      await this.start();
    } catch (error) {
      await this.stop();
      const failure = error instanceof AppError ? error : new AppError('VPN_FAILED', 'The OpenVPN connection could not be started.', undefined, { key: 'connections.vpn.openvpnNotStarted' });
      this.setState('failed', failure.message, failure.text);
      throw failure;
    }
  }

  private async start(): Promise<void> {
    const { launcher, profile, tempRoot, upTimeoutMs } = this.options;
    const folder = await createPrivateFolder(tempRoot, 'kiops-openvpn-');
    this.folder = folder;
    const config = await folder.write('profile.ovpn', serializeOpenVpnProfile(profile));
    const socketPath = join(folder.path, 'management.sock');
    const argv = [
      'openvpn',
      // Before --config so the profile's own verb wins; 3 gives a useful failure tail.
      '--verb', '3',
      '--config', config,
      '--management', socketPath, 'unix',
      '--management-hold',
      // If the app dies without a word (SIGKILL, power-off of its session), the socket closes:
      // OpenVPN then restarts into the hold, which takes the tunnel and its routes down.
      '--management-signal',
      '--management-query-passwords',
      '--suppress-timestamps',
      ...(launcher.kind === 'direct' ? [] : ['--management-client-user', userInfo().username]),
    ];
    const child = launcher.spawn(argv);
    this.child = child;
    child.onOutput((text) => this.log.push(text));
    let exited = false;
    void child.exited.then((exit) => {
      exited = true;
      this.onExit(exit.code, exit.signal);
    });

    const deadline = Date.now() + upTimeoutMs;
    const management = await OpenVpnManagement.connect(socketPath, upTimeoutMs, () => !exited);
    if (management === null) throw await this.notUp(deadline, 'OpenVPN stopped before its management interface opened', 'managementClosed');
    this.management = management;

    const connected = new Promise<void>((resolve, reject) => {
      management.onNotification((n) => {
        const outcome = this.onNotification(n);
        if (outcome === 'up') resolve();
        else if (outcome instanceof AppError) reject(outcome);
      });
      void child.exited.then(() => reject(null));
    });
    connected.catch(() => undefined);
    management.send('state on');
    management.send('hold release');

    const result = await within(connected.then(() => 'up' as const, (e: unknown) => e), Math.max(0, deadline - Date.now()), 'timeout' as const);
    if (result === 'up') {
      this.wasUp = true;
      this.setState('up');
      return;
    }
    if (result instanceof AppError) throw result;
    const seconds = Math.round(upTimeoutMs / 1000);
    throw await (result === 'timeout'
      ? this.notUp(deadline, `OpenVPN did not connect within ${seconds} s`, 'connectTimeout', { seconds })
      : this.notUp(deadline, 'OpenVPN stopped before it connected', 'stopped'));
  }

  /** Maps a management notification to a state; returns 'up', a failure, or nothing. */
  private onNotification(n: ManagementNotification): 'up' | AppError | undefined {
    if (n.type === 'STATE') {
      const s = parseStateNotification(n.body);
      this.log.note(`[state] ${s.name}${s.detail ? ` ${s.detail}` : ''}`);
      if (s.name === 'CONNECTED') {
        // After a reconnect the first up() has long resolved: the state alone says so.
        if (this.currentState === 'connecting' && this.wasUp) this.setState('up');
        return 'up';
      }
      if (s.name === 'RECONNECTING' && this.currentState === 'up') {
        const text = s.detail ? { key: 'statusReasons.vpn.reconnecting', params: { detail: s.detail } } : { key: 'statusReasons.vpn.reconnectingLost' };
        this.setState('connecting', `The VPN is reconnecting (${s.detail || 'connection lost'}).`, text);
      }
      return undefined;
    }
    if (n.type === 'PASSWORD') {
      if (/Verification Failed/i.test(n.body)) return new AppError('AUTH_FAILED', 'The VPN server refused the profile\'s credentials.', { profileId: this.options.profileId }, { key: 'connections.vpn.credentialsRefused' });
      return new AppError('VPN_PROFILE_INVALID', 'The VPN asked for a username/password or key passphrase, which the app cannot answer yet. Put the credentials inline in the profile.', { profileId: this.options.profileId }, { key: 'connections.vpn.credentialsPrompt' });
    }
    if (n.type === 'FATAL') this.log.note(`[fatal] ${n.body}`);
    return undefined;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.management?.close();
    // While connecting, up() reports the failure itself, with the log tail.
    if (this.stopping || !this.wasUp) return;
    const how = signal ?? `exit ${code}`;
    const log = this.log.tail(8).join('\n');
    this.setState('failed', `OpenVPN stopped (${how}). Last lines of its log:\n${log}`, { key: 'statusReasons.vpn.openvpnStopped', params: { how, log } });
    void this.folder?.dispose();
  }

  /** `what` failed; `name` keys it as `connections.vpn.openvpnNotUp.<name>`, the log tail its `detail`. */
  private async notUp(deadline: number, what: string, name: string, params: Record<string, string | number> = {}): Promise<AppError> {
    const child = this.child;
    if (child) {
      // A refusing launcher exits right away; give its exit a moment to arrive.
      const exit = await within(child.exited, Math.min(500, Math.max(0, deadline - Date.now()) + 100), null);
      if (exit) {
        const refused = launcherRefusal(this.options.launcher.kind, exit, this.log.tail(40).join('\n'));
        if (refused) return refused;
      }
    }
    const tail = this.log.tail();
    const detail = tail.join('\n') || '(nothing logged)';
    return new AppError(
      'VPN_FAILED',
      `The VPN never came up: ${what}. Last lines of the OpenVPN log:\n${detail}`,
      { profileId: this.options.profileId, remotes: this.options.profile.remotes, logTail: tail },
      { key: `connections.vpn.openvpnNotUp.${name}`, params: { ...params, detail } },
    );
  }

  async down(): Promise<void> {
    this.downPromise ??= this.stop().then(() => this.setState('down'));
    return this.downPromise;
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child) {
      // Over management, OpenVPN exits cleanly (routes removed) even when it runs as root under pkexec.
      this.management?.send('signal SIGTERM');
      let exit = await within(child.exited, 5_000, null);
      if (exit === null) {
        child.kill('SIGTERM');
        exit = await within(child.exited, 3_000, null);
      }
      if (exit === null) {
        child.kill('SIGKILL');
        await within(child.exited, 2_000, null);
      }
    }
    this.management?.close();
    await this.folder?.dispose();
  }

  async health(): Promise<HealthResult> {
    if (this.currentState !== 'up') return { healthy: false, reason: `The OpenVPN tunnel is ${this.currentState}.`, text: { key: `statusReasons.vpn.openvpnTunnel.${this.currentState}` } };
    return { healthy: true, reason: 'OpenVPN reports CONNECTED.', text: { key: 'statusReasons.vpn.openvpnConnected' } };
  }

  killNow(): void {
    this.stopping = true;
    this.child?.kill('SIGTERM');
    this.folder?.disposeSync();
  }

  private setState(state: TunnelState, reason?: string, text?: MessageText): void {
    if (state === this.currentState && reason === undefined) return;
    this.currentState = state;
    this.emitter.emit(reason === undefined ? { state } : { state, reason, ...(text === undefined ? {} : { text }) });
  }
}
