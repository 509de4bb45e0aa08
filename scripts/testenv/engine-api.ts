import { request } from 'node:http';

// Minimal HTTP over the engines' unix sockets, only what readiness needs. Tests and the app use
// dockerode; the environment avoids it so starting never depends on the code under test.

function call(socketPath: string, method: 'GET' | 'POST', path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** true once the engine answers GET /_ping with OK; throws the connection error otherwise (shown if the wait times out). */
export async function engineAnswersPing(socketPath: string): Promise<true | null> {
  const { status, body } = await call(socketPath, 'GET', '/_ping', 2_000);
  return status === 200 && body.trim() === 'OK' ? true : null;
}

export interface EngineVersion {
  engineVersion: string;
  apiVersion: string;
}

/** Asked once, right after the first ping: a loaded machine (load 20 on 2 cores seen) can take seconds to answer. */
export async function engineVersion(socketPath: string): Promise<EngineVersion> {
  const { status, body } = await call(socketPath, 'GET', '/version', 60_000);
  if (status !== 200) throw new Error(`GET /version on ${socketPath} answered ${status}: ${body}`);
  const parsed: unknown = JSON.parse(body);
  const field = (name: string): string => {
    const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : 'unknown';
  };
  return { engineVersion: field('Version'), apiVersion: field('ApiVersion') };
}

/**
 * SIGKILLs every running container. dockerd 20.10 gives each container its own stop timeout
 * (10 s) at shutdown whatever --shutdown-timeout says, and `sleep` as PID 1 ignores SIGTERM.
 */
export async function killAllContainers(socketPath: string): Promise<void> {
  const { status, body } = await call(socketPath, 'GET', '/containers/json', 30_000);
  if (status !== 200) return;
  const listed: unknown = JSON.parse(body);
  const ids = Array.isArray(listed)
    ? listed.flatMap((entry: unknown) => (typeof entry === 'object' && entry !== null && typeof (entry as { Id?: unknown }).Id === 'string' ? [(entry as { Id: string }).Id] : []))
    : [];
  await Promise.all(ids.map((id) => call(socketPath, 'POST', `/containers/${id}/kill`, 10_000).catch(() => undefined)));
}
