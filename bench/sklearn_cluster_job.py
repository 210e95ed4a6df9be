# The whole `cluster --k <k>` job done with scikit-learn, as the anchor of the bench's whole-process
# figure: read every track's features from the same SQLite catalog, apply the same feature spec
# (transforms, standard scaling with missing values at the centre, weights), fit KMeans
# (k-means++, one init, one thread), and store a model with every track's cluster and squared
# distance in one transaction, as ModelStore.save does.
# (created_at is given: the Python's own SQLite may predate unixepoch('subsec'), the column's default.)
# Usage: python3 sklearn_cluster_job.py <catalog.db> <spec.json> <k> <seed>
#   -> prints {"inertia": x, "iterations": i, "tracks": n}
import json, sqlite3, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans

path, spec_path, k, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(spec_path) as f:
    spec = json.load(f)
if spec["scaling"] != "standard":
    sys.exit("only standard scaling is mirrored here")

COLUMNS = {"durationMs": "duration_ms", "timeSignature": "time_signature"}
columns = [COLUMNS.get(e["feature"], e["feature"]) for e in spec["features"]]

db = sqlite3.connect(path)
db.execute("PRAGMA synchronous = NORMAL")
db.execute("PRAGMA foreign_keys = ON")
rows = db.execute(f"SELECT track_id, {', '.join(columns)} FROM audio_features ORDER BY track_id").fetchall()
table = np.array(rows, dtype=np.float64)  # None (missing) becomes NaN
track_ids = table[:, 0].astype(np.int64)
raw = table[:, 1:]
for j, entry in enumerate(spec["features"]):
    if entry["transform"] == "log":
        raw[:, j] = np.log10(raw[:, j] + 0.001)
    elif entry["transform"] == "sqrt":
        raw[:, j] = np.sqrt(np.maximum(0, raw[:, j]))
center = np.nanmean(raw, axis=0)
scale = np.nanstd(raw, axis=0)
scale[scale <= 1e-12] = 1
weights = np.array([e["weight"] for e in spec["features"]])
data = np.nan_to_num((raw - center) / scale * weights, nan=0.0).astype(np.float32)

with threadpool_limits(limits=1):
    model = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=seed).fit(data)
labels = model.labels_
distances = ((data - model.cluster_centers_[labels]) ** 2).sum(axis=1, dtype=np.float64)

with db:
    cursor = db.execute(
        "INSERT INTO cluster_models (k, feature_spec, scaler, centroids, labels, profiles, metrics, track_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (k, json.dumps(spec), json.dumps({"method": "standard", "center": center.tolist(), "scale": scale.tolist()}),
         json.dumps(model.cluster_centers_.tolist()), json.dumps([str(c) for c in range(k)]), "{}",
         json.dumps({"inertia": float(model.inertia_)}), len(track_ids), int(time.time() * 1000)),
    )
    model_id = cursor.lastrowid
    db.executemany(
        "INSERT INTO track_clusters (model_id, track_id, cluster, distance) VALUES (?, ?, ?, ?)",
        zip([model_id] * len(track_ids), track_ids.tolist(), labels.tolist(), distances.tolist()),
    )
db.close()
print(json.dumps({"inertia": float(model.inertia_), "iterations": int(model.n_iter_), "tracks": len(track_ids)}))
