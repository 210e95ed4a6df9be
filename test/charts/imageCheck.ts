import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

// Reference-image comparison for the chart tests.
//
// The committed references live in test/charts/reference/. After a deliberate change to a
// picture, look at the new PNGs and regenerate the references with
//
//   UPDATE_REFERENCE_IMAGES=1 npx vitest run test/charts
//
// then review the images in the diff before committing them. A mismatch writes the actual
// image and a diff image (changed pixels in red) to a temporary folder named in the failure.

export const REFERENCE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'reference');
const UPDATE = process.env.UPDATE_REFERENCE_IMAGES === '1';

/**
 * Tolerances: pixelmatch's per-pixel colour threshold (0.1 of its YIQ scale) with antialiased
 * pixels ignored absorbs rasteriser noise between CPUs, and at most 0.05% of the pixels (about
 * 250 of an 800 × 634 picture) may differ beyond that. Measured on the comparison picture: other
 * font weight 3,900 pixels, every text 0.3 px to the right 680, one label 2 px lower 330 (all
 * caught); one digit changed 140, a bar 3 px longer 40 (let through).
 */
const PIXEL_THRESHOLD = 0.1;
const MAX_DIFF_SHARE = 0.0005;

export interface Decoded {
  width: number;
  height: number;
  data: Buffer;
}

export function decodePng(png: Buffer): Decoded {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height, data: image.data };
}

/**
 * Share of pixels that differ from the background (by default the pixel at 20, 20, inside the
 * card's margin), the number of distinct colours, and whether every pixel is opaque.
 */
export function inkStats(image: Decoded, background = image.data.readUInt32BE((20 * image.width + 20) * 4)): { ink: number; colours: number; opaque: boolean } {
  const { data } = image;
  const bg = background;
  let ink = 0;
  let opaque = true;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) {
    const px = data.readUInt32BE(i);
    if (px !== bg) ink++;
    if (data[i + 3] !== 255) opaque = false;
    if (colours.size < 10_000) colours.add(px);
  }
  return { ink: ink / (data.length / 4), colours: colours.size, opaque };
}

export interface Comparison {
  ok: boolean;
  message: string;
}

/** Compares a rendered PNG with the committed reference `name`.png (or rewrites it when updating). */
export function compareWithReference(name: string, png: Buffer): Comparison {
  const path = join(REFERENCE_DIR, `${name}.png`);
  if (UPDATE) {
    mkdirSync(REFERENCE_DIR, { recursive: true });
    writeFileSync(path, png);
    return { ok: true, message: `updated ${path}` };
  }
  if (!existsSync(path)) {
    return { ok: false, message: `no reference image ${path}; create it with UPDATE_REFERENCE_IMAGES=1 npx vitest run test/charts` };
  }
  const expected = decodePng(readFileSync(path));
  const actual = decodePng(png);
  if (expected.width !== actual.width || expected.height !== actual.height) {
    return { ok: false, message: `${name}: size ${actual.width}×${actual.height}, reference ${expected.width}×${expected.height}` };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const changed = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: PIXEL_THRESHOLD, includeAA: false });
  const share = changed / (actual.width * actual.height);
  if (share <= MAX_DIFF_SHARE) return { ok: true, message: `${name}: ${changed} pixels differ` };
  const out = mkdtempSync(join(tmpdir(), `chart-${name}-`));
  writeFileSync(join(out, `${name}.actual.png`), png);
  writeFileSync(join(out, `${name}.diff.png`), PNG.sync.write(diff));
  return {
    ok: false,
    message: `${name}: ${changed} pixels (${(share * 100).toFixed(2)}%) differ from the reference (limit ${MAX_DIFF_SHARE * 100}%); actual and diff in ${out}`,
  };
}
