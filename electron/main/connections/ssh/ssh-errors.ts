import { AppError } from '../../../../shared/errors.ts';

export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
}

export function targetLabel(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.username}@${host}:${target.port}`;
}

export function hostPortOf(target: SshTarget): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

const unreachableCodes: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (is the SSH server running and the port right?)',
  EHOSTUNREACH: 'there is no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ECONNRESET: 'the connection was reset during the handshake',
};

/**
 * Turns what ssh2 throws into an error a user can act on. Host key errors are raised by our
 * own verifier and pass through unchanged. Nothing from the key or passphrase is included.
 */
export function describeSshError(error: unknown, target: SshTarget): AppError {
  if (error instanceof AppError) return error;
  const label = targetLabel(target);
  const err = error as (Error & { code?: string | number; level?: string }) | undefined;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const details = { host: target.host, port: target.port, username: target.username };
  if (code && unreachableCodes[code]) {
    return new AppError('UNREACHABLE', `Cannot reach ${label}: ${unreachableCodes[code]}.`, { ...details, reason: code }, { key: 'sshUnreachable', params: { host: label, reason: code } });
  }
  if (err?.level === 'client-timeout') {
    return new AppError('UNREACHABLE', `Cannot reach ${label}: the SSH handshake timed out.`, { ...details, reason: 'timeout' }, { key: 'sshHandshakeTimeout', params: { host: label } });
  }
  if (err?.level === 'client-authentication') {
    return new AppError(
      'AUTH_FAILED',
      `${label} refused the login: the key (or agent identities) is not accepted for user "${target.username}". Check the user name and that the public key is in the server’s ~/.ssh/authorized_keys.`,
      details,
      { key: 'connections.ssh.loginRefused', params: { host: label, user: target.username } },
    );
  }
  if (err?.level === 'protocol' || err?.level === 'handshake') {
    return new AppError('UNREACHABLE', `Cannot talk SSH to ${label}: the handshake failed (${err.message}).`, { ...details, reason: 'handshake' }, { key: 'connections.ssh.handshakeFailed', params: { host: label, detail: err.message } });
  }
  const detail = err?.message ?? 'unknown error';
  return new AppError('UNAVAILABLE', `The SSH connection to ${label} failed: ${detail}.`, details, { key: 'connections.ssh.failed', params: { host: label, detail } });
}
