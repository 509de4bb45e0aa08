import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { podStatusTone, sameRow, toPodRow, type PodRow } from './pod-rows.ts';

function pod(shape: { phase?: string; reason?: string; deleting?: boolean; init?: number; spec?: Partial<NonNullable<V1Pod['spec']>>; status?: Partial<NonNullable<V1Pod['status']>> }): V1Pod {
  return {
    metadata: { uid: 'u1', name: 'web-1', namespace: 'shop', creationTimestamp: new Date('2026-01-02T03:04:05Z'), ...(shape.deleting ? { deletionTimestamp: new Date('2026-01-02T03:05:00Z') } : {}) },
    spec: { containers: [{ name: 'app' }, { name: 'proxy' }], nodeName: 'node-1', ...shape.spec },
    status: { phase: shape.phase ?? 'Running', ...(shape.reason ? { reason: shape.reason } : {}), podIP: '10.0.0.5', ...shape.status },
  };
}

const running = { running: { startedAt: new Date() } };

describe('toPodRow: what kubectl get pods shows', () => {
  it('running and ready', () => {
    const row = toPodRow(pod({ status: { containerStatuses: [
      { name: 'app', image: 'a', imageID: '', ready: true, restartCount: 2, state: running, lastState: { terminated: { exitCode: 1, finishedAt: new Date('2026-01-02T04:00:00Z') } } },
      { name: 'proxy', image: 'p', imageID: '', ready: false, restartCount: 1, state: running },
    ] } }));
    expect(row).toEqual({
      uid: 'u1', name: 'web-1', namespace: 'shop', phase: 'Running', displayStatus: 'Running', statusTone: 'running', ready: '1/2', restarts: 3,
      lastRestartAt: '2026-01-02T04:00:00.000Z', createdAt: '2026-01-02T03:04:05.000Z', node: 'node-1', podIP: '10.0.0.5', isPending: false, containers: ['app', 'proxy'],
    });
  });

  it('a waiting reason wins: CrashLoopBackOff, ImagePullBackOff, ContainerCreating', () => {
    const waiting = (reason: string, phase = 'Running') => toPodRow(pod({ phase, status: { containerStatuses: [{ name: 'app', image: 'a', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason } } }] } }));
    expect(waiting('CrashLoopBackOff')).toMatchObject({ displayStatus: 'CrashLoopBackOff', statusTone: 'failed' });
    expect(waiting('ImagePullBackOff', 'Pending')).toMatchObject({ displayStatus: 'ImagePullBackOff', statusTone: 'failed', isPending: true });
    expect(waiting('ErrImagePull', 'Pending')).toMatchObject({ statusTone: 'failed' });
    expect(waiting('ContainerCreating', 'Pending')).toMatchObject({ displayStatus: 'ContainerCreating', statusTone: 'other', isPending: true });
  });

  it('terminated containers: Completed, Error, ExitCode and Signal', () => {
    const ended = (terminated: { exitCode: number; reason?: string; signal?: number }, phase: string) => toPodRow(pod({ phase, status: { containerStatuses: [{ name: 'app', image: 'a', imageID: '', ready: false, restartCount: 0, state: { terminated } }] } })).displayStatus;
    expect(ended({ exitCode: 0, reason: 'Completed' }, 'Succeeded')).toBe('Completed');
    expect(ended({ exitCode: 1, reason: 'Error' }, 'Failed')).toBe('Error');
    expect(ended({ exitCode: 3 }, 'Failed')).toBe('ExitCode:3');
    expect(ended({ exitCode: 137, signal: 9 }, 'Failed')).toBe('Signal:9');
  });

  it('unscheduled pods are Pending (orange)', () => {
    expect(toPodRow(pod({ phase: 'Pending', spec: { nodeName: undefined } }))).toMatchObject({ displayStatus: 'Pending', statusTone: 'pending', isPending: true, node: null, ready: '0/2' });
  });

  it('init containers: Init:N/M, Init:Reason, Init:ExitCode', () => {
    const initPod = (state: NonNullable<NonNullable<V1Pod['status']>['initContainerStatuses']>[number]['state']) =>
      toPodRow(pod({ phase: 'Pending', spec: { initContainers: [{ name: 'migrate' }, { name: 'seed' }] }, status: { initContainerStatuses: [{ name: 'migrate', image: 'm', imageID: '', ready: false, restartCount: 0, state }] } })).displayStatus;
    expect(initPod({ running: { startedAt: new Date() } })).toBe('Init:0/2');
    expect(initPod({ waiting: { reason: 'CrashLoopBackOff' } })).toBe('Init:CrashLoopBackOff');
    expect(initPod({ terminated: { exitCode: 2 } })).toBe('Init:ExitCode:2');
  });

  it('deleting pods are Terminating unless already finished; status from a watch event (string times)', () => {
    expect(toPodRow(pod({ deleting: true })).displayStatus).toBe('Terminating');
    expect(toPodRow(pod({ deleting: true, phase: 'Succeeded' })).displayStatus).toBe('Succeeded');
    const raw = JSON.parse(JSON.stringify(pod({}))) as V1Pod;
    expect(toPodRow(raw).createdAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('colours follow the spec: running blue, pending orange, failures red, the rest grey', () => {
    expect(['Running', 'Pending', 'Failed', 'Error', 'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'Completed', 'Terminating', 'Unknown', 'Init:0/1'].map(podStatusTone)).toEqual([
      'running', 'pending', 'failed', 'failed', 'failed', 'failed', 'failed', 'other', 'other', 'other', 'other',
    ]);
  });
});

describe('sameRow: whether a watch event changed what the table shows', () => {
  it('says what comparing the two rows as JSON says, for a change of any one field', () => {
    const crashing = { containerStatuses: [{ name: 'app', image: 'a', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date('2026-01-02T04:00:00Z') } } }] };
    const base = [toPodRow(pod({})), toPodRow(pod({ status: crashing })), toPodRow(pod({ phase: 'Pending', spec: { nodeName: undefined } }))];
    const changes: ((row: PodRow) => PodRow)[] = [
      (row) => ({ ...row }),
      (row) => ({ ...row, containers: [...row.containers] }),
      (row) => ({ ...row, containers: [...row.containers, 'sidecar'] }),
      (row) => ({ ...row, containers: [...row.containers].reverse() }),
      (row) => ({ ...row, phase: 'Failed' }),
      (row) => ({ ...row, ready: '0/2' }),
      (row) => ({ ...row, restarts: row.restarts + 1 }),
      (row) => ({ ...row, lastRestartAt: null }),
      (row) => ({ ...row, podIP: row.podIP === null ? '10.0.0.6' : null }),
      (row) => ({ ...row, isPending: !row.isPending }),
      (row) => ({ ...row, node: 'node-2' }),
      (row) => ({ ...row, uid: 'u2' }),
      (row) => (row.crashLoop === undefined ? row : { ...row, crashLoop: { ...row.crashLoop } }),
      (row) => (row.crashLoop === undefined ? row : { ...row, crashLoop: { ...row.crashLoop, restartCount: 5 } }),
      (row) => {
        const { crashLoop: _dropped, ...rest } = row;
        return rest;
      },
    ];
    for (const before of base) {
      for (const change of changes) {
        const after = change(before);
        expect(sameRow(before, after)).toBe(JSON.stringify(before) === JSON.stringify(after));
        expect(sameRow(after, before)).toBe(JSON.stringify(before) === JSON.stringify(after));
      }
    }
    // the same pod read twice: from a typed list (Dates) and from a watch event (strings)
    const typed = pod({ status: crashing });
    expect(sameRow(toPodRow(typed), toPodRow(JSON.parse(JSON.stringify(typed)) as V1Pod))).toBe(true);
  });
});
