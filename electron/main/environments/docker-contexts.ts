import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DockerContextView, DockerEndpoint } from '../../../shared/contract/environments.ts';
import { AppError, type MessageText } from '../../../shared/errors.ts';
import type { HostEnvironment } from './local-engine-detection.ts';

/** A context's `problem` with its key, for the window's language and the error `context()` raises with it. */
function withProblemText<T extends object>(view: T, text: MessageText | undefined): T & { problemText?: MessageText } {
  return text === undefined ? view : { ...view, problemText: text };
}

/** The daemon the docker CLI talks to without DOCKER_HOST or a context. */
export const defaultDockerSocket = '/var/run/docker.sock';
/** A client certificate, CA, meta.json or config.json larger than this is not a file the CLI wrote. */
const maxPemBytes = 64 * 1024;
const maxJsonBytes = 1024 * 1024;

const metaSchema = z.object({ Name: z.string(), Endpoints: z.object({ docker: z.object({ Host: z.string().optional(), SkipTLSVerify: z.boolean().optional() }).loose() }).loose() }).loose();
const configSchema = z.object({ currentContext: z.string().optional() }).loose();

export type DockerContextSelection = 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config' | 'default';

export interface DockerContexts {
  readonly contexts: DockerContextView[];
  /** The context the docker CLI would use now, and what decided it. */
  readonly selected: string;
  readonly selectedBy: DockerContextSelection;
}

/** A context's TLS material as the CLI stores it; read only to move it into the keychain. */
export interface DockerTlsFiles {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/**
 * Reads the Docker CLI's contexts as `docker context ls` shows them: the config folder is
 * $DOCKER_CONFIG or ~/.docker, each context's meta.json sits under contexts/meta/<sha256(name)>,
 * its TLS files under contexts/tls/<sha256(name)>/docker. The CLI's own precedence picks the
 * current one: DOCKER_HOST (the "default" context), then DOCKER_CONTEXT, then config.json's
 * currentContext. Nothing is written back.
 */
export class DockerContextReader {
  private readonly host: HostEnvironment;

  constructor(host: HostEnvironment) {
    this.host = host;
  }

  private get configDir(): string {
    return this.host.env.DOCKER_CONFIG || join(this.host.homeDir, '.docker');
  }

  async read(): Promise<DockerContexts> {
    const { env } = this.host;
    const named = await this.namedContexts();
    const fromConfig = await this.currentFromConfig();
    const [selected, selectedBy]: [string, DockerContextSelection] = env.DOCKER_HOST
      ? ['default', 'DOCKER_HOST']
      : env.DOCKER_CONTEXT
        ? [env.DOCKER_CONTEXT, 'DOCKER_CONTEXT']
        : fromConfig
          ? [fromConfig, 'config']
          : ['default', 'default'];
    const defaultContext = withEndpoint('default', env.DOCKER_HOST ?? `unix://${defaultDockerSocket}`, Boolean(env.DOCKER_TLS_VERIFY) || Boolean(env.DOCKER_CERT_PATH), !env.DOCKER_TLS_VERIFY && Boolean(env.DOCKER_CERT_PATH));
    const contexts = [defaultContext, ...named].map((context) => ({ ...context, current: context.name === selected }));
    if (!contexts.some((context) => context.current)) {
      const by = selectedBy === 'config' ? 'config.json' : selectedBy;
      contexts.push(
        withProblemText(
          { name: selected, current: true, problem: `${by} names the context "${selected}", which does not exist in ${this.configDir}.` },
          { key: 'environments.dockerContext.selectedMissing', params: { by, name: selected, dir: this.configDir } },
        ),
      );
    }
    return { contexts, selected, selectedBy };
  }

  /** One context by name, as read now: the renderer names it, main reads what it points at. */
  async context(name: string): Promise<DockerContextView> {
    const found = (await this.read()).contexts.find((context) => context.name === name);
    if (!found) throw new AppError('NOT_FOUND', `There is no Docker context named "${name}" in ${this.configDir}.`, undefined, { key: 'environments.dockerContext.notFound', params: { name, dir: this.configDir } });
    if (!found.endpoint) {
      const noEndpoint = { key: 'environments.dockerContext.noEndpoint', params: { name } };
      throw new AppError('INVALID_INPUT', found.problem ?? `The Docker context "${name}" has no Docker endpoint.`, undefined, found.problem === undefined ? noEndpoint : found.problemText);
    }
    return found;
  }

  /** The ca/cert/key files of a context (DOCKER_CERT_PATH for "default"); absent files are left out. */
  async tlsFiles(name: string): Promise<DockerTlsFiles> {
    const dir = name === 'default' ? this.host.env.DOCKER_CERT_PATH : join(this.configDir, 'contexts', 'tls', contextDigest(name), 'docker');
    if (!dir) return {};
    const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((file) => readPem(join(dir, file))));
    return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }

