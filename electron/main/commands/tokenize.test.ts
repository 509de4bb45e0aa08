import { describe, expect, it } from 'vitest';
import { tokenizeCommandLine } from './tokenize.ts';

describe('tokenizeCommandLine', () => {
  it.each([
    ['kubectl get pods', ['kubectl', 'get', 'pods']],
    ['  kubectl\tget   pods  ', ['kubectl', 'get', 'pods']],
    ["kubectl get pods -l 'app=my web'", ['kubectl', 'get', 'pods', '-l', 'app=my web']],
    ['kubectl get pods -l "app=my web"', ['kubectl', 'get', 'pods', '-l', 'app=my web']],
    ["--output='jsonpath={.items[*]}'", ['--output=jsonpath={.items[*]}']],
    ["echo ''", ['echo', '']],
    ["sh -c 'a | b; $(c) `d` \\e'", ['sh', '-c', 'a | b; $(c) `d` \\e']],
    ['say "it\'s"', ['say', "it's"]],
    ["a'b'\"c\"d", ['abcd']],
    ['a=~/x', ['a=~/x']],
    ['x#y', ['x#y']],
    ['héllo wörld', ['héllo', 'wörld']],
  ])('%j', (line, argv) => {
    expect(tokenizeCommandLine(line)).toEqual({ ok: true, argv });
  });

  it.each([
    ['a | b', 'pipes'],
    ['a > b', 'redirects'],
    ['a >> b', 'redirects'],
    ['a < b', 'redirects'],
    ['a; b', 'command lists'],
    ['a && b', '&'],
    ['a || b', 'pipes'],
    ['a &', '&'],
    ['$(id)', 'substitution'],
    ['echo $HOME', 'variables'],
    ['echo `id`', 'backticks'],
    ['(a)', 'subshells'],
    ['a\\ b', 'backslash'],
    ['ls *.log', 'glob'],
    ['ls ?', 'glob'],
    ['ls [ab]', 'glob'],
    ['echo {a,b}', 'brace'],
    ['ls ~', 'home-directory'],
    ['a # comment', 'comments'],
    ['echo !!', 'history'],
    ['a\nb', 'newline'],
    ['a\rb', 'newline'],
    ['a\u0000b', 'NUL'],
    ['a\u001bb', 'escape'],
    ["'a\nb'", 'newline'],
    ['a\u007fb', 'control character'],
    ['a\u0085b', 'control character'],
    ['a\u202eb', 'invisible'],
    ["'open", 'never closed'],
    ['"open', 'never closed'],
    ['echo "$HOME"', 'double quotes'],
    ['echo "`id`"', 'double quotes'],
    ['echo "a\\"b"', 'double quotes'],
  ])('refuses %j', (line, words) => {
    const result = tokenizeCommandLine(line);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.rule).toBe('shell-syntax');
    expect(result.refusal.message).toContain(words);
  });

  it('refuses an empty line', () => {
    expect(tokenizeCommandLine(' \t ')).toMatchObject({ ok: false, refusal: { rule: 'empty-command' } });
  });
});
