import { describe, expect, it } from 'vitest';
import { hostLineMatches, matchPattern, parseJumpSpec, SshConfig, tokenizeLine, type SshConfigFiles } from './ssh-config.ts';

const home = '/home/ops';
const context = { homeDir: home, localUser: 'ops' };

function filesOf(tree: Record<string, string>): SshConfigFiles {
  return {
    read: async (path) => tree[path] ?? null,
    list: async (folder) => Object.keys(tree).filter((path) => path.startsWith(`${folder}/`) && !path.slice(folder.length + 1).includes('/')).map((path) => path.slice(folder.length + 1)),
  };
}
const config = (text: string, more: Record<string, string> = {}) => SshConfig.load(filesOf({ [`${home}/.ssh/config`]: text, ...more }), context);

describe('ssh config lines and patterns', () => {
  it.each([
    ['HostName example.com', 'hostname', ['example.com']],
    ['  hostname=example.com', 'hostname', ['example.com']],
    ['Port = 2222', 'port', ['2222']],
    ['IdentityFile "~/.ssh/my key"', 'identityfile', ['~/.ssh/my key']],
    ['Host a b  !c # trailing', 'host', ['a', 'b', '!c']],
  ])('tokenizes %j', (line, keyword, args) => {
    expect(tokenizeLine(line)).toEqual({ keyword, args });
  });

  it('skips comments and blank lines', async () => {
    for (const line of ['', '   ', '# Host x', '\t# comment']) expect(tokenizeLine(line)).toBeNull();
  });

  const names = ['web1', 'web12', 'db.prod.example.com', 'DB.Prod.Example.com', 'bastion'];
  it.each([
    ['*', [true, true, true, true, true]],
    ['web?', [true, false, false, false, false]],
    ['web*', [true, true, false, false, false]],
    ['*.example.com', [false, false, true, true, false]],
    ['db.prod.example.com', [false, false, true, true, false]],
    ['b?stion', [false, false, false, false, true]],
  ])('pattern %s over generated names', (pattern, expected) => {
    expect(names.map((name) => matchPattern(name, pattern))).toEqual(expected);
  });

  it('a negated pattern vetoes the whole Host line; negation alone matches nothing', async () => {
    expect(hostLineMatches('web1', ['web*', '!web1'])).toBe(false);
    expect(hostLineMatches('web2', ['web*', '!web1'])).toBe(true);
    expect(hostLineMatches('web2', ['!web1'])).toBe(false);
  });
});

describe('resolving a host alias', () => {
  it('takes the first obtained value, from the specific Host block before the * defaults', async () => {
    const parsed = await config(['Host app', '  HostName 10.0.0.5', '  Port 2201', '  User deploy', '', 'Host *', '  User nobody', '  Port 22', '  HostName ignored'].join('\n'));
    expect(parsed.resolve('app')).toMatchObject({ host: '10.0.0.5', port: 2201, username: 'deploy', proxyJump: [] });
    expect(parsed.resolve('other')).toMatchObject({ host: 'ignored', port: 22, username: 'nobody' });
  });

  it('a value before any Host line applies to all and wins over later blocks', async () => {
    expect((await config('User early\nHost x\n User late\n')).resolve('x').username).toBe('early');
  });

  it('defaults: the alias is the host name, port 22, the local user', async () => {
    expect((await config('')).resolve('plain.example.com')).toMatchObject({ host: 'plain.example.com', port: 22, username: 'ops', identitiesOnly: false });
  });

  it('expands ~ and %d %u %h %r in IdentityFile, keeps every IdentityFile in order', async () => {
    const parsed = await config(['Host box', ' HostName box.internal', ' User r', ' IdentityFile ~/.ssh/id_box', ' IdentityFile %d/keys/%u-%h-%r', ' IdentityFile id_rel', ' IdentitiesOnly yes'].join('\n'));
    expect(parsed.resolve('box')).toMatchObject({
      identityFiles: [`${home}/.ssh/id_box`, `${home}/keys/ops-box.internal-r`, `${home}/.ssh/id_rel`],
      identitiesOnly: true,
    });
  });

  it('HostName %h substitutes the alias', async () => {
    expect((await config('Host *.lan\n HostName %h.example.net\n')).resolve('nas.lan').host).toBe('nas.lan.example.net');
  });

  it('lists literal aliases only', async () => {
    expect((await config('Host a b *.x !c\nHost d?\nHost e\n')).aliases()).toEqual(['a', 'b', 'e']);
  });

  it('reads Include globs relative to ~/.ssh in sorted order, and an Include inside a Host block only for that host', async () => {
    const parsed = await config('Include conf.d/*.conf\nHost guarded\n Include extra\n', {
      [`${home}/.ssh/conf.d/20-b.conf`]: 'Host b\n HostName b.example\n',
      [`${home}/.ssh/conf.d/10-a.conf`]: 'Host a b\n HostName first.example\n',
      [`${home}/.ssh/conf.d/ignored.txt`]: 'Host a\n HostName never\n',
      [`${home}/.ssh/extra`]: 'User guarded-user\n',
    });
    expect(parsed.resolve('b').host).toBe('first.example');
    expect(parsed.resolve('a').host).toBe('first.example');
    expect(parsed.resolve('guarded').username).toBe('guarded-user');
    expect(parsed.resolve('other').username).toBe('ops');
  });

  it('skips Match blocks with a note', async () => {
    const parsed = await config('Match host x\n User matched\nHost x\n User plain\n');
    expect(parsed.resolve('x').username).toBe('plain');
    expect(parsed.notes[0]).toContain('Match');
  });
});

describe('ProxyJump', () => {
  it.each([
    ['bastion', { host: 'bastion' }],
    ['jump@bastion', { host: 'bastion', username: 'jump' }],
    ['jump@bastion:2022', { host: 'bastion', port: 2022, username: 'jump' }],
    ['ssh://jump@10.1.1.1:2200', { host: '10.1.1.1', port: 2200, username: 'jump' }],
    ['[fe80::1]:2022', { host: 'fe80::1', port: 2022 }],
  ])('parses hop %s', (spec, expected) => {
    expect(parseJumpSpec(spec)).toEqual(expected);
  });

  it('refuses a malformed hop', async () => {
    for (const spec of ['', 'a@', 'host:0', 'host:70000']) expect(() => parseJumpSpec(spec)).toThrow();
  });

  it('resolves a comma-separated chain, each hop through its own Host block, explicit user/port winning', async () => {
    const parsed = await config(
      ['Host target', ' HostName 10.9.0.2', ' ProxyJump edge,admin@inner:2022', 'Host edge', ' HostName edge.example.com', ' Port 2200', ' User e', 'Host inner', ' HostName 10.9.0.1', ' User ignored'].join('\n'),
    );
    expect(parsed.resolve('target').proxyJump).toEqual([
      { host: 'edge.example.com', port: 2200, username: 'e' },
      { host: '10.9.0.1', port: 2022, username: 'admin' },
    ]);
  });

  it('the first hop’s own ProxyJump comes first; none disables; a loop is refused', async () => {
    const parsed = await config('Host t\n ProxyJump a\nHost a\n ProxyJump b\nHost b\n HostName b.example\nHost n\n ProxyJump none\nHost l1\n ProxyJump l2\nHost l2\n ProxyJump l1\n');
    expect(parsed.resolve('t').proxyJump.map((hop) => hop.host)).toEqual(['b.example', 'a']);
    expect(parsed.resolve('n').proxyJump).toEqual([]);
    expect(() => parsed.resolve('l1')).toThrow(/loop/);
  });
});
