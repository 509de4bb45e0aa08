/** SOCKS5 (RFC 1928) reply codes this proxy uses. */
export const socksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

export type GreetingParse = { kind: 'more' } | { kind: 'bad' } | { kind: 'ok'; noAuthOffered: boolean; rest: Buffer };

/** `VER NMETHODS METHODS…`; only "no authentication" (0x00) is supported. */
export function parseGreeting(buf: Buffer): GreetingParse {
  if (buf.length < 2) return { kind: 'more' };
  if (buf[0] !== 0x05) return { kind: 'bad' };
  const count = buf[1] ?? 0;
  if (buf.length < 2 + count) return { kind: 'more' };
  const methods = buf.subarray(2, 2 + count);
  return { kind: 'ok', noAuthOffered: methods.includes(0x00), rest: buf.subarray(2 + count) };
}

export type RequestParse =
  | { kind: 'more' }
  | { kind: 'bad'; reply: number }
  | { kind: 'connect'; host: string; port: number; rest: Buffer };

/** `VER CMD RSV ATYP DST.ADDR DST.PORT`; only CONNECT (0x01). */
export function parseRequest(buf: Buffer): RequestParse {
  if (buf.length < 5) return { kind: 'more' };
  if (buf[0] !== 0x05) return { kind: 'bad', reply: socksReply.generalFailure };
  const command = buf[1];
  const type = buf[3];
  let host: string;
  let offset: number;
  if (type === 0x01) {
    if (buf.length < 10) return { kind: 'more' };
    host = [...buf.subarray(4, 8)].join('.');
    offset = 8;
  } else if (type === 0x03) {
    const length = buf[4] ?? 0;
    if (buf.length < 5 + length + 2) return { kind: 'more' };
    host = buf.subarray(5, 5 + length).toString('latin1');
    offset = 5 + length;
  } else if (type === 0x04) {
    if (buf.length < 22) return { kind: 'more' };
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(4 + i).toString(16));
    host = groups.join(':');
    offset = 20;
  } else {
    return { kind: 'bad', reply: socksReply.addressTypeNotSupported };
  }
  if (command !== 0x01) return { kind: 'bad', reply: socksReply.commandNotSupported };
  if (host.length === 0) return { kind: 'bad', reply: socksReply.generalFailure };
  return { kind: 'connect', host, port: buf.readUInt16BE(offset), rest: buf.subarray(offset + 2) };
}

/** A reply with the bound address zeroed: clients of a CONNECT proxy do not use it. */
export function replyBytes(code: number): Buffer {
  return Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}
