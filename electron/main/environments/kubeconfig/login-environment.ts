import { spawn } from 'node:child_process';
import { proxyVariableNames } from './proxy-environment.ts';

/**
 * What credential plugins (aws, gke-gcloud-auth-plugin, kubelogin, az) need from the user's
 * session, which a desktop app started from a launcher does not inherit: the PATH of a login
 * shell (Homebrew, krew, cloud SDK folders), the cloud SDK variables, KUBECONFIG, the proxy
 * variables and HOME. Nothing else of the app's environment is passed on.
 */
export interface LoginEnvironment {
  readonly path: string;
  /** Where PATH came from, for diagnostics. */
  readonly pathSource: 'login-shell' | 'inherited';
  readonly variables: Readonly<Record<string, string>>;
}

export interface LoginCaptureOptions {
  /** Kills the login shell's process group after this long and falls back (default 3 s). */
  readonly timeoutMs?: number;
}

const passedPrefixes = ['AWS_', 'GOOGLE_', 'AZURE_', 'CLOUDSDK_'];
const passedNames = new Set<string>(['KUBECONFIG', 'HOME', 'USER', 'LOGNAME', ...proxyVariableNames]);
const fallbackPath = '/usr/local/bin:/usr/bin:/bin';
const marker = '__KIOPS_LOGIN_PATH__';

/** The cloud, kube, proxy and HOME variables of env, without PATH. */
export function sessionVariablesOf(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (passedNames.has(name) || passedPrefixes.some((prefix) => name.startsWith(prefix))) out[name] = value;
  }
  return out;
}

/**
 * Asks the user's login shell once for its PATH (`$SHELL -ilc`, stdin closed, own process
 * group killed at the deadline) and falls back to the inherited PATH when there is no shell,
 * it fails, prints nothing usable or is too slow. Never rejects.
 */
export async function captureLoginEnvironment(env: Readonly<Record<string, string | undefined>>, options: LoginCaptureOptions = {}): Promise<LoginEnvironment> {
  const variables = sessionVariablesOf(env);
  const inherited = env.PATH && env.PATH !== '' ? env.PATH : fallbackPath;
  const shell = env.SHELL;
  const fromShell = shell && shell.startsWith('/') ? await loginShellPath(shell, env, options.timeoutMs ?? 3_000) : undefined;
  return fromShell ? { path: fromShell, pathSource: 'login-shell', variables } : { path: inherited, pathSource: 'inherited', variables };
}

function loginShellPath(shell: string, env: Readonly<Record<string, string | undefined>>, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    // rc files may print banners: the PATH is taken from between two markers.
    const script = `printf '%s%s%s' '${marker}' "$PATH" '${marker}'`;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(shell, ['-ilc', script], {
        env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
        shell: false,
      });
    } catch {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      resolve(undefined);
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= 256 * 1024) chunks.push(chunk);
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      const text = Buffer.concat(chunks).toString('utf8');
      const match = new RegExp(`${marker}(.*?)${marker}`, 's').exec(text);
      const path = match?.[1]?.trim();
      resolve(code === 0 && path && path.includes('/') && !path.includes('\n') ? path : undefined);
    });
  });
}
