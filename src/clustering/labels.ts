import type { ClusterProfile, DescribedFeature } from '../types.js';

// Short human labels from what a cluster sounds like compared with the whole catalog:
// "high energy · danceable · major", "acoustic · calm · melancholic".

const WORDS: Record<DescribedFeature, { high: string; low: string | null }> = {
  energy: { high: 'high energy', low: 'calm' },
  danceability: { high: 'danceable', low: 'free rhythm' },
  valence: { high: 'upbeat', low: 'melancholic' },
  acousticness: { high: 'acoustic', low: 'electric' },
  instrumentalness: { high: 'instrumental', low: null },
  speechiness: { high: 'spoken / rap', low: null },
  liveness: { high: 'live', low: null },
  tempo: { high: 'fast', low: 'slow' },
  loudness: { high: 'loud', low: 'quiet' },
  mode: { high: 'major', low: 'minor' },
};

const MIN_DISTINCTION = 0.25;
const TERMS = 3;

interface Descriptor {
  feature: DescribedFeature;
  word: string;
  strength: number;
}

/** How a cluster stands out, strongest first, as (word, |z|) pairs. */
export function describeCluster(
  profile: ClusterProfile,
  catalog: { means: Record<DescribedFeature, number>; stds: Record<DescribedFeature, number> },
): Descriptor[] {
  const out: Descriptor[] = [];
  for (const feature of Object.keys(WORDS) as DescribedFeature[]) {
    const std = catalog.stds[feature];
    if (!(std > 0)) continue;
    const z = (profile.means[feature] - catalog.means[feature]) / std;
    const word = z >= 0 ? WORDS[feature].high : WORDS[feature].low;
    if (word !== null && Math.abs(z) >= MIN_DISTINCTION) out.push({ feature, word, strength: Math.abs(z) });
  }
  return out.sort((a, b) => b.strength - a.strength);
}

/** One distinct label per cluster: the three strongest traits, more when two clusters would read alike. */
export function labelClusters(
  profiles: ClusterProfile[],
  catalog: { means: Record<DescribedFeature, number>; stds: Record<DescribedFeature, number> },
): string[] {
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
