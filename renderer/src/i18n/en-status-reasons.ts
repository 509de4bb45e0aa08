/**
 * English of the status reasons main writes (`mainErrors.statusReasons.*`): why a connection method
 * was chosen or failed, VPN and probe health, the keychain's and the vault's state, Metrics Server
 * install notes; part of `en-errors.ts`. Each mirrors main's English text with its parameters as
 * `{name}`; `{method}`, `{reason}`, `{failed}`… are parts main keys too (see keyedTextSchema `parts`).
 */
export const enStatusReasons = {
  method: { direct: 'Direct', ssh: 'Direct SSH', vpn: 'VPN' },
  choice: {
    selected: '{method} (selected by you): {reason}',
    autoFirst: 'Auto chose {method}, first in priority and healthy: {reason}',
    autoFellBack: 'Auto chose {method}, fell back after {failed}: {reason}',
    failed: '{method} failed ({reason})',
  },
  noMethodWorks: {
    all: 'No connection method works. {attempts}',
    attempt: '{method}: {reason}',
  },
  probe: {
    tcpAccepted: '{target} accepted a connection in {ms} ms.',
    tcpSilent: '{target} did not answer within {ms} ms.',
    tcpUnreachable: '{target} is not reachable ({code}).',
    vpnUp: 'VPN up',
    joined: '{first}; {second}',
    sshUp: 'SSH connection to {host} is up',
    sshReachesApi: 'it reaches the API server {server}',
    socketAnswers: 'the engine socket {socketPath} answers',
  },
  vpn: {
    notUp: 'The VPN "{profileId}" is not up.',
    openvpnTunnel: { down: 'The OpenVPN tunnel is down.', connecting: 'The OpenVPN tunnel is connecting.', failed: 'The OpenVPN tunnel is failed.' },
    openvpnConnected: 'OpenVPN reports CONNECTED.',
    wireguardTunnel: { down: 'The WireGuard tunnel is down.', failed: 'The WireGuard tunnel is failed.' },
    wireguardNoHandshake: 'WireGuard has no handshake with the peer.',
    wireguardStale: 'The last WireGuard handshake was {seconds} s ago.',
    wireguardHandshake: 'WireGuard handshake {seconds} s ago.',
    reconnecting: 'The VPN is reconnecting ({detail}).',
    reconnectingLost: 'The VPN is reconnecting (connection lost).',
    openvpnStopped: 'OpenVPN stopped ({how}). Last lines of its log:\n{log}',
    wireguardStopped: '{program} stopped ({how}). Last lines of its log:\n{log}',
    peerSilent: 'No recent WireGuard handshake: the peer is not answering.',
    profileUnreadable: 'The VPN profile could not be read.',
  },
  keychain: {
    unavailable:
      'No OS keychain (Secret Service) is running or it is locked, so KIOPS Desktop cannot keep secrets. Secrets are never saved to disk in plain text. Start or unlock your keyring (for example GNOME Keyring or KWallet) and try again. (Keychain said: {detail})',
    vaultLocked: 'The passphrase vault is locked. Unlock it with its passphrase to use the secrets it keeps.',
    noKeychain: 'No OS keychain is available.',
    noStore: '{why} Start or unlock an OS keychain, or create a passphrase vault, to keep secrets.',
    notAvailable: 'The OS keychain is not available.',
  },
  metricsServer: {
    kindNotServed: 'the API server does not serve {apiVersion} {kind}',
    objectFailed: '{object} ({note})',
    noAvailableCondition: 'it has no Available condition yet',
  },
};
