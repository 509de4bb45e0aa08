import { killChildProcessGroups } from './process-groups.ts';

/**
 * How browser mode goes down. SIGTERM and SIGINT stop the server and the core (which ends
 * streams, SSH clients, tunnels) and then kill whatever child groups are left; an uncaught error
 * kills the child groups at once and exits non-zero, so no command outlives the app. A second
 * signal during a slow stop exits at once, after the same kill.
 */
export function installShutdown(stop: () => Promise<void>, report: (message: string) => void = (message) => process.stderr.write(`${message}\n`)): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      killChildProcessGroups();
      process.exit(1);
    }
    stopping = true;
    void stop()
      .catch((error: unknown) => report(`stopping after ${signal} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        killChildProcessGroups();
        process.exit(0);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (error) => {
    killChildProcessGroups();
    report(`KIOPS browser mode stopped after an unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
