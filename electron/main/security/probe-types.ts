import type { SecurityFinding } from '../../../shared/contract/security.ts';

export type ProbeMethod = 'GET' | 'HEAD' | 'OPTIONS';

/** One request a check wants sent; the path is always resolved against the scanned origin. */
export interface ProbeRequest {
  readonly path: string;
  readonly method?: ProbeMethod;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What came back, as the checks read it (header names lower-case, body capped and latin1-decoded). */
export interface RecordedResponse {
  readonly path: string;
  readonly method: ProbeMethod;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string;
}

export interface CheckContext {
  readonly origin: URL;
  /** The target page's response (after same-origin redirects). */
  readonly root: RecordedResponse;
  /** The answer to a random path that cannot exist: how this server says "not found". */
  readonly notFound: RecordedResponse | null;
  /** A unique harmless token for this scan, for reflection checks. */
  readonly marker: string;
  /** Sends one request within the scan's bounds; null when a bound stopped it or it failed. */
  fetch(request: ProbeRequest): Promise<RecordedResponse | null>;
  /** Every response of the scan so far. */
  responses(): readonly RecordedResponse[];
}

/** One check of the scan: what it costs in requests and what it finds. */
export interface SecurityCheck {
  readonly name: string;
  readonly profile: 'passive' | 'standard';
  readonly plannedRequests: number;
  run(context: CheckContext): Promise<SecurityFinding[]>;
}

export function header(response: RecordedResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}

export function headerList(response: RecordedResponse, name: string): readonly string[] {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

export const isHtml = (response: RecordedResponse): boolean => (header(response, 'content-type') ?? '').toLowerCase().includes('text/html');

/** Shortens text shown as evidence, so a long header never floods a report. */
export const clip = (text: string, max = 120): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
