/**
 * A minimal PNG reader for screenshot checks: 8-bit RGB or RGBA, not interlaced (what Chromium
 * writes). Returns the pixels so a test can count colours.
 */
import { inflateSync } from 'node:zlib';

export interface Image {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes per pixel. */
  readonly rgba: Uint8Array;
}

export function readPng(data: Buffer): Image {
  if (data.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [bitDepth, colourType, , , interlace] = body.subarray(8, 13);
      if (bitDepth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6))
        throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
      channels = colourType === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[y * stride + i - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const upLeft = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
      let value = line[i];
      if (filter === 1) value += left;
      else if (filter === 2) value += up;
      else if (filter === 3) value += (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value += pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + i] = value & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba.set(pixels.subarray(p * channels, p * channels + 3), p * 4);
    rgba[p * 4 + 3] = channels === 4 ? pixels[p * channels + 3] : 255;
  }
  return { width, height, rgba };
}

/** Pixels within `tolerance` of a `#rrggbb` colour. */
export function countColour(image: Image, hex: string, tolerance = 24): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let p = 0; p < image.width * image.height; p++) {
    const o = p * 4;
    if (
      Math.abs(image.rgba[o] - r) <= tolerance &&
      Math.abs(image.rgba[o + 1] - g) <= tolerance &&
      Math.abs(image.rgba[o + 2] - b) <= tolerance
    )
      count++;
  }
  return count;
}

/** Distinct rows holding a `#rrggbb` colour within columns [fromX, toX) and rows [fromY, toY). */
export function rowsWithColour(
  image: Image,
  hex: string,
  area: { fromX: number; toX: number; fromY: number; toY: number },
  tolerance = 24,
): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let rows = 0;
  for (let y = area.fromY; y < Math.min(area.toY, image.height); y++) {
    for (let x = area.fromX; x < Math.min(area.toX, image.width); x++) {
      const o = (y * image.width + x) * 4;
      if (
        Math.abs(image.rgba[o] - r) <= tolerance &&
        Math.abs(image.rgba[o + 1] - g) <= tolerance &&
        Math.abs(image.rgba[o + 2] - b) <= tolerance
      ) {
        rows++;
        break;
      }
    }
  }
  return rows;
}
