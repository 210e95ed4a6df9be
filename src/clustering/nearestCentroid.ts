// Placing one vector in a stored model: the bot does this for every new track, so it lives apart
// from the k-means fit (and its libraries), which only a re-cluster loads.

/** The nearest centroid of one vector, and the squared distance to it. */
export function nearestCentroid(vector: ArrayLike<number>, centroids: Float64Array, k: number, d: number): { cluster: number; distance: number } {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < k; c++) {
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const diff = vector[j]! - centroids[c * d + j]!;
      dist += diff * diff;
    }
    if (dist < bestDist) {
      bestDist = dist;
      best = c;
    }
  }
  return { cluster: best, distance: bestDist };
}
