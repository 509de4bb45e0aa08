import { isAppError } from '../../../../shared/errors.ts';
import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import type { OneShotResult, ProcessRequest } from '../process-runner.ts';

/**
 * A one-shot command on a Docker/Podman host reached over SSH, through RuntimeAccess.hostExec:
 * argv is quoted word by word for the remote login shell (no shell syntax survives), the remote
 * side reports its pid so the deadline kills the command's whole process group through a second
 * channel, and output stops at the limit. The remote PATH is the SSH account's, not the app's.
 * At the deadline hostExec rejects with TIMEOUT and the partial output is dropped, so a timed-out
 * remote command shows its end reason without output. When the link drops first, the end reason
 * is `link-lost` with exit code and signal unknown (null); the remote watchdog (remote-exec.ts)
 * has ended the command on the host.
 * Streaming on the host goes through RuntimeAccess.hostStream instead (see remote-stream.ts).
 */
export async function runOnRemoteHost(
  runtime: Pick<RuntimeAccess, 'hostExec'>,
  environmentId: string,
  request: ProcessRequest,
  limits: { readonly deadlineMs: number; readonly maxOutputBytes: number },
): Promise<OneShotResult> {
  const started = performance.now();
  const shown = [...(request.auditArgv ?? request.argv)];
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const result = await runtime.hostExec(environmentId, request.argv, limits);
    return {
      argv: shown,
      stdout: result.stdout,
      stderr: result.stderr,
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: elapsed(),
      stdoutBytes: Buffer.byteLength(result.stdout),
      stderrBytes: Buffer.byteLength(result.stderr),
      endReason: result.linkLost === true ? 'link-lost' : result.truncated ? 'output-limit' : 'exited',
    };
  } catch (error) {
    if (!isAppError(error) || error.code !== 'TIMEOUT') throw error;
    // The kill is sent over a second channel and its effect is not reported back: no signal is
    // claimed, the end reason says what the app did.
    return { argv: shown, stdout: '', stderr: error.message, exitCode: null, signal: null, durationMs: elapsed(), stdoutBytes: 0, stderrBytes: 0, endReason: 'timeout' };
  }
}
