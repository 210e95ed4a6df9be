import type { CatalogProfile, ClusterProfile, DescribedFeature } from '../types.js';

// Short human labels from what a cluster's typical song sounds like compared with the catalog's:
// "lively · danceable · major", "acoustic · calm · sad". Every word is true of the cluster's
// median member, not only of its average (a few outliers pull an average; "fast" for a cluster
// whose typical song is not fast is what a listener catches at once), and says what it measures:
// happy/sad is the mood (valence), lively/calm the energy, fast/slow the tempo. The pick's "why"
// uses the same words for single songs (`wordFor`).

interface FeatureWords {
  high: string;
  low: string | null;
  /**
   * Where the words' meanings turn, in the feature's own units: a song with energy 0.45 is not
   * "lively", however calm the rest of the catalog. The high word needs a value at or above
   * `high`, the low word one below `low`. Null: relative to the catalog only (dB have no middle).
   */
  turn: { high: number; low: number } | null;
}

const HALF = { high: 0.5, low: 0.5 };

export const FEATURE_WORDS: Record<DescribedFeature, FeatureWords> = {
  energy: { high: 'lively', low: 'calm', turn: HALF },
  danceability: { high: 'danceable', low: 'less danceable', turn: HALF },
  valence: { high: 'happy', low: 'sad', turn: HALF },
  acousticness: { high: 'acoustic', low: 'electric', turn: HALF },
  // Spotify: above 0.5 is meant to be an instrumental track.
  instrumentalness: { high: 'instrumental', low: null, turn: HALF },
  speechiness: { high: 'spoken / rap', low: null, turn: null },
  // A live recording is rare even in a live-sounding cluster: "live feel", from a third up.
  liveness: { high: 'live feel', low: null, turn: { high: 0.3, low: 0 } },
  // Allegro starts about 120 BPM; andante ends about 100.
  tempo: { high: 'fast', low: 'slow', turn: { high: 120, low: 100 } },
  loudness: { high: 'loud', low: 'quiet', turn: null },
  // The share in major: the typical song is major when most are.
  mode: { high: 'major', low: 'minor', turn: HALF },
};

/** How far from the catalog's typical song a value must be for a word, in catalog standard deviations. */
export const MIN_DISTINCTION = 0.25;
const TERMS = 3;

export interface Descriptor {
  feature: DescribedFeature;
  word: string;
  strength: number;
}

/** A cluster's typical value: its median song's (for mode, the share in major); the mean on models stored before medians. */
export function typicalValue(profile: Pick<ClusterProfile, 'means' | 'medians'>, feature: DescribedFeature): number {
  return feature === 'mode' ? profile.means.mode : (profile.medians?.[feature] ?? profile.means[feature]);
}

/**
 * The word a value earns against the catalog, or null: far enough from the catalog's typical
 * song (MIN_DISTINCTION) and on the word's side of where its meaning turns. Used for a cluster's
 * typical value (its label) and for one song's value (the pick's "why").
 */
export function wordFor(feature: DescribedFeature, value: number, catalog: CatalogProfile): Descriptor | null {
  const std = catalog.stds[feature];
  if (!(std > 0) || !Number.isFinite(value)) return null;
  const z = (value - typicalValue(catalog, feature)) / std;
  if (Math.abs(z) < MIN_DISTINCTION) return null;
  const words = FEATURE_WORDS[feature];
  const high = z > 0;
  const word = high ? words.high : words.low;
  if (word === null) return null;
  if (words.turn && (high ? value < words.turn.high : value >= words.turn.low)) return null;
  return { feature, word, strength: Math.abs(z) };
}

/** How a cluster's typical song stands out, strongest first, as (word, |z|) pairs. */
export function describeCluster(profile: Pick<ClusterProfile, 'means' | 'medians'>, catalog: CatalogProfile): Descriptor[] {
  return (Object.keys(FEATURE_WORDS) as DescribedFeature[])
    .flatMap((feature) => wordFor(feature, typicalValue(profile, feature), catalog) ?? [])
    .sort((a, b) => b.strength - a.strength);
}

/** The feature a label word describes and which way ("lively" → energy, high). */
export function wordMeaning(word: string): { feature: DescribedFeature; high: boolean } | null {
  for (const [feature, words] of Object.entries(FEATURE_WORDS) as [DescribedFeature, FeatureWords][]) {
    if (words.high === word) return { feature, high: true };
    if (words.low === word) return { feature, high: false };
  }
  return null;
}

/** The words of a label ("lively · fast (2)" → lively, fast), without the tie-breaking number. */
export function labelWords(label: string): string[] {
  return label
    .replace(/ \(\d+\)$/, '')
    .split(' · ')
    .filter((word) => word !== 'middle of the road');
}

/** One distinct label per cluster: the three strongest traits, more when two clusters would read alike. */
export function labelClusters(profiles: ClusterProfile[], catalog: CatalogProfile): string[] {
  const descriptors = profiles.map((p) => describeCluster(p, catalog));
  const labels = descriptors.map((d) => d.slice(0, TERMS).map((x) => x.word).join(' · ') || 'middle of the road');
  for (let round = 0; round < 3; round++) {
    const seen = new Map<string, number[]>();
    labels.forEach((label, i) => seen.set(label, [...(seen.get(label) ?? []), i]));
    let changed = false;
    for (const group of seen.values()) {
      if (group.length < 2) continue;
      for (const i of group) {
        const extra = descriptors[i]![TERMS + round];
        if (extra) {
          labels[i] = `${labels[i]} · ${extra.word}`;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const counts = new Map<string, number>();
  return labels.map((label) => {
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    return n === 1 ? label : `${label} (${n})`;
  });
}
