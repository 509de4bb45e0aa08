import { describe, expect, it } from 'vitest';
import { containerEventOf, JsonObjectSplitter } from './engine-events.ts';
import { backoffDelay } from './refresh-timers.ts';

// Recorded from dockerd 20.10 (`docker stop`) and trimmed.
const dockerDie =
  '{"status":"die","id":"f5d1a8fb10cd","from":"kiops/busybox:1","Type":"container","Action":"die","Actor":{"ID":"f5d1a8fb10cd","Attributes":{"exitCode":"137","image":"kiops/busybox:1","name":"busy","note":"brace } and quote \\" inside"}},"scope":"local","time":1795763389}';
const podmanCleanup =
  '{"status":"cleanup","id":"e585323fd710","from":"localhost/kiops/busybox:1","Type":"container","Action":"cleanup","Actor":{"ID":"e585323fd710","Attributes":{"name":"busy","com.docker.compose.project":"shop"}},"scope":"local","time":1795763390}';

describe('event stream framing', () => {
  it('reassembles objects split anywhere across chunks, with or without newlines between them', () => {
    const whole = `${dockerDie}\n${podmanCleanup}${dockerDie}\n`;
    for (const size of [1, 3, 7, 64, whole.length]) {
      const splitter = new JsonObjectSplitter();
      const objects: unknown[] = [];
      for (let index = 0; index < whole.length; index += size) objects.push(...splitter.push(whole.slice(index, index + size)));
      expect(objects.map((object) => containerEventOf(object)?.action)).toEqual(['die', 'cleanup', 'die']);
    }
  });

  it('reads both engines\' event shapes', () => {
    expect(containerEventOf(JSON.parse(dockerDie))).toMatchObject({ containerId: 'f5d1a8fb10cd', name: 'busy', action: 'die' });
    expect(containerEventOf(JSON.parse(podmanCleanup))?.labels['com.docker.compose.project']).toBe('shop');
    expect(containerEventOf({ Type: 'image', Action: 'pull', Actor: { ID: 'x' } })).toBeNull();
  });

  it('backs off 1 s, 2 s, 4 s … up to the cap', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, 1000, 30_000))).toEqual([1000, 2000, 4000, 8000, 30_000]);
  });
});
