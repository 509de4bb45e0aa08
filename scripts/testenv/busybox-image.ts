import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from './daemon-process.ts';
import type { TestImage, TestImages } from './description.ts';

// No registry is reachable, so the engines get a tiny image made here: busybox-static plus a
// symlink per applet. Two releases differ only in /etc/kiops-release (and a label), so tests can
// "update" a container from :1 to :2 and see the change from inside.

export const IMAGE_REPOSITORY = 'kiops/busybox';

export interface ImageTarballs {
  release1: string;
  release2: string;
}

export interface ImportedImage {
  reference: string;
  id: string;
}

/** `--change` instructions both `docker import` and `podman import` accept. */
export function imageChanges(release: string): string[] {
  return [
    'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin',
    'CMD ["sh"]',
    'WORKDIR /',
    `LABEL org.opencontainers.image.version=${release}`,
    `LABEL io.kiops.test-image=busybox`,
  ];
}

async function buildRootfsTarball(folder: string, busybox: string, applets: readonly string[], release: string): Promise<string> {
  const rootfs = join(folder, `rootfs-${release}`);
  for (const directory of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'tmp', 'proc', 'sys', 'dev', 'var/www', 'home']) {
    mkdirSync(join(rootfs, directory), { recursive: true });
  }
  copyFileSync(busybox, join(rootfs, 'bin/busybox'));
  for (const applet of applets) {
    if (applet === 'busybox' || applet.includes('/')) continue;
    symlinkSync('busybox', join(rootfs, 'bin', applet));
  }
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
  writeFileSync(join(rootfs, 'etc/kiops-release'), `${release}\n`);
  writeFileSync(join(rootfs, 'var/www/index.html'), `kiops busybox release ${release}\n`);
  const tarball = join(folder, `kiops-busybox-${release}.tar`);
  await runTool('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-cf', tarball, '.'], { timeoutMs: 30_000 });
  return tarball;
}

/** Builds both release tarballs once per environment; the engines import from them. */
export async function buildImageTarballs(folder: string, busybox: string): Promise<ImageTarballs> {
  mkdirSync(folder, { recursive: true });
  const { stdout } = await runTool(busybox, ['--list'], { timeoutMs: 10_000 });
  const applets = stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const [release1, release2] = await Promise.all([
    buildRootfsTarball(folder, busybox, applets, '1'),
    buildRootfsTarball(folder, busybox, applets, '2'),
  ]);
  return { release1, release2 };
}

/**
 * Imports both releases through an engine's CLI and tags :latest onto release 2.
 * `importImage` and `tagImage` hide how docker and podman spell it.
 */
export async function importTestImages(
  tarballs: ImageTarballs,
  importImage: (tarball: string, reference: string, changes: string[]) => Promise<string>,
  tagImage: (source: string, target: string) => Promise<void>,
): Promise<TestImages> {
  const [id1, id2] = await Promise.all([
    importImage(tarballs.release1, `${IMAGE_REPOSITORY}:1`, imageChanges('1')),
    importImage(tarballs.release2, `${IMAGE_REPOSITORY}:2`, imageChanges('2')),
  ]);
  await tagImage(`${IMAGE_REPOSITORY}:2`, `${IMAGE_REPOSITORY}:latest`);
  const image = (reference: string, id: string, release: string): TestImage => ({ reference, id, release });
  return {
    version1: image(`${IMAGE_REPOSITORY}:1`, id1, '1'),
    version2: image(`${IMAGE_REPOSITORY}:2`, id2, '2'),
    latest: image(`${IMAGE_REPOSITORY}:latest`, id2, '2'),
  };
}

export function changeArguments(changes: readonly string[]): string[] {
  return changes.flatMap((change) => ['--change', change]);
}
