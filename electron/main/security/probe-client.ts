import type { IncomingMessage } from 'node:http';
import { sendProbe } from './probe-route.ts';
import type { ProbeRequest, RecordedResponse } from './probe-types.ts';

export interface ProbeLimits {
  readonly maxRequests: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  /** Aborted by the operator (Stop) or the scan's total deadline. */
  readonly signal: AbortSignal;
  readonly maxBodyBytes?: number;
}

const userAgent = 'KIOPS-Desktop-DAST/0.1 (authorised scan)';

/**
 * The scan's only way out to the network: same origin only, GET/HEAD/OPTIONS only, never
 * follows redirects, at most `concurrency` requests at once, each with its own timeout, and
 * no more than `maxRequests` in total. A request refused by a bound answers null. Goes through
 * the workstation's proxy when HTTPS_PROXY/HTTP_PROXY/NO_PROXY say so (`probe-route.ts`).
 */
export class ProbeClient {
  private readonly origin: URL;
  private readonly limits: ProbeLimits;
  private readonly waiting: Array<() => void> = [];
  private readonly recorded: RecordedResponse[] = [];
  private active = 0;
  private started = 0;
  private finished = 0;
  /** Set once a request was refused because the budget was spent. */
  budgetSpent = false;
  lastError: string | undefined;
  onFinished: (() => void) | undefined;

  constructor(origin: URL, limits: ProbeLimits) {
    this.origin = new URL(origin.origin);
    this.limits = limits;
  }

  get sent(): number {
    return this.started;
  }

  get done(): number {
    return this.finished;
  }

  responses(): readonly RecordedResponse[] {
    return this.recorded;
  }

  async fetch(probe: ProbeRequest): Promise<RecordedResponse | null> {
    if (this.limits.signal.aborted) return null;
    if (this.started >= this.limits.maxRequests) {
      this.budgetSpent = true;
      return null;
    }
    const url = new URL(probe.path, this.origin);
    if (url.origin !== this.origin.origin) throw new Error(`refusing to probe ${url.origin}: only ${this.origin.origin} is in scope`);
    this.started += 1;
    await this.acquire();
    try {
      if (this.limits.signal.aborted) return null;
      const response = await this.send(url, probe);
      this.recorded.push(response);
      return response;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return null;
    } finally {
      this.release();
      this.finished += 1;
      this.onFinished?.();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limits.concurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }

  private send(url: URL, probe: ProbeRequest): Promise<RecordedResponse> {
    const method = probe.method ?? 'GET';
    const signal = AbortSignal.any([this.limits.signal, AbortSignal.timeout(this.limits.timeoutMs)]);
    const cap = this.limits.maxBodyBytes ?? 64 * 1024;
    return new Promise((resolve, reject) => {
      const headers = { 'user-agent': userAgent, accept: '*/*', ...probe.headers };
      const onResponse = (incoming: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          resolve({ path: url.pathname + url.search, method, status: incoming.statusCode ?? 0, headers: { ...incoming.headers }, body: Buffer.concat(chunks).toString('latin1') });
        };
        incoming.on('data', (chunk: Buffer) => {
          if (size >= cap) return;
          chunks.push(chunk.subarray(0, cap - size));
          size += Math.min(chunk.length, cap - size);
          if (size >= cap) {
            finish();
            incoming.destroy();
          }
        });
        incoming.on('end', finish);
        incoming.on('error', (error) => (size >= cap ? undefined : reject(error)));
      };
      sendProbe(url, { method, headers, signal }, onResponse, reject);
    });
  }
}
