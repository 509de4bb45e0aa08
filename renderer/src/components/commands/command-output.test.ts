import { describe, expect, it } from 'vitest';
import { CommandOutput, STDERR_COLOR } from './command-output.ts';

describe('CommandOutput', () => {
  it('keeps arrival order, joins chunks split mid-line and tints stderr unless it has its own colour', () => {
    const output = new CommandOutput();
    output.push('stdout', 'hel');
    output.push('stdout', 'lo\n\u001b[32mgreen\u001b[0m\n');
    output.push('stderr', 'oops\n\u001b[33mwarn\u001b[0m\n');
    expect(output.lines.map((line) => line.text)).toEqual(['hello', 'green', 'oops', 'warn']);
    expect(output.lines[1]?.spans[0]?.css).not.toBe('');
    expect(output.lines[2]?.spans[0]?.css).toBe(`color:${STDERR_COLOR}`);
    expect(output.lines[3]?.spans[0]?.css).not.toContain(STDERR_COLOR);
  });

  it('pushAll ends the stream so a last line without newline is shown', () => {
    const output = new CommandOutput();
    output.pushAll('stdout', '1');
    output.pushAll('stderr', '');
    expect(output.lines.map((line) => line.text)).toEqual(['1']);
  });
});
