import { describe, expect, it } from 'vitest';
import { AnsiParser, color256, displayColumns, parseAnsi, stripAnsi } from './ansi.ts';

const ESC = '\x1b';

describe('parseAnsi', () => {
  it('keeps plain lines as one unstyled span and drops the final newline', () => {
    const lines = parseAnsi('hello\nworld\n');
    expect(lines.map((l) => l.text)).toEqual(['hello', 'world']);
    expect(lines[0]?.spans).toEqual([{ text: 'hello', css: '' }]);
  });

  it('renders the 16 colours, bright colours and reset', () => {
    const [line] = parseAnsi(`${ESC}[31merror${ESC}[0m ok ${ESC}[92mgood${ESC}[m`);
    expect(line?.spans).toEqual([
      { text: 'error', css: 'color:#cd3131' },
      { text: ' ok ', css: '' },
      { text: 'good', css: 'color:#23d18b' },
    ]);
  });

  it('renders 256-colour and truecolor foreground and background, in ; and : forms', () => {
    const [line] = parseAnsi(`${ESC}[38;5;196ma${ESC}[48;2;1;2;3mb${ESC}[0;38:2::10:20:30mc${ESC}[38:5:244md`);
    expect(line?.spans.map((s) => s.css)).toEqual([
      'color:#ff0000',
      'color:#ff0000;background-color:#010203',
      'color:#0a141e',
      'color:#808080',
    ]);
  });

  it('maps the 256-colour table like xterm', () => {
    expect(color256(1)).toBe('#cd3131');
    expect(color256(16)).toBe('#000000');
    expect(color256(231)).toBe('#ffffff');
    expect(color256(232)).toBe('#080808');
    expect(color256(255)).toBe('#eeeeee');
  });

  it('renders bold, dim, italic, underline, strike and turns them off one by one', () => {
    const [line] = parseAnsi(`${ESC}[1;2;3;4;9mx${ESC}[22;23my${ESC}[24;29mz`);
    expect(line?.spans.map((s) => s.css)).toEqual([
      'font-weight:bold;opacity:0.65;font-style:italic;text-decoration:underline line-through',
      'text-decoration:underline line-through',
      '',
    ]);
  });

  it('swaps colours for inverse', () => {
    const [line] = parseAnsi(`${ESC}[7;31mx`);
    expect(line?.spans[0]?.css).toBe('color:#1e1e1e;background-color:#cd3131');
  });

  it('carries colour across lines until reset, as a terminal does', () => {
    const lines = parseAnsi(`${ESC}[33mfirst\nsecond${ESC}[0m\nthird`);
    expect(lines.map((l) => l.spans.map((s) => s.css))).toEqual([['color:#e5e510'], ['color:#e5e510'], ['']]);
  });

  it('strips cursor movement, OSC titles and hyperlinks, charset switches and control characters', () => {
    const input = `${ESC}[2J${ESC}[1;1H${ESC}]0;title\x07${ESC}]8;;https://x${ESC}\\link${ESC}]8;;${ESC}\\${ESC}(Bok\x00\x07\x08${ESC}[?25l!`;
    expect(stripAnsi(input)).toBe('linkok!');
  });

  it('never lets a malformed or unterminated sequence swallow more than its line', () => {
    expect(stripAnsi(`a${ESC}]unterminated title\nnext`)).toBe('a\nnext');
    expect(stripAnsi(`a${ESC}[38;5m b${ESC}`)).toBe('a b');
    expect(stripAnsi(`${ESC}[38;5;999mx`)).toBe('x');
  });

  it('treats a non-SGR CSI ending in m (private marker) as noise, not style', () => {
    const [line] = parseAnsi(`${ESC}[>4;2mx`);
    expect(line?.spans).toEqual([{ text: 'x', css: '' }]);
  });

  it('expands tabs to 8-column stops and lets a bare carriage return overwrite the line', () => {
    expect(stripAnsi('a\tb\r\n')).toBe('a       b');
    expect(stripAnsi('progress 10%\rprogress 100%')).toBe('progress 100%');
  });

  it('counts wide characters as two columns', () => {
    expect(displayColumns('abc')).toBe(3);
    expect(displayColumns('로그')).toBe(4);
    expect(parseAnsi('오류 error')[0]?.columns).toBe(10);
  });

  it('parses streamed chunks the same as the whole text, even split inside an escape', () => {
    const text = `${ESC}[32mgreen\nstill ${ESC}[1mbold${ESC}[0m\nplain\npartial`;
    const parser = new AnsiParser();
    const lines = [...parser.push(text.slice(0, 3)), ...parser.push(text.slice(3, 17)), ...parser.push(text.slice(17))];
    expect(parser.peekPartial()?.text).toBe('partial');
    lines.push(...parser.end());
    expect(lines).toEqual(parseAnsi(text));
  });
});
