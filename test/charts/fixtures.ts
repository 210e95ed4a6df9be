import type { FeatureComparisonInput } from '../../src/charts/featureComparison.js';
import type { ClusterPortraitInput } from '../../src/charts/clusterPortrait.js';
import { seededRandom } from '../../src/clustering/random.js';
import type { AudioFeatures, DescribedFeature } from '../../src/types.js';

// Fixed inputs for the picture tests and the render benchmark: no dataset, no database.

function features(partial: Partial<AudioFeatures>): AudioFeatures {
  return {
    danceability: 0.5,
    energy: 0.5,
    key: 0,
    loudness: -8,
    mode: 1,
    speechiness: 0.05,
    acousticness: 0.2,
    instrumentalness: 0,
    liveness: 0.12,
    valence: 0.5,
    tempo: 120,
    durationMs: 240_000,
    timeSignature: 4,
    ...partial,
  };
}

export const COMPARISON: FeatureComparisonInput = {
  query: {
    name: 'Stairway to Heaven - Remaster',
    artists: ['Led Zeppelin'],
    features: features({ energy: 0.34, danceability: 0.34, valence: 0.2, acousticness: 0.58, instrumentalness: 0.0034, speechiness: 0.034, liveness: 0.116, tempo: 82.4, loudness: -12.0 }),
  },
  pick: {
    name: 'The Rain Song',
    artists: ['Led Zeppelin'],
    features: features({ energy: 0.41, danceability: 0.28, valence: 0.31, acousticness: 0.47, instrumentalness: 0.12, speechiness: 0.031, liveness: 0.09, tempo: 147.5, loudness: -10.6, mode: 0 }),
  },
  features: ['energy', 'danceability', 'valence', 'acousticness', 'instrumentalness', 'speechiness', 'liveness', 'tempo', 'loudness'],
  cluster: 3,
};

const means = (m: Record<DescribedFeature, number>) => m;

export const CATALOG_PROFILE = {
  means: means({ energy: 0.68, danceability: 0.65, valence: 0.51, acousticness: 0.18, instrumentalness: 0.08, speechiness: 0.11, liveness: 0.19, tempo: 121, loudness: -6.7, mode: 0.56 }),
  stds: means({ energy: 0.18, danceability: 0.15, valence: 0.23, acousticness: 0.22, instrumentalness: 0.22, speechiness: 0.1, liveness: 0.15, tempo: 27, loudness: 2.9, mode: 0.5 }),
};

export const PORTRAIT: ClusterPortraitInput = {
  cluster: 3,
  label: 'acoustic · calm · sad',
  size: 4_213,
  catalogSize: 32_833,
  profile: {
    size: 4_213,
    means: means({ energy: 0.36, danceability: 0.55, valence: 0.33, acousticness: 0.66, instrumentalness: 0.05, speechiness: 0.05, liveness: 0.15, tempo: 112, loudness: -10.9, mode: 0.71 }),
  },
  catalog: CATALOG_PROFILE,
  examples: [
    { name: 'Skinny Love', artists: ['Bon Iver'] },
    { name: 'The Night We Met', artists: ['Lord Huron'] },
    { name: 'Holocene', artists: ['Bon Iver'] },
    { name: 'Fast Car', artists: ['Tracy Chapman'] },
    { name: 'Hallelujah', artists: ['Jeff Buckley'] },
  ],
};

/** Six well-separated groups in a 9-D standardised space, like a small model's scaled vectors. */
export function mapData(perCluster = 300, k = 6, d = 9): { vectors: Float32Array; clusters: Int32Array; centroids: number[][] } {
  const random = seededRandom(7);
  const gauss = () => {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const centroids = Array.from({ length: k }, () => Array.from({ length: d }, () => gauss() * 1.4));
  const n = perCluster * k;
  const vectors = new Float32Array(n * d);
  const clusters = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    clusters[i] = c;
    for (let j = 0; j < d; j++) vectors[i * d + j] = centroids[c]![j]! + gauss() * 0.55;
  }
  return { vectors, clusters, centroids };
}

export const MAP_LABELS = [
  'lively · danceable · loud',
  'acoustic · calm · sad',
  'spoken / rap · danceable',
  'instrumental · electric · fast',
  'live feel · happy · major',
  'quiet · slow · minor',
];

export const MAP_FEATURES = ['danceability', 'energy', 'loudness', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'] as const;
