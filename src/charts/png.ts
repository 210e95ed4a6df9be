import { promisify } from 'node:util';
import { deflate, deflateSync } from 'node:zlib';

// A minimal PNG encoder for rendered pictures. resvg's own encoder is no faster and its files
// are about a third larger: the pictures are flat colour with antialiased edges, which zlib
// compresses best unfiltered. Opaque pictures are written as RGB (colour type 2), others as RGBA.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const deflateAsync = promisify(deflate);

/** Encodes RGBA pixels (width × height × 4, not premultiplied) as a PNG. */
export function encodePng(rgba: Uint8Array, width: number, height: number, level = 4): Buffer {
  const { raw, header } = scanlines(rgba, width, height);
  return assemble(header, deflateSync(raw, { level }));
}

/** encodePng with the compression on libuv's thread pool, so a busy process keeps answering. */
export async function encodePngAsync(rgba: Uint8Array, width: number, height: number, level = 4): Promise<Buffer> {
  const { raw, header } = scanlines(rgba, width, height);
  return assemble(header, await deflateAsync(raw, { level }));
}

function assemble(header: Buffer, compressed: Buffer): Buffer {
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', compressed), chunk('IEND', Buffer.alloc(0))]);
}

/** Filter-type-0 scanlines (RGB when every pixel is opaque) and the IHDR payload. */
function scanlines(rgba: Uint8Array, width: number, height: number): { raw: Buffer; header: Buffer } {
  let opaque = true;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 255) {
      opaque = false;
      break;
    }
  }
  const channels = opaque ? 3 : 4;
  const stride = width * channels;
  const raw = Buffer.allocUnsafe((stride + 1) * height);
  let o = 0;
  let s = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    if (opaque) {
      for (let x = 0; x < width; x++, s += 4) {
        raw[o++] = rgba[s]!;
        raw[o++] = rgba[s + 1]!;
        raw[o++] = rgba[s + 2]!;
      }
    } else {
      raw.set(rgba.subarray(s, s + stride), o);
      o += stride;
      s += stride;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = opaque ? 2 : 6; // colour type: RGB or RGBA
  // compression, filter method, interlace: all 0
  return { raw, header };
}
