import { describe, expect, it } from 'vitest';
import type { ChartImage } from '../../src/charts/common.js';
import { renderClusterMap, type ClusterMapInput } from '../../src/charts/clusterMap.js';
import { clusterPortraitSvg, portraitInput, renderClusterPortrait } from '../../src/charts/clusterPortrait.js';
import { comparisonInput, featureComparisonSvg, renderFeatureComparison } from '../../src/charts/featureComparison.js';
import { renderSvg } from '../../src/charts/render.js';
import { svgDocument, text } from '../../src/charts/svg.js';
import { clusterColor, hex, THEME } from '../../src/charts/theme.js';
import { DEFAULT_FEATURE_SPEC } from '../../src/clustering/featureSpec.js';
import type { ClusterModel, TrackWithFeatures } from '../../src/types.js';
import { CATALOG_PROFILE, COMPARISON, MAP_FEATURES, MAP_LABELS, mapData, PORTRAIT } from './fixtures.js';
import { compareWithReference, decodePng, inkStats } from './imageCheck.js';
import { recommendationOf } from '../helpers/recommendation.js';

// Every picture from fixed input: decoded, sized, not blank, and matching its committed reference
// (see imageCheck.ts for the tolerance and for regenerating the references).

const MAX_BYTES = 150 * 1024;

function mapInput(): ClusterMapInput {
  const { vectors, clusters, centroids } = mapData();
  return { vectors, dimensions: 9, clusters, labels: MAP_LABELS, centroids, features: MAP_FEATURES };
}

const PICTURES: [string, () => ChartImage][] = [
  ['feature-comparison', () => renderFeatureComparison(COMPARISON)],
  ['cluster-portrait', () => renderClusterPortrait(PORTRAIT)],
  ['cluster-map', () => renderClusterMap(mapInput())],
];

