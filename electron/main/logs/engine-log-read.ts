import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { defaultRequestDeadlineMs } from '../connections/request-deadlines.ts';
import type { EngineConnection } from '../operations/containers/engine.ts';
import { LogFrameReader, demuxLogFrames } from './log-frames.ts';
import { NewestBytes } from './log-text.ts';

export interface EngineLogRead {
  readonly containerId: string;
  readonly tty: boolean;
  readonly tailLines: number;
  readonly limitBytes: number;
  readonly timestamps: boolean;
}

/**
 * A container's log text from its engine, demultiplexed unless the container has a TTY, and
 * holding at least the newest `tailLines` lines or `limitBytes` + 1 bytes, whichever is less.
 *
 * Docker, and Podman from 4.7, answer `tail` exactly. Podman before 4.7 (Debian 12 ships 4.3)
 * assembles the pieces conmon stored a line in (its partial "P" records) wrongly on its tail
 * path only: a piece is glued to the line before it, moving a line break, and a piece at the
 * start of what it returns is dropped, losing text (podman#19545). Its read from the start
 * assembles them right, so for those versions the log is read whole, as a stream, keeping only
 * the newest bytes.
 */
export async function readEngineLog(engine: EngineConnection, read: EngineLogRead): Promise<Buffer> {
  if (await tailIsExact(engine)) {
    const framed = await engine.docker.getContainer(read.containerId).logs({ follow: false, stdout: true, stderr: true, tail: read.tailLines, timestamps: read.timestamps });
    return read.tty ? framed : demuxLogFrames(framed).output;
  }
  return readWholeLog(engine.docker, read);
}

/** Whether a Podman version's tail answer can be trusted: from 4.7 on; an unknown version is not. */
export function podmanTailIsExact(version: string | undefined): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 4 || (major === 4 && minor >= 7);
}

const tailAnswers = new WeakMap<Docker, Promise<boolean>>();

function tailIsExact(engine: EngineConnection): Promise<boolean> {
  if (engine.kind === 'docker') return Promise.resolve(true);
  const known = tailAnswers.get(engine.docker);
  if (known) return known;
  const asked = engine.docker.version().then(
    (answer) => podmanTailIsExact(answer.Components?.find((component) => /podman/i.test(component.Name))?.Version ?? answer.Version),
    () => {
      // unknown this time (the log read will say why the engine is unreachable): ask again next time
      tailAnswers.delete(engine.docker);
      return false;
    },
  );
  tailAnswers.set(engine.docker, asked);
  return asked;
}

interface Dialer {
  dial(options: object, callback: (error: unknown, stream?: Readable) => void): void;
}

/**
 * The log from its start as a stream. The request's own deadline ends at the answer's headers,
 * so a link that goes silent mid-log is caught here: no bytes for the deadline ends the read.
 */
async function readWholeLog(docker: Docker, read: EngineLogRead, idleMs = defaultRequestDeadlineMs): Promise<Buffer> {
  const quiet = new AbortController();
  const stream = await new Promise<Readable>((resolve, reject) => {
    (docker.modem as Dialer).dial(
      {
        path: `/containers/${encodeURIComponent(read.containerId)}/logs?`,
        method: 'GET',
        isStream: true,
        abortSignal: quiet.signal,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: { follow: false, stdout: true, stderr: true, timestamps: read.timestamps },
      },
      (error, answer) => (error || !answer ? reject(error ?? new Error('The engine sent no log stream')) : resolve(answer)),
    );
  });
  const newest = new NewestBytes(read.limitBytes + 1);
  const frames = read.tty ? null : new LogFrameReader();
  let timer = setTimeout(() => quiet.abort(), idleMs);
  try {
    for await (const piece of stream) {
      clearTimeout(timer);
      timer = setTimeout(() => quiet.abort(), idleMs);
      const bytes = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
      newest.push(frames ? frames.push(bytes) : bytes);
    }
  } catch (error) {
    if (quiet.signal.aborted) throw silentMidLog(idleMs, error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (quiet.signal.aborted) throw silentMidLog(idleMs);
  if (frames) newest.push(frames.end().output);
  return newest.take();
}

function silentMidLog(idleMs: number, cause?: unknown): Error {
  return new Error(`The engine sent nothing for ${Math.round(idleMs / 1000)} s in the middle of the log: the link may be silent.`, { cause });
}
