import type Docker from 'dockerode';
import { AppError } from '../../../../shared/errors.ts';

// Images on one engine: local tags of a repository, and the pull that precedes a redeploy.
// dockerode's pull() resolves as soon as the engine accepts the request; the outcome (and any
// error, such as an unreachable registry) arrives inside the progress stream, so it is followed
// to its end and its error lines are collected.

const pullTimeoutMs = 120_000;

/** `registry:5000/team/app:1.2@sha256:…` → `registry:5000/team/app` (the part a tag is appended to). */
export function repositoryOf(reference: string): string {
  const withoutDigest = reference.split('@')[0] ?? reference;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

/** Podman stores unqualified local images as `localhost/<name>`; compare repositories without it. */
function shortRepository(reference: string): string {
  return repositoryOf(reference).replace(/^(localhost|docker\.io)\//, '').replace(/^library\//, '');
}

/** Every tag on the engine whose repository is the one `image` comes from, sorted. */
export async function localTagsOf(docker: Docker, image: string): Promise<string[]> {
  const wanted = shortRepository(image);
  const images = await docker.listImages();
  const tags = new Set<string>();
  for (const entry of images) for (const tag of entry.RepoTags ?? []) if (tag !== '<none>:<none>' && shortRepository(tag) === wanted) tags.add(tag);
  return [...tags].sort();
}

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

interface PullProgress {
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

/** Pulls `image` and resolves with null, or with the pull's own error text. Never throws. */
export async function pullImage(docker: Docker, image: string): Promise<string | null> {
  try {
    const stream = (await docker.pull(image)) as NodeJS.ReadableStream;
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(`the pull did not finish within ${pullTimeoutMs / 1000} s`), pullTimeoutMs);
      const errors: string[] = [];
      docker.modem.followProgress(
        stream,
        (error: Error | null) => {
          clearTimeout(timer);
          if (error) errors.push(error.message);
          resolve(errors.length > 0 ? errors.join('; ') : null);
        },
        (event: PullProgress) => {
          const message = event.errorDetail?.message ?? event.error;
          if (message && !errors.includes(message)) errors.push(message);
        },
      );
    });
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^\(HTTP code \d+\) [^-]*- /, '') : String(error);
  }
}

/**
 * The image a redeploy will run: pulled when a registry answers, else the local copy. When
 * neither exists, NOT_FOUND carrying the pull's own error, before anything is touched.
 */
export async function ensureImage(docker: Docker, image: string, engine: string): Promise<{ pulled: boolean; pullError: string | null }> {
  const pullError = await pullImage(docker, image);
  if (pullError === null) return { pulled: true, pullError };
  if (await imageExists(docker, image)) return { pulled: false, pullError };
  throw new AppError('NOT_FOUND', `Image "${image}" is not on ${engine} and could not be pulled: ${pullError.trim()}`, undefined, { key: 'operations.deployments.imagePullFailed', params: { image, engine, detail: pullError.trim() } });
}
