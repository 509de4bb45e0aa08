import { describe, expect, it } from 'vitest';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import { auditRowDetail, commandLine, durationOf, hashPrefix, outcomeRowOf } from './audit-row-detail.ts';

function row(seq: number, overrides: Partial<AuditRowView> = {}): AuditRowView {
  return { seq, at: '2026-12-05T09:00:00.000Z', actor: 'alice', action: 'command.run', target: 't', outcome: 'success', details: {}, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64), ...overrides };
}

describe('audit row detail', () => {
  it('reads a command outcome: argv as run, where, how it ended, and the started row it closes', () => {
    const detail = auditRowDetail(
      row(7, {
        details: { argv: ['docker', 'exec', 'web', 'sh', '-c', 'echo hi'], runtime: 'docker', host: 'build.example', container: 'web', exitCode: 3, durationMs: 420, endReason: 'exited', startedSeq: 6, mode: 'run' },
      }),
    );
    expect(detail).toMatchObject({ argv: ['docker', 'exec', 'web', 'sh', '-c', 'echo hi'], exitCode: 3, durationMs: 420, endReason: 'exited', startedSeq: 6, argvCut: false });
    expect(detail.place).toEqual([
      { name: 'host', value: 'build.example' },
      { name: 'container', value: 'web' },
    ]);
    expect(detail.other).toEqual({ runtime: 'docker', mode: 'run' });
    expect(commandLine(detail.argv ?? [])).toBe(`docker exec web sh -c 'echo hi'`);
  });

  it('reads every before/after pair a change records', () => {
    const detail = auditRowDetail(row(3, { action: 'deployment.rollout', details: { namespace: 'shop', imageFrom: 'nginx:1.26', imageTo: 'nginx:1.27', revisionFrom: 4, revisionTo: 5, before: 3, after: 2, kindBefore: 'docker', kindAfter: 'podman' } }));
    expect(detail.changes).toEqual([
      { name: '', before: 3, after: 2 },
      { name: 'image', before: 'nginx:1.26', after: 'nginx:1.27' },
      { name: 'revision', before: 4, after: 5 },
      { name: 'kind', before: 'docker', after: 'podman' },
    ]);
    expect(detail.place).toEqual([{ name: 'namespace', value: 'shop' }]);
    expect(detail.other).toEqual({});
  });

  it('links a started row to its outcome and measures the time between them', () => {
    const started = row(10, { outcome: 'started', at: '2026-12-05T09:00:00.000Z' });
    const outcome = row(12, { outcome: 'failure', at: '2026-12-05T09:00:02.500Z', details: { startedSeq: 10 } });
    const other = row(11, { outcome: 'success', details: { startedSeq: 9 } });
    expect(outcomeRowOf(started, [outcome, other, started])).toBe(outcome);
    expect(outcomeRowOf(outcome, [outcome, started])).toBeUndefined();
    expect(durationOf(auditRowDetail(outcome), outcome, started)).toBe(2500);
    expect(durationOf(auditRowDetail(outcome), outcome, undefined)).toBeUndefined();
    expect(hashPrefix(outcome.hash)).toBe('bbbbbbbbbbbb');
  });
});
