"""Synthetic mixed customer tables with known clusters, for the speed benchmark (and its tests).

Twelve columns, as a customer export looks: numbers on very different scales (income in tens of
thousands, age in years, a 0..1 ratio, counts, a heavy-tailed spend), two yes/no text columns and
three text categories, one of them unrelated to the groups (region), plus the true group in
``segment`` (left out of the clustering, used only for the ARI). Five groups, well separated in a
few columns and overlapping in the rest, as real segments are.

    python -m bench.tables --rows 100000 --out /tmp/customers_100k.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["N_GROUPS", "TRUTH", "mixed_table", "write_table"]

N_GROUPS = 5
TRUTH = "segment"

# Per group: mean income, age, visits per month, share of online orders, tenure (months), basket size.
# The groups differ in different directions (no column orders them all), as real segments do.
_INCOME = np.array([28_000, 95_000, 52_000, 140_000, 60_000])
_AGE = np.array([24, 38, 62, 50, 30])
_VISITS = np.array([2.0, 8.0, 3.0, 9.0, 1.5])
_ONLINE = np.array([0.85, 0.6, 0.2, 0.45, 0.5])
_TENURE = np.array([12, 40, 130, 80, 20])
_BASKET = np.array([20.0, 45.0, 60.0, 140.0, 90.0])
_PLANS = np.array(["Basic", "Plus", "Premium", "Gold"])
_PLAN_OF_GROUP = np.array([0, 1, 2, 3, 3])
_CHANNELS = np.array(["App", "Web", "Store"])
_CHANNEL_P = np.array(
    [[0.7, 0.25, 0.05], [0.4, 0.4, 0.2], [0.15, 0.45, 0.4], [0.3, 0.4, 0.3], [0.05, 0.15, 0.8]]
)
_REGIONS = np.array(["North", "South", "East", "West", "Centre"])


def mixed_table(rows: int, seed: int = 0) -> pd.DataFrame:
    """A table of ``rows`` customers in five known groups (column ``segment``, 1..5).

    Examples
    --------
    >>> t = mixed_table(1000)
    >>> t.shape, sorted(t["segment"].unique().tolist())
    ((1000, 13), [1, 2, 3, 4, 5])
    """
    rng = np.random.default_rng(seed)
    group = rng.integers(0, N_GROUPS, rows)
    plan = np.where(rng.random(rows) < 0.85, _PLAN_OF_GROUP[group], rng.integers(0, 4, rows))
    cumulative = _CHANNEL_P[group].cumsum(axis=1)
    channel = (rng.random(rows)[:, None] > cumulative).sum(axis=1)
    return pd.DataFrame(
        {
            "income": np.round(_INCOME[group] * rng.lognormal(0, 0.12, rows), -1),
            "age": np.clip(np.round(rng.normal(_AGE[group], 4.0)), 18, 95).astype(int),
            "visits_per_month": np.round(rng.gamma(6.0, _VISITS[group] / 6.0), 1),
            "online_share": np.round(np.clip(rng.normal(_ONLINE[group], 0.08), 0, 1), 3),
            "tenure_months": np.maximum(0, np.round(rng.normal(_TENURE[group], 10))).astype(int),
            "basket_eur": np.round(rng.lognormal(np.log(_BASKET[group]), 0.25), 2),
            "support_calls": rng.poisson(1.0 + group * 0.3),
            "newsletter": np.where(rng.random(rows) < 0.2 + 0.15 * group, "Yes", "No"),
            "has_card": np.where(rng.random(rows) < np.array([0.1, 0.3, 0.5, 0.8, 0.9])[group], "Y", "N"),
            "plan": _PLANS[plan],
            "channel": _CHANNELS[channel],
            "region": rng.choice(_REGIONS, rows),
            TRUTH: group + 1,
        }
    )


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Write as CSV, Parquet (one file) or a folder of Parquet parts (path ending in '/')."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix in (".parquet", ".pq"):
        frame.to_parquet(path, index=False)
    else:
        raise ValueError(f"Unknown table format for {path}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_table(mixed_table(args.rows, args.seed), args.out))


if __name__ == "__main__":
    main()
