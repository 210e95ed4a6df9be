import { DESCRIBED_FEATURES, type ClusterModel } from '../types.js';

// Cluster numbers users see ("cluster 7, acoustic · calm") should survive a re-cluster when the
// sound is the same. New clusters are matched to old ones by their profiles (raw-unit means,
// standardised by the catalog's spread) with the Hungarian algorithm, then renumbered.

/** Minimum-cost assignment of rows to columns (rows ≤ columns); returns the column of each row. */
export function hungarian(cost: number[][]): number[] {
  const n = cost.length;
  const m = cost[0]?.length ?? 0;
  if (n === 0) return [];
  if (n > m) throw new Error('hungarian: more rows than columns');
  // Potentials-based O(n² m) implementation (1-indexed, column 0 is a sentinel).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) assignment[p[j]! - 1] = j - 1;
  return assignment;
}

function profileVector(model: Pick<ClusterModel, 'profiles'>, cluster: number, stds: Record<string, number>): number[] {
  return DESCRIBED_FEATURES.map((f) => (model.profiles[cluster]?.means[f] ?? 0) / (stds[f] || 1));
}

/**
 * For each new cluster, the number it should carry: the old cluster it sounds most like, when
 * that number is free in the new model (numbers stay 0..k-1); other clusters take what is left.
 */
export function stableNumbering(previous: Pick<ClusterModel, 'k' | 'profiles'>, next: Pick<ClusterModel, 'k' | 'profiles' | 'catalogProfile'>): number[] {
  const stds = next.catalogProfile.stds;
  const oldVectors = Array.from({ length: previous.k }, (_, c) => profileVector(previous, c, stds));
  const newVectors = Array.from({ length: next.k }, (_, c) => profileVector(next, c, stds));
  const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0));
  // Rows are the smaller side so every row gets a partner.
  const newIsRows = next.k <= previous.k;
  const rows = newIsRows ? newVectors : oldVectors;
  const columns = newIsRows ? oldVectors : newVectors;
  const pairs = hungarian(rows.map((r) => columns.map((c) => distance(r, c))));
  const numbering = new Array<number>(next.k).fill(-1);
  pairs.forEach((column, row) => {
    const [newCluster, oldCluster] = newIsRows ? [row, column] : [column, row];
    if (oldCluster < next.k) numbering[newCluster] = oldCluster;
  });
  const taken = new Set(numbering.filter((n) => n >= 0));
  let free = 0;
  for (let c = 0; c < next.k; c++) {
    if (numbering[c]! >= 0) continue;
    while (taken.has(free)) free++;
    numbering[c] = free;
    taken.add(free);
  }
  return numbering;
}
