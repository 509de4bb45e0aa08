import { describe, expect, it } from 'vitest';
import type { CommandDecision, CommandMode } from './command-decision.ts';
import { decideEngineCommand, type EngineTarget } from './engine-policy.ts';
import { hostToolNames } from './host-commands.ts';
import { decideKubectl } from './kubectl-policy.ts';
import { commandIsReadOnly } from './read-only-commands.ts';
import { tokenizeCommandLine } from './tokenize.ts';

/**
 * Generated spellings of each class of the policy (issue 10, classes 2, 4 and 11): every
 * variant the real tool reads the same way must get the same decision.
 */
const kube = { namespace: 'shop', kubeconfigPath: '/run/kiops/kc.yaml' };
const hostTools = new Map(hostToolNames.map((name) => [name, `/usr/bin/${name}`]));
const engine: EngineTarget = { engine: 'docker', endpoint: 'unix:///run/d.sock', hostTools, container: 'web' };
const host: EngineTarget = { engine: 'docker', endpoint: 'unix:///run/d.sock', hostTools };

function words(line: string): string[] {
  const tokens = tokenizeCommandLine(line);
  if (!tokens.ok) throw new Error(`${line}: ${tokens.refusal.message}`);
  return tokens.argv;
}
const kubectl = (line: string, production = true, mode: CommandMode = 'one-shot', confirmation?: string): CommandDecision =>
  decideKubectl({ argv: words(line), mode, target: kube, production, ...(confirmation === undefined ? {} : { confirmation }) });
const inContainer = (line: string): CommandDecision => decideEngineCommand({ argv: words(line), mode: 'one-shot', target: engine, production: true });
const onHost = (line: string, mode: CommandMode = 'one-shot'): CommandDecision => decideEngineCommand({ argv: words(line), mode, target: host, production: true });

/** `--flag=V`, `--flag_with_underscores=V` (kubectl normalises `_`), flag before or after the objects. */
function flagSpellings(command: string, flag: string, value: string): string[] {
  const underscored = flag.replaceAll('-', '_');
  const all = command.split(' ');
  const pathLength = all[0] === 'rollout' || all[0] === 'set' ? 2 : 1;
  return [
    `kubectl ${command} --${flag}=${value}`,
    `kubectl ${command} --${underscored}=${value}`,
    `kubectl ${all.slice(0, pathLength).join(' ')} --${flag}=${value} ${all.slice(pathLength).join(' ')}`,
  ];
}

const goFalse = ['false', '0', 'f', 'F', 'False', 'FALSE', 'none'];
const goTrue = ['true', '1', 't', 'T', 'True', 'TRUE', 'client', 'server'];
const mutations = ['delete pod web-1', 'scale deploy/web --replicas=0', 'scale deploy/web --replicas=3', 'rollout restart deploy/web', 'set image deploy/web web=reg/web:2', 'label pod/web-1 tier=front', 'rollout undo deploy/web'];

describe('class 2: --dry-run read as kubectl reads it', () => {
  it.each(mutations.flatMap((command) => goFalse.flatMap((value) => flagSpellings(command, 'dry-run', value))))('%s is no dry run: production asks first', (line) => {
    expect(kubectl(line)).toMatchObject({ decision: 'needs-confirmation' });
  });

  it.each(mutations.flatMap((command) => goTrue.flatMap((value) => flagSpellings(command, 'dry-run', value))))('%s is a dry run', (line) => {
    const decision = kubectl(line);
    expect(decision).toMatchObject({ decision: 'allow' });
    if (decision.decision === 'allow') expect(decision.argv.filter((word) => word.startsWith('--dry-run='))).toEqual([expect.stringMatching(/^--dry-run=(client|server)$/)]);
  });

  it.each(['yes', 'no', 'None', 'CLIENT', '2', ''])('--dry-run=%s is refused as kubectl refuses it', (value) => {
    expect(kubectl(`kubectl delete pod web-1 --dry-run=${value}`)).toMatchObject({ decision: 'block', rule: 'invalid-flag-value' });
  });

  it.each(['--dry', '--dry-r', '--dry-ru', '--namesp=shop', '--all-n', '--selec=app=web', '--repl=0'])('kubectl has no long-flag abbreviations: %s is refused', (flag) => {
    expect(kubectl(`kubectl delete pod web-1 ${flag}`, false)).toMatchObject({ decision: 'block', rule: 'flag-not-allowed' });
  });
});

