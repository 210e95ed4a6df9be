import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/clustering/random.js';
import { StringTable } from '../src/catalog/stringTable.js';

// The import's memory of every Spotify ID and song key of its file (src/catalog/trackBatch.ts).

describe('StringTable', () => {
  it('answers as a Map would, through growth, for short, long, empty and non-Latin keys', () => {
    const random = seededRandom(7);
    const alphabet = ['a', 'b', 'é', 'ß', '日', '本', '🎵', '|', ' '];
    const table = new StringTable();
    const map = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      // Few letters and short keys: many repeats and many keys of one length.
      const length = Math.floor(random() * (i % 10 === 0 ? 80 : 5));
      let key = '';
      for (let c = 0; c < length; c++) key += alphabet[Math.floor(random() * alphabet.length)]!;
      const expected = map.get(key) ?? -1;
      if (expected < 0) map.set(key, i);
      expect(table.getOrAdd(key, i)).toBe(expected);
    }
    expect(table.size).toBe(map.size);
    expect(map.size).toBeGreaterThan(10_000);
  });

  it('tells apart keys whose hashes collide', () => {
    const table = new StringTable();
    // Every key lands in a table of 4,096 slots: equal hashes are compared character by character.
    const keys = Array.from({ length: 3_000 }, (_, i) => `key-${i}`);
    keys.forEach((key, i) => expect(table.getOrAdd(key, i)).toBe(-1));
    keys.forEach((key, i) => expect(table.getOrAdd(key, -5)).toBe(i));
    expect(table.getOrAdd('key-3000', 1)).toBe(-1);
  });
});
