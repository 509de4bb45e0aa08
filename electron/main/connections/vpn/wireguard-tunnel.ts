import { existsSync } from 'node:fs';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { LogTail, scrubLogLine } from './log-tail.ts';
import type { LaunchedProcess, PrivilegedLauncher } from './privileged-launcher.ts';
import { StateEmitter } from './state-emitter.ts';
import { delay, type HealthResult, type Tunnel, type TunnelState, type TunnelStateChange } from './tunnel.ts';
import { within } from '../within.ts';
import { createPrivateFolder, type PrivateFolder } from './vpn-profile.ts';
import { parseCidr, toSetconfText, type WireGuardProfile } from './wireguard-profile.ts';

export interface WireGuardTunnelOptions {
  readonly profileId: string;
  readonly profile: WireGuardProfile;
  readonly launcher: PrivilegedLauncher;
  readonly tempRoot: string;
  /** Interface name, at most 15 characters (the manager makes a unique one). */
  readonly interfaceName: string;
  readonly upTimeoutMs: number;
  /** How often the handshake is checked once up (default 10 s). */
  readonly watchIntervalMs?: number;
}

/**
 * A WireGuard interface for one profile, set up the way wg-quick does it but without its hooks:
 * a kernel interface (`ip link add … type wireguard`) where the module exists, else
 * `wireguard-go -f` in the foreground; then `wg setconf` with the keys and peers only, and
 * `ip` for addresses, MTU and the AllowedIPs routes.
 *
 * WireGuard has no "connected" state; a peer is reachable when a handshake is recent. A peer
 * only handshakes when there is traffic, so the app gives peers without PersistentKeepalive a
 * 25 s keepalive: the first keepalive starts the handshake that `up()` waits for, and later ones
 * keep the handshake fresh, so health reflects the path and not whether someone sent traffic.
 */
export const defaultKeepaliveSeconds = 25;
/** WireGuard rekeys every 2 minutes and rejects sessions after 3: older than that is stale. */
const staleHandshakeSeconds = 180;

