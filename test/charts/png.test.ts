import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/charts/png.js';

describe('encodePng', () => {
  it('writes opaque pictures as RGB that decode to the same pixels', () => {
    const image = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="40"><rect width="64" height="40" fill="#16171b"/><circle cx="20" cy="20" r="13" fill="#e0a040"/></svg>').render();
    const png = encodePng(image.pixels, image.width, image.height);
    const decoded = PNG.sync.read(png);
    expect(png[25]).toBe(2); // colour type RGB
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: 64, height: 40 });
    expect(decoded.data.equals(PNG.sync.read(image.asPng()).data)).toBe(true);
  });

  it('keeps the alpha channel when a picture has transparency', () => {
    const rgba = new Uint8Array(3 * 2 * 4).fill(200);
    rgba[7] = 0;
    const png = encodePng(rgba, 3, 2);
    expect(png[25]).toBe(6); // colour type RGBA
    expect([...PNG.sync.read(png).data]).toEqual([...rgba]);
  });
});
