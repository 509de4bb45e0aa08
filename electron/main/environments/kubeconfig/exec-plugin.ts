import { spawn } from 'node:child_process';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors.ts';
import type { ExecConfig } from './model.ts';
import { phraseParams, type SubjectPhrase } from '../../../../shared/message-params.ts';

export const execCredentialStatusSchema = z.object({
  token: z.string().optional(),
  clientCertificateData: z.string().optional(),
  clientKeyData: z.string().optional(),
  expirationTimestamp: z.string().optional(),
});

const execCredentialSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.literal('ExecCredential'),
  status: execCredentialStatusSchema,
});

export type ExecCredentialStatus = z.infer<typeof execCredentialStatusSchema>;

export interface ExecPluginOptions {
  /** Kills the plugin's whole process group after this long. */
  readonly timeoutMs: number;
  /** PATH the plugin sees; the app's own PATH is not inherited. */
  readonly path: string;
  /** HOME the plugin sees (plugins such as aws/gcloud read their config from it). */
  readonly home: string;
  /** Names the user in messages, e.g. the context or kubeconfig user. */
  readonly label: SubjectPhrase<'label'>;
  /** Extra fixed variables (e.g. LANG); the plugin's own `env` entries are added after these. */
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly cluster?: { server: string; certificateAuthorityData?: string; insecureSkipTlsVerify?: boolean };
}

const maxOutputBytes = 1024 * 1024;
const maxStderrInMessage = 400;

/**
 * Runs a kubeconfig `exec` credential plugin the way kubectl would, but bounded: no shell,
 * its own process group killed as a whole at the deadline, a fixed environment, output
 * capped. Returns the ExecCredential status; its values are secrets and never logged.
 * stdin is closed, so interactive plugins fail with their own message instead of hanging.
 */
export function runExecCredentialPlugin(exec: ExecConfig, options: ExecPluginOptions): Promise<ExecCredentialStatus> {
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  const execInfo = {
    apiVersion,
    kind: 'ExecCredential',
    spec: {
      interactive: false,
      ...(exec.provideClusterInfo && options.cluster
        ? {
            cluster: {
              server: options.cluster.server,
              'certificate-authority-data': options.cluster.certificateAuthorityData,
              'insecure-skip-tls-verify': options.cluster.insecureSkipTlsVerify,
            },
          }
        : {}),
    },
  };
  const env: Record<string, string> = {
    ...options.baseEnv,
    PATH: options.path,
    HOME: options.home,
    KUBERNETES_EXEC_INFO: JSON.stringify(execInfo),
  };
  for (const entry of exec.env ?? []) env[entry.name] = entry.value;
  const commandLine = [exec.command, ...(exec.args ?? [])].join(' ');
  const fail = (why: string, reason: string, params: Record<string, string | number> = {}, extra: Record<string, unknown> = {}): AppError =>
    new AppError('CREDENTIAL_PLUGIN_FAILED', `The credential plugin for ${options.label.english} (${commandLine}) ${why}`, { command: exec.command, ...extra }, {
      key: `environments.execPlugin.${reason}`,
      params: { ...phraseParams(options.label), commandLine, command: exec.command, ...params },
    });

  return new Promise((resolve, reject) => {
    const child = spawn(exec.command, exec.args ?? [], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outBytes = 0;
    let settled = false;
    let timedOut = false;
    let overflow = false;
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutputBytes) {
        overflow = true;
        killGroup();
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const finish = (error: AppError | null, value?: ExecCredentialStatus): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else if (value) resolve(value);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = exec.installHint ? ` ${exec.installHint.trim()}` : '';
      if (error.code === 'ENOENT') finish(fail(`could not start: "${exec.command}" was not found.${hint}`, hint ? 'notFoundHint' : 'notFound', { detail: hint.trim() }));
      else if (error.code === 'EACCES') finish(fail(`could not start: "${exec.command}" is not executable.`, 'notExecutable'));
      else finish(fail(`could not start (${error.code ?? error.message}).`, 'cannotStart', { detail: error.code ?? error.message }));
    });
    child.on('close', (code, signal) => {
      // Any grandchildren the plugin left behind go with it.
      killGroup();
      const duration = options.timeoutMs < 1000 ? `${options.timeoutMs} ms` : `${Math.round(options.timeoutMs / 1000)} s`;
      if (timedOut) return finish(fail(`did not finish within ${duration} and was stopped.`, 'timedOut', { duration }, { timeout: true }));
      if (overflow) return finish(fail('printed more output than a credential can hold and was stopped.', 'overflow'));
      const errText = Buffer.concat(stderr).toString('utf8').trim();
      const tail = errText.length > maxStderrInMessage ? `…${errText.slice(-maxStderrInMessage)}` : errText;
      if (code !== 0) {
        const reason = `${signal ? 'failedSignal' : 'failedExit'}${tail ? 'Output' : ''}`;
        const params = { signal: signal ?? '', exitCode: code ?? '', detail: tail };
        return finish(fail(`failed with ${signal ? `signal ${signal}` : `exit code ${code}`}${tail ? `: ${tail}` : '.'}`, reason, params, { exitCode: code }));
      }
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(stdout).toString('utf8'));
      } catch {
        return finish(fail('did not print an ExecCredential JSON object.', 'notJson'));
      }
      const parsed = execCredentialSchema.safeParse(json);
      if (!parsed.success) return finish(fail('printed JSON that is not a valid ExecCredential (kind and status are required).', 'invalidCredential'));
      const status = parsed.data.status;
      if (!status.token && !(status.clientCertificateData && status.clientKeyData)) {
        return finish(fail('returned neither a token nor a client certificate and key.', 'noCredential'));
      }
      finish(null, status);
    });
  });
}
