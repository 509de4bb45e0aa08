import { AnsiParser, type AnsiLine } from '../terminal/ansi.ts';

/** Default colour of stderr text, so it stands apart from stdout; explicit ANSI colours win. */
export const STDERR_COLOR = '#f48771';

export type OutputStream = 'stdout' | 'stderr';

function asStderr(line: AnsiLine): AnsiLine {
  return { ...line, spans: line.spans.map((span) => (span.css === '' ? { text: span.text, css: `color:${STDERR_COLOR}` } : span)) };
}

/**
 * Command output as terminal lines: one ANSI parser per stream (colour state never leaks
 * from stdout into stderr), stderr lines tinted. Lines are appended in arrival order.
 */
export class CommandOutput {
  readonly lines: AnsiLine[] = [];
  private readonly parsers: Record<OutputStream, AnsiParser> = { stdout: new AnsiParser(), stderr: new AnsiParser() };

  push(stream: OutputStream, text: string): void {
    this.append(stream, this.parsers[stream].push(text));
  }

  /** The whole text of a one-shot result, ended (a last line without newline included). */
  pushAll(stream: OutputStream, text: string): void {
    if (text === '') return;
    this.push(stream, text);
    this.end(stream);
  }

  end(stream?: OutputStream): void {
    for (const which of stream === undefined ? (['stdout', 'stderr'] as const) : [stream]) this.append(which, this.parsers[which].end());
  }

  private append(stream: OutputStream, lines: readonly AnsiLine[]): void {
    for (const line of lines) this.lines.push(stream === 'stderr' ? asStderr(line) : line);
  }
}
