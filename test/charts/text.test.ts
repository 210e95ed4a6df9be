import { describe, expect, it } from 'vitest';
import { clusterMapSvg, renderClusterMap } from '../../src/charts/clusterMap.js';
import { clusterPortraitSvg, renderClusterPortrait } from '../../src/charts/clusterPortrait.js';
import { featureComparisonSvg, renderFeatureComparison } from '../../src/charts/featureComparison.js';
import { barPosition, formatMean, formatValue } from '../../src/charts/featureScale.js';
import { canDraw, drawableText, fitText, textWidth } from '../../src/charts/fonts.js';
import { escapeXml, num, text } from '../../src/charts/svg.js';
import { COMPARISON, MAP_FEATURES, MAP_LABELS, mapData, PORTRAIT } from './fixtures.js';
import { decodePng } from './imageCheck.js';

// Names come from users and datasets: whatever they hold, the SVG stays well-formed, nothing in
// them becomes markup, and the picture still renders.

const HOSTILE = [
  '<script>alert(1)</script>',
  '</text><image href="file:///etc/passwd"/><text>',
  'AC/DC & "Friends" \'n\' <Others>',
  ']]><![CDATA[ x ]]>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
  '&amp; &#60; &lt; &#x3C;',
  '🔥🎶 Fire 👩‍👩‍👧‍👦',
  '夜に駆ける — YOASOBI',
  'Lemon (レモン) 米津玄師',
  'Control\u0000chars\u0007and\u001b[31m\uFFFE\uD800 lone surrogate',
  'Line\nbreaks\r\nand\ttabs\u2028here',
  '\u202Eright-to-left override',
  'x'.repeat(500),
  'Ω'.repeat(500),
];

const MARKUP = /<(script|image|!DOCTYPE|!ENTITY|\?xml|!\[CDATA)/i;

/** The element names an SVG uses: whatever a name holds, only the charts' own elements may appear. */
function elementNames(svg: string): Set<string> {
  return new Set(Array.from(svg.matchAll(/<\/?([^\s>/]+)/g), (m) => m[1]!));
}

const OWN_ELEMENTS = new Set(['svg', 'rect', 'text', 'tspan', 'circle', 'path', 'g']);

describe('escaping', () => {
  it('escapes the five XML characters and drops characters XML cannot hold', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
    expect(escapeXml(']]>')).toBe(']]&gt;');
    expect(escapeXml('a\u0000b\u0008c\uFFFEd\uD800e\uDC00f')).toBe('abcdef');
    expect(escapeXml('tab\tnewline\n😀')).toBe('tab\tnewline\n😀');
  });

  it('escapes text content and attribute values in elements', () => {
    const svg = text(1, 2, '</text><script>', { size: 10, fill: '"><script>' });
    expect(svg).toBe('<text x="1" y="2" font-size="10" font-weight="400" fill="&quot;&gt;&lt;script&gt;">&lt;/text&gt;&lt;script&gt;</text>');
  });

  it('writes numbers plainly', () => {
    expect([num(1.005), num(-0.001), num(Number.NaN), num(12.345), num(800)]).toEqual(['1', '0', '0', '12.35', '800']);
  });
});

describe('drawable text', () => {
  it('keeps Latin, Greek and Cyrillic, and turns each run Inter lacks into one □', () => {
    expect(drawableText('Beyonce\u0301 · Привет · Ωμέγα · Ærø')).toBe('Beyoncé · Привет · Ωμέγα · Ærø');
    expect(drawableText('夜に駆ける')).toBe('□');
    expect(drawableText('Lemon (レモン)')).toBe('Lemon (□)');
    expect(drawableText('👩‍👩‍👧 family')).toBe('□ family');
    expect(drawableText('a\u0000b\nc\u200Bd\u202Ee')).toBe('a b cde');
    expect(canDraw(0x25a1)).toBe(true);
  });

  it('cuts text to a width with an ellipsis', () => {
    const cut = fitText('x'.repeat(500), 300, 24);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 24)).toBeLessThanOrEqual(300);
    expect(fitText('short', 300, 24)).toBe('short');
    expect(fitText('anything', 1, 24)).toBe('…');
  });
});

describe('hostile names', () => {
  it.each(HOSTILE)('are escaped and rendered in every picture: %s', (name) => {
    const comparison = { ...COMPARISON, query: { ...COMPARISON.query, name, artists: [name] }, pick: { ...COMPARISON.pick, name } };
    const portrait = { ...PORTRAIT, label: name, examples: [{ name, artists: [name] }, ...PORTRAIT.examples] };
    const { vectors, clusters, centroids } = mapData(30);
    const map = { vectors, dimensions: 9, clusters, centroids, features: MAP_FEATURES, labels: [name, ...MAP_LABELS.slice(1)] };

    for (const svg of [featureComparisonSvg(comparison).svg, clusterPortraitSvg(portrait).svg, clusterMapSvg(map).svg]) {
      expect(svg).not.toMatch(MARKUP);
      expect([...elementNames(svg)].filter((e) => !OWN_ELEMENTS.has(e))).toEqual([]);
      if (name.includes('<')) expect(svg).toContain('&lt;');
    }

    for (const picture of [renderFeatureComparison(comparison), renderClusterPortrait(portrait), renderClusterMap(map)]) {
      const image = decodePng(picture.png);
      expect(image.width).toBe(800);
      expect(picture.png.length).toBeLessThan(150 * 1024);
      expect(picture.alt.length).toBeLessThanOrEqual(1000);
      // eslint-disable-next-line no-control-regex
      expect(picture.alt).not.toMatch(/[\u0000-\u001F]/);
    }
  });

  it('keep their real characters in the alt text', () => {
    const name = '夜に駆ける';
    const { alt } = renderFeatureComparison({ ...COMPARISON, pick: { ...COMPARISON.pick, name, artists: ['YOASOBI'] } });
    expect(alt).toContain('"夜に駆ける — YOASOBI" (pick)');
  });
});

describe('feature scales', () => {
  it('place values on a bar and print them in their unit', () => {
    expect(barPosition('energy', 0.7)).toBeCloseTo(0.7);
    expect(barPosition('energy', 1.3)).toBe(1);
    expect(barPosition('tempo', 100)).toBeCloseTo(0.5);
    expect(barPosition('tempo', 260)).toBe(1);
    expect(barPosition('loudness', -15)).toBeCloseTo(0.5);
    expect(barPosition('loudness', -45)).toBe(0);
    expect(barPosition('energy', Number.NaN)).toBe(0);
    expect(formatValue('loudness', -6.14)).toBe('−6.1 dB');
    expect(formatValue('tempo', 127.6)).toBe('128 BPM');
    expect(formatValue('valence', 0.333)).toBe('33%');
    expect(formatValue('mode', 0)).toBe('minor');
    expect(formatMean('mode', 0.714)).toBe('71%');
  });
});
