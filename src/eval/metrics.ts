import { hasLabel, shareLabel, type LabelSets } from './labels.js';
import type { TrackKeys } from './trackKeys.js';

// How good a set of picks is: the share that shares the query's label, and how widely the picks
// spread over the catalog (a recommender that returns the same few songs is no use, however apt).

export interface HitRate {
  /** Queries that carry the label (a query without one cannot hit or miss). */
  queries: number;
  hits: number;
  rate: number;
}

/** Share of queries whose pick shares one of its labels; a query without a pick is a miss. */
export function hitRate(sets: LabelSets, queries: Int32Array, picks: Int32Array): HitRate {
  let asked = 0;
  let hits = 0;
  for (const q of queries) {
    if (!hasLabel(sets, q)) continue;
    asked++;
    const pick = picks[q]!;
    if (pick >= 0 && shareLabel(sets, q, pick)) hits++;
  }
  return { queries: asked, hits, rate: asked > 0 ? hits / asked : 0 };
}

export interface Reach {
  /** Queries asked (every catalog track, or the sample). */
  asked: number;
  /** Different tracks ever picked. */
  distinct: number;
  /** distinct / catalog size: the share of the catalog that can come up as a pick. */
  catalogShare: number;
  /** The most any one track was picked. */
  maxPicks: number;
  /** Share of all picks that went to the 1 % most-picked tracks. */
  top1PercentShare: number;
}

export function reach(picks: Int32Array, asked: Int32Array, catalogSize: number): Reach {
  const counts = new Int32Array(catalogSize);
  let total = 0;
  for (const q of asked) {
    const pick = picks[q]!;
    if (pick < 0) continue;
    counts[pick]!++;
    total++;
  }
  let distinct = 0;
  let maxPicks = 0;
  for (const c of counts) {
    if (c > 0) distinct++;
    if (c > maxPicks) maxPicks = c;
  }
  const top = Math.max(1, Math.floor(catalogSize / 100));
  const topCounts = counts.sort().subarray(catalogSize - top);
  let topTotal = 0;
  for (const c of topCounts) topTotal += c;
  return {
    asked: asked.length,
    distinct,
    catalogShare: catalogSize > 0 ? distinct / catalogSize : 0,
    maxPicks,
    top1PercentShare: total > 0 ? topTotal / total : 0,
  };
}

/** Share of picks by the query's own primary artist (the labels follow artists, so these hit easily). */
export function sameArtistShare(keys: TrackKeys, asked: Int32Array, picks: Int32Array): number {
  let picked = 0;
  let same = 0;
  for (const q of asked) {
    const pick = picks[q]!;
    if (pick < 0) continue;
    picked++;
    if (keys.artist[pick] === keys.artist[q]) same++;
  }
  return picked > 0 ? same / picked : 0;
}

export interface SizeSpread {
  min: number;
  median: number;
  max: number;
}

export function sizeSpread(sizes: readonly number[]): SizeSpread {
  const sorted = [...sizes].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}
