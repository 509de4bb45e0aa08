import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract/client.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { compose } from '../catalog/support.ts';
import { startTabsCore, waitUntil, type TabsCore } from '../operations/tabs-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

// Stdout, stderr, a coloured line and 500 more, then idle: what each container prints once.
// The pause keeps stderr's line ahead of the block in the engine's log: stdout and stderr are
// separate pipes, so lines written close together may be stored in either order.
const script = `echo out-1; echo err-1 >&2; sleep 1; printf '\\033[31mred\\033[0m\\n'; lines=$(for i in $(seq 1 500); do echo "n $i"; done); printf '%s\\n' "$lines"; sleep 600`;
const expectedLines = ['out-1', 'err-1', '\x1b[31mred\x1b[0m', ...Array.from({ length: 500 }, (_, i) => `n ${i + 1}`)];

// A line written in pieces, half a second apart: the engine stores each piece as it reads it
// (Podman's conmon: a partial "P" record). Podman before 4.7 glues such a piece to the line
// before it, or drops it at the start, when asked with a tail (podman#19545).
const piecesScript = "printf 'out-1'; sleep 0.5; printf -- '-more\\n'; echo two; printf 'x'; sleep 0.5; printf 'y\\n'; sleep 600";
const piecesLines = ['out-1-more', 'two', 'xy'];

describe.each(['docker', 'podman'] as const)('Log Viewer through the contract on real %s', (kind) => {
  let app: TabsCore;
  let docker: Docker;
  let environmentId = '';
  const project = `logs${Date.now().toString(36)}${kind}`;
  const serviceId = () => `${environmentId}:compose:${project}`;
  const ids = { plain: '', tty: '', doomed: '', piecesPlain: '', piecesTty: '' };

  const run = async (name: string, tty: boolean, program = script): Promise<string> => {
    const container = await docker.createContainer({
      name: `${project}-${name}-1`,
      Image: env[kind].images.version1.reference,
      Cmd: ['sh', '-c', program],
      Tty: tty,
      Labels: compose(project, name),
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();
    return container.id;
  };
  const fetch = (containerId: string, extra: { tailLines?: number; limitBytes?: number } = {}) =>
    app.client.call('logs.fetch', { serviceId: serviceId(), target: { kind: 'container', containerId }, tailLines: 50_000, ...extra });

  beforeAll(async () => {
    app = await startTabsCore();
    environmentId = (await app.client.call('environments.addEngine', { name: `local ${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    docker = new Docker({ socketPath: env[kind].socketPath });
    ids.plain = await run('plain', false);
    ids.tty = await run('tty', true);
    ids.doomed = await run('doomed', false);
    ids.piecesPlain = await run('pieces-plain', false, piecesScript);
    ids.piecesTty = await run('pieces-tty', true, piecesScript);
    for (const [name, id] of Object.entries(ids)) {
      // the last thing each prints (framed without a TTY: "x" and "y" may come in two frames)
      const last = name.startsWith('pieces') ? /y\r?\n$/ : /n 500\r?\n/;
      await waitUntil(async () => last.test((await docker.getContainer(id).logs({ follow: false, stdout: true, stderr: true })).toString()), 30_000, `container ${name} printed`);
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(ids).map((id) => docker?.getContainer(id).remove({ force: true }).catch(() => undefined)));
    await app?.close();
  });

  it('logs.targets lists the service containers with their TTY flag', async () => {
    const targets = await app.client.call('logs.targets', { serviceId: serviceId() });
    expect(targets.runtime === 'engine' ? targets.containers.map((c) => [c.name, c.tty, c.state]) : []).toEqual([
      [`${project}-doomed-1`, false, 'running'],
      [`${project}-pieces-plain-1`, false, 'running'],
      [`${project}-pieces-tty-1`, true, 'running'],
      [`${project}-plain-1`, false, 'running'],
      [`${project}-tty-1`, true, 'running'],
    ]);
  });

  it('demuxes a non-TTY container: exact text, no frame-header bytes', async () => {
    const snapshot = await fetch(ids.plain);
    // stdout and stderr are separate pipes: the engine may interleave them either way (Podman's
    // conmon puts err-1 after red), so stdout's lines are compared in order and err-1 on its own.
    const lines = snapshot.text.split('\n');
    expect(lines.filter((line) => line !== 'err-1')).toEqual([...expectedLines.filter((line) => line !== 'err-1'), '']);
    expect(lines.filter((line) => line === 'err-1')).toHaveLength(1);
    expect(snapshot).toMatchObject({ lines: 503, truncated: null, bytes: Buffer.byteLength(snapshot.text) });
  });

  it('passes a TTY container through raw: exact text with its \\r\\n line ends, no frame-header bytes, no NUL', async () => {
    const snapshot = await fetch(ids.tty);
    // every stream frame header holds three zero bytes; TTY text holds none
    expect(snapshot.text.includes('\u0000')).toBe(false);
    expect(snapshot.text).toBe(`${expectedLines.join('\r\n')}\r\n`);
    expect(snapshot).toMatchObject({ lines: 503, truncated: null, bytes: Buffer.byteLength(snapshot.text) });
  });

  it.each([
    ['without a TTY', 'piecesPlain', '\n'],
    ['with a TTY', 'piecesTty', '\r\n'],
  ] as const)('keeps a line written in pieces whole and in its place, %s, in the whole log and in each tail', async (_, which, end) => {
    const text = (lines: readonly string[]): string => lines.map((line) => `${line}${end}`).join('');
    expect((await fetch(ids[which])).text).toBe(text(piecesLines));
    for (const tailLines of [1, 2, 3]) {
      const tail = await fetch(ids[which], { tailLines });
      expect(tail.text, `tailLines ${tailLines}`).toBe(text(piecesLines.slice(-tailLines)));
      expect(tail, `tailLines ${tailLines}`).toMatchObject({ lines: tailLines, truncated: 'lines' });
    }
  });

  it('keeps the tail within tailLines and limitBytes', async () => {
    const tail = await fetch(ids.plain, { tailLines: 10 });
    expect(tail.text).toBe(`${expectedLines.slice(-10).join('\n')}\n`);
    expect(tail).toMatchObject({ lines: 10, truncated: 'lines' });
    const bounded = await fetch(ids.plain, { limitBytes: 1024 });
    expect(bounded.truncated).toBe('bytes');
    expect(bounded.bytes).toBeLessThanOrEqual(1024);
    expect(bounded.text.endsWith('n 499\nn 500\n')).toBe(true);
    expect(bounded.text.split('\n')[0]).toMatch(/^n \d+$/);
  });

  it('says a container removed after the targets were listed is gone, readably', async () => {
    await docker.getContainer(ids.doomed).remove({ force: true });
    const error = await fetch(ids.doomed).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('NOT_FOUND');
    expect((error as ApiError).message).toMatch(/^The container is gone \(removed\?\) while looking up container [0-9a-f]{12}: /);
  });

  it('refuses a container of another service', async () => {
    const other = await docker.createContainer({ name: `${project}x-other`, Image: env[kind].images.version1.reference, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } });
    try {
      const error = await fetch(other.id).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect((error as ApiError).code).toBe('NOT_FOUND');
      expect((error as ApiError).message).toBe(`Container ${project}x-other is not part of this service; reload the targets.`);
    } finally {
      await other.remove({ force: true });
    }
  });
});
