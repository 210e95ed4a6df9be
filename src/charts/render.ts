import { renderAsync, Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { FONT_FAMILY, fontFiles } from './fonts.js';
import { encodePng, encodePngAsync } from './png.js';

// SVG → PNG with resvg (its binary ships inside its npm package). Only the bundled Inter faces
// are loaded, never the system's fonts, so a picture is the same bytes on every machine.
//
// The options are built once. resvg-js 2.6 has no way to keep a font database between renders;
// loading the three faces costs about 0.3 ms of each render (measured), so there is nothing worth
// caching beyond the resolved paths. What costs time is shaping and filling glyphs (~15 µs a
// character, so the charts keep their text short) and PNG encoding, done by ./png.ts: as fast as
// resvg's encoder and a third smaller.

export interface RenderedPicture {
  png: Buffer;
  width: number;
  height: number;
}

let options: ResvgRenderOptions | null = null;

function baseOptions(): ResvgRenderOptions {
  options ??= {
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      defaultFontSize: 16,
    },
    shapeRendering: 2,
    textRendering: 1,
    languages: ['en'],
    logLevel: 'off',
  };
  return options;
}

/** Renders an SVG document to PNG, scaled to `width` pixels wide (height follows the aspect ratio). */
export function renderSvg(svg: string, width: number): RenderedPicture {
  const image = new Resvg(svg, { ...baseOptions(), fitTo: { mode: 'width', value: Math.round(width) } }).render();
  return { png: encodePng(image.pixels, image.width, image.height), width: image.width, height: image.height };
}

export function renderPng(svg: string, width: number): Buffer {
  return renderSvg(svg, width).png;
}

/**
 * renderSvg off the main thread: resvg draws on libuv's thread pool and zlib compresses there too,
 * so the bot keeps answering interactions while pictures render.
 */
export async function renderSvgAsync(svg: string, width: number): Promise<RenderedPicture> {
  const image = await renderAsync(svg, { ...baseOptions(), fitTo: { mode: 'width', value: Math.round(width) } });
  return { png: await encodePngAsync(image.pixels, image.width, image.height), width: image.width, height: image.height };
}