  private async currentFromConfig(): Promise<string | undefined> {
    const text = await readSmallFile(join(this.configDir, 'config.json'), maxJsonBytes);
    if (text === null) return undefined;
    try {
      const parsed = configSchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.currentContext ? parsed.data.currentContext : undefined;
    } catch {
      return undefined;
    }
  }

  private async namedContexts(): Promise<Omit<DockerContextView, 'current'>[]> {
    const metaDir = join(this.configDir, 'contexts', 'meta');
    const entries = (await readdir(metaDir).catch(() => [] as string[])).sort();
    const found: Omit<DockerContextView, 'current'>[] = [];
    for (const entry of entries) {
      const text = await readSmallFile(join(metaDir, entry, 'meta.json'), maxJsonBytes);
      if (text === null) continue;
      let meta: z.infer<typeof metaSchema>;
      try {
        const parsed = metaSchema.safeParse(JSON.parse(text));
        if (!parsed.success) continue;
        meta = parsed.data;
      } catch {
        continue;
      }
      // The CLI finds a context by the digest of its name; a folder under another name is not that context.
      if (meta.Name === 'default' || contextDigest(meta.Name) !== entry) continue;
      const host = meta.Endpoints.docker.Host;
      if (!host) {
        found.push(withProblemText({ name: meta.Name, problem: `The Docker context "${meta.Name}" has no Docker host.` }, { key: 'environments.dockerContext.noHost', params: { name: meta.Name } }));
        continue;
      }
      try {
        const tls = await this.tlsFiles(meta.Name);
        found.push(withEndpoint(meta.Name, host, Object.keys(tls).length > 0, meta.Endpoints.docker.SkipTLSVerify === true));
      } catch (error) {
        const problem = error instanceof AppError ? error.message : `The TLS files of "${meta.Name}" cannot be read.`;
        found.push(withProblemText({ name: meta.Name, problem }, error instanceof AppError ? error.text : { key: 'environments.dockerContext.tlsUnreadable', params: { name: meta.Name } }));
      }
    }
    return found;
  }
}

export function contextDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function withEndpoint(name: string, host: string, tls: boolean, skipTlsVerify: boolean): Omit<DockerContextView, 'current'> {
  try {
    return { name, endpoint: dockerEndpointOf(host, tls, skipTlsVerify) };
  } catch (error) {
    const problem = error instanceof AppError ? error.message : `The Docker host of "${name}" cannot be read.`;
    return withProblemText({ name, problem }, error instanceof AppError ? error.text : { key: 'environments.dockerContext.hostUnreadable', params: { name } });
  }
}

/** unix://, ssh://[user@]host[:port] and tcp://host:port, as the docker CLI accepts them in a context or DOCKER_HOST. */
export function dockerEndpointOf(host: string, tls: boolean, skipTlsVerify = false): DockerEndpoint {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new AppError('INVALID_INPUT', `The socket in "${host}" is not an absolute path.`, undefined, { key: 'environments.dockerContext.socketNotAbsolute', params: { host } });
    return { kind: 'unix', socketPath };
  }
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new AppError('INVALID_INPUT', `"${host.slice(0, 200)}" is not a Docker host URL (unix://, ssh:// or tcp://).`, undefined, { key: 'environments.dockerContext.notHostUrl', params: { host: host.slice(0, 200) } });
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) throw new AppError('INVALID_INPUT', `"${host.slice(0, 200)}" names no host.`, undefined, { key: 'environments.dockerContext.hostMissing', params: { host: host.slice(0, 200) } });
  if (url.protocol === 'ssh:') {
    if (url.password) throw new AppError('INVALID_INPUT', 'An ssh:// Docker host with a password is not supported; use an SSH key.', undefined, { key: 'environments.dockerContext.sshPassword' });
    const username = decodeURIComponent(url.username);
    return { kind: 'ssh', host: hostname, port: url.port ? Number(url.port) : 22, ...(username ? { username } : {}) };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'https:' || url.protocol === 'http:') {
    const port = url.port ? Number(url.port) : tls || url.protocol === 'https:' ? 2376 : 2375;
    return { kind: 'tcp', host: hostname, port, tls: tls || url.protocol === 'https:', skipTlsVerify };
  }
  throw new AppError('INVALID_INPUT', `The Docker host scheme "${url.protocol}" is not supported (unix://, ssh:// or tcp://).`, undefined, { key: 'environments.dockerContext.unsupportedScheme', params: { scheme: url.protocol } });
}

/** A regular file under the cap, or null (missing, a FIFO or device, too large): the CLI's JSON files are small. */
async function readSmallFile(path: string, maxBytes: number): Promise<string | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile() || info.size > maxBytes) return null;
  return readFile(path, 'utf8').catch(() => null);
}

async function readPem(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => null);
  if (!info) return undefined;
  if (!info.isFile() || info.size > maxPemBytes) throw new AppError('INVALID_INPUT', `${path} is not a regular PEM file under ${maxPemBytes / 1024} KiB.`, undefined, { key: 'environments.dockerContext.pemFile', params: { path, kib: maxPemBytes / 1024 } });
  return readFile(path, 'utf8');
}
