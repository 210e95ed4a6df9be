import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../src/import/importCsv.js';
import type { TrackInput } from '../src/types.js';
import { SHIPPED_PRIOR, workPrior } from '../src/catalog/search.js';
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

  it('answers a mistyped prefix as the corrected one, in the same order', () => {
    const ids = (query: string) => app.search.search(query, { prefix: true, limit: 2 }).map((h) => h.trackId);
    expect(ids('pinao man')).toEqual(ids('piano man'));
    expect(ids('hlao')).toEqual(ids('halo'));
    expect(ids('hlao')).toHaveLength(2);
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

describe('title search by work', () => {
  // Small catalogs where a famous title is shared: the original (often only as a remaster or a
  // new mix), covers titled exactly so, and other songs that happen to share the title.
  let app: TestApp;
  let next = 0;
  const add = (name: string, artists: string[], popularity: number | null, releaseYear: number | null) =>
    app.catalog.upsertTrack({ spotifyId: `work${String(next++).padStart(18, '0')}`, name, artists, popularity, releaseYear }, 'test').trackId;
  const firstFor = (query: string) => {
    const { hit } = app.search.resolve(query);
    return hit ? `${hit.name} — ${hit.artists[0]}` : null;
  };
  beforeAll(() => {
    app = createTestApp();
    // Queen's original, only as its remaster and its 2011 mix, against an exact-title cover.
    add('Bohemian Rhapsody - Remastered 2011', ['Queen'], 29, 1975);
    add('Bohemian Rhapsody - 2011 Mix', ['Queen'], 84, 1975);
    add("Don't Stop Me Now - Remastered 2011", ['Queen'], 80, 1978);
    add('Bohemian Rhapsody', ['Cover Band'], 62, 2016);
    add('Bohemian Rhapsody - Live', ['Cover Band'], 20, 2017);
    // An original whose popularity is unknown against a cover with one.
    add('Smells Like Teen Spirit', ['Nirvana'], null, 1991);
    add('Come As You Are', ['Nirvana'], 70, 1991);
    add('Lithium', ['Nirvana'], 65, 1991);
    add('Smells Like Teen Spirit', ['Jazz Trio'], 30, 2003);
    // Two different songs with one title: the earlier, better-known one first.
    add('Yesterday', ['The Beatles'], 75, 1965);
    add('Let It Be', ['The Beatles'], 80, 1970);
    add('Yesterday', ['Newcomer'], 40, 2018);
  });
  afterAll(() => app.dispose());

  it('weighs a remastered original as the work, against a cover titled exactly so', () => {
    expect(firstFor('bohemian rhapsody')).toMatch(/— Queen$/);
    // The work's version people play most is the one taken.
    expect(firstFor('bohemian rhapsody')).toBe('Bohemian Rhapsody - 2011 Mix — Queen');
  });

  it('offers the other works, one version each, as alternatives', () => {
    const { alternatives } = app.search.resolve('bohemian rhapsody');
    expect(alternatives?.map((h) => `${h.name} — ${h.artists[0]}`)).toEqual(['Bohemian Rhapsody — Cover Band', 'Bohemian Rhapsody - Live — Cover Band']);
  });

  it('does not count a missing popularity as a number', () => {
    expect(firstFor('smells like teen spirit')).toBe('Smells Like Teen Spirit — Nirvana');
  });

  it('prefers the earlier, better-known of two songs sharing a title', () => {
    expect(firstFor('yesterday')).toBe('Yesterday — The Beatles');
    expect(app.search.resolve('yesterday').alternatives?.map((h) => h.artists[0])).toEqual(['Newcomer']);
  });

  it('still finds the artist named beside the title, with no alternatives', () => {
    expect(firstFor('bohemian rhapsody cover band')).toBe('Bohemian Rhapsody — Cover Band');
    expect(firstFor('yesterday newcomer')).toBe('Yesterday — Newcomer');
    expect(app.search.resolve('yesterday newcomer').alternatives).toEqual([]);
    expect(app.search.resolve('Yesterday - The Beatles').hit?.artists).toEqual(['The Beatles']);
  });

  it('orders autocomplete the same way', () => {
    const typed = app.search.search('bohemian rhap', { prefix: true, limit: 3 }).map((h) => h.artists[0]);
    expect(typed[0]).toBe('Queen');
  });
});

describe('title search with a dataset\'s decades', () => {
  // An original known only from a compilation (2011) against a later namesake (1991) with more
  // popularity: the Spotify Hit Predictor files the original under the 1960s, so 2011 is a
  // re-release's year. The decade caps a later year; it is no year of its own.
  const original = '5t9KYe0Fhd5cW6UYT4qP8f';
  const namesake = '7x8dCjCr0x6x2lXKujYD34';
  const undated = '0aWMVrwxPNYkKmFthzmpRi';
  let app: TestApp;
  const firstFor = (query: string) => app.search.resolve(query).hit?.artists[0];
  const importRows = async (name: string, header: string, rows: string[]) => {
    const path = join(app.dir, name);
    writeFileSync(path, [header, ...rows].join('\n'));
    return importCsv(app.catalog, path);
  };
  beforeAll(async () => {
    app = createTestApp();
    await importRows('tidytuesday.csv', 'track_id,track_name,track_artist,track_popularity,track_album_release_date', [
      `${original},Good Vibrations,The Beach Boys,38,2011-01-01`,
      `${namesake},Good Vibrations,Marky Mark And The Funky Bunch,57,1991-07-01`,
      `${undated},Good Vibrations,Glee Cast,,`,
    ]);
  });
  afterAll(() => app.dispose());

  it('without decades, takes the earlier year the catalog knows', () => {
    expect(firstFor('good vibrations')).toBe('Marky Mark And The Funky Bunch');
  });

  it('reads a later album year as a re-release once a dataset files the recording under an earlier decade', async () => {
    const report = await importRows('hits.csv', 'track_id,track,artist,decade', [
      `${original},Good Vibrations,The Beach Boys,1960s`,
      `${namesake},Good Vibrations,Marky Mark And The Funky Bunch,1990s`,
      `${undated},Good Vibrations,Glee Cast,2010s`,
    ]);
    expect(report.tracksAdded).toBe(0);
    expect(firstFor('good vibrations')).toBe('The Beach Boys');
    // The year shown stays the one the data gives.
    expect(app.search.resolve('good vibrations').hit?.releaseYear).toBe(2011);
    const decades = app.database.sqlite.prepare("SELECT value FROM track_labels WHERE kind = 'decade' ORDER BY value").pluck().all();
    expect(decades).toEqual(['1960s', '1990s', '2010s']);
  });
});

describe('the prior of a song', () => {
  const signals = { popularity: 0.5, earliness: 1, versions: 0.5, artistPresence: 0.5, artistPopularity: 0.5 };
  it('leaves unknown signals out of its mean instead of counting them as a value', () => {
    expect(workPrior({ ...signals, popularity: null })).toBeGreaterThan(workPrior({ ...signals, popularity: 0 }));
    expect(workPrior({ ...signals, popularity: null })).toBeLessThan(workPrior({ ...signals, popularity: 1 }));
  });

  it('stays within its weight', () => {
    const top = { popularity: 1, earliness: 1, versions: 1, artistPresence: 1, artistPopularity: 1 };
    expect(workPrior(top)).toBeCloseTo(SHIPPED_PRIOR.weight);
    expect(workPrior({ popularity: null, earliness: null, versions: 0, artistPresence: 0, artistPopularity: null })).toBe(0);
  });
});

describe('name search hits', () => {
  it('keep every artist as stored: quotes, backslashes, several artists', () => {
    const app = createTestApp();
    try {
      const artistLists = [['Weird "Al" Yankovic'], ['Back\\slash'], ['Shawn Mendes', 'Camila Cabello'], ['Plain']];
      artistLists.forEach((artists, i) => app.catalog.upsertTrack({ spotifyId: `ar${String(i).padStart(20, '0')}`, name: `Amish Song ${i}`, artists, popularity: 10 }, 'test'));
      const found = app.search.search('amish song', { prefix: true }).map((h) => h.artists);
      expect(found).toHaveLength(artistLists.length);
      expect(found).toEqual(expect.arrayContaining(artistLists));
    } finally {
      app.dispose();
    }
  });
});

describe('type-ahead on a title many tracks share', () => {
  // Autocomplete leaves out titles that start with the query when 25 exact titles certainly
  // outrank them: what it offers must be what a longer list (which leaves nothing out) starts with.
  let app: TestApp;
  beforeAll(() => {
    app = createTestApp();
    let next = 0;
    const add = (name: string, artists: string[], popularity: number | null, releaseYear: number | null = null) =>
      app.catalog.upsertTrack({ spotifyId: `tah${String(next++).padStart(19, '0')}`, name, artists, popularity, releaseYear }, 'test');
    for (let i = 0; i < 40; i++) add('Sun', [`Band ${i}`], (i * 7) % 60, 1990 + (i % 20));
    // Titles that start with the exact one, and some that can still reach it: a live take (its
    // base title is exact), a new mix (its work is), an artist whose name is the query.
    for (let i = 0; i < 60; i++) add(`Sun ${['Baby', 'King', 'Rise', 'Fire'][i % 4]} ${i}`, [`Singer ${i % 9}`], i % 50);
    add('Sun - Live', ['Band 3'], 90, 1985);
    add('Sun (Live at Home)', ['Famous'], 95, 1970);
    add('Sun - 2011 Mix', ['Band 7'], 70, 1980);
    add('Sun King', ['Sun'], 40);
    add('Sunday', ['Sun Sun'], 80);
    add('Sun Sun', ['Sun'], 10);
    for (let i = 0; i < 12; i++) add(`Other ${i}`, ['Band 3'], 50); // Band 3 is well known
  });
  afterAll(() => app.dispose());
  const ids = (query: string, limit: number) => app.search.search(query, { prefix: true, limit }).map((h) => `${h.trackId}:${h.score}`);

  it.each(['sun', 'Sun ', 'the sun', 'sun band', 'sun sun', 'sun b'])('offers for "%s" the start of the full list', (query) => {
    const full = ids(query, 120);
    expect(full.length).toBeGreaterThan(25);
    expect(ids(query, 25)).toEqual(full.slice(0, 25));
    expect(ids(query, 5)).toEqual(full.slice(0, 5));
  });
});
