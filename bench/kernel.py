"""The kernel line: seconds per K-Means (Lloyd) iteration on 1,000,000 x 16 float32.

Three implementations next to the machine's limit:

* scikit-learn's ``KMeans(algorithm="lloyd")`` (what ClusterLab fits with, on both cores);
* faiss-cpu's ``Kmeans`` (when installed), with subsampling off so it sees every row;
* ClusterLab's own map-reduce step (:func:`clusterlab.distributed.lloyd.partial_sums`), the one each
  Dask task runs on its partition, here on the whole matrix in one process;
* the limit: the time to stream the matrix once from memory (its maximum), below which no
  iteration can go, since each iteration reads every row once.

    python -m bench.kernel [--rows 1000000] [--dims 16] [--k 10] [--iters 20]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Callable

import numpy as np

__all__ = ["kernel_line"]


def _best(fn: Callable[[], float], repeats: int) -> float:
    return min(fn() for _ in range(repeats))


def kernel_line(
    rows: int = 1_000_000, dims: int = 16, k: int = 10, iters: int = 20, seed: int = 0
) -> dict[str, float | None]:
    """Seconds per Lloyd iteration for each implementation, and the memory-stream limit."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 4, size=(k, dims))
    X = (centres[rng.integers(0, k, rows)] + rng.normal(size=(rows, dims))).astype(np.float32)
    init = X[rng.choice(rows, k, replace=False)].copy()
    out: dict[str, float | None] = {}

    def stream() -> float:
        start = time.perf_counter()
        X.max()
        return time.perf_counter() - start

    out["memory_stream"] = _best(stream, 10)

    def sklearn_iter() -> float:
        from sklearn.cluster import KMeans

        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = KMeans(k, init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd").fit(X)
        return (time.perf_counter() - start) / max(int(model.n_iter_), 1)

    out["sklearn_lloyd"] = _best(sklearn_iter, 3)

    def ours_iter() -> float:
        from clusterlab.distributed.lloyd import partial_sums, update_centres

        centres_now = init.astype(np.float64)
        start = time.perf_counter()
        for _ in range(iters):
            sums, counts, _ = partial_sums(X, centres_now)
            centres_now = update_centres(sums, counts, centres_now)
        return (time.perf_counter() - start) / iters

    out["clusterlab_partition_step"] = _best(ours_iter, 2)
    try:
        import faiss  # type: ignore[import-not-found]

        def faiss_iter() -> float:
            km = faiss.Kmeans(dims, k, niter=iters, seed=seed, max_points_per_centroid=rows, verbose=False)
            start = time.perf_counter()
            km.train(X, init_centroids=init)
            return (time.perf_counter() - start) / iters

        out["faiss"] = _best(faiss_iter, 3)
    except ImportError:
        out["faiss"] = None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dims", type=int, default=16)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--iters", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(kernel_line(args.rows, args.dims, args.k, args.iters)))


if __name__ == "__main__":
    main()
