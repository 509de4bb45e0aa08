import { describe, expect, it } from 'vitest';
import { parseAuditEntry, type AuditEntry, type AuditRow } from '../../audit/audit-row.ts';
import { CommandAudit, fitText, maskTypedArgv } from './command-audit.ts';

describe('maskTypedArgv', () => {
  it('keeps ordinary words and masks values of credential flags in both spellings', () => {
    expect(maskTypedArgv(['kubectl', 'get', 'pods', '--token=abc', '--password', 'hunter2', '-n', 'dev'])).toEqual(['kubectl', 'get', 'pods', '--token=<redacted>', '--password', '<redacted>', '-n', 'dev']);
    expect(maskTypedArgv(['kubectl', '--kubeconfig', '/home/me/.kube/config', 'get', 'pods'])).toEqual(['kubectl', '--kubeconfig', '<redacted>', 'get', 'pods']);
  });

  it('bounds what a typed line can put in the trail', () => {
    const masked = maskTypedArgv(Array.from({ length: 150 }, () => 'x'.repeat(400)));
    expect(masked).toHaveLength(100);
    expect(masked[0]).toHaveLength(301);
  });
});

describe('command audit rows always fit the trail', () => {
  const place = { env: { id: 'env-1', name: 'local' }, label: 'local/host/local' };
  const trail = () => {
    const entries: AuditEntry[] = [];
    return {
      entries,
      status: () => ({ writable: true as const }),
      record: (entry: AuditEntry) => {
        parseAuditEntry(entry); // the trail's own validation: throws when details are too large
        entries.push(entry);
        return { seq: entries.length } as AuditRow;
      },
      begin: (intent: Omit<AuditEntry, 'outcome' | 'error'>) => {
        const entry = { ...intent, outcome: 'started' as const };
        parseAuditEntry(entry);
        entries.push(entry);
        return { started: { seq: entries.length } };
      },
    };
  };

  it('fitText makes text well-formed and never cuts inside a surrogate pair', () => {
    expect(fitText('a\uD800b', 10)).toBe('a\uFFFDb');
    expect(fitText('😀😀😀', 3)).toBe('😀…');
    expect(fitText('abc', 3)).toBe('abc');
  });

  it.each([
    ['lone surrogates', Array.from({ length: 100 }, () => '\uD800'.repeat(300))],
    ['quotes and backslashes', Array.from({ length: 100 }, () => '"\\'.repeat(150))],
    ['many short words', Array.from({ length: 2000 }, (_, i) => String(i))],
  ])('%s: the started row and the outcome are written, cut deterministically', (_name, argv) => {
    const t = trail();
    const audit = new CommandAudit(t, 'alice');
    const started = audit.start(place, { mode: 'one-shot', argv });
    started.finish({ mode: 'one-shot', decision: 'failed-to-start', argv, error: '\uDC00'.repeat(5000) });
    expect(t.entries.map((entry) => [entry.action, entry.outcome])).toEqual([['command.run', 'started'], ['command.run', 'failure']]);
    expect(t.entries[1]?.details).toMatchObject({ startedSeq: 1, argvCut: true });
    const again = trail();
    new CommandAudit(again, 'alice').start(place, { mode: 'one-shot', argv });
    expect(again.entries[0]?.details).toEqual(t.entries[0]?.details);
  });

  it('a started row that cannot be written throws, so the caller never runs the command', () => {
    const audit = new CommandAudit({ status: () => ({ writable: true as const }), record: () => { throw new Error('disk full'); }, begin: () => { throw new Error('disk full'); } }, 'alice');
    expect(() => audit.start(place, { mode: 'one-shot', argv: ['ps'] })).toThrow('disk full');
  });
});
