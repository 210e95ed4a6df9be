import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackInput } from '../src/types.js';
import { createTestApp, type TestApp } from './helpers/app.js';

const tracks: [string, string[], number][] = [
  ['Piano Man', ['Billy Joel'], 80],
  ['Piano Man', ['G-Unit'], 20],
  ['The Piano Has Been Drinking', ['Tom Waits'], 30],
  ['Halo', ['Beyoncé'], 85],
  ['Halo', ['Depeche Mode'], 40],
  ['Bohemian Rhapsody', ['Queen'], 90],
  ['Rapsody Cypher', ['Rapsody'], 10],
  ['Señorita', ['Shawn Mendes', 'Camila Cabello'], 88],
  ["Don't Stop Me Now", ['Queen'], 84],
  ['100% Pure Love', ['Crystal Waters'], 50],
  ['OR', ['AND'], 5],
];

describe('name search', () => {
  let app: TestApp;
  beforeAll(() => {
    app = createTestApp();
    tracks.forEach(([name, artists, popularity], i) => {
      const input: TrackInput = { spotifyId: `id${String(i).padStart(20, '0')}`, name, artists, popularity };
      app.catalog.upsertTrack(input, 'test');
    });
  });
  afterAll(() => app.dispose());
  const best = (query: string) => {
    const { hit } = app.search.resolve(query);
    return hit ? `${hit.name} — ${hit.artists[0]}` : null;
  };

  it.each([
    ['piano man', 'Piano Man — Billy Joel'],
    ['PIANO MAN', 'Piano Man — Billy Joel'],
    ['Piano Man - Billy Joel', 'Piano Man — Billy Joel'],
    ['billy joel piano man', 'Piano Man — Billy Joel'],
    ['Piano Man by Billy Joel', 'Piano Man — Billy Joel'],
    ['piano man g-unit', 'Piano Man — G-Unit'],
    ['halo beyonce', 'Halo — Beyoncé'],
    ['Beyoncé Halo', 'Halo — Beyoncé'],
    ['halo depeche', 'Halo — Depeche Mode'],
    ['senorita', 'Señorita — Shawn Mendes'],
    ['señorita camila', 'Señorita — Shawn Mendes'],
    ['dont stop me now', "Don't Stop Me Now — Queen"],
    ['bohemian rapsody', 'Bohemian Rhapsody — Queen'],
    ['pianno man', 'Piano Man — Billy Joel'],
    ['bohemian rhaps', 'Bohemian Rhapsody — Queen'],
  ])('"%s" finds %s', (query, expected) => {
    expect(best(query)).toBe(expected);
  });

  it('answers type-ahead from a prefix', () => {
    expect(app.search.search('bohem', { prefix: true }).map((h) => h.name)).toEqual(['Bohemian Rhapsody']);
    expect(app.search.search('pian', { prefix: true, limit: 2 }).map((h) => h.name)).toEqual(['Piano Man', 'Piano Man']);
  });

  it('treats FTS syntax and punctuation as plain words', () => {
    for (const query of ['"', 'OR', 'NEAR(a b)', '*', 'a:b', '100%', "'; DROP TABLE tracks; --", '%_\\', '(', '-']) {
      expect(() => app.search.resolve(query)).not.toThrow();
    }
    expect(best('or and')).toBe('OR — AND');
    expect(best('100% pure love')).toBe('100% Pure Love — Crystal Waters');
    expect(app.catalog.counts().tracks).toBe(tracks.length);
  });

  it('offers the closest names when not every word matches', () => {
    const { hit, suggestions } = app.search.resolve('piano queen xylophone');
    expect(hit).toBeNull();
    expect(suggestions.map((s) => s.name)).toEqual(expect.arrayContaining(['Piano Man', 'Bohemian Rhapsody']));
  });

  it('finds nothing for nothing', () => {
    expect(app.search.resolve('   ')).toEqual({ hit: null, suggestions: [] });
    expect(app.search.resolve('zzzzqqqq')).toEqual({ hit: null, suggestions: [] });
  });
});
