"""Run one tool on one file in a fresh process and time its work without the interpreter's imports.

    python -m bench.runner clusterlab data.csv OUT [clusterlab run flags...]
    python -m bench.runner reference data.csv OUT --drop segment

Prints one JSON line: ``imports`` (seconds to import the tool and everything it loads lazily) and
``work`` (seconds from the call to its return). ``bench.speed`` adds the process's wall time and
peak memory. ``clusterlab`` calls exactly what the `clusterlab run` command calls (``cli.main``).
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path


def _clusterlab(file: str, out: str, flags: list[str]) -> dict[str, object]:
    start = time.perf_counter()
    import diptest  # noqa: F401  (loaded lazily by the criteria: count it as an import, not as work)
    import kneed  # noqa: F401
    import plotly.graph_objects

    import clusterlab.core.pipeline
    import clusterlab.report.report  # noqa: F401
    from clusterlab.cli import main

    # Plotly loads its validators on the first figure: one-time start-up, as an import is.
    plotly.graph_objects.Figure(plotly.graph_objects.Bar(x=[1], y=[1])).update_layout(template="plotly_white")
    imports = time.perf_counter() - start
    start = time.perf_counter()
    code = main(["run", file, "--out", out, "-q", *flags], out=io.StringIO())
    work = time.perf_counter() - start
    summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8")) if code == 0 else {}
    return {
        "imports": imports,
        "work": work,
        "exit": code,
        "k": summary.get("k"),
        "ari": (summary.get("evaluation") or {}).get("ari"),
        "timings": summary.get("timings"),
        "silhouette_sample": summary.get("silhouette_sample"),
    }


def _reference(file: str, out: str, flags: list[str]) -> dict[str, object]:
    start = time.perf_counter()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Matplotlib's first figure builds its font cache: one-time start-up, as an import is.
    figure = plt.figure()
    figure.savefig(io.BytesIO(), format="png")
    plt.close(figure)
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    from bench.reference import run_reference

    imports = time.perf_counter() - start
    drop = tuple(flags[i + 1] for i, flag in enumerate(flags) if flag == "--drop")
    start = time.perf_counter()
    result = run_reference(Path(file), Path(out), drop)
    work = time.perf_counter() - start
    ari = None
    if drop:
        columns = [drop[0]]
        truth = (
            pd.read_parquet(file, columns=columns)
            if file.endswith(".parquet")
            else pd.read_csv(file, usecols=columns)
        )
        ari = float(adjusted_rand_score(truth[drop[0]].to_numpy(), np.asarray(result["labels"])))
    return {
        "imports": imports,
        "work": work,
        "exit": 0,
        "k": result["k"],
        "ari": ari,
        "timings": result["timings"],
    }


def main() -> None:
    tool, file, out, *flags = sys.argv[1:]
    run = _clusterlab if tool == "clusterlab" else _reference
    print(json.dumps(run(file, out, flags)))


if __name__ == "__main__":
    main()