const wrappers = ['', 'env ', 'env A=1 ', 'env -i ', 'env -u HOME ', 'nice ', 'nice -n 5 ', 'timeout 5 ', 'timeout -s KILL 5 ', 'nohup ', 'stdbuf -o0 ', 'ionice -c 3 ', 'busybox ', '/usr/bin/env ', 'env nice timeout 3 '];
const writers = ['rm -rf /data', 'touch /x', "sh -c 'id'", 'kill 1', 'find / -delete', "find / -name x -exec rm '{}' +", 'tee /x', 'dd of=/x', 'sed -i s/a/b/ /f', 'sort -o /x /y', 'sort --out=/x /y', 'python3 -c 1', 'xargs rm', 'date -s 2020-01-01', 'tail --fo /x', 'env -S rm', './run.sh', '/tmp/ls', 'time -o /x ls', 'file -C -m /x'];
const readers = ['ls -la /', 'cat /etc/hosts', 'ps aux', 'df -h', 'env', 'find / -name x', 'grep -r x /etc', 'tail -n 5 /x', 'xargs ls', 'printenv HOME'];

describe('class 2: every exec in production asks first unless it only reads, wrappers judged by what they run', () => {
  const writerLines = wrappers.flatMap((wrapper) => writers.map((writer) => `${wrapper}${writer}`));
  it.each(writerLines)('in a container: %s needs confirmation', (line) => {
    expect(commandIsReadOnly(words(line))).toBe(false);
    expect(inContainer(line)).toMatchObject({ decision: 'needs-confirmation' });
    expect(kubectl(`kubectl exec web-1 -- ${line}`)).toMatchObject({ decision: 'needs-confirmation' });
  });

  const readerLines = wrappers.flatMap((wrapper) => readers.map((reader) => `${wrapper}${reader}`)).filter((line) => !/^busybox env$/.test(line));
  it.each(readerLines)('in a container: %s runs without asking', (line) => {
    expect(inContainer(line)).toMatchObject({ decision: 'allow' });
    expect(kubectl(`kubectl exec web-1 -- ${line}`)).toMatchObject({ decision: 'allow' });
  });
});

describe('class 2: a delete selected by negation, existence or sets only is delete-all', () => {
  const allSelectors = ['app!=web', '!app', 'app', 'app notin (web)', 'app in (web,api)', 'app!=web,tier!=db', '', 'app notin (web),!tier'];
  const spellings = (selector: string) => [`kubectl delete pods -l '${selector}'`, `kubectl delete pods '--selector=${selector}'`, `kubectl delete pod --selector '${selector}'`, `kubectl delete po '-l${selector}'`];
  it.each(allSelectors.flatMap(spellings).filter((line) => !line.endsWith("-l'")))('%s is refused', (line) => {
    expect(kubectl(line, false)).toMatchObject({ decision: 'block', rule: 'delete-all' });
  });

  it.each(['app=web', 'app==web', 'app=web,tier!=db', 'app=web,tier notin (db)'].flatMap(spellings))('%s selects by equality and is asked for in production', (line) => {
    expect(kubectl(line)).toMatchObject({ decision: 'needs-confirmation' });
  });
});

