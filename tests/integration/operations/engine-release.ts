import type Docker from 'dockerode';
import { againWhenPodmanLostOutput } from '../../support/podman-lost-output.ts';

/**
 * `cat /etc/kiops-release` inside the container, through the engine's exec API. Every test image
 * has a release, so an empty answer is the engine losing the output of an exec that ends at once:
 * it is read again (`againWhenPodmanLostOutput`).
 */
export function releaseOf(docker: Docker, name: string): Promise<string> {
  return againWhenPodmanLostOutput(() => readRelease(docker, name), (release) => release === '');
}

async function readRelease(docker: Docker, name: string): Promise<string> {
  const exec = await docker.getContainer(name).exec({ Cmd: ['cat', '/etc/kiops-release'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // Non-TTY exec output is framed: an 8-byte header (stream, 0, 0, 0, size as uint32 BE) per payload.
  const raw = Buffer.concat(chunks);
  let text = '';
  for (let offset = 0; offset + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(offset + 4);
    text += raw.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return text.trim();
}
