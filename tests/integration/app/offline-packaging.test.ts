import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from '../../support/electron/app-build.ts';

// `electron-builder --linux dir` with a local Electron distribution, as the README documents it
// for machines without internet. The distribution is a stand-in: an `electron` file carrying the
// fuse wire the real binary has (sentinel, version 1, eight fuses), set to the opposite of what
// the config asks, so the test sees electron-builder flip every fuse.

const repoRoot = join(import.meta.dirname, '../../..');
const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** RunAsNode, CookieEncryption, NodeOptions, CliInspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolPrivileges */
const wireBefore = '10110001';
const wireWanted = '01001100';

const scratch = mkdtempSync(join(tmpdir(), 'kiops-package-'));
const electronDist = join(scratch, 'electron-dist');
const output = join(scratch, 'release');

function fuseWire(binary: Buffer): string {
  const at = binary.indexOf(sentinel) + sentinel.length;
  expect(binary[at]).toBe(1);
  return binary.subarray(at + 2, at + 2 + binary[at + 1]!).toString('latin1');
}

describe('offline packaging from a local Electron distribution', () => {
  let log = '';

  beforeAll(async () => {
    await ensureAppBuilt();
    mkdirSync(electronDist, { recursive: true });
    const binary = Buffer.concat([Buffer.from(`#!/bin/sh\n# ${sentinel}`), Buffer.from([1, 8]), Buffer.from(`${wireBefore}\necho stand-in\n`)]);
    writeFileSync(join(electronDist, 'electron'), binary);
    chmodSync(join(electronDist, 'electron'), 0o755);
    writeFileSync(join(electronDist, 'version'), '45.5.0');
    const run = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
      { cwd: repoRoot, env: { ...process.env, KIOPS_UPDATE_URL: '' }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
    );
    log = run.stdout + run.stderr;
  }, 660_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('builds linux-unpacked from the local distribution, packaging the very native binaries Node 24 loads (no rebuild)', () => {
    expect(existsSync(join(output, 'linux-unpacked', 'kiops-desktop')), log).toBe(true);
    expect(readFileSync(join(output, 'linux-unpacked', 'kiops-desktop'), 'utf8')).toContain('echo stand-in');
    const unpacked = join(output, 'linux-unpacked', 'resources', 'app.asar.unpacked');
    for (const binary of ['node_modules/keytar/build/Release/keytar.node', `node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`]) {
      expect(readFileSync(join(unpacked, binary)).equals(readFileSync(join(repoRoot, binary))), binary).toBe(true);
    }
  });

  it('flips every fuse the config names in the packaged binary', () => {
    expect(fuseWire(readFileSync(join(electronDist, 'electron')))).toBe(wireBefore);
    expect(fuseWire(readFileSync(join(output, 'linux-unpacked', 'kiops-desktop')))).toBe(wireWanted.slice(0, 6) + wireBefore[6] + wireWanted[7]);
  });

  it('packs the built app and its runtime modules, leaving out cpu-features and the renderer libraries', () => {
    const asar = join(output, 'linux-unpacked', 'resources', 'app.asar');
    const files = new Set(listPackage(asar, { isPack: false }).map((file) => file.replaceAll('\\', '/')));
    for (const file of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/ssh2/package.json', '/node_modules/electron-updater/package.json'])
      expect(files.has(file), file).toBe(true);
    for (const prefix of ['/node_modules/cpu-features', '/node_modules/naive-ui', '/node_modules/vue/', '/out/e2e-renderer', '/node_modules/better-sqlite3/deps'])
      expect([...files].filter((file) => file.startsWith(prefix)), prefix).toEqual([]);
  });
});
