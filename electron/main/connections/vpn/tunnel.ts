import type { MessageText } from '../../../../shared/errors.ts';
import type { VpnKind } from './vpn-profile.ts';

/** What the UI shows for a VPN: down → connecting → up, or failed with a reason. */
export type TunnelState = 'down' | 'connecting' | 'up' | 'failed';

export interface TunnelStateChange {
  readonly state: TunnelState;
  /** Readable and scrubbed; absent for plain transitions. */
  readonly reason?: string;
  /** `reason` as a key for the window's language. */
  readonly text?: MessageText;
}

export interface HealthResult {
  readonly healthy: boolean;
  readonly reason: string;
  /** `reason` as a key of the window's `mainErrors.statusReasons` (see en-status-reasons.ts). */
  readonly text?: MessageText;
}

/** One running VPN connection (an openvpn or a WireGuard interface) for one profile. */
export interface Tunnel {
  readonly kind: VpnKind;
  readonly state: TunnelState;
  onState(listener: (change: TunnelStateChange) => void): () => void;
  /** Resolves when traffic can flow; rejects with a readable AppError (VPN_FAILED, LAUNCHER_REFUSED, …). */
  up(): Promise<void>;
  /** Tears down what up() brought up: process, interface, routes, private files. Safe to call twice. */
  down(): Promise<void>;
  health(): Promise<HealthResult>;
  /** Last resort from a process 'exit' handler: synchronous, signals children and removes private files. */
  killNow(): void;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

