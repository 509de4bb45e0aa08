import { block, type BlockDecision } from './command-decision.ts';

/**
 * Turns the line an operator typed into argv. Nothing here is ever handed to a shell, so the
 * tokenizer accepts only the part of shell syntax whose meaning is the same with or without a
 * shell, and refuses the rest with a message instead of passing it through literally:
 *
 * Accepted
 * - words separated by spaces or tabs (leading/trailing blanks ignored);
 * - `'single quotes'`: everything up to the next `'` is literal (no escapes, as in sh);
 * - `"double quotes"`: everything up to the next `"` is literal, but `$`, backtick and `\`
 *   are refused inside them because sh would expand or unescape them;
 * - quoted and unquoted parts glued into one word: `--output='jsonpath={.x}'`, `''` for an
 *   empty argument.
 *
 * Refused (rule `shell-syntax`)
 * - outside quotes: `|` `&` `;` `<` `>` `(` `)` `$` backtick `\` (pipes, redirects, lists,
 *   subshells, substitutions, escapes), glob and brace characters `*` `?` `[` `]` `{` `}`,
 *   `!`, a word starting with `~` or `#`;
 * - anywhere, even quoted: newlines, NUL, ESC and every other control character (C0, DEL,
 *   C1), and invisible bidirectional/line-separator characters;
 * - an unterminated quote.
 */
export type TokenizeResult = { readonly ok: true; readonly argv: string[] } | { readonly ok: false; readonly refusal: BlockDecision };

const unquotedMeta: Record<string, string> = {
  '|': 'pipes (|)',
  '&': 'background jobs and && lists (&)',
  ';': 'command lists (;)',
  '<': 'redirects (<)',
  '>': 'redirects (>)',
  '(': 'subshells (( ))',
  ')': 'subshells (( ))',
  $: 'variables and command substitution ($)',
  '`': 'command substitution (backticks)',
  '\\': 'backslash escapes',
  '*': 'glob patterns (*)',
  '?': 'glob patterns (?)',
  '[': 'glob patterns ([ ])',
  ']': 'glob patterns ([ ])',
  '{': 'brace expansion ({ })',
  '}': 'brace expansion ({ })',
  '!': 'history expansion (!)',
};

const quoteHint = 'The app runs commands without a shell. Run one command at a time, and put arguments that contain special characters in single quotes.';

function controlCharacterName(char: string): string | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (char === '\n' || char === '\r') return 'a newline';
  if (code === 0) return 'a NUL character';
  if (code === 0x1b) return 'an escape (ESC) character';
  if (char === '\t') return undefined;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  if (code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f) {
    return `an invisible formatting character (U+${code.toString(16).toUpperCase()})`;
  }
  return undefined;
}

function shellSyntax(what: string): { ok: false; refusal: BlockDecision } {
  return { ok: false, refusal: block('shell-syntax', `Shell syntax is not supported: ${what}.`, quoteHint) };
}

export function tokenizeCommandLine(line: string): TokenizeResult {
  for (const char of line) {
    const name = controlCharacterName(char);
    if (name !== undefined) return shellSyntax(`the command contains ${name}`);
  }
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const char = line[i] as string;
    if (char === ' ' || char === '\t') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = line.indexOf(char, i + 1);
      if (end < 0) return shellSyntax(`the quote ${char} is never closed`);
      const quoted = line.slice(i + 1, end);
      if (char === '"') {
        const special = /[$`\\]/.exec(quoted);
        if (special) return shellSyntax(`"${special[0]}" inside double quotes would be expanded by a shell; use single quotes`);
      }
      word += quoted;
      inWord = true;
      i = end + 1;
      continue;
    }
    const meta = unquotedMeta[char];
    if (meta !== undefined) return shellSyntax(meta);
    if (!inWord && (char === '~' || char === '#')) return shellSyntax(char === '~' ? 'home-directory expansion (~)' : 'comments (#)');
    word += char;
    inWord = true;
    i += 1;
  }
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, refusal: block('empty-command', 'Type a command to run.', 'For example: kubectl get pods') };
  return { ok: true, argv };
}
