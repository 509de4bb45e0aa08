import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerListRefresher, type ContainerListUpdate } from '../../../../electron/main/operations/containers/container-refresh.ts';
import { LinkRelay } from '../../../support/link-relay.ts';
import { useTestEnvironment } from '../../../support/test-environment.ts';
import { ContainerKit, ManualIntervals, waitFor } from './engine-kit.ts';

const env = useTestEnvironment('docker', 'podman');

describe.each(['docker', 'podman'] as const)('event stream on real %s', (kind) => {
  const folder = mkdtempSync(join(tmpdir(), 'kiops-relay-'));
  const direct = new ContainerKit(kind, env[kind].socketPath, env[kind].images.version1.reference);
  afterAll(async () => {
    await direct.removeAll();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reconnects with backoff after the stream is cut, then lists again to catch what it missed', async () => {
    const relay = await LinkRelay.start({ path: env[kind].socketPath }, { path: join(folder, 'relay.sock') });
    const viaRelay = new ContainerKit(kind, join(folder, 'relay.sock'), env[kind].images.version1.reference);
    const name = direct.uniqueName('reconnect');
    const container = await direct.run(name);
    const updates: ContainerListUpdate[] = [];
    const refresher = new ContainerListRefresher({
      engine: viaRelay.engine,
      selector: { kind: 'standalone', containerName: name },
      onUpdate: (update) => updates.push(update),
      timers: new ManualIntervals(),
      backoff: { initialMs: 200, maxMs: 1_000 },
    });
    try {
      await refresher.start();
      await waitFor(() => updates.some((update) => update.kind === 'events' && update.state === 'following'), 30_000, 'following');
      relay.cut();
      await waitFor(() => updates.some((update) => update.kind === 'events' && update.state === 'reconnecting'), 30_000, 'reconnecting');
      // Stopped while the stream is down: only the re-list after reconnecting can show it.
      await container.stop({ t: 0 });
      await waitFor(() => refresher.rows[0]?.stateTone === 'exited', 15_000, 'row exited after reconnect');
      expect(updates.some((update) => update.kind === 'rows' && (update.reason === 'reconnected' || update.reason === 'event'))).toBe(true);
      const reconnecting = updates.find((update) => update.kind === 'events' && update.state === 'reconnecting');
      expect(reconnecting?.kind === 'events' && reconnecting.message).toMatch(/^Live updates paused \(.+\)\.$/);
      // the window counts down from this to the next attempt
      expect(reconnecting?.kind === 'events' && reconnecting.retryInMs).toBeGreaterThan(0);
    } finally {
      refresher.stop();
      await relay.close();
    }
  });
});
