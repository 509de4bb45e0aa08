import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostKeyType, openSshFingerprint } from './host-keys.ts';
import { remoteCommandLine } from './remote-exec.ts';
import { posixCommandLine, quotePosixArg } from './shell-quote.ts';
import { parseGreeting, parseRequest, socksReply } from './socks-protocol.ts';

describe('quoting argv for the remote shell', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(posixCommandLine(['id', '-un'])).toBe('id -un');
    expect(quotePosixArg("it's")).toBe(`'it'\\''s'`);
    expect(quotePosixArg('')).toBe("''");
    expect(() => quotePosixArg('a\0b')).toThrow(/NUL/);
  });

  it('gives back exactly the argv when a local sh parses it', async () => {
    const argv = ['printf', '%s|', 'a b', "'", '"', '$(id)', '`x`', '\\', 'new\nline', '*', '', '!'];
    const out = await runAsSshSession(remoteCommandLine(argv));
    const [pid, ...rest] = out.split('\n');
    expect(Number(pid)).toBeGreaterThan(1);
    expect(rest.join('\n')).toBe(argv.slice(2).map((a) => `${a}|`).join(''));
  });
});

/**
 * Runs a command line as sshd would: in a process group of its own (the wrapper's watchdog kills
 * its whole group, which must never be the test runner's) with stdin held open until it ends
 * (sshd closes the channel's stdin only when the session goes away).
 */
function runAsSshSession(line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      child.stdin.end();
      if (code === 0) resolve(out);
      else reject(new Error(`sh ended with ${code ?? signal}: ${out}`));
    });
  });
}

describe('SOCKS5 parsing', () => {
  it('accepts a no-auth greeting and waits for more bytes', () => {
    expect(parseGreeting(Buffer.from([5]))).toEqual({ kind: 'more' });
    expect(parseGreeting(Buffer.from([5, 2, 2, 0]))).toMatchObject({ kind: 'ok', noAuthOffered: true });
    expect(parseGreeting(Buffer.from([5, 1, 2]))).toMatchObject({ kind: 'ok', noAuthOffered: false });
    expect(parseGreeting(Buffer.from([4, 1]))).toEqual({ kind: 'bad' });
  });

  it('reads IPv4, domain and IPv6 CONNECT targets and refuses other commands', () => {
    expect(parseRequest(Buffer.from([5, 1, 0, 1, 10, 0, 0, 5, 0x19, 0x2b]))).toMatchObject({ kind: 'connect', host: '10.0.0.5', port: 6443 });
    const name = Buffer.from('kube.internal');
    expect(parseRequest(Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, Buffer.from([1, 187, 9])]))).toMatchObject({ kind: 'connect', host: 'kube.internal', port: 443, rest: Buffer.from([9]) });
    const v6 = Buffer.alloc(16);
    v6[15] = 1;
    expect(parseRequest(Buffer.concat([Buffer.from([5, 1, 0, 4]), v6, Buffer.from([0, 80])]))).toMatchObject({ kind: 'connect', host: '0:0:0:0:0:0:0:1', port: 80 });
    expect(parseRequest(Buffer.from([5, 2, 0, 1, 1, 2, 3, 4, 0, 80]))).toEqual({ kind: 'bad', reply: socksReply.commandNotSupported });
    expect(parseRequest(Buffer.from([5, 1, 0, 1, 1, 2]))).toEqual({ kind: 'more' });
  });
});

describe('host key fingerprints', () => {
  it('match ssh-keygen -l', () => {
    const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const blob = Buffer.from(line.split(' ')[1] ?? '', 'base64');
    const expected = execFileSync('ssh-keygen', ['-lf', '-', '-E', 'sha256'], { input: `${line}\n`, encoding: 'utf8' }).split(' ')[1];
    expect(openSshFingerprint(blob)).toBe(expected);
    expect(hostKeyType(blob)).toBe('ssh-ed25519');
  });
});
