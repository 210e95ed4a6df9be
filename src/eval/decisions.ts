import { clusterCatalog, type ClusterRun } from '../clustering/clusterCatalog.js';
import { DEFAULT_FEATURE_SPEC } from '../clustering/featureSpec.js';
import type { Config } from '../config.js';
import { SHIPPED_PICK_POLICY, type PickPolicy } from '../recommender/recommender.js';
import type { AudioFeatureName, FeatureSpec, FeatureTransform, ScalingMethod } from '../types.js';
import { NINE_FEATURES } from './baselines.js';
import type { EvalDataset, LabelKind } from './datasets.js';
import type { EvalCatalog } from './evalCatalog.js';
import { createContext, describeFeature, scoreRecommender, type EvalOptions, type MethodResult } from './runner.js';

// The choices behind what ships, each measured by changing that one thing and re-running the
// real clustering and recommender on the same catalog and queries.

export interface Variant {
  /** The question this row answers ("scaling", "k"). */
  choice: string;
  /** What this row does instead of what ships. */
  variant: string;
  spec?: FeatureSpec;
  clustering?: Partial<Config['clustering']>;
  policy?: PickPolicy;
}

export interface DecisionResult {
  choice: string;
  variant: string;
  verdict: string;
  result: MethodResult;
}

/** Every variant measured on one dataset. */
export interface DecisionRun {
  dataset: string;
  measures: LabelKind[];
  rows: DecisionResult[];
}

/** Weights a coordinate search on TidyTuesday queries found; measured here against equal weights. */
const TUNED_WEIGHTS: Partial<Record<AudioFeatureName, number>> = { tempo: 2.5, speechiness: 2, danceability: 1.5, energy: 1.5 };

const withSpec = (change: (spec: FeatureSpec) => FeatureSpec) => change(DEFAULT_FEATURE_SPEC);

const withoutFeature = (feature: AudioFeatureName) =>
  withSpec((spec) => ({ ...spec, features: spec.features.filter((f) => f.feature !== feature) }));

const withFeature = (feature: AudioFeatureName, transform: FeatureTransform = 'identity') =>
  withSpec((spec) => ({ ...spec, features: [...spec.features, { feature, transform, weight: 1 }] }));

/** The shipped spec with tempo entered these ways instead, where tempo was. */
const withTempo = (entries: { transform: FeatureTransform; weight: number }[]) =>
  withSpec((spec) => {
    const at = spec.features.findIndex((f) => f.feature === 'tempo');
    const rest = spec.features.filter((f) => f.feature !== 'tempo');
    return { ...spec, features: [...rest.slice(0, at), ...entries.map((e) => ({ feature: 'tempo' as const, ...e })), ...rest.slice(at)] };
  });

const scaledBy = (scaling: ScalingMethod) => withSpec((spec) => ({ ...spec, scaling }));

const describe = (spec: FeatureSpec, feature: AudioFeatureName) => spec.features.find((f) => f.feature === feature);