describe('class 11: the service’s own namespace may be named', () => {
  const own = ['-n shop', '-nshop', '-n=shop', '--namespace=shop', '--namespace shop', '--namespace_=shop'.replace('_=', '=')];
  it.each(own.flatMap((flag) => [`kubectl get pods ${flag}`, `kubectl ${flag} get pods`]))('%s is accepted, with the namespace injected once', (line) => {
    const decision = kubectl(line, false);
    expect(decision).toMatchObject({ decision: 'allow' });
    if (decision.decision === 'allow') expect(decision.argv.filter((word) => word.startsWith('--namespace'))).toEqual(['--namespace=shop']);
  });

  it.each(['-n other', '-nkube-system', '-n=default', '--namespace=other', '--namespace other', '-n shop -n other'].flatMap((flag) => [`kubectl get pods ${flag}`, `kubectl ${flag} get pods`]))('%s is refused', (line) => {
    expect(kubectl(line, false)).toMatchObject({ decision: 'block', rule: 'namespace-override' });
  });
});

/** Every unique prefix getopt_long accepts for a long option, from `--k` to the full name. */
const prefixes = (name: string, from = 1): string[] => Array.from({ length: name.length - from + 1 }, (_, i) => `--${name.slice(0, from + i)}`);

describe('class 4: host tools parse options as GNU getopt_long does', () => {
  it.each([...prefixes('kill'), ...prefixes('diag', 2).map((p) => `${p}=/tmp/out`), ...prefixes('net', 2).map((p) => `${p}=x`), '-K', '-tK', '-tlnK', '-D /tmp/out', '-tD/tmp/out', '-N x'])('ss %s is refused', (option) => {
    expect(onHost(`ss ${option}`)).toMatchObject({ decision: 'block', rule: 'invalid-argument' });
  });

  it.each(['-tlnp', '-s', '--tcp --listening --numeric', '--tc --lis --num', '-x --processes'])('ss %s runs', (option) => {
    expect(onHost(`ss ${option}`)).toMatchObject({ decision: 'allow', auditArgv: ['/usr/bin/ss', ...option.split(' ')] });
  });

  const follows = [...prefixes('follow', 2), '--follow=name', '--fo=descriptor', '-f', '-F', '-qf', '-fn5', '-n5 -f', ...prefixes('retry', 2), '--pid=1'];
  it.each(follows)('tail %s /var/log/x follows: streaming only', (option) => {
    expect(onHost(`tail ${option} /var/log/x`)).toMatchObject({ decision: 'block', rule: 'follow-watch' });
    expect(onHost(`tail ${option} /var/log/x`, 'streaming')).toMatchObject({ decision: 'allow' });
  });

  it.each(['-n 5', '-n5', '--lines=5', '--li 5', '-20', '-c 100', '--bytes=100 -q'])('tail %s /var/log/x runs one-shot', (option) => {
    expect(onHost(`tail ${option} /var/log/x`)).toMatchObject({ decision: 'allow' });
  });

  it.each([...prefixes('set', 2).map((p) => `${p}=2020-01-01`), '-s 2020-01-01', '-us 2020-01-01', '--fi=/etc/x', '010100002020'])('date %s is refused', (option) => {
    expect(onHost(`date ${option}`)).toMatchObject({ decision: 'block', rule: 'invalid-argument' });
  });

  it.each(['cp /bin/sh /usr/local/bin/lscpu', 'mv a b', 'dd if=/dev/zero of=/x', 'tee /x', 'truncate -s0 /x', 'rm -rf /x', 'kill -9 1', 'pkill kiops', 'touch /x', 'ln -s a b', 'chmod 777 /x', 'sh -c id', 'bash'])('%s is refused on the host', (line) => {
    expect(onHost(line)).toMatchObject({ decision: 'block', rule: 'host-command-not-allowed' });
  });

  it('a tool that was not resolved to a root-owned path does not run', () => {
    expect(decideEngineCommand({ argv: ['lscpu'], mode: 'one-shot', target: { ...host, hostTools: new Map() }, production: false })).toMatchObject({ decision: 'block', rule: 'host-command-not-allowed' });
  });
});
