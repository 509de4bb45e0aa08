// What a simulated container does, decided by words in its image reference, so tests can make
// any pod state with a plain Deployment:
//   pull-error | imagepull | notfound | does-not-exist | nonexistent → ErrImagePull, then ImagePullBackOff
//   crash | error | fail                                           → exits 1 (CrashLoopBackOff under restartPolicy Always, Error otherwise)
//   oom                                                            → killed for memory: exit 137, reason OOMKilled (then CrashLoopBackOff)
//   complete | succeed | job                                       → exits 0 (Completed)
//   unready | notready                                             → runs but never becomes ready
//   slow-stop | ignore-sigterm                                     → ignores SIGTERM: stays Terminating for the whole grace period
// Anything else runs and becomes ready.

export interface ImageBehaviour {
  pullFails: boolean;
  exitCode: number | undefined;
  ready: boolean;
  ignoresSigterm: boolean;
  /** Killed by the kernel for exceeding its memory limit, as kubelet reports it: exit 137, reason OOMKilled. */
  oomKilled: boolean;
}

export function imageBehaviour(image: string): ImageBehaviour {
  const text = image.toLowerCase();
  const has = (...words: string[]): boolean => words.some((word) => text.includes(word));
  const pullFails = has('pull-error', 'imagepull', 'notfound', 'not-found', 'does-not-exist', 'nonexistent');
  let exitCode: number | undefined;
  const oomKilled = !pullFails && has('oom');
  if (oomKilled) exitCode = 137;
  else if (!pullFails && has('crash', 'error', 'fail')) exitCode = 1;
  else if (!pullFails && has('complete', 'succeed', 'job')) exitCode = 0;
  return { pullFails, exitCode, ready: !has('unready', 'notready'), ignoresSigterm: has('slow-stop', 'ignore-sigterm'), oomKilled };
}

/** The fully qualified reference the container runtime reports ("docker.io/library/nginx:latest"). */
export function normalizeImage(image: string): string {
  let reference = image;
  const firstSlash = reference.indexOf('/');
  const host = firstSlash >= 0 ? reference.slice(0, firstSlash) : '';
  if (!host.includes('.') && !host.includes(':') && host !== 'localhost') reference = `docker.io/${firstSlash >= 0 ? '' : 'library/'}${reference}`;
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && !lastSegment.includes('@')) reference += ':latest';
  return reference;
}

export function startupLog(container: string, image: string, behaviour: ImageBehaviour): string[] {
  const lines = [`Starting ${container} from image ${image}`, 'Loading configuration from /etc/app/config.yaml'];
  if (behaviour.exitCode === 1) return [...lines, 'Connecting to database at db:5432', 'Error: connection refused: simulated failure', 'Exiting with status 1'];
  if (behaviour.exitCode === 0) return [...lines, 'Processing 42 items', 'All work done', 'Exiting with status 0'];
  const served = Array.from({ length: 7 }, (_, index) => `GET /healthz 200 ${index + 1}ms (request ${index + 1})`);
  return [...lines, 'Listening on 0.0.0.0:8080', ...served];
}