/** The shipped choices first, then one change at a time. */
export function variants(): Variant[] {
  const shipped = DEFAULT_FEATURE_SPEC;
  const list: Variant[] = [
    { choice: 'what ships', variant: describeSpec(shipped) },
    { choice: 'features', variant: 'the nine features the project started with, equal weights, no transforms', spec: NINE_FEATURES },
    {
      choice: 'transforms',
      variant: 'no log / square-root transforms',
      spec: withSpec((spec) => ({ ...spec, features: spec.features.map((f) => (f.transform === 'log' || f.transform === 'sqrt' ? { ...f, transform: 'identity' as const } : f)) })),
    },
    {
      choice: 'transforms',
      variant: 'log instead of square root for acousticness, instrumentalness, liveness',
      spec: withSpec((spec) => ({
        ...spec,
        features: spec.features.map((f) =>
          ['acousticness', 'instrumentalness', 'liveness'].includes(f.feature) ? { ...f, transform: 'log' as const } : f,
        ),
      })),
    },
    {
      choice: 'weights',
      variant: 'tempo ×2.5, speechiness ×2, danceability and energy ×1.5 (tuned on TidyTuesday)',
      spec: withSpec((spec) => ({ ...spec, features: spec.features.map((f) => ({ ...f, weight: f.weight * (TUNED_WEIGHTS[f.feature] ?? 1) })) })),
    },
  ];
  if (shipped.features.some((f) => f.feature === 'tempo' && f.transform !== 'identity')) {
    list.push(
      { choice: 'tempo', variant: 'BPM alone, weight 1 (what shipped before)', spec: withTempo([{ transform: 'identity', weight: 1 }]) },
      { choice: 'tempo', variant: 'BPM alone, weight ½ (half- and double-time readings count less)', spec: withTempo([{ transform: 'identity', weight: 0.5 }]) },
      {
        choice: 'tempo',
        variant: 'place in the octave alone, weight 1 (no BPM: "faster" and "slower" cannot steer)',
        spec: withTempo([{ transform: 'octaveCos', weight: Math.SQRT1_2 }, { transform: 'octaveSin', weight: Math.SQRT1_2 }]),
      },
    );
  }
  if (describe(shipped, 'durationMs')) list.push({ choice: 'duration', variant: 'without duration', spec: withoutFeature('durationMs') });
  if (!describe(shipped, 'mode')) list.push({ choice: 'mode', variant: 'with mode (major/minor)', spec: withFeature('mode') });
  if (!describe(shipped, 'key')) list.push({ choice: 'key', variant: 'with key as a number 0–11', spec: withFeature('key') });
  for (const scaling of ['minmax', 'robust'] as const) {
    if (shipped.scaling !== scaling) list.push({ choice: 'scaling', variant: `${scaling === 'minmax' ? 'min-max' : 'robust (median, IQR)'} scaling`, spec: scaledBy(scaling) });
  }
  list.push(
    { choice: 'k', variant: 'k = 6', clustering: { k: 6 } },
    { choice: 'k', variant: 'k = 20', clustering: { k: 20 } },
    { choice: 'k', variant: 'k = 40', clustering: { k: 40 } },
    { choice: 'pick', variant: 'a random one of the 5 nearest', policy: { ...SHIPPED_PICK_POLICY, pickAmong: 5 } },
    { choice: 'pick', variant: 'a random one of the 25 nearest', policy: { ...SHIPPED_PICK_POLICY, pickAmong: 25 } },
    { choice: 'same artist', variant: 'no preference for another artist', policy: { ...SHIPPED_PICK_POLICY, preferOtherArtist: false } },
    { choice: 'era', variant: 'sound alone: release years left out of the ranking (what shipped before)', policy: { ...SHIPPED_PICK_POLICY, eraWeight: 0 } },
    { choice: 'era', variant: 'a decade apart weighs 0.3 sd', policy: { ...SHIPPED_PICK_POLICY, eraWeight: 0.3 } },
    { choice: 'era', variant: 'a decade apart weighs 0.7 sd', policy: { ...SHIPPED_PICK_POLICY, eraWeight: 0.7 } },
  );
  return list;
}

function describeSpec(spec: FeatureSpec): string {
  return `${spec.features.map(describeFeature).join(', ')}; ${spec.scaling} scaling`;
}

/** Re-clusters the catalog for each variant and scores the recommender on it. */
export function evaluateDecisions(catalog: EvalCatalog, dataset: EvalDataset, options: EvalOptions, list = variants()): DecisionRun {
  const { app } = catalog;
  const progress = options.onProgress ?? (() => {});
  const results: DecisionResult[] = [];
  let context: ReturnType<typeof createContext> | null = null;
  // Variants of the pick alone share the shipped clustering: it is seeded, so a re-run would store the same model.
  let shippedRun: ClusterRun | null = null;
  list.forEach((variant, i) => {
    const shippedClustering = !variant.spec && !variant.clustering;
    let run: ClusterRun;
    if (shippedClustering && shippedRun) {
      app.models.activate(shippedRun.model.id);
      run = shippedRun;
    } else {
      run = clusterCatalog(
        { database: app.database, settings: { ...app.config.clustering, ...variant.clustering }, logger: app.logger },
        { spec: variant.spec ?? DEFAULT_FEATURE_SPEC },
      );
      if (shippedClustering) shippedRun = run;
    }
    // Every variant clusters the same tracks, so the first run's rows and queries serve them all.
    context ??= createContext(catalog, run, dataset, options);
    const result = scoreRecommender(context, `decision-${i}`, variant.variant, variant.policy, options.seed + 3);
    results.push({ choice: variant.choice, variant: variant.variant, verdict: i === 0 ? 'ships' : 'not shipped', result });
    progress(`${dataset.name}: decisions: ${variant.choice}: ${variant.variant} (k = ${run.model.k}, ${result.seconds.toFixed(1)} s)`);
  });
  return { dataset: dataset.name, measures: dataset.measures, rows: results };
}
