import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, SERVING_MEMORY } from '../src/catalog/database.js';
import { PickCounts } from '../src/recommender/pickCounts.js';
import { tempDir } from './helpers/app.js';

// What the long-running bot holds: SQLite's share, and the hub guard's counts.

describe('memory', () => {
  const temp = tempDir();
  afterAll(() => temp.dispose());

  it('opens the bot\'s catalog without memory-mapped reads and with a bounded page cache', () => {
    const database = openDatabase(join(temp.dir, 'serving.db'), SERVING_MEMORY);
    expect(database.sqlite.pragma('mmap_size', { simple: true })).toBe(0);
    expect(database.sqlite.pragma('cache_size', { simple: true })).toBe(-SERVING_MEMORY.cacheKib);
    database.close();
  });

  it('counts each song asked once per pick, whatever the size of the IDs', () => {
    const counts = new PickCounts(1);
    for (const [seed, pick] of [[1, 10], [1, 10], [2, 10], [3, 11], [2 ** 40, 10], [2 ** 40, 10], [5, 2 ** 30], [6, 2 ** 30]] as const) counts.record(0, seed, pick);
    expect(counts.picks(10)).toBe(3);
    expect(counts.picks(11)).toBe(1);
    expect(counts.picks(2 ** 30)).toBe(2);
    expect(counts.size).toBe(6);
  });
});