export class WireGuardTunnel implements Tunnel {
  readonly kind = 'wireguard' as const;
  private currentState: TunnelState = 'down';
  private readonly emitter = new StateEmitter<TunnelStateChange>();
  // wireguard-go prefixes every line with level, interface and time: keep the message.
  private readonly log = new LogTail({ rewrite: (line) => line.replace(/^[A-Z]+: \([^)]*\) \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, '') });
  private readonly options: WireGuardTunnelOptions;
  private folder: PrivateFolder | undefined;
  private child: LaunchedProcess | undefined;
  private kernel = false;
  private interfaceCreated = false;
  private stopping = false;
  private watchTimer: NodeJS.Timeout | undefined;
  private downPromise: Promise<void> | undefined;

  constructor(options: WireGuardTunnelOptions) {
    this.options = options;
  }

  get state(): TunnelState {
    return this.currentState;
  }

  get interfaceName(): string {
    return this.options.interfaceName;
  }

  onState(listener: (change: TunnelStateChange) => void): () => void {
    return this.emitter.on(listener);
  }

  async up(): Promise<void> {
    if (this.currentState === 'up') return;
    this.setState('connecting');
    try {
      await this.start();
      this.setState('up');
      this.watch();
    } catch (error) {
      await this.stop();
      const failure = error instanceof AppError ? error : new AppError('VPN_FAILED', 'The WireGuard interface could not be set up.', undefined, { key: 'connections.vpn.wireguardNotSetUp' });
      this.setState('failed', failure.message, failure.text);
      throw failure;
    }
  }

  private async start(): Promise<void> {
    const { launcher, profile, interfaceName: iface, upTimeoutMs } = this.options;
    const deadline = Date.now() + upTimeoutMs;
    this.folder = await createPrivateFolder(this.options.tempRoot, 'kiops-wireguard-');
    const confPath = await this.folder.write('wg.conf', toSetconfText(profile, { persistentKeepalive: defaultKeepaliveSeconds }));

    // Kernel module first (cheaper, and what wg-quick would use); wireguard-go where it is missing.
    const kernel = await launcher.run(['ip', 'link', 'add', 'dev', iface, 'type', 'wireguard']);
    if (kernel.exitCode === 0) {
      this.kernel = true;
      this.interfaceCreated = true;
      this.log.note(`[app] kernel WireGuard interface ${iface}`);
    } else {
      await this.startUserspace(deadline);
    }

    await this.step(['wg', 'setconf', iface, confPath], 'apply the keys and peers', 'applyConfig');
    for (const address of profile.addresses) {
      await this.step(['ip', `-${parseCidr(address)?.family ?? 4}`, 'address', 'add', address, 'dev', iface], `add the address ${address}`, 'addAddress', { address });
    }
    await this.step(['ip', 'link', 'set', 'dev', iface, 'mtu', String(profile.mtu ?? 1420), 'up'], 'bring the interface up', 'linkUp');
    if (profile.table !== 'off') {
      for (const cidr of new Set(profile.peers.flatMap((p) => p.allowedIps))) await this.addRoute(cidr);
    }
    await this.waitForHandshake(deadline);
  }

  private async startUserspace(deadline: number): Promise<void> {
    const { launcher, interfaceName: iface } = this.options;
    const child = launcher.spawn(['wireguard-go', '-f', iface], { env: { LOG_LEVEL: 'verbose' } });
    this.child = child;
    child.onOutput((text) => this.log.push(text));
    let exited = false;
    void child.exited.then((exit) => {
      exited = true;
      if (!this.stopping && this.currentState === 'up') {
        const how = exit.signal ?? `exit ${exit.code}`;
        const log = this.log.tail(8).join('\n');
        this.setState('failed', `wireguard-go stopped (${how}). Last lines of its log:\n${log}`, { key: 'statusReasons.vpn.wireguardStopped', params: { program: 'wireguard-go', how, log } });
        void this.stop();
      }
    });
    while (!existsSync(`/sys/class/net/${iface}`)) {
      if (exited) throw this.notUp('wireguard-go stopped before it created the interface', 'stopped');
      if (Date.now() > deadline) throw this.notUp('wireguard-go did not create the interface in time', 'interfaceTimeout');
      await delay(50);
    }
    this.interfaceCreated = true;
    // wireguard-go opens its control socket only after the interface: until then `wg` falls back
    // to the kernel's WireGuard (absent here) and fails with "Protocol not supported".
    while ((await launcher.run(['wg', 'show', iface, 'public-key'])).exitCode !== 0) {
      if (exited) throw this.notUp('wireguard-go stopped before it opened its control socket', 'stoppedBeforeSocket');
      if (Date.now() > deadline) throw this.notUp('wireguard-go did not open its control socket in time', 'controlSocketTimeout');
      await delay(50);
    }
  }

  /** Runs one setup command; its failure is keyed `connections.vpn.wireguardNotUp.<name>`. */
  private async step(argv: readonly string[], what: string, name: string, params: Record<string, string | number> = {}): Promise<void> {
    const result = await this.options.launcher.run(argv);
    if (result.exitCode !== 0) {
      this.log.note(`[app] ${argv.slice(0, 3).join(' ')}: ${result.stderr.trim()}`);
      const reason = scrubLogLine(result.stderr.trim()) || `exit ${result.exitCode}`;
      throw this.notUp(`could not ${what} (${reason})`, name, { ...params, reason });
    }
  }

  private async addRoute(cidr: string): Promise<void> {
    const { launcher, interfaceName: iface, profile } = this.options;
    const family = `-${parseCidr(cidr)?.family ?? 4}`;
    const table = profile.table !== undefined && profile.table !== 'main' ? ['table', profile.table] : [];
    const added = await launcher.run(['ip', family, 'route', 'add', cidr, 'dev', iface, ...table]);
    if (added.exitCode === 0) return;
    // The kernel already adds a route for an Address's own network: that one is fine.
    const existing = await launcher.run(['ip', family, '-o', 'route', 'show', 'exact', cidr, 'dev', iface, ...table]);
    if (existing.exitCode === 0 && existing.stdout.trim() !== '') return;
    const reason = added.stderr.trim() || `exit ${added.exitCode}`;
    throw this.notUp(`could not route ${cidr} through the VPN (${reason}); another route for it may exist`, 'route', { cidr, reason });
  }

  /** Seconds since the most recent handshake of any peer, or null when none happened. */
  private async handshakeAge(): Promise<number | null> {
    const result = await this.options.launcher.run(['wg', 'show', this.options.interfaceName, 'latest-handshakes']);
    if (result.exitCode !== 0) return null;
    const stamps = result.stdout.split('\n').map((line) => Number(line.split('\t')[1] ?? 0)).filter((n) => n > 0);
    if (stamps.length === 0) return null;
    return Math.max(0, Date.now() / 1000 - Math.max(...stamps));
  }

  private async waitForHandshake(deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      if ((await this.handshakeAge()) !== null) return;
      await delay(200);
    }
    const endpoints = this.options.profile.peers.map((p) => p.endpoint).filter(Boolean).join(', ') || 'no endpoint';
    const seconds = Math.round(this.options.upTimeoutMs / 1000);
    throw this.notUp(`no handshake with the peer (${endpoints}) within ${seconds} s`, 'noHandshake', { endpoints, seconds });
  }

  /** Once up, the handshake age decides between up and connecting (reconnecting). */
  private watch(): void {
    const interval = this.options.watchIntervalMs ?? 10_000;
    this.watchTimer = setInterval(() => {
      void this.handshakeAge().then((age) => {
        if (this.stopping || (this.currentState !== 'up' && this.currentState !== 'connecting')) return;
        const fresh = age !== null && age < staleHandshakeSeconds;
        if (!fresh && this.currentState === 'up') this.setState('connecting', 'No recent WireGuard handshake: the peer is not answering.', { key: 'statusReasons.vpn.peerSilent' });
        if (fresh && this.currentState === 'connecting') this.setState('up');
      });
    }, interval);
    this.watchTimer.unref();
  }

  /** `what` failed; `name` keys it as `connections.vpn.wireguardNotUp.<name>`, the log tail its `detail`. */
  private notUp(what: string, name: string, params: Record<string, string | number> = {}): AppError {
    const tail = this.log.tail();
    const detail = tail.join('\n') || '(nothing logged)';
    return new AppError(
      'VPN_FAILED',
      `The VPN never came up: ${what}. Last lines of the WireGuard log:\n${detail}`,
      { profileId: this.options.profileId, interface: this.options.interfaceName, logTail: tail },
      { key: `connections.vpn.wireguardNotUp.${name}`, params: { ...params, detail } },
    );
  }

  async down(): Promise<void> {
    this.downPromise ??= this.stop().then(() => this.setState('down'));
    return this.downPromise;
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchTimer);
    const { launcher, interfaceName: iface } = this.options;
    const child = this.child;
    // wireguard-go removes its interface (and with it addresses and routes) when it ends.
    if (child) {
      child.kill('SIGTERM');
      if ((await within(child.exited, 3_000, null)) === null) {
        // Under pkexec the app may not signal a root process: deleting its interface ends it too.
        await launcher.run(['ip', 'link', 'del', 'dev', iface]).catch(() => undefined);
        if ((await within(child.exited, 3_000, null)) === null) {
          child.kill('SIGKILL');
          await within(child.exited, 2_000, null);
        }
      }
    }
    if (this.interfaceCreated && existsSync(`/sys/class/net/${iface}`)) {
      await launcher.run(['ip', 'link', 'del', 'dev', iface]).catch(() => undefined);
    }
    await this.folder?.dispose();
  }

  async health(): Promise<HealthResult> {
    if (this.currentState !== 'up' && this.currentState !== 'connecting') return { healthy: false, reason: `The WireGuard tunnel is ${this.currentState}.`, text: { key: `statusReasons.vpn.wireguardTunnel.${this.currentState}` } };
    const age = await this.handshakeAge();
    if (age === null) return { healthy: false, reason: 'WireGuard has no handshake with the peer.', text: { key: 'statusReasons.vpn.wireguardNoHandshake' } };
    const seconds = Math.round(age);
    if (age >= staleHandshakeSeconds) return { healthy: false, reason: `The last WireGuard handshake was ${seconds} s ago.`, text: { key: 'statusReasons.vpn.wireguardStale', params: { seconds } } };
    return { healthy: true, reason: `WireGuard handshake ${seconds} s ago.`, text: { key: 'statusReasons.vpn.wireguardHandshake', params: { seconds } } };
  }

  killNow(): void {
    this.stopping = true;
    clearInterval(this.watchTimer);
    this.child?.kill('SIGTERM');
    if (this.kernel && this.interfaceCreated) {
      // Started now, it finishes after the app is gone.
      try {
        this.options.launcher.spawn(['ip', 'link', 'del', 'dev', this.options.interfaceName]);
      } catch {
        // Nothing more can be done while exiting.
      }
    }
    this.folder?.disposeSync();
  }

  private setState(state: TunnelState, reason?: string, text?: MessageText): void {
    if (state === this.currentState && reason === undefined) return;
    this.currentState = state;
    this.emitter.emit(reason === undefined ? { state } : { state, reason, ...(text === undefined ? {} : { text }) });
  }
}
