import { readFileSync } from 'node:fs';

// A sandboxed preload can require only `electron`; anything else fails at window start, which
// cannot be seen here (no Electron binary). Check the built bundle instead.
const bundle = readFileSync(new URL('../out/preload/index.cjs', import.meta.url), 'utf8');
const required = [...bundle.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
const foreign = required.filter((name) => name !== 'electron');
if (foreign.length > 0) {
  console.error(`out/preload/index.cjs requires ${foreign.join(', ')}: a sandboxed preload may only require electron`);
  process.exit(1);
}
console.log('preload bundle requires only electron');
