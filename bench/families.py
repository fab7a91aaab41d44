"""Generated tables of the kinds the held-back collection names, several seeds each, through
``ClusterLab(k="auto")``: method, k, confidence and ARI per table, then exact k, within one and
median ARI over the tables with groups (``make bench-families``; about 5 minutes).

Nothing here was tuned on: the families are drawn from scikit-learn's generators and plain numpy
with random sizes, centres, spreads and column counts per seed. They complement ``bench.quality``
(public labelled sets) with the shapes and nuisances a user's table has: round groups of equal and
of very unequal sizes and spreads, elongated groups, two moons (alone, beside a blob, with unrelated
category columns), rings, unrelated numeric columns, empty cells, ID columns, groups carried only by
categories, number columns of a few values unrelated to the groups, a scattered background, and
tables without groups (which must stay ``weak``).

    python -m bench.families [--families moons,blobs_gaps] [--seeds 4] [--first 0]
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.metrics import adjusted_rand_score

Table = tuple[pd.DataFrame, np.ndarray, int]  # the table, each row's group (-1: background), the true k


def _frame(X: np.ndarray, prefix: str = "x") -> pd.DataFrame:
    return pd.DataFrame(X, columns=[f"{prefix}{i}" for i in range(X.shape[1])])


def blobs(seed: int) -> Table:
    rng = np.random.default_rng(seed)
    k, d = int(rng.integers(3, 9)), int(rng.integers(2, 7))
    n = int(rng.integers(300, 3000))
    X, y = make_blobs(n_samples=n, centers=k, n_features=d, center_box=(-10, 10), random_state=seed)
    return _frame(X), y, k


def unequal(seed: int) -> Table:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 7))
    sizes = (rng.dirichlet(np.ones(k) * 0.7) * 3000).astype(int) + 20
    X, y = make_blobs(n_samples=sizes, n_features=2, center_box=(-12, 12), random_state=seed)
    return _frame(X), y, k


def density(seed: int) -> Table:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 7))
    spreads = list(rng.uniform(0.3, 1.8, k))
    X, y = make_blobs(
        1500, centers=k, n_features=3, cluster_std=spreads, center_box=(-12, 12), random_state=seed
    )
    return _frame(X), y, k


def elongated(seed: int) -> Table:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    parts = []
    for _ in range(k):
        angle = rng.uniform(0, np.pi)
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        parts.append((rng.normal(size=(300, 2)) * [4.0, 0.5]) @ turn.T + rng.uniform(-15, 15, 2))
    return _frame(np.vstack(parts)), np.repeat(np.arange(k), 300), k


def moons(seed: int) -> Table:
    rng = np.random.default_rng(seed)
    n, noise = int(rng.integers(300, 1500)), float(rng.uniform(0.04, 0.1))
    X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return _frame(X), y, 2


def moons_blob(seed: int) -> Table:
    X, y = make_moons(n_samples=600, noise=0.06, random_state=seed)
    blob = np.random.default_rng(seed).normal([3.5, 1.5], 0.25, size=(300, 2))
    return _frame(np.vstack([X, blob])), np.r_[y, np.full(300, 2)], 3


def moons_categories(seed: int) -> Table:
    """Two moons and two category columns unrelated to them (a yes/no and a three-level colour)."""
    rng = np.random.default_rng(seed)
    n, noise = int(rng.integers(400, 1500)), float(rng.uniform(0.04, 0.1))
    X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    frame = _frame(X)
    frame["member"] = rng.choice(["yes", "no"], n)
    frame["colour"] = rng.choice(["red", "green", "blue"], n)
    return frame, y, 2


def circles(seed: int) -> Table:
    X, y = make_circles(n_samples=1000, noise=0.04, factor=0.45, random_state=seed)
    return _frame(X), y, 2


def noise_columns(seed: int) -> Table:
    """Round groups in three numbers, and two numbers of pure noise on the same scale."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    X, y = make_blobs(1200, centers=k, n_features=3, center_box=(-10, 10), random_state=seed)
    return _frame(np.column_stack([X, rng.normal(size=(1200, 2)) * X.std()])), y, k


def blobs_gaps(seed: int) -> Table:
    """Round groups in three numbers with 10% of the cells empty."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    X, y = make_blobs(1000, centers=k, n_features=3, center_box=(-10, 10), random_state=seed)
    return _frame(X, "m").mask(rng.random((1000, 3)) < 0.1), y, k


def ids_gaps(seed: int) -> Table:
    """Round groups with 10% empty cells, an ID and a row number, and an unrelated region."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    X, y = make_blobs(1000, centers=k, n_features=3, center_box=(-10, 10), random_state=seed)
    frame = _frame(X, "m").mask(rng.random((1000, 3)) < 0.1)
    frame.insert(0, "customer_id", [f"C{100000 + i}" for i in range(1000)])
    frame.insert(1, "row", np.arange(1000))
    frame["region"] = rng.choice(["North", "South", "East", "West"], 1000)
    return frame, y, k


def category_driven(seed: int) -> Table:
    """Groups carried by five category columns only (each group its own level shares), two numbers of noise."""
    rng = np.random.default_rng(seed)
    k, n = int(rng.integers(3, 6)), 1500
    y = rng.integers(0, k, n)
    columns: dict[str, object] = {}
    for c in range(5):
        shares = rng.dirichlet(np.ones(4) * 0.3, size=k)
        columns[f"cat{c}"] = np.array([f"L{int(rng.choice(4, p=shares[g]))}" for g in y])
    columns["num0"], columns["num1"] = rng.normal(size=n), rng.normal(size=n)
    return pd.DataFrame(columns), y, k


