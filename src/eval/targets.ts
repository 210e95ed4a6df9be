import type { LabelKind } from './datasets.js';
import type { MethodResult } from './runner.js';

// The quality targets `npm run eval` checks on every catalog track as a query (issue 16): the
// shipped recommender must beat the plain nearest neighbour in its own feature space (another
// primary artist, no other version of the song) by a clear relative margin on every label the
// dataset carries, while a good share of the catalog can still come up as a pick.

/** At least 3 % more hits than the nearest neighbour, relative (44.0 % → 45.3 %). */
export const MIN_RELATIVE_LIFT = 0.03;
/** At least half the catalog is somebody's pick. */
export const MIN_REACH = 0.5;

export const NEAREST_IN_SHIPPED_SPACE = 'nearest-shipped-space';

export interface QualityTarget {
  /** A hit rate's lift over the nearest neighbour, or the share of the catalog reached. */
  kind: 'lift' | 'reach';
  /** What is measured, in words. */
  target: string;
  /** The measured value (a relative lift or a share). */
  value: number;
  threshold: number;
  pass: boolean;
}

/** The targets for one dataset's methods; none when hit rates were not measured over every track. */
export function qualityTargets(methods: readonly MethodResult[], measures: readonly LabelKind[]): QualityTarget[] {
  const shipped = methods.find((m) => m.id === 'recommender');
  const nearest = methods.find((m) => m.id === NEAREST_IN_SHIPPED_SPACE);
  if (!shipped?.hitRatesAllTracks || !nearest?.hitRatesAllTracks) return [];
  const targets: QualityTarget[] = measures.flatMap((kind) => {
    const ours = shipped.hitRatesAllTracks![kind];
    const theirs = nearest.hitRatesAllTracks![kind];
    if (!ours || !theirs || theirs.rate <= 0) return [];
    const value = ours.rate / theirs.rate - 1;
    return [{ kind: 'lift' as const, target: `${kind}: the recommender over the nearest neighbour, relative`, value, threshold: MIN_RELATIVE_LIFT, pass: value >= MIN_RELATIVE_LIFT }];
  });
  const reach = shipped.reach.catalogShare;
  targets.push({ kind: 'reach', target: 'catalog reachable', value: reach, threshold: MIN_REACH, pass: reach >= MIN_REACH });
  return targets;
}
