/**
 * The last lines a VPN program printed, kept so a failure can show the user what the VPN
 * itself said. Everything that leaves this class is scrubbed: PEM blocks, WireGuard keys, long
 * base64/hex runs and anything following "password"/"secret"/"key" never reach a message.
 */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly maxLines: number;
  private readonly rewrite: (line: string) => string | null;

  /** `rewrite` tidies a program's line for users (drop prefixes, chatter); null drops the line. */
  constructor(options: { readonly maxLines?: number; readonly rewrite?: (line: string) => string | null } = {}) {
    this.maxLines = options.maxLines ?? 40;
    this.rewrite = options.rewrite ?? ((line) => line);
  }

  push(text: string): void {
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }

  /** Adds a line the app itself wants in the tail (e.g. what the management interface reported). */
  note(line: string): void {
    this.add(line);
  }

  /** The scrubbed tail, oldest first. */
  tail(count = 15): string[] {
    const all = this.partial === '' ? this.lines : [...this.lines, this.partial];
    return scrubLogLines(all.slice(-count));
  }

  private add(raw: string): void {
    const line = raw.trim() === '' ? null : this.rewrite(raw);
    if (line === null) return;
    const short = line.length > 500 ? `${line.slice(0, 500)}…` : line;
    // A retry loop repeats one line; show it once with a count.
    const last = this.lines.at(-1);
    const repeated = last === undefined ? null : /^(.*) \(×(\d+)\)$/.exec(last);
    if (last === short || repeated?.[1] === short) {
      this.lines[this.lines.length - 1] = `${short} (×${repeated && repeated[1] === short ? Number(repeated[2]) + 1 : 2})`;
      return;
    }
    this.lines.push(short);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}

export function scrubLogLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inPem = false;
  for (const line of lines) {
    if (/-----BEGIN [A-Z0-9 ]+-----/.test(line)) inPem = true;
    if (inPem) {
      if (/-----END [A-Z0-9 ]+-----/.test(line)) inPem = false;
      if (out.at(-1) !== '[key material removed]') out.push('[key material removed]');
      continue;
    }
    out.push(scrubLogLine(line));
  }
  return out;
}

export function scrubLogLine(line: string): string {
  return line
    .replace(/((?:private[_ -]?key|preshared[_ -]?key|password|passphrase|secret|auth-token)\s*[=: ]\s*)\S+/gi, '$1[removed]')
    .replace(/[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/g, '[key removed]')
    .replace(/[A-Za-z0-9+/]{48,}={0,2}/g, '[removed]')
    .replace(/\b[0-9a-fA-F]{48,}\b/g, '[removed]');
}
