import { describe, expect, it } from 'vitest';
import { LogTail, scrubLogLine } from './log-tail.ts';

describe('VPN log tail', () => {
  it('keeps the last lines, joins split chunks and counts repeats', () => {
    const tail = new LogTail({ maxLines: 2 });
    tail.push('one\ntw');
    tail.push('o\nretry\nretry\nretry\nlast');
    expect(tail.tail()).toEqual(['two', 'retry (×3)', 'last']);
  });

  it('never lets key material out', () => {
    const tail = new LogTail();
    tail.push('before\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\nafter\n');
    expect(tail.tail()).toEqual(['before', '[key material removed]', 'after']);
    expect(scrubLogLine('peer yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk= sent')).toBe('peer [key removed] sent');
    expect(scrubLogLine('private_key=abcdef password: hunter2')).toBe('private_key=[removed] password: [removed]');
    expect(scrubLogLine(`static ${'ab'.repeat(32)}`)).toBe('static [removed]');
  });

  it('applies the tunnel-specific rewrite', () => {
    const tail = new LogTail({ rewrite: (line) => (line.startsWith('MANAGEMENT:') ? null : line.toUpperCase()) });
    tail.push('MANAGEMENT: CMD x\nhello\n');
    expect(tail.tail()).toEqual(['HELLO']);
  });
});
