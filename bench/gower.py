"""K-Medoids by Euclidean vs Gower's distance on labelled mixed tables: `python -m bench.gower`.

Each table is clustered as a user would (roles, encoding, the final fit) at its true k with
``--method kmedoids --distance euclidean`` and ``--distance gower`` (with the learned category
weights, and plain: ``--category-weight 1``), and K-Means beside them for reference; it prints the ARI of each against the table's groups (docs/gower.md has the results).
Tables: the planted mixed table of ``bench.quality`` (2,000 rows, 4 groups in the numbers, 'plan'
following them), the UCI wholesale customers (Channel as the groups, Region as a category; skipped
when ``shared/data`` is missing), four groups carried only by five category columns (the numbers
noise), three groups carried by one category ('plan'), and three round blobs beside an unrelated
category (the groups are in the numbers only: the case against Gower).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from clusterlab.core import ClusterLab

from .quality import data_root, mixed_table


def _categories_carry(n: int = 800, keep: float = 0.8) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(11)
    group = rng.integers(0, 4, n)
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=["age", "income", "visits", "spend"])
    for j in range(5):
        level = np.where(rng.random(n) < keep, group, rng.integers(0, 4, n))
        frame[f"answer{j}"] = np.array(["A", "B", "C", "D"])[level]
    return frame, group


def _one_category_carries(n_per: int = 80, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    group = np.repeat(np.arange(3), n_per)
    n = len(group)
    frame = pd.DataFrame(
        {
            "plan": np.array(["Basic", "Plus", "Premium"])[
                np.where(rng.random(n) < 0.99, group, rng.integers(0, 3, n))
            ],
            "spend": np.exp(rng.normal(4 + 0.3 * group, 0.6)).round(2),
            "age": rng.normal(45, 12, n).round(0),
        }
    )
    return frame, group


def _blobs_and_colour(n: int = 600) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(3)
    blob = rng.integers(0, 3, n)
    centres = np.array([[0.0, 0.0], [6.0, 0.0], [3.0, 5.2]])
    frame = pd.DataFrame(centres[blob] + rng.normal(size=(n, 2)), columns=["x", "y"])
    frame["colour"] = np.array(["red", "green", "blue"])[rng.integers(0, 3, n)]
    return frame, blob


def tables() -> list[tuple[str, pd.DataFrame, np.ndarray]]:
    out = []
    frame, group = mixed_table(2000)
    out.append(("planted mixed (bench.quality, 2,000 rows)", frame, group))
    root = data_root()
    wholesale = root / "customer" / "wholesale_customers.csv" if root else None
    if wholesale is not None and wholesale.is_file():
        data = pd.read_csv(wholesale)
        data["Region"] = data["Region"].map({1: "Lisbon", 2: "Oporto", 3: "Other"})
        out.append(
            ("wholesale customers (Channel)", data.drop(columns="Channel"), data["Channel"].to_numpy())
        )
    else:
        print("wholesale_customers.csv not found: skipped")
    out.append(("groups in five categories", *_categories_carry()))
    out.append(("groups in one category", *_one_category_carries()))
    out.append(("blobs beside an unrelated category", *_blobs_and_colour()))
    return out


def main() -> int:
    warnings.simplefilter("ignore", category=FutureWarning)
    print(
        f"{'table':44} {'k':>2} {'kmeans':>7} {'euclid':>7} {'gower':>7} {'gower=1':>7}  "
        "(ARI at the true k; seconds)"
    )
    for name, frame, truth in tables():
        k = len(np.unique(truth))
        scores, seconds = [], []
        runs = (
            ("kmeans", "auto", "auto"),
            ("kmedoids", "euclidean", "auto"),
            ("kmedoids", "gower", "auto"),
            ("kmedoids", "gower", "1"),  # plain Gower: every column weighs the same
        )
        for method, distance, weight in runs:
            start = time.perf_counter()
            settings = {"distance": distance, "category_weight": weight, "resamples": 0}
            model = ClusterLab(k=k, method=method, settings=settings).fit(frame)
            seconds.append(time.perf_counter() - start)
            scores.append(adjusted_rand_score(truth, model.labels_))
        said = " ".join(f"{s:7.3f}" for s in scores)
        print(f"{name:44} {k:2d} {said}  ({', '.join(f'{s:.1f}' for s in seconds)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
