# Fits scikit-learn's KMeans on the same float32 matrix the TypeScript bench used.
# Usage: python3 sklearn_kmeans.py <matrix.bin> <n> <d> <k>  -> prints {"seconds": s, "inertia": x}
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans

path, n, d, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = np.fromfile(path, dtype=np.float32).reshape(n, d).astype(np.float64)
started = time.perf_counter()
model = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=0).fit(data)
print(json.dumps({"seconds": time.perf_counter() - started, "inertia": float(model.inertia_)}))
