import type Dockerode from 'dockerode';
import type { EndReason, RunResult } from '../process-runner.ts';
import { placeLabel, type CommandPlace } from './command-places.ts';

/** Runs that did not end by themselves: what they started inside a container must go too. */
export const cutShortReasons: ReadonlySet<EndReason> = new Set<EndReason>(['timeout', 'output-limit', 'time-limit', 'stopped', 'link-lost']);

/**
 * The audit row's words for a run whose link dropped: what is known, nothing made up. The exit
 * code and signal stay as reported (null when the host never said); the row says the link was
 * lost and what the app relies on to end the command.
 */
export function linkLostNote(place: CommandPlace, result: Pick<RunResult, 'endReason'>): { error?: string } {
  if (result.endReason !== 'link-lost') return {};
  const where = place.runtime === 'engine' && place.remoteHost !== null ? `the SSH link to ${place.remoteHost}` : `the connection of ${placeLabel(place)}`;
  const fate =
    place.runtime === 'engine' && place.remoteHost !== null
      ? 'how the command ended there is unknown; its watchdog kills its process group on the host when the channel closes'
      : 'the command ended without being stopped, before any limit';
  return { error: `Link lost: ${where} dropped before the command ended; ${fate}.` };
}

/**
 * A kubectl watch has no end of its own: within the stream's time limit it only ends when the
 * API server's connection does (a cut link, a restarted server), and kubectl then exits 0. Such
 * an end is recorded as `link-lost`, keeping the exit code kubectl reported. `logs -f` and
 * `rollout status -w` do end by themselves, so they keep `exited`.
 */
export function endOfWatch<R extends RunResult>(place: CommandPlace, argv: readonly string[], result: R): R {
  if (place.runtime !== 'kubernetes' || result.endReason !== 'exited') return result;
  const subcommand = argv[1];
  const watches = argv.some((word) => word === '--watch' || word === '--watch=true' || word === '--watch-only' || word === '--watch-only=true');
  return (subcommand === 'get' || subcommand === 'events') && watches ? { ...result, endReason: 'link-lost' } : result;
}

/**
 * `docker/podman logs --follow` exits 0 both when its container stops and when its link to the
 * engine is cut. Asked afterwards, the engine tells them apart: a container still running (or an
 * engine that cannot be asked) means the link was lost. The exit code stays as reported.
 */
export async function endOfFollow<R extends RunResult>(place: CommandPlace, argv: readonly string[], result: R, engine: () => Promise<Dockerode>): Promise<R> {
  if (place.runtime !== 'engine' || place.remoteHost !== null || result.endReason !== 'exited') return result;
  const logsAt = argv.indexOf('logs');
  if (logsAt < 1 || logsAt > 2 || !argv.includes('--follow')) return result;
  const container = argv.at(-1) ?? '';
  try {
    const docker = await engine();
    const info = (await withTimeout(docker.getContainer(container).inspect(), 5_000)) as { State?: { Running?: boolean } };
    return info.State?.Running === true ? { ...result, endReason: 'link-lost' } : result;
  } catch {
    return { ...result, endReason: 'link-lost' };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