def mixed_unrelated(seed: int) -> Table:
    """Round groups in three numbers, and a colour and a yes/no unrelated to them."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    X, y = make_blobs(1200, centers=k, n_features=3, center_box=(-10, 10), random_state=seed)
    frame = _frame(X)
    frame["colour"] = rng.choice(["red", "green", "blue"], 1200)
    frame["member"] = rng.choice(["yes", "no"], 1200)
    return frame, y, k


def few_values(seed: int) -> Table:
    """Round groups in three numbers, and a count of 0 to 3 (children) and a 1-5 rating unrelated to them."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    X, y = make_blobs(1000, centers=k, n_features=3, center_box=(-10, 10), random_state=seed)
    frame = _frame(X)
    frame["children"] = rng.integers(0, 4, 1000)
    frame["rating"] = rng.integers(1, 6, 1000)
    return frame, y, k


def background(seed: int) -> Table:
    """Round groups and 5% of rows scattered uniformly over the whole range (scored without them)."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    X, y = make_blobs(1200, centers=k, n_features=2, cluster_std=0.8, center_box=(-10, 10), random_state=seed)
    scattered = rng.uniform(X.min(0), X.max(0), size=(60, 2))
    return _frame(np.vstack([X, scattered])), np.r_[y, np.full(60, -1)], k


def structureless(seed: int) -> Table:
    """One cloud (Gaussian, uniform or gamma by seed) in 2 to 7 numbers and a random category."""
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(300, 3000)), int(rng.integers(2, 8))
    draws = (rng.normal(size=(n, d)), rng.uniform(size=(n, d)), rng.gamma(2.0, size=(n, d)))
    frame = _frame(draws[seed % 3])
    frame["cat"] = rng.choice(list("abcd"), n)
    return frame, np.zeros(n, dtype=int), 1


FAMILIES: dict[str, Callable[[int], Table]] = {
    "blobs": blobs,
    "unequal": unequal,
    "density": density,
    "elongated": elongated,
    "moons": moons,
    "moons_blob": moons_blob,
    "moons_categories": moons_categories,
    "circles": circles,
    "noise_columns": noise_columns,
    "blobs_gaps": blobs_gaps,
    "ids_gaps": ids_gaps,
    "category_driven": category_driven,
    "mixed_unrelated": mixed_unrelated,
    "few_values": few_values,
    "background": background,
    "structureless": structureless,
}


def summarise(rows: list[dict[str, object]]) -> str:
    """Exact k, within one and median ARI over the tables with groups; how many without stayed weak.

    >>> summarise([{"true_k": 3, "k": 3, "ari": 1.0, "confidence": "strong"},
    ...            {"true_k": 4, "k": 5, "ari": 0.5, "confidence": "weak"},
    ...            {"true_k": 1, "k": 6, "ari": float("nan"), "confidence": "weak"}])
    'tables with groups 2: exact k 1/2, within one 2/2, median ARI 0.750 | without groups 1: weak 1/1'
    """
    grouped = [r for r in rows if int(r["true_k"]) > 1]  # type: ignore[call-overload]
    plain = [r for r in rows if int(r["true_k"]) <= 1]  # type: ignore[call-overload]
    exact = sum(r["k"] == r["true_k"] for r in grouped)
    within = sum(abs(int(r["k"]) - int(r["true_k"])) <= 1 for r in grouped)  # type: ignore[call-overload]
    median = float(np.median([float(r["ari"]) for r in grouped])) if grouped else float("nan")  # type: ignore[arg-type]
    weak = sum(r["confidence"] == "weak" for r in plain)
    return (
        f"tables with groups {len(grouped)}: exact k {exact}/{len(grouped)}, within one {within}/{len(grouped)}, "
        f"median ARI {median:.3f} | without groups {len(plain)}: weak {weak}/{len(plain)}"
    )


def main(argv: list[str] | None = None) -> None:
    from clusterlab.core import ClusterLab

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated family names")
    parser.add_argument("--seeds", type=int, default=4, help="tables per family (seeds first..first+n-1)")
    parser.add_argument("--first", type=int, default=0, help="the first seed")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows: list[dict[str, object]] = []
    for name in args.families.split(","):
        for seed in range(args.first, args.first + args.seeds):
            frame, truth, true_k = FAMILIES[name](seed)
            started = time.perf_counter()
            model = ClusterLab(k="auto", settings={"seed": 0}).fit(frame)
            rec = model.recommendation_
            grouped = truth >= 0
            ari = adjusted_rand_score(truth[grouped], model.labels_[grouped]) if true_k > 1 else float("nan")
            rows.append({"true_k": true_k, "k": model.k_, "ari": ari, "confidence": rec.confidence})
            print(
                f"{name:17} seed {seed:2} rows {len(frame):5} true {true_k:2} -> {rec.method:8} k {model.k_:2} "
                f"(K-Means' {rec.kmeans_k}) {rec.confidence:8} {rec.structure:5} ARI {ari:6.3f} "
                f"{time.perf_counter() - started:5.1f} s",
                flush=True,
            )
    print(summarise(rows))


if __name__ == "__main__":
    main()
