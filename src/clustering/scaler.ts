import type { FeatureSpec, Scaler, ScalingMethod } from '../types.js';

// Scaling is learnt once per model and stored with it, so a track added later lands where
// the model would have put it.

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function centreAndSpread(values: Float64Array, method: ScalingMethod): { c: number; s: number } {
  const count = values.length;
  if (method === 'standard') {
    let sum = 0;
    for (const v of values) sum += v;
    const c = count > 0 ? sum / count : 0;
    let sq = 0;
    for (const v of values) sq += (v - c) ** 2;
    return { c, s: count > 1 ? Math.sqrt(sq / count) : 1 };
  }
  values.sort();
  if (method === 'minmax') {
    const c = quantile(values, 0);
    return { c, s: quantile(values, 1) - c };
  }
  return { c: quantile(values, 0.5), s: quantile(values, 0.75) - quantile(values, 0.25) };
}

/** Learns centre and scale per column of a row-major n × d matrix (NaN = missing, ignored). */
export function fitScaler(raw: Float64Array, n: number, d: number, method: ScalingMethod): Scaler {
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < d; j++) {
    const column = new Float64Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = raw[i * d + j]!;
      if (!Number.isNaN(v)) column[count++] = v;
    }
    const { c, s } = centreAndSpread(column.subarray(0, count), method);
    center.push(c);
    // A constant column would divide by zero; it carries no information, so it scales to 0.
    scale.push(s > 1e-12 ? s : 1);
  }
  return { method, center, scale };
}

/**
 * Scales and weights one transformed vector in place of `out` (length d). Missing values take
 * the centre, i.e. "typical", so they neither attract nor repel.
 */
export function scaleVector(raw: ArrayLike<number>, scaler: Scaler, spec: FeatureSpec, out: Float32Array | Float64Array, offset = 0): void {
  for (let j = 0; j < spec.features.length; j++) {
    const v = raw[j]!;
    const centered = Number.isNaN(v) ? 0 : (v - scaler.center[j]!) / scaler.scale[j]!;
    out[offset + j] = centered * spec.features[j]!.weight;
  }
}
