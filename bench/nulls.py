"""Tables without groups, which must never come out more than ``weak`` (``make bench-nulls``, or
``python -m bench.nulls``; about 6 minutes for the default 132 tables).

Nothing here was tuned on. Two generators, each table new per seed:

* ``clouds``: six tables per seed, 200 to 3,000 rows in 2 to 8 numbers: a Gaussian cloud, a
  correlated one (a random linear map), a uniform box, Student's t with 3 degrees of freedom,
  log-normal columns, and rows around 2 to 4 Gaussian centres that lie within 0.6 spreads of each
  other (overlapping: one bump, no groups).
* ``boxes``: one table per seed, 200 to 3,000 rows in 2 to 4 numbers, by the seed's remainder of 4:
  a uniform box, a box stretched per column, a Gaussian cloud, a 2-D rectangle. Uniform boxes are
  where a chance gap (a dip test rejects at p < 0.05 on one table in twenty) once made K-Means'
  quadrants "moderate" (docs/recommendation.md, *The winner's own valleys*).

Each table goes through ``ClusterLab(k="auto")`` as a user's would; a line per table, then how many
stayed ``weak`` and which did not.

    python -m bench.nulls [--clouds 12] [--boxes 60]
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Iterator

import numpy as np
import pandas as pd


def _frame(X: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])


def clouds(seed: int) -> Iterator[tuple[str, pd.DataFrame]]:
    """Six tables without groups (module docstring), drawn from one seeded generator."""
    rng = np.random.default_rng(1000 + seed)
    n, d = int(rng.integers(200, 3000)), int(rng.integers(2, 9))
    mix = rng.normal(size=(d, d))
    yield f"gauss_{seed}", _frame(rng.normal(size=(n, d)))
    yield f"correlated_{seed}", _frame(rng.normal(size=(n, d)) @ mix)
    yield f"uniform_{seed}", _frame(rng.uniform(size=(n, d)))
    yield f"t3_{seed}", _frame(rng.standard_t(3, size=(n, d)))
    yield f"lognormal_{seed}", _frame(rng.lognormal(size=(n, d)))
    centres = rng.normal(scale=0.6, size=(int(rng.integers(2, 5)), d))
    yield f"overlapping_{seed}", _frame(centres[rng.integers(0, len(centres), n)] + rng.normal(size=(n, d)))


def boxes(seed: int) -> tuple[str, pd.DataFrame]:
    """One table without groups (module docstring): the kind is the seed's remainder of 4."""
    rng = np.random.default_rng(5000 + seed)
    n, d = int(rng.integers(200, 3000)), int(rng.integers(2, 5))
    kind = seed % 4
    if kind == 0:
        X = rng.uniform(size=(n, d))
    elif kind == 1:
        X = rng.uniform(size=(n, d)) * rng.uniform(0.2, 3, d)
    elif kind == 2:
        X = rng.normal(size=(n, d))
    else:
        X = rng.uniform(size=(n, 2)) * [1, rng.uniform(0.3, 1)]
    name = ("box", "stretched_box", "gauss_box", "rectangle")[kind]
    return f"{name}_{seed}", _frame(X)


def tables(n_clouds: int, n_boxes: int) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every table: ``clouds`` for seeds 0..n_clouds-1, then ``boxes`` for seeds 0..n_boxes-1.

    >>> names = [name for name, _ in tables(1, 4)]
    >>> names[:2], names[6:]
    (['gauss_0', 'correlated_0'], ['box_0', 'stretched_box_1', 'gauss_box_2', 'rectangle_3'])
    """
    for seed in range(n_clouds):
        yield from clouds(seed)
    for seed in range(n_boxes):
        yield boxes(seed)


def summarise(rows: list[tuple[str, str]]) -> str:
    """How many tables stayed weak, and the others by name.

    >>> summarise([("a", "weak"), ("b", "moderate"), ("c", "weak")])
    'tables without groups 3: weak 2/3; more than weak: b (moderate)'
    >>> summarise([("a", "weak")])
    'tables without groups 1: weak 1/1'
    """
    claims = [f"{name} ({confidence})" for name, confidence in rows if confidence != "weak"]
    weak = len(rows) - len(claims)
    line = f"tables without groups {len(rows)}: weak {weak}/{len(rows)}"
    return line + (f"; more than weak: {', '.join(claims)}" if claims else "")


def main(argv: list[str] | None = None) -> None:
    from clusterlab.core import ClusterLab

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clouds", type=int, default=12, help="seeds of the six-cloud generator")
    parser.add_argument("--boxes", type=int, default=60, help="seeds of the box generator")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows: list[tuple[str, str]] = []
    for name, frame in tables(args.clouds, args.boxes):
        started = time.perf_counter()
        rec = ClusterLab(k="auto", settings={"seed": 0}).fit(frame).recommendation_
        rows.append((name, rec.confidence))
        print(
            f"{name:20} rows {len(frame):5} cols {frame.shape[1]} -> {rec.method:8} k {rec.k:2} "
            f"{rec.confidence:8} {rec.structure:5} {time.perf_counter() - started:5.1f} s",
            flush=True,
        )
    print(summarise(rows))


if __name__ == "__main__":
    main()
