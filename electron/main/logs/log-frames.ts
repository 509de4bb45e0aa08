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
  const reader = new LogFrameReader();
  const output = reader.push(framed);
  const rest = reader.end();
  return { output: Buffer.concat([output, rest.output]), malformed: rest.malformed };
}

/**
 * The same demultiplexing for framed bytes that arrive in pieces (a log read as a stream): a
 * header or payload split between two pieces is carried over to the next.
 */
export class LogFrameReader {
  private carry: Buffer = Buffer.alloc(0);
  private malformed = false;

  /** The payload bytes of every frame completed by this piece. */
  push(piece: Buffer): Buffer {
    if (this.malformed) return piece;
    const framed = this.carry.length > 0 ? Buffer.concat([this.carry, piece]) : piece;
    const parts: Buffer[] = [];
    let at = 0;
    while (framed.length - at >= HEADER_BYTES) {
      if (!isHeader(framed, at)) {
        // Not a frame: keep the bytes rather than lose output, and pass the rest through raw.
        this.malformed = true;
        this.carry = Buffer.alloc(0);
        parts.push(framed.subarray(at));
        return Buffer.concat(parts);
      }
      const size = framed.readUInt32BE(at + 4);
      if (framed.length - at - HEADER_BYTES < size) break;
      parts.push(framed.subarray(at + HEADER_BYTES, at + HEADER_BYTES + size));
      at += HEADER_BYTES + size;
    }
    this.carry = Buffer.from(framed.subarray(at));
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** What is left at the end: a last frame cut short keeps what arrived; a header cut short is kept raw. */
  end(): DemuxedLogs {
    const carry = this.carry;
    this.carry = Buffer.alloc(0);
    if (carry.length === 0) return { output: carry, malformed: this.malformed };
    if (carry.length < HEADER_BYTES || !isHeader(carry, 0)) return { output: carry, malformed: true };
    return { output: carry.subarray(HEADER_BYTES), malformed: this.malformed };
  }
}

function isHeader(buffer: Buffer, at: number): boolean {
  const stream = buffer[at] ?? 255;
  return stream <= 2 && buffer[at + 1] === 0 && buffer[at + 2] === 0 && buffer[at + 3] === 0;
}
