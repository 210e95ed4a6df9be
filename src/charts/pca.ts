// Principal component analysis for the cluster map: the covariance of the (already scaled)
// vectors, its eigenvectors by cyclic Jacobi rotations (exact and deterministic for the small
// symmetric d × d matrices here, d ≤ 13), and the points projected on the top two.

export interface Pca {
  /** Column means, length d. */
  mean: Float64Array;
  /** The two leading unit eigenvectors, each length d, signs fixed (largest entry positive). */
  components: [Float64Array, Float64Array];
  /** Variance along each component. */
  variance: [number, number];
  /** Share of the total variance each component explains, 0..1. */
  explained: [number, number];
}

/** Eigenvalues and eigenvectors (as columns of `vectors`, row-major d × d) of a symmetric matrix. */
export function symmetricEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i]!;
  return { values, vectors: v };
}

/** Fits PCA to n rows of a row-major n × d matrix. */
export function fitPca(data: ArrayLike<number>, n: number, d: number): Pca {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = n > 0 ? mean[j]! / n : 0;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j]! - mean[j]!;
    for (let j = 0; j < d; j++) {
      const rj = row[j]!;
      for (let k = j; k < d; k++) cov[j * d + k]! += rj * row[k]!;
    }
  }
  const denominator = Math.max(1, n - 1);
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      cov[j * d + k] = cov[j * d + k]! / denominator;
      cov[k * d + j] = cov[j * d + k]!;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  // Largest eigenvalue first; ties broken by index so the order never depends on rounding luck.
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => values[y]! - values[x]! || x - y);
  const total = values.reduce((sum, x) => sum + Math.max(0, x), 0);
  const component = (rank: number): Float64Array => {
    const out = new Float64Array(d);
    const col = order[rank];
    if (col === undefined) return out;
    let largest = 0;
    for (let j = 0; j < d; j++) {
      out[j] = vectors[j * d + col]!;
      if (Math.abs(out[j]!) > Math.abs(out[largest]!) + 1e-12) largest = j;
    }
    if (out[largest]! < 0) for (let j = 0; j < d; j++) out[j] = -out[j]! || 0;
    return out;
  };
  const variance = (rank: number) => {
    const col = order[rank];
    return col === undefined ? 0 : Math.max(0, values[col]!);
  };
  return {
    mean,
    components: [component(0), component(1)],
    variance: [variance(0), variance(1)],
    explained: [total > 0 ? variance(0) / total : 0, total > 0 ? variance(1) / total : 0],
  };
}

/** One vector's coordinates on the two components. */
export function projectPoint(pca: Pca, vector: ArrayLike<number>, offset = 0): [number, number] {
  let x = 0;
  let y = 0;
  const [c0, c1] = pca.components;
  for (let j = 0; j < pca.mean.length; j++) {
    const centred = vector[offset + j]! - pca.mean[j]!;
    x += centred * c0[j]!;
    y += centred * c1[j]!;
  }
  return [x, y];
}

/** PCA of an n × d matrix and every row projected: points is n × 2 (x, y interleaved). */
export function pca2d(data: ArrayLike<number>, n: number, d: number): { pca: Pca; points: Float32Array } {
  const pca = fitPca(data, n, d);
  const points = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const [x, y] = projectPoint(pca, data, i * d);
    points[i * 2] = x;
    points[i * 2 + 1] = y;
  }
  return { pca, points };
}
