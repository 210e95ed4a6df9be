// A tiny SVG writer for the charts. Every attribute value and every text node goes through
// escapeXml, so a track called `</text><script>` or `]]>` is drawn as those characters and can
// never add markup. Numbers are rounded so the same input always gives the same bytes.

/** Characters XML 1.0 forbids (C0 controls except tab/newline/CR, U+FFFE/U+FFFF, lone surrogates). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text made safe for an XML attribute or text node: escaped, and without characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with at most two decimals and no "-0"; NaN and infinities become 0. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export type AttrValue = string | number | null | undefined | false;
export type Attrs = Record<string, AttrValue>;

function attributes(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    // Attribute names are always ours (literals in this module's callers); values may not be.
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** An element; `children` is markup already built with these helpers (never raw outside text). */
export function el(name: string, attrs: Attrs, children?: string | string[]): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner == null || inner === '' ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${inner}</${name}>`;
}

export type FontWeight = 400 | 600 | 700;

export interface TextStyle {
  size: number;
  weight?: FontWeight;
  fill: string;
  anchor?: 'start' | 'middle' | 'end';
  /** A halo in this colour behind the glyphs, for labels drawn over points. */
  halo?: string;
  opacity?: number;
}

/** A single line of text at a baseline; `content` is plain text and is escaped here. */
export function text(x: number, y: number, content: string, style: TextStyle): string {
  return el(
    'text',
    {
      x,
      y,
      'font-size': style.size,
      'font-weight': style.weight ?? 400,
      fill: style.fill,
      'text-anchor': style.anchor && style.anchor !== 'start' ? style.anchor : null,
      stroke: style.halo ?? null,
      'stroke-width': style.halo ? Math.max(2, style.size / 5) : null,
      'stroke-linejoin': style.halo ? 'round' : null,
      'paint-order': style.halo ? 'stroke' : null,
      opacity: style.opacity ?? null,
    },
    escapeXml(content),
  );
}

export function rect(x: number, y: number, width: number, height: number, attrs: Attrs = {}): string {
  return el('rect', { x, y, width: Math.max(0, width), height: Math.max(0, height), ...attrs });
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: Attrs = {}): string {
  return el('line', { x1, y1, x2, y2, ...attrs });
}

export function circle(cx: number, cy: number, r: number, attrs: Attrs = {}): string {
  return el('circle', { cx, cy, r, ...attrs });
}

/** The root element; `font-family` is set once here, and the renderer loads only that family. */
export function svgDocument(width: number, height: number, body: string[]): string {
  return el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': 'Inter' },
    body,
  );
}
