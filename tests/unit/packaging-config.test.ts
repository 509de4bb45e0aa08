import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { icnsSizes, icnsTypes, icoSizes, linuxIconSizes, writeIcons } from '../../scripts/generate-icons.ts';
import { isNodeApiBinary, nativeModulesIn, productionPackageDirs } from '../../scripts/check-native-modules.ts';

// The packaging configuration as electron-builder itself reads and validates it, and the
// files it points at. The Electron binary is not needed for any of this.

const repoRoot = join(import.meta.dirname, '../..');
const resources = join(repoRoot, 'resources');
const scratch = mkdtempSync(join(tmpdir(), 'kiops-packaging-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function pngSize(file: Buffer): { width: number; height: number } {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(file.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20) };
}

function icoEntries(file: Buffer): number[] {
  expect([file.readUInt16LE(0), file.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: file.readUInt16LE(4) }, (_, index) => {
    const entry = 6 + index * 16;
    const image = file.subarray(file.readUInt32LE(entry + 12), file.readUInt32LE(entry + 12) + file.readUInt32LE(entry + 8));
    const { width } = pngSize(image);
    expect(file.readUInt8(entry) || 256).toBe(width);
    return width;
  });
}

function icnsEntries(file: Buffer): Map<string, number> {
  expect(file.toString('latin1', 0, 4)).toBe('icns');
  expect(file.readUInt32BE(4)).toBe(file.length);
  const entries = new Map<string, number>();
  for (let offset = 8; offset < file.length; offset += file.readUInt32BE(offset + 4)) {
    entries.set(file.toString('latin1', offset, offset + 4), pngSize(file.subarray(offset + 8, offset + file.readUInt32BE(offset + 4))).width);
  }
  return entries;
}

/** electron-builder.js as a module, read afresh (vi.resetModules) to see it under another environment. */
const builderConfigModule = join(repoRoot, 'electron-builder.js');

async function loadConfig() {
  const config = await getConfig(repoRoot, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

// electron-builder's loader and schema validation take seconds on a busy machine
describe('packaging configuration (electron-builder.js)', { timeout: 60_000 }, () => {
  it('is valid for electron-builder and names the five targets', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    expect(config.directories?.buildResources).toBe('resources');
    // the validation bites: a misspelt option is refused
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, iconn: 'x' } } as typeof config, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });

  it('keeps the fuses shut and never rebuilds native modules (they are Node-API)', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.npmRebuild).toBe(false);
    expect(JSON.stringify(config.files)).toContain('"!node_modules/cpu-features/**"');
  });

  it('has an update feed only when KIOPS_UPDATE_URL names one', async () => {
    const previous = process.env['KIOPS_UPDATE_URL'];
    try {
      delete process.env['KIOPS_UPDATE_URL'];
      vi.resetModules();
      const withoutFeed = (await import(/* @vite-ignore */ builderConfigModule)) as { default: { publish: unknown } };
      expect(withoutFeed.default.publish).toBeNull();
      process.env['KIOPS_UPDATE_URL'] = 'https://updates.example.test/kiops';
      vi.resetModules();
      const withFeed = (await import(/* @vite-ignore */ builderConfigModule)) as { default: { publish: unknown } };
      expect(withFeed.default.publish).toEqual([{ provider: 'generic', url: 'https://updates.example.test/kiops', channel: 'latest' }]);
    } finally {
      if (previous === undefined) delete process.env['KIOPS_UPDATE_URL'];
      else process.env['KIOPS_UPDATE_URL'] = previous;
    }
  });

  it('points every target at icon files that exist, in the formats and sizes each needs', async () => {
    const config = await loadConfig();
    expect(config.linux?.icon).toBe('resources/icons');
    for (const size of linuxIconSizes) expect(pngSize(readFileSync(join(resources, 'icons', `${size}x${size}.png`)))).toEqual({ width: size, height: size });
    expect(pngSize(readFileSync(join(resources, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
    for (const icon of [config.win?.icon, config.nsis?.installerIcon, config.nsis?.uninstallerIcon]) {
      expect(icon).toBe('resources/icon.ico');
    }
    expect(icoEntries(readFileSync(join(resources, 'icon.ico')))).toEqual([...icoSizes]);
    for (const icon of [config.mac?.icon, config.dmg?.icon]) expect(icon).toBe('resources/icon.icns');
    expect(icnsEntries(readFileSync(join(resources, 'icon.icns')))).toEqual(new Map(icnsSizes.map((size) => [icnsTypes[size]!, size])));
    expect(readFileSync(join(repoRoot, config.mac?.entitlements ?? 'missing'), 'utf8')).toContain('com.apple.security.cs.allow-jit');
  });

  it('ships the icons scripts/generate-icons.ts draws today', () => {
    const written = writeIcons(scratch);
    expect(written.length).toBe(linuxIconSizes.length + 3);
    for (const file of written) expect(readFileSync(join(scratch, file)).equals(readFileSync(join(resources, file))), file).toBe(true);
  });
});

describe('native modules', { timeout: 60_000 }, () => {
  it('every binary a production dependency ships is Node-API, so Node 24 and Electron load the same file', () => {
    const findings = nativeModulesIn(productionPackageDirs(repoRoot));
    const names = findings.map((finding) => finding.file.slice(repoRoot.length + 1));
    expect(names).toEqual(expect.arrayContaining(['node_modules/keytar/build/Release/keytar.node', `node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`]));
    expect(findings.filter((finding) => !finding.nodeApi)).toEqual([]);
  });

  it('the check tells a Node-API binary from one bound to a single Node ABI', () => {
    expect(isNodeApiBinary(Buffer.from('\x7fELF....napi_register_module_v1\0'))).toBe(true);
    for (const text of ['\x7fELF....node_register_module_v137\0', '\x7fELF....node_module_register\0', '\x7fELF....napi_create_string_utf8\0']) {
      expect(isNodeApiBinary(Buffer.from(text)), text).toBe(false);
    }
  });
});
