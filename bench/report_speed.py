"""How long the charts, report.html and the web app's view.json take to build for one result.

    python -m bench.report_speed [--rows 10000] [--repeat 5] [--profile]

The result is fitted once (not timed); then each step is timed ``--repeat`` times and the best time
is printed, with its ratio to a ``pandas.DataFrame.describe()`` of the same table measured in the
same run, so the figures travel between machines. The charts are sized by clusters and columns, not
rows: these times should barely move with ``--rows``. ``--profile`` prints the top of a cProfile of
one ``render_report`` (where the time goes).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from collections.abc import Callable
from typing import Any


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of render_report")
    args = parser.parse_args()

    import clusterlab
    from clusterlab.report.charts import cluster_figures, figures
    from clusterlab.report.report import plotly_js, render_report
    from clusterlab.web.views import build_view

    from .tables import TRUTH, mixed_table

    frame = mixed_table(args.rows)
    result = clusterlab.cluster(frame, label=TRUTH, k_max=8, silhouette_sample=2000)
    reference, _ = _best(lambda: frame.describe(include="all"), args.repeat)
    plotly_js()  # read once per process: not part of any step below
    render_report(result)  # warm: imports, Jinja2's template cache, cached effects and descriptions
    column = result.profiles.numeric_columns[0]
    category = result.profiles.category_columns[0]
    steps: dict[str, Callable[[], Any]] = {
        "k_selection_figure": lambda: figures.k_selection_figure(result),
        "criterion_figures": lambda: figures.criterion_figures(result),
        "cluster_map_figure": lambda: figures.cluster_map_figure(result),
        "cluster_sizes_figure": lambda: figures.cluster_sizes_figure(result),
        "numeric_profile_figure": lambda: figures.numeric_profile_figure(result, column),
        "category_profile_figure": lambda: figures.category_profile_figure(result, category),
        "effect_heatmap_figure": lambda: cluster_figures.effect_heatmap_figure(result),
        "cluster_profile_figure": lambda: cluster_figures.cluster_profile_figure(result, 1),
        "category_pies_figure": lambda: cluster_figures.category_pies_figure(result, 1),
        "render_report": lambda: render_report(result),
        "build_view": lambda: build_view(result, {}),
    }
    times: dict[str, float] = {}
    outputs: dict[str, Any] = {}
    for name, fn in steps.items():
        times[name], outputs[name] = _best(fn, args.repeat)
    print(
        f"{args.rows:,} rows, k={result.k}, {len(result.profiles.numeric_columns)} numeric and "
        f"{len(result.profiles.category_columns)} category columns; best of {args.repeat}; "
        f"reference describe(): {reference:.4f} s"
    )
    for name, seconds in times.items():
        print(f"  {name:<24} {seconds:8.4f} s   {seconds / reference:8.1f} x describe()")
    html = outputs["render_report"]
    charts = html.split('id="chart-data">', 1)[1].split("</script>", 1)[0]
    print(f"  report.html {len(html) / 1e6:.2f} MB, of which chart JSON {len(charts) / 1e3:.0f} kB")
    print(f"  view.json {len(json.dumps(outputs['build_view'])) / 1e3:.0f} kB")
    print(json.dumps({"rows": args.rows, "reference": reference, **times}))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(render_report, result)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