describe.each(PICTURES)('%s', (name, render) => {
  it('is a PNG of at least 300 × 300 px and under 150 KB, opaque and not blank', () => {
    const picture = render();
    expect(picture.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const image = decodePng(picture.png);
    expect({ width: image.width, height: image.height }).toEqual({ width: picture.width, height: picture.height });
    expect(image.width).toBeGreaterThanOrEqual(300);
    expect(image.height).toBeGreaterThanOrEqual(300);
    expect(picture.png.length).toBeLessThan(MAX_BYTES);
    const stats = inkStats(image);
    expect(stats.opaque).toBe(true);
    expect(stats.colours).toBeGreaterThan(50);
    expect(stats.ink).toBeGreaterThan(0.05);
    expect(stats.ink).toBeLessThan(0.9);
    // The card is the theme's background, so it reads the same in Discord's dark and light themes.
    expect(hex(image.data.readUInt32BE(20 * image.width * 4 + 400 * 4) >>> 8)).toBe(THEME.background);
    expect(picture.alt.length).toBeGreaterThan(40);
    expect(picture.alt.length).toBeLessThanOrEqual(1000);
  });

  it('matches its reference image', () => {
    const result = compareWithReference(name, render().png);
    expect(result.ok, result.message).toBe(true);
  });

  it('renders the same bytes twice', () => {
    expect(render().png.equals(render().png)).toBe(true);
  });
});

describe('feature comparison', () => {
  it('describes both songs and every feature in its alt text, with units', () => {
    const { alt } = renderFeatureComparison(COMPARISON);
    expect(alt).toContain('"Stairway to Heaven - Remaster — Led Zeppelin" (asked)');
    expect(alt).toContain('"The Rain Song — Led Zeppelin" (pick)');
    expect(alt).toContain('energy 34% vs 41%');
    expect(alt).toContain('tempo 82 BPM vs 148 BPM');
    expect(alt).toContain('loudness −12.0 dB vs −10.6 dB');
  });

  it('builds its input from a recommendation and the model spec, in a listener order', () => {
    const track = (id: number, name: string, features: TrackWithFeatures['features']): TrackWithFeatures => ({
      id,
      spotifyId: `id${id}`,
      name,
      artists: ['Artist'],
      album: null,
      coverUrl: null,
      releaseYear: null,
      popularity: null,
      durationMs: null,
      features,
      featuresProvider: 'spotify',
    });
    const r = recommendationOf(track(1, 'Seed', COMPARISON.query.features), track(2, 'Pick', COMPARISON.pick.features), {
      query: 'stairway',
      cluster: { id: 4, label: 'acoustic', size: 10 },
    });
    const input = comparisonInput(r, DEFAULT_FEATURE_SPEC)!;
    expect(input.features).toEqual(['energy', 'danceability', 'valence', 'acousticness', 'instrumentalness', 'speechiness', 'liveness', 'tempo', 'loudness', 'durationMs']);
    expect(input.cluster).toBe(4);
    expect(input.query.name).toBe('Seed');
    expect(comparisonInput({ ...r, pick: { ...r.pick, features: null } }, DEFAULT_FEATURE_SPEC)).toBeNull();
  });

  it('draws one row per feature, skipping key and time signature', () => {
    const few = featureComparisonSvg({ ...COMPARISON, features: ['energy', 'tempo'] });
    const many = featureComparisonSvg(COMPARISON);
    expect(few.height).toBeLessThan(many.height);
    expect(featureComparisonSvg({ ...COMPARISON, features: ['energy', 'tempo', 'key' as 'energy'] }).height).toBe(few.height);
  });
});

describe('cluster portrait', () => {
  it('builds its input from a model', () => {
    const model = {
      id: 9,
      trackCount: 32_833,
      labels: ['a', 'b', 'c', PORTRAIT.label],
      profiles: [PORTRAIT.profile, PORTRAIT.profile, PORTRAIT.profile, PORTRAIT.profile],
      catalogProfile: CATALOG_PROFILE,
    } as unknown as ClusterModel;
    const input = portraitInput(model, 3, PORTRAIT.examples);
    expect(input).toMatchObject({ cluster: 3, label: PORTRAIT.label, size: 4_213, catalogSize: 32_833 });
    expect(() => portraitInput(model, 7, [])).toThrow(RangeError);
  });

  it('names the cluster, its size, its strongest traits and its songs in the alt text', () => {
    const { alt } = renderClusterPortrait(PORTRAIT);
    expect(alt).toContain('Cluster #3, "acoustic · calm · sad": 4,213 songs · 13% of the catalog');
    expect(alt).toContain('acoustic sound 66% (above typical)');
    expect(alt).toContain('"Skinny Love — Bon Iver"');
  });

  it('wraps a long label onto two lines and still renders without examples', () => {
    const long = 'lively · danceable · happy · loud · fast · major · electric · live feel';
    const one = clusterPortraitSvg(PORTRAIT);
    const two = clusterPortraitSvg({ ...PORTRAIT, label: long, examples: [] });
    expect(two.svg).toContain('lively');
    expect(two.height).toBeLessThan(one.height);
    expect(renderClusterPortrait({ ...PORTRAIT, label: long, examples: [] }).png.length).toBeGreaterThan(0);
  });

  it('skips features the catalog has no spread on', () => {
    const flat = { ...PORTRAIT, catalog: { ...CATALOG_PROFILE, stds: { ...CATALOG_PROFILE.stds, mode: 0 } } };
    expect(clusterPortraitSvg(flat).svg).not.toContain('major key');
    expect(clusterPortraitSvg(PORTRAIT).svg).toContain('major key');
  });
});

describe('cluster map', () => {
  it('labels every cluster, describes the axes and samples deterministically', () => {
    const input = mapInput();
    const a = renderClusterMap(input);
    expect(a.alt).toContain('Map of 6 clusters: 1,500 songs');
    for (const label of MAP_LABELS) expect(a.alt).toContain(label);
    expect(a.alt).toMatch(/Left to right: [a-z ,]+ to [a-z ,]+\./);
    const other = renderClusterMap({ ...input, seed: 2 });
    expect(other.png.equals(a.png)).toBe(false);
  });

  it('copes with one cluster, few points, many clusters and no feature names', () => {
    const { vectors, clusters } = mapData(4, 1);
    expect(renderClusterMap({ vectors, dimensions: 9, clusters, labels: ['all'] }).width).toBe(800);
    const many = mapData(20, 20);
    const picture = renderClusterMap({ vectors: many.vectors, dimensions: 9, clusters: many.clusters, labels: many.centroids.map((_, i) => `cluster ${i}`) });
    expect(picture.height).toBeGreaterThan(600);
    expect(picture.png.length).toBeLessThan(MAX_BYTES);
    expect(renderClusterMap({ vectors: new Float32Array(0), dimensions: 9, clusters: [], labels: [] }).png.length).toBeGreaterThan(0);
  });
});

describe('renderer', () => {
  const word = (family: string) =>
    svgDocument(300, 300, [`<rect width="300" height="300" fill="#000"/>`, text(20, 150, 'Sound', { size: 60, fill: '#fff' }).replace('<text ', `<text font-family="${family}" `)]);

  it('draws text with the bundled Inter whatever family an SVG asks for, never a system font', () => {
    const inter = renderSvg(word('Inter'), 300);
    expect(inkStats(decodePng(inter.png)).ink).toBeGreaterThan(0.02);
    for (const family of ['Arial', 'serif', 'DejaVu Sans', 'monospace']) expect(renderSvg(word(family), 300).png.equals(inter.png)).toBe(true);
  });

  it('scales to the asked width', () => {
    const small = renderSvg(word('Inter'), 600);
    expect({ width: small.width, height: small.height }).toEqual({ width: 600, height: 600 });
  });
});

describe('cluster colours', () => {
  it('are stable, distinct and stand out on the card', () => {
    const lum = (c: number) => {
      const [r, g, b] = [c >> 16, (c >> 8) & 255, c & 255].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const background = lum(Number.parseInt(THEME.background.slice(1), 16));
    const colours = Array.from({ length: 30 }, (_, i) => clusterColor(i));
    expect(new Set(colours).size).toBe(30);
    expect(clusterColor(7)).toBe(colours[7]);
    for (const c of colours) expect((lum(c) + 0.05) / (background + 0.05)).toBeGreaterThan(3);
  });
});
