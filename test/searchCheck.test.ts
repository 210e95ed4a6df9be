import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSearch, creditedTo, searchCheckLines } from '../src/eval/searchCheck.js';
import { chartedTitles, chartedTop1 } from '../src/eval/searchTuning.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// The search check of `npm run eval` on a hand-made catalog (the real figure is eval's, on the
// shared datasets): famous titles typed alone, and titles whose charting song the files name.

const id = (n: number) => `check${String(n).padStart(17, '0')}`;

describe('search check', () => {
  let app: TestApp;
  beforeAll(() => {
    app = createTestApp();
    const tracks: [string, string[], number | null, number | null][] = [
      ['Hey Jude - Remastered 2015', ['The Beatles'], 70, 1968],
      ['Let It Be', ['The Beatles'], 75, 1970],
      ['Hey Jude', ['Soul Singer'], 40, 1969],
      ['Africa', ['TOTO'], 80, 1982],
      ['Africa', ['Rock Band'], 65, 2019],
      ['Lonely Song', ['Nobody Known'], 90, 2019],
      ['Lonely Song', ['Somebody'], 10, 2001],
    ];
    tracks.forEach(([name, artists, popularity, releaseYear], i) => app.catalog.upsertTrack({ spotifyId: id(i), name, artists, popularity, releaseYear }, 'test'));
  });
  afterAll(() => app.dispose());

  it('counts the first hit by the original artist and lists the misses', () => {
    const songs = [
      { title: 'Hey Jude', artist: 'The Beatles' },
      { title: 'Africa', artist: 'Toto' },
      { title: 'Not In The Catalog', artist: 'Anyone' },
    ];
    const check = checkSearch(app.search, songs, { datasets: ['fixture'], catalogTracks: 7 });
    expect(check).toMatchObject({ songs: 3, top1: 2, passed: false, target: 0.95 });
    expect(check.misses).toEqual([{ title: 'Not In The Catalog', expected: 'Anyone', found: null }]);
    const lines = searchCheckLines(check).join('\n');
    expect(lines).toContain('| 3 | 2 (66.7 %) | 95.0 % | MISS |');
    expect(lines).toContain('- "Not In The Catalog" (Anyone) → nothing found');
  });

  it('takes a credit with featured artists after the expected one, not another artist who starts alike', () => {
    expect(creditedTo('jay z', 'jay z and alicia keys')).toBe(true);
    expect(creditedTo('santana', 'santana featuring rob thomas')).toBe(true);
    expect(creditedTo('queen', 'queen latifah')).toBe(false);
  });

  it('finds the titles the datasets answer themselves: one charting song beside songs that never charted', async () => {
    const musicoset = join(app.dir, 'musicoset.csv');
    const hits = join(app.dir, 'hits.csv');
    writeFileSync(musicoset, `track_id,track_name\n${id(4)},Africa\n`);
    // Somebody's "Lonely Song" charted; Nobody Known's did not (target 0).
    writeFileSync(hits, `track_id,track,target\n${id(6)},Lonely Song,1\n${id(5)},Lonely Song,0\n`);
    const titles = await chartedTitles(app, { musicoset, hitPredictor: hits }, new Set(['hey jude']));
    expect(titles).toEqual([
      { query: 'africa', artist: 'rock band' },
      { query: 'lonely song', artist: 'somebody' },
    ]);
    // Neither is found first: the charting covers lose to the better-known songs of their title.
    expect(chartedTop1(app.search, titles)).toBe(0);
  });
});
