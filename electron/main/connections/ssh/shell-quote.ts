/**
 * SSH has no argv: the server hands one command string to the remote user's login shell
 * (`$SHELL -c "<string>"`), whatever the client does. So every argv element is quoted for a
 * POSIX shell here and nothing the user typed is ever interpreted by it (`$(…)`, globs, `;`
 * stay literal). Single quotes are the only quoting with no special characters inside, and a
 * quote itself is written as `'\''`. This also holds for bash, dash, zsh, ksh and fish; csh and
 * tcsh treat `!` and newlines specially even inside quotes, so hosts whose login shell is one
 * of those are not supported for host commands.
 */
export function quotePosixArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('A command argument cannot contain a NUL byte.');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function posixCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('A command needs at least a program name.');
  return argv.map(quotePosixArg).join(' ');
}
