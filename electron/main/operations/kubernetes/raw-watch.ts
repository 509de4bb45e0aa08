import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { request, type Dispatcher } from 'undici';

/** A watch gives up when nothing at all arrived for this long (client-node's Watch does the same). */
export const watchInactivityMs = 30_000;

const newline = 0x0a;

/**
 * Watches a collection (`?watch=true`) and hands each event's type and object to `onEvent`, as
 * the server sent them; `onDone` is called once when the watch ends: `null` for a clean close, else
 * the reason. The answer is the watch's controller, to end it.
 *
 * client-node's `Watch` does the same through fetch, but it answers a refused watch with only its
 * HTTP status ("Error from server: HTTP 403" for a user who may list pods but not watch them) and
 * skips a line it cannot parse. This reads the response as a Node stream, splits it on the
 * newline bytes itself (a newline never occurs inside a UTF-8 character) and parses each line once.
 * Authentication and connections are the KubeConfig's own, as for every other request.
 *
 * A line that is not JSON ends the watch with an error instead of being skipped: a lost event
 * would leave the table wrong without a sign, while a failed watch is listed again. A line cut
 * off by a cut connection is not an event; the cut ends the watch with its error. A refusal
 * (403, 404, 410 …) is thrown with the server's Status as its body, so the Pod List says what
 * kubectl would.
 */
export async function watchCollection(
  kubeConfig: KubeConfig,
  path: string,
  query: Readonly<Record<string, string | number | boolean | undefined>>,
  onEvent: (type: string, object: unknown) => void,
  onDone: (error: unknown) => void,
  inactivityMs = watchInactivityMs,
): Promise<AbortController> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('No currently active cluster');
  const url = new URL(cluster.server + path);
  url.searchParams.set('watch', 'true');
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  const context = new RequestContext(url.toString(), HttpMethod.GET);
  await kubeConfig.applySecurityAuthentication(context);

  const controller = new AbortController();
  let timedOut = false;
  let ended = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, inactivityMs);
  timer.unref();
  const end = (error: unknown): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    controller.abort();
    onDone(error !== null && timedOut ? new DOMException('The operation was aborted due to timeout', 'TimeoutError') : error);
  };

  try {
    const response = await request(url, {
      method: 'GET',
      headers: context.getHeaders(),
      dispatcher: context.getDispatcher() as Dispatcher | undefined,
      signal: controller.signal,
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text().catch(() => '');
      throw refusal(response.statusCode, text);
    }
    timer.refresh();
    let rest: Buffer | null = null;
    const body = response.body;
    body.on('data', (chunk: Buffer) => {
      timer.refresh();
      let start = 0;
      let at = chunk.indexOf(newline);
      while (at !== -1 && !ended) {
        let line: Buffer = chunk.subarray(start, at);
        if (rest !== null) {
          line = Buffer.concat([rest, line]);
          rest = null;
        }
        if (line.length > 0 && !deliver(line, onEvent, end)) return;
        start = at + 1;
        at = chunk.indexOf(newline, start);
      }
      if (start < chunk.length) rest = rest === null ? chunk.subarray(start) : Buffer.concat([rest, chunk.subarray(start)]);
    });
    body.on('error', end);
    body.on('end', () => end(null));
    body.on('close', () => end(null));
  } catch (error) {
    end(error);
  }
  return controller;
}

/** Parses one line and hands it on; false (and the watch ended) when it is not a watch event. */
function deliver(line: Buffer, onEvent: (type: string, object: unknown) => void, end: (error: unknown) => void): boolean {
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line.toString('utf8')) as { type?: unknown; object?: unknown };
  } catch {
    end(new Error(`The API server sent a watch line that is not JSON (${line.length} bytes)`));
    return false;
  }
  if (typeof event?.type !== 'string') {
    end(new Error('The API server sent a watch line without an event type'));
    return false;
  }
  onEvent(event.type, event.object);
  return true;
}

/** A watch the server refused: its Status (message, reason, code) as client-node's errors carry it. */
function refusal(statusCode: number, text: string): { code: number; body: unknown } {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not a Status: the text itself says what happened
  }
  return { code: statusCode, body };
}
