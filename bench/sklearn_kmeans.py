# Fits scikit-learn's KMeans on the same float32 matrix the TypeScript bench fitted, once per seed,
# on one thread (the bench also sets OMP_NUM_THREADS=1 before Python starts).
# Usage: python3 sklearn_kmeans.py <matrix.bin> <n> <d> <k> <seed,seed,...>
#   -> prints {"fits": [{"seed": s, "seconds": t, "inertia": x, "iterations": i}, ...]}
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans

path, n, d, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
seeds = [int(s) for s in sys.argv[5].split(",")]
# float32, as the TypeScript side holds it: KMeans keeps float32 input in float32.
data = np.fromfile(path, dtype=np.float32).reshape(n, d)
fits = []
with threadpool_limits(limits=1):
    for seed in seeds:
        started = time.perf_counter()
        model = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=seed).fit(data)
        fits.append({"seed": seed, "seconds": time.perf_counter() - started, "inertia": float(model.inertia_), "iterations": int(model.n_iter_)})
print(json.dumps({"fits": fits}))
