/**
 * Docker's stream framing for non-TTY containers (also Podman's compat API): each chunk of
 * output is an 8-byte header — stream (0 stdin, 1 stdout, 2 stderr), three zero bytes, payload
 * size as uint32 big-endian — then the payload. dockerode's `logs({ follow: false })` hands the
 * framed bytes back as one Buffer. TTY containers are not framed at all, so which one applies is
 * decided from the container's Config.Tty, never by sniffing the bytes.
 */

const HEADER_BYTES = 8;

export interface DemuxedLogs {
  /** stdout and stderr payloads in the order the engine wrote them. */
  readonly output: Buffer;
  /** Frames whose header was not a valid stream header: the rest was kept as raw bytes. */
  readonly malformed: boolean;
}

export function demuxLogFrames(framed: Buffer): DemuxedLogs {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < framed.length) {
    if (framed.length - at < HEADER_BYTES || !isHeader(framed, at)) {
      // Not a frame (or a header cut short): keep the bytes rather than lose output.
      parts.push(framed.subarray(at));
      return { output: Buffer.concat(parts), malformed: true };
    }
    const size = framed.readUInt32BE(at + 4);
    const start = at + HEADER_BYTES;
    // A last frame cut short (engine truncation) keeps what arrived.
    parts.push(framed.subarray(start, Math.min(start + size, framed.length)));
    at = start + size;
  }
  return { output: Buffer.concat(parts), malformed: false };
}

function isHeader(buffer: Buffer, at: number): boolean {
  const stream = buffer[at] ?? 255;
  return stream <= 2 && buffer[at + 1] === 0 && buffer[at + 2] === 0 && buffer[at + 3] === 0;
}
