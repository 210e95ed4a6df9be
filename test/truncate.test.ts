import { describe, expect, it } from 'vitest';
import { LIMITS, link, plain, safe } from '../bot/embeds/format.js';
import { statsMessage } from '../bot/embeds/stats.js';
import { tasteMessage } from '../bot/embeds/taste.js';
import type { MessageData } from '../bot/embeds/types.js';
import { plainText } from '../src/charts/common.js';
import { graphemes, truncate } from '../src/truncate.js';
import type { Track } from '../src/types.js';

// Truncation never cuts a user-perceived character in two: no lone UTF-16 surrogate (which
// Discord rejects or shows as �), no family emoji cut into its members, no flag into letters.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FAMILY = '👩‍👩‍👧‍👦'; // 11 code units
const SAMPLES = [`a${'😀'.repeat(300)}`, FAMILY.repeat(100), '🇫🇷🇩🇪'.repeat(100), `e\u0301${'é'.repeat(10)}${'🎸'.repeat(200)}`, `x${'👍🏽'.repeat(150)}`];

/** `cut` is whole graphemes of `original`, then "…". */
function isWholeGraphemePrefix(cut: string, original: string): boolean {
  const kept = graphemes(cut.endsWith('…') ? cut.slice(0, -1) : cut);
  const all = graphemes(original);
  return kept.every((g, i) => g === all[i]);
}

function strings(message: MessageData): string[] {
  return JSON.stringify(message)
    .match(/"(?:[^"\\]|\\.)*"/g)!
    .map((s) => JSON.parse(s) as string);
}

describe('grapheme-safe truncation', () => {
  it('truncate keeps whole graphemes at every length, and fits', () => {
    for (const text of SAMPLES) {
      for (let max = 1; max <= 60; max++) {
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(cut), `${max}: ${JSON.stringify(cut)}`).toBe(false);
        expect(isWholeGraphemePrefix(cut, text), `${max}: ${JSON.stringify(cut)}`).toBe(true);
      }
    }
    expect(truncate('short', 10)).toBe('short');
    expect(truncate(`${FAMILY}${FAMILY}`, 15)).toBe(`${FAMILY}…`);
  });

  it('safe, plain, link and the pictures\' alt text cut at a grapheme', () => {
    for (const text of SAMPLES) {
      for (const max of [7, 8, 80, 99, 100, 101]) {
        for (const cut of [safe(text, max), plain(text, max), link(text, 'https://open.spotify.com/track/x', max), plainText(text, max)]) {
          expect(LONE_SURROGATE.test(cut), JSON.stringify(cut)).toBe(false);
        }
        expect(isWholeGraphemePrefix(plain(text, max), text)).toBe(true);
      }
    }
  });

  it('/taste and /stats fields cut long emoji names without a lone surrogate', () => {
    const track = (i: number): Track => ({ id: i, spotifyId: `id${i}`, name: `${'😀'.repeat(70)}${i}`, artists: [FAMILY.repeat(9)], album: null, coverUrl: null, releaseYear: null, popularity: null, durationMs: null });
    const tracks = Array.from({ length: 20 }, (_, i) => track(i));
    const tally = Array.from({ length: 5 }, (_, cluster) => ({ cluster, label: '🇫🇷'.repeat(40), count: 1 }));
    const taste = tasteMessage({ liked: tally, disliked: tally, likedTracks: tracks, dislikedTracks: tracks }, [], '1', 'here');
    const stats = statsMessage({
      stats: { tracks: 1, withFeatures: 1, withoutFeatures: 0, aliases: 0, featuresByProvider: {}, seeds: 0, model: null, recommendationsGiven: 0 },
      seeds: [],
      daily: null,
      recentJobs: Array.from({ length: 6 }, () => ({ name: 'recrawl', status: 'failed', finishedAt: 0, detail: '🎸'.repeat(300) })),
      favourites: { clusters: tally, tracks: tracks.map((t) => ({ ...t, likes: 1 })) },
    });
    for (const message of [taste, stats]) {
      for (const field of message.embeds![0]!.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      const broken = strings(message).filter((s) => LONE_SURROGATE.test(s));
      expect(broken).toEqual([]);
    }
  });
});
