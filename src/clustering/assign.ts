import { writeTransaction, type Database } from '../catalog/database.js';
import type { ClusterModel } from '../types.js';
import { rawVector } from './featureSpec.js';
import { loadFeatureMatrix, rowFeatures } from './featureMatrix.js';
import { nearestCentroid } from './nearestCentroid.js';
import { scaleVector } from './scaler.js';

/**
 * Places every track that has features but no cluster in this model at its nearest centroid
 * (tracks imported or crawled since the model was built), without re-clustering.
 */
export function assignUnplacedTracks(database: Database, model: ClusterModel): number {
  const matrix = loadFeatureMatrix(
    database,
    `SELECT f.track_id, f.danceability, f.energy, f.key, f.loudness, f.mode, f.speechiness, f.acousticness,
       f.instrumentalness, f.liveness, f.valence, f.tempo, f.duration_ms, f.time_signature
     FROM audio_features f
     WHERE NOT EXISTS (SELECT 1 FROM track_clusters tc WHERE tc.model_id = ? AND tc.track_id = f.track_id)
     ORDER BY f.track_id`,
    [model.id],
  );
  const n = matrix.trackIds.length;
  if (n === 0) return 0;
  const d = model.spec.features.length;
  const centroids = Float64Array.from(model.centroids.flat());
  const vector = new Float64Array(d);
  const insert = database.sqlite.prepare(
    'INSERT INTO track_clusters (model_id, track_id, cluster, distance) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  writeTransaction(database.sqlite, () => {
    for (let i = 0; i < n; i++) {
      scaleVector(rawVector(rowFeatures(matrix.raw, i), model.spec), model.scaler, model.spec, vector);
      const { cluster, distance } = nearestCentroid(vector, centroids, model.k, d);
      insert.run(model.id, matrix.trackIds[i]!, cluster, distance);
    }
  });
  return n;
}
