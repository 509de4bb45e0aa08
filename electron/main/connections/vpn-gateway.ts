import { AppError, type MessageText } from '../../../shared/errors.ts';
import type { HealthResult } from './vpn/tunnel.ts';

export type VpnTunnelState = 'down' | 'connecting' | 'up' | 'failed';

/**
 * What the connection layer needs from the VPN manager (connections/vpn/vpn-manager.ts
 * satisfies it). A port, so platforms without a privileged launcher get a gateway that says
 * why instead of failing at start-up.
 */
export interface VpnGateway {
  bringUp(profileId: string): Promise<void>;
  tearDown(profileId: string): Promise<void>;
  state(profileId: string): VpnTunnelState;
  /** Why the VPN is failed or reconnecting, when a tunnel said so (optional: gateways without tunnels have none). */
  reason?(profileId: string): { readonly reason: string; readonly text?: MessageText } | undefined;
  probe(host: string, port: number, timeoutMs?: number, profileId?: string): Promise<HealthResult>;
  tearDownAll(): Promise<void>;
  dispose(): void;
}

/**
 * For machines where VPNs cannot be brought up: every attempt fails with the reason (the
 * launcher's own error keeps its key, so a Korean window says why in Korean).
 */
export function unavailableVpnGateway(why: string | AppError): VpnGateway {
  const reason = typeof why === 'string' ? why : why.message;
  const text = typeof why === 'string' || why.text === undefined ? { key: 'connections.vpn.unavailable', params: { detail: reason } } : why.text;
  const refuse = () => Promise.reject(new AppError('UNAVAILABLE', reason, undefined, text));
  return {
    bringUp: refuse,
    tearDown: async () => {},
    state: () => 'down',
    probe: async () => ({ healthy: false, reason, text }),
    tearDownAll: async () => {},
    dispose: () => {},
  };
}
