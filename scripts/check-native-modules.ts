import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The packaged app runs its native modules in Electron, the tests run them in Node 24, and no
// rebuild happens in between (electron-builder.js: npmRebuild false). That only works for
// Node-API modules, whose binary interface is the same in both. This check fails the packaging
// if a production dependency ships a native module that is not Node-API.
//   node scripts/check-native-modules.ts

/** Modules the package leaves out (electron-builder.js `files`), so their binaries never load. */
export const notPackaged = new Set(['cpu-features']);

export interface NativeModuleFinding {
  file: string;
  nodeApi: boolean;
}

/** Node-API modules export `napi_register_module_v1`; ABI-bound ones `node_register_module_v<N>` or call `node_module_register`. */
export function isNodeApiBinary(binary: Buffer): boolean {
  return binary.includes('napi_register_module_v1');
}

export function productionPackageDirs(projectDir: string): string[] {
  const output = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: projectDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return [...new Set(output.split('\n').filter((line) => line.includes(`${join('node_modules')}`)))];
}

export function nativeModulesIn(packageDirs: readonly string[]): NativeModuleFinding[] {
  const findings: NativeModuleFinding[] = [];
  for (const dir of packageDirs) {
    const name = dir.slice(dir.lastIndexOf('node_modules') + 'node_modules'.length + 1);
    if (notPackaged.has(name)) continue;
    const entries = readdirSync(dir, { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.node')) continue;
      const path = join(entry.parentPath, entry.name);
      // a nested package's binaries are reported under that package
      if (relative(dir, path).includes('node_modules')) continue;
      findings.push({ file: path, nodeApi: isNodeApiBinary(readFileSync(path)) });
    }
  }
  return findings;
}

if (import.meta.main) {
  const projectDir = join(import.meta.dirname, '..');
  const findings = nativeModulesIn(productionPackageDirs(projectDir));
  const bound = findings.filter((finding) => !finding.nodeApi);
  for (const finding of findings) console.log(`${finding.nodeApi ? 'Node-API ' : 'ABI-BOUND'} ${relative(projectDir, finding.file)}`);
  if (bound.length > 0) {
    console.error(`${bound.length} native module(s) are built for one Node ABI and would not load in Electron; rebuild them with @electron/rebuild or replace them.`);
    process.exit(1);
  }
  console.log(`all ${findings.length} native module binaries are Node-API: the same files load in Node ${process.versions.node} and in Electron`);
}
