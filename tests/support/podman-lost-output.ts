/**
 * Podman 4.3 now and then loses the output of an exec: all of it when the command ends at once
 * (podman#18025), or the end of it when the exec's stream closes early (podman#9096). What the
 * app shows is then true to what Podman gave, but a test reading that output cannot check what it
 * is about. Such a test runs again when `lost` says the engine lost the output, three runs in all;
 * the last result is returned as it came, so a steady loss still fails the test.
 */
export async function againWhenPodmanLostOutput<T>(run: () => Promise<T>, lost: (result: T) => boolean | Promise<boolean>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const result = await run();
    if (attempt === 3 || !(await lost(result))) return result;
  }
}
