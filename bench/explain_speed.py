"""How fast the explaining stays on a million rows: profiles, effect sizes, words, outliers, charts,
report.html and the web app's view.json, each as a ratio to a plain ``pandas.DataFrame.describe()`` of the same table, measured
in the same run (so the numbers travel between machines).

    python -m bench.explain_speed [--rows 1000000]

Charts and report must not grow with the rows: histograms are binned, the map is a sample. The
ratios printed for them should stay near constant when --rows grows tenfold.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def _table(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 4, rows)
    return pd.DataFrame(
        {
            "income": rng.normal(30_000 + 20_000 * group, 5_000).round(),
            "age": rng.normal(25 + 10 * group, 4).round(),
            "visits": rng.gamma(2 + group, 2.0),
            "basket": rng.lognormal(3 + 0.3 * group, 0.4),
            "plan": np.array(["Basic", "Plus", "Premium", "Gold"])[
                np.clip(group + rng.integers(-1, 2, rows), 0, 3)
            ],
            "channel": rng.choice(["Online", "Store", "Phone"], rows),
            "newsletter": np.where(rng.random(rows) < 0.2 + 0.2 * group, "Yes", "No"),
        }
    )


def _time(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    import clusterlab
    from clusterlab.core.explain.effects import cluster_effects
    from clusterlab.core.explain.profiles import profile_clusters
    from clusterlab.report.charts import figures
    from clusterlab.report.report import render_report

    frame = _table(args.rows)
    reference, _ = _time(lambda: frame.describe(include="all"))
    fit, result = _time(
        lambda: clusterlab.cluster(frame, k=4, k_min=4, k_max=4, n_init=1, silhouette_sample=2000)
    )
    series = pd.Series(result.clusters).where(result.clusters > 0).astype("Int64")
    rows: dict[str, float] = {}
    rows["profile_clusters"], profiles = _time(lambda: profile_clusters(frame, series, result.roles))
    rows["cluster_effects"], _ = _time(lambda: cluster_effects(profiles))
    rows["descriptions"], _ = _time(lambda: result.descriptions)
    rows["outliers"], _ = _time(lambda: result.outliers)
    rows["numeric_profile_figure"], _ = _time(lambda: figures.numeric_profile_figure(result, "income"))
    rows["category_profile_figure"], _ = _time(lambda: figures.category_profile_figure(result, "plan"))
    rows["cluster_map_figure"], fig = _time(lambda: figures.cluster_map_figure(result))
    rows["k_selection_figure"], _ = _time(lambda: figures.k_selection_figure(result))
    rows["render_report"], html = _time(lambda: render_report(result))
    # The web app's view.json: the same content and charts as the report, laid out for its pages.
    from clusterlab.web.views import build_view

    rows["web_view"], view = _time(lambda: build_view(result, {}))
    print(f"{args.rows:,} rows; reference describe(): {reference:.3f} s; cluster() itself: {fit:.1f} s")
    for name, seconds in rows.items():
        print(f"  {name:<24} {seconds:8.3f} s   {seconds / reference:7.2f} x describe()")
    points = sum(len(t.x) for t in fig.data)
    print(f"  map points drawn: {points:,}; report.html: {len(html) / 1e6:.1f} MB")
    print(f"  web view.json: {len(json.dumps(view)) / 1e3:.0f} kB")
    print(json.dumps({"rows": args.rows, "reference": reference, **rows}))


if __name__ == "__main__":
    main()
