import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./app-exit-child.ts', import.meta.url));

/** A separate Node process holding a VpnManager, so a test can let "the app" die under it. */
export class AppProcess {
  private readonly child: ChildProcess;
  private output = '';

  private constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  /** Starts the process and brings `profile` up in it; resolves once the tunnel is up. */
  static async bringUp(tempRoot: string, profile: string): Promise<AppProcess> {
    const child = spawn(process.execPath, [childScript, tempRoot], { stdio: ['pipe', 'pipe', 'pipe'] });
    const app = new AppProcess(child);
    child.stdin?.write(`${JSON.stringify({ profile })}\n`);
    const deadline = Date.now() + 15_000;
    while (!/^(up|failed)/m.test(app.output)) {
      if (Date.now() > deadline || child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!app.output.startsWith('up')) {
      child.kill('SIGKILL');
      throw new Error(`the app process did not bring the VPN up: ${app.output}`);
    }
    return app;
  }

  /** SIGKILL: the app gets no chance to run anything. */
  async kill(): Promise<void> {
    const closed = once(this.child, 'close');
    this.child.kill('SIGKILL');
    await closed;
  }

  /** Ends the process by process.exit() or by an uncaught exception; resolves when it is gone. */
  async end(how: 'exit' | 'throw'): Promise<number | null> {
    const closed = once(this.child, 'close');
    this.child.stdin?.write(`${JSON.stringify({ exit: how })}\n`);
    const [code] = (await closed) as [number | null];
    return code;
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
