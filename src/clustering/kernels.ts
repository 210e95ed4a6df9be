// Distance loops of k-means, written out for one dimension. With the dimension known, every
// coordinate of the point in hand lives in a local for the whole scan over the centroids; a loop
// over j re-reads them from the array for every centroid and runs about twice as slow
// (`npm run bench -- --only clustering` shows the fit beside scikit-learn's).

export interface DistanceKernels {
  d: number;
  /** Squared distance between row `row` of `data` and row `at` of `centroids`. */
  squaredDistance(data: Float32Array, row: number, centroids: Float64Array, at: number): number;
  /**
   * The nearest and second-nearest of `k` centroids to row `row` of `data`:
   * out[0] = the nearest's index, out[1] its squared distance, out[2] the runner-up's.
   */
  nearestTwo(data: Float32Array, row: number, centroids: Float64Array, k: number, out: Float64Array): void;
  /** Squared distance of each of the first `n` rows of `data` to `point` (length d), into `out`. */
  distancesTo(data: Float32Array, n: number, point: Float64Array, out: Float64Array): void;
}

const MAX_UNROLLED = 64;
const cache = new Map<number, DistanceKernels>();

function lines(d: number, line: (j: number) => string, separator = ' '): string {
  return Array.from({ length: d }, (_, j) => line(j)).join(separator);
}

/** The kernels for dimension d, generated once per process; loops for dimensions past 64. */
export function distanceKernels(d: number): DistanceKernels {
  if (!Number.isInteger(d) || d < 1) throw new Error(`Dimension must be a positive whole number, not ${d}.`);
  const known = cache.get(d);
  if (known) return known;
  const kernels = d <= MAX_UNROLLED ? unrolled(d) : looped(d);
  cache.set(d, kernels);
  return kernels;
}

/* eslint-disable @typescript-eslint/no-implied-eval -- generating the loop for d is the point; only
   the whole number d, checked above, is spliced into the source, never data or user input. */
function unrolled(d: number): DistanceKernels {
  const sum = lines(d, (j) => `t${j} * t${j}`, ' + ');
  const squaredDistance = new Function(
    'data', 'row', 'centroids', 'at',
    `const p = row * ${d}, c = at * ${d};
     ${lines(d, (j) => `const t${j} = data[p + ${j}] - centroids[c + ${j}];`)}
     return ${sum};`,
  ) as DistanceKernels['squaredDistance'];
  const nearestTwo = new Function(
    'data', 'row', 'centroids', 'k', 'out',
    `const p = row * ${d};
     ${lines(d, (j) => `const x${j} = data[p + ${j}];`)}
     let best = 0, first = Infinity, second = Infinity;
     for (let c = 0, at = 0; c < k; c++, at += ${d}) {
       ${lines(d, (j) => `const t${j} = x${j} - centroids[at + ${j}];`)}
       const s = ${sum};
       if (s < first) { second = first; first = s; best = c; } else if (s < second) second = s;
     }
     out[0] = best; out[1] = first; out[2] = second;`,
  ) as DistanceKernels['nearestTwo'];
  const distancesTo = new Function(
    'data', 'n', 'point', 'out',
    `${lines(d, (j) => `const x${j} = point[${j}];`)}
     for (let i = 0, p = 0; i < n; i++, p += ${d}) {
       ${lines(d, (j) => `const t${j} = data[p + ${j}] - x${j};`)}
       out[i] = ${sum};
     }`,
  ) as DistanceKernels['distancesTo'];
  return { d, squaredDistance, nearestTwo, distancesTo };
}
/* eslint-enable @typescript-eslint/no-implied-eval */

function looped(d: number): DistanceKernels {
  const squaredDistance = (data: Float32Array, row: number, centroids: Float64Array, at: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = data[row * d + j]! - centroids[at * d + j]!;
      s += t * t;
    }
    return s;
  };
  return {
    d,
    squaredDistance,
    nearestTwo(data, row, centroids, k, out) {
      let best = 0;
      let first = Infinity;
      let second = Infinity;
      for (let c = 0; c < k; c++) {
        const s = squaredDistance(data, row, centroids, c);
        if (s < first) {
          second = first;
          first = s;
          best = c;
        } else if (s < second) second = s;
      }
      out[0] = best;
      out[1] = first;
      out[2] = second;
    },
    distancesTo(data, n, point, out) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = data[i * d + j]! - point[j]!;
          s += t * t;
        }
        out[i] = s;
      }
    },
  };
}
