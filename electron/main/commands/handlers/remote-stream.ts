import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import type { RemoteStreamSession } from '../../connections/ssh/remote-stream.ts';
import { streamOutputLimitBytes, streamTimeLimitMs, type ProcessRequest, type StreamLimits, type StreamSession } from '../process-runner.ts';
import type { StartStream, StreamingSessions } from '../streaming-sessions.ts';

type OpenRemote = (limits: Partial<StreamLimits> | undefined) => StreamSession;

/**
 * The StreamingSessions' one start function, for local and remote sessions alike, so the
 * 3-per-operator limit counts both. A request registered with `remote()` is started on its
 * SSH host; every other request goes to the local ProcessRunner.
 */
export class StreamStarter {
  private readonly local: StartStream;
  private readonly remoteRequests = new WeakMap<ProcessRequest, OpenRemote>();

  constructor(local: StartStream) {
    this.local = local;
  }

  readonly start: StartStream = (request, limits) => {
    const remote = this.remoteRequests.get(request);
    return remote === undefined ? this.local(request, limits) : remote(limits);
  };

  remote(request: ProcessRequest, open: OpenRemote): ProcessRequest {
    this.remoteRequests.set(request, open);
    return request;
  }
}

export interface RemoteStreamRequest {
  readonly operatorId: string;
  readonly environmentId: string;
  readonly argv: readonly string[];
  readonly auditArgv: readonly string[];
  readonly limits: Partial<StreamLimits> | undefined;
}

/**
 * Opens a streaming session on a Docker/Podman host reached over SSH through
 * RuntimeAccess.hostStream, counted in the operator's sessions (throws LIMIT_REACHED as a
 * local one would, before any channel is opened). `started` rejects when the host could not
 * be reached or the command not started there.
 */
export function openRemoteStream(
  starter: StreamStarter,
  sessions: StreamingSessions,
  runtime: Pick<RuntimeAccess, 'hostStream'>,
  request: RemoteStreamRequest,
): { session: StreamSession; started: Promise<void> } {
  const opened: { remote?: RemoteStreamSession } = {};
  const processRequest = starter.remote({ argv: request.argv, auditArgv: request.auditArgv }, (limits) => {
    const remote = runtime.hostStream(request.environmentId, request.argv, {
      timeLimitMs: limits?.timeLimitMs ?? streamTimeLimitMs,
      outputLimitBytes: limits?.outputLimitBytes ?? streamOutputLimitBytes,
    });
    opened.remote = remote;
    return asStreamSession(remote, request.auditArgv);
  });
  const session = sessions.open(request.operatorId, processRequest, request.limits);
  return { session, started: opened.remote?.started ?? Promise.resolve() };
}

function asStreamSession(remote: RemoteStreamSession, shownArgv: readonly string[]): StreamSession {
  return {
    id: remote.id,
    onOutput: (listener) => remote.onOutput(listener),
    done: remote.done.then((result) => ({
      argv: [...shownArgv],
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: result.durationMs,
      stdoutBytes: result.stdoutBytes,
      stderrBytes: result.stderrBytes,
      endReason: result.endReason,
    })),
    stop: () => remote.stop(),
  };
}
