import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

// Draws the app icon (the renderer's favicon.svg: a blue rounded square with a white "K") at
// every size the packaging targets need, and writes the PNG set, the Windows .ico and the
// macOS .icns into resources/. No image tools needed; output is byte-for-byte reproducible.
//   node scripts/generate-icons.ts [out-dir]

const blue = [0x2f, 0x6f, 0xed] as const;
/** favicon.svg's geometry in its 32×32 box. */
const cornerRadius = 7;
const strokeHalfWidth = 1.6;
const strokes: ReadonlyArray<readonly [number, number, number, number]> = [
  [10, 8, 10, 24],
  [10, 16, 19, 8],
  [13.5, 13, 20, 24],
];

function roundedSquareDistance(x: number, y: number): number {
  const qx = Math.abs(x - 16) - (16 - cornerRadius);
  const qy = Math.abs(y - 16) - (16 - cornerRadius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - cornerRadius;
}

function segmentDistance(x: number, y: number, [ax, ay, bx, by]: readonly [number, number, number, number]): number {
  const [px, py, dx, dy] = [x - ax, y - ay, bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy);
}

/** Coverage 0..1 from a signed distance, anti-aliased over one output pixel. */
const coverage = (distance: number, pixel: number) => Math.max(0, Math.min(1, 0.5 - distance / pixel));

export function drawIcon(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const pixel = 32 / size;
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (column + 0.5) * pixel;
      const y = (row + 0.5) * pixel;
      const alpha = coverage(roundedSquareDistance(x, y), pixel);
      const glyph = coverage(Math.min(...strokes.map((segment) => segmentDistance(x, y, segment))) - strokeHalfWidth, pixel);
      const offset = (row * size + column) * 4;
      for (let channel = 0; channel < 3; channel++) pixels[offset + channel] = Math.round(blue[channel]! + (255 - blue[channel]!) * glyph);
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let row = 0; row < size; row++) rgba.copy(rows, row * (size * 4 + 1) + 1, row * size * 4, (row + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Windows .ico with PNG-compressed entries (Vista and later); 256 is written as 0. */
export function encodeIco(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

/** The PNG-carrying .icns types by pixel size. */
export const icnsTypes: Readonly<Record<number, string>> = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };

export function encodeIcns(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const elements = images.map(({ size, png }) => {
    const head = Buffer.alloc(8);
    head.write(icnsTypes[size]!, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + elements.reduce((total, element) => total + element.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}

export const linuxIconSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;
export const icnsSizes = [16, 32, 64, 128, 256, 512, 1024] as const;

export function writeIcons(outDir: string): string[] {
  const png = new Map<number, Buffer>();
  const pngOf = (size: number) => png.get(size) ?? png.set(size, encodePng(size, drawIcon(size))).get(size)!;
  const written: string[] = [];
  const write = (relative: string, data: Buffer) => {
    mkdirSync(join(outDir, relative, '..'), { recursive: true });
    writeFileSync(join(outDir, relative), data);
    written.push(relative);
  };
  write('icon.png', pngOf(1024));
  for (const size of linuxIconSizes) write(`icons/${size}x${size}.png`, pngOf(size));
  write('icon.ico', encodeIco(icoSizes.map((size) => ({ size, png: pngOf(size) }))));
  write('icon.icns', encodeIcns(icnsSizes.map((size) => ({ size, png: pngOf(size) }))));
  return written;
}

if (import.meta.main) {
  const outDir = process.argv[2] ?? join(import.meta.dirname, '..', 'resources');
  for (const file of writeIcons(outDir)) console.log(join(outDir, file));
}
