"""Speed benchmark: `make bench` (or `python -m bench.speed`).

1. **Against the original approach.** On the same synthetic mixed tables (:mod:`bench.tables`: 12
   columns, numbers on very different scales, yes/no and text categories, five known groups) at
   2,000, 10,000 and 30,000 rows, in the same run: the reference (:mod:`bench.reference`, the
   original engine's approach) and `clusterlab run` with every output (csv, xlsx, model.json,
   report.html, summary.json). Each runs in a fresh process (:mod:`bench.runner`); the table gives
   the *work* time (from the call to its return: what a user waits for in a running app, both tools'
   imports already loaded), its ratio, the *cold* wall time of the whole process (imports included)
   and its ratio, both recommended k and their ARI against the known groups. Medians of
   ``--repeats`` runs (the 30,000-row reference runs once: it takes minutes).
2. **ClusterLab alone** at 100,000 rows (CSV) and 1,000,000 rows (CSV): wall time of the whole
   process, peak memory (max RSS), and time per stage. ``--huge`` adds 10,000,000 rows from Parquet
   (minutes, about 10 GB of memory): ``python -m bench.speed --only large --huge``.
3. **The kernel line** (:mod:`bench.kernel`): seconds per Lloyd iteration on 1,000,000 x 16 float32.
4. **Every method** (``--only methods``, ``make bench-method-speed``): `clusterlab run --method M` at
   100,000 rows for ``--methods`` (default kmeans, auto, gmm, hierarchical, kmedoids, hdbscan, latentclass), each
   in a fresh process, K-Means first: work time, its ratio to ``--method kmeans`` in the same run
   (the figure that means something on a shared machine), time per stage, k, ARI and the load
   average before each run.

Options: ``--only compare,large,kernel,methods``, ``--sizes 2000,10000``, ``--large 100000``,
``--repeats 3``, ``--methods kmeans,gmm``, ``--work DIR`` (tables and outputs; default a temporary
folder), ``--json FILE`` (every figure).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.tables import TRUTH, mixed_table, write_table

COMPARE_SIZES = (2_000, 10_000, 30_000)
LARGE_SIZES = (100_000, 1_000_000)
METHODS = ("kmeans", "auto", "gmm", "hierarchical", "kmedoids", "hdbscan", "latentclass")
METHOD_ROWS = 100_000
HUGE = 10_000_000
ONE_REFERENCE_RUN_FROM = 30_000  # the reference's silhouette is quadratic: one run is minutes


def run_process(args: list[str]) -> dict[str, Any]:
    """Run ``python -m bench.runner ...`` in a fresh process: its JSON line, wall time and max RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.runner", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )
    # wait4 gives this child's own resource usage (peak resident memory), not all children's.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or not out.strip():
        raise RuntimeError(f"{' '.join(args[:2])} failed ({process.returncode}): {err[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(wall=wall, peak_mb=usage.ru_maxrss / 1024)
    return result


def _table(work: Path, rows: int, suffix: str = ".csv") -> Path:
    path = work / f"customers_{rows}{suffix}"
    if not path.exists():
        print(f"  writing {path.name} ...", file=sys.stderr, flush=True)
        if rows <= 2_000_000:
            write_table(mixed_table(rows, seed=rows), path)
        else:
            _write_parquet_in_parts(path, rows)
    return path


def _write_parquet_in_parts(path: Path, rows: int, part: int = 1_000_000) -> None:
    """A big Parquet file written a million rows at a time (row groups), never whole in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        for i, start in enumerate(range(0, rows, part)):
            table = pa.Table.from_pandas(
                mixed_table(min(part, rows - start), seed=rows + i), preserve_index=False
            )
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def compare(work: Path, sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        table = _table(work, n)
        ref_runs, cl_runs = [], []
        for i in range(repeats if n < ONE_REFERENCE_RUN_FROM else 1):
            print(f"  reference, {n:,} rows, run {i + 1}", file=sys.stderr, flush=True)
            ref_runs.append(run_process(["reference", str(table), str(work / f"ref_{n}"), "--drop", TRUTH]))
        for i in range(repeats):
            print(f"  clusterlab, {n:,} rows, run {i + 1}", file=sys.stderr, flush=True)
            cl_runs.append(run_process(["clusterlab", str(table), str(work / f"cl_{n}"), "--label", TRUTH]))
        row = {
            "rows": n,
            "reference_work": _median(ref_runs, "work"),
            "clusterlab_work": _median(cl_runs, "work"),
            "reference_wall": _median(ref_runs, "wall"),
            "clusterlab_wall": _median(cl_runs, "wall"),
            "reference_k": ref_runs[0]["k"],
            "clusterlab_k": cl_runs[0]["k"],
            "reference_ari": ref_runs[0]["ari"],
            "clusterlab_ari": cl_runs[0]["ari"],
            "reference_stages": ref_runs[0]["timings"],
            "clusterlab_stages": cl_runs[-1]["timings"],
            "runs": {"reference": len(ref_runs), "clusterlab": len(cl_runs)},
        }
        row["ratio_work"] = row["reference_work"] / row["clusterlab_work"]
        row["ratio_wall"] = row["reference_wall"] / row["clusterlab_wall"]
        rows.append(row)
        _print_compare(rows)
    return rows


def _print_compare(rows: list[dict[str, Any]]) -> None:
    print("\nReference (original approach) vs `clusterlab run`, same tables, same run (medians)")
    print(
        f"{'rows':>8} | {'ref work s':>10} {'CL work s':>10} {'ratio':>7} | {'ref wall s':>10} "
        f"{'CL wall s':>10} {'ratio':>7} | {'ref k':>5} {'CL k':>5} | {'ref ARI':>7} {'CL ARI':>7}"
    )
    for r in rows:
        print(
            f"{r['rows']:>8,} | {r['reference_work']:>10.2f} {r['clusterlab_work']:>10.2f} "
            f"{r['ratio_work']:>6.1f}x | {r['reference_wall']:>10.2f} {r['clusterlab_wall']:>10.2f} "
            f"{r['ratio_wall']:>6.1f}x | {r['reference_k']:>5} {r['clusterlab_k']:>5} | "
            f"{r['reference_ari']:>7.3f} {r['clusterlab_ari']:>7.3f}"
        )
    sys.stdout.flush()


def large(work: Path, sizes: list[int], huge: bool) -> list[dict[str, Any]]:
    rows = []
    jobs = [(n, _table(work, n)) for n in sizes]
    if huge:
        jobs.append((HUGE, _table(work, HUGE, ".parquet")))
    for n, table in jobs:
        print(f"  clusterlab, {n:,} rows ({table.suffix[1:]})", file=sys.stderr, flush=True)
        run = run_process(["clusterlab", str(table), str(work / f"cl_{n}"), "--label", TRUTH])
        rows.append({"rows": n, "format": table.suffix[1:], **run})
        _print_large(rows)
    return rows


def _print_large(rows: list[dict[str, Any]]) -> None:
    print("\nClusterLab alone: whole process (`clusterlab run`, every output)")
    stages = ("read", "roles", "encode", "sweep", "fit", "profile", "write")
    print(
        f"{'rows':>11} {'fmt':>7} | {'wall s':>7} {'peak MB':>8} | "
        + " ".join(f"{s:>7}" for s in stages)
        + f" | {'k':>3} {'ARI':>6} | silhouette sample"
    )
    for r in rows:
        t = r.get("timings") or {}
        sample = r.get("silhouette_sample") or {}
        print(
            f"{r['rows']:>11,} {r['format']:>7} | {r['wall']:>7.1f} {r['peak_mb']:>8.0f} | "
            + " ".join(f"{t.get(s, float('nan')):>7.2f}" for s in stages)
            + f" | {r['k']!s:>3} {r['ari'] or float('nan'):>6.3f} | {sample.get('rows', '?')} rows"
        )
    sys.stdout.flush()


def methods(work: Path, names: list[str], rows: int = METHOD_ROWS) -> list[dict[str, Any]]:
    """``clusterlab run --method M`` per method on one table, K-Means first (the ratios' base)."""
    table = _table(work, rows)
    order = ["kmeans", *[m for m in names if m != "kmeans"]]
    out = []
    for name in order:
        load = os.getloadavg()[0]
        print(f"  clusterlab --method {name}, {rows:,} rows", file=sys.stderr, flush=True)
        run = run_process(
            ["clusterlab", str(table), str(work / f"method_{name}"), "--label", TRUTH, "--method", name]
        )
        out.append({"method": name, "rows": rows, "load": load, **run})
        _print_methods(out)
    return out


def _print_methods(rows: list[dict[str, Any]]) -> None:
    print("\nEvery method: `clusterlab run --method M` (work: after imports; ratio: to --method kmeans)")
    stages = ("read", "encode", "sweep", "fit", "profile", "write")
    print(
        f"{'method':>13} | {'work s':>7} {'ratio':>6} {'wall s':>7} | "
        + " ".join(f"{s:>7}" for s in stages)
        + f" | {'k':>3} {'ARI':>6} | load"
    )
    base = rows[0]["work"]
    for r in rows:
        t = r.get("timings") or {}
        print(
            f"{r['method']:>13} | {r['work']:>7.1f} {r['work'] / base:>5.2f}x {r['wall']:>7.1f} | "
            + " ".join(f"{t.get(s, float('nan')):>7.2f}" for s in stages)
            + f" | {r['k']!s:>3} {r['ari'] or float('nan'):>6.3f} | {r['load']:.1f}"
        )
    sys.stdout.flush()


def kernel() -> dict[str, Any]:
    from bench.kernel import kernel_line

    line = kernel_line()
    best_other = line.get("faiss")
    print("\nKernel: seconds per Lloyd iteration, 1,000,000 x 16 float32, k = 10")
    for name, value in line.items():
        shown = "not installed" if value is None else f"{value * 1000:8.1f} ms"
        print(f"  {name:<28} {shown}")
    ours = line["sklearn_lloyd"] or 0.0
    best = min(v for v in (ours, best_other, line["clusterlab_partition_step"]) if v)
    print(
        f"  ClusterLab's fit (scikit-learn Lloyd) is {ours / best:.2f}x the best kernel; "
        f"{ours / line['memory_stream']:.1f}x the memory-stream limit"
    )
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="compare,large,kernel")
    parser.add_argument("--sizes", default=",".join(map(str, COMPARE_SIZES)))
    parser.add_argument("--large", default=",".join(map(str, LARGE_SIZES)))
    parser.add_argument("--huge", action="store_true", help="add 10,000,000 rows from Parquet")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--methods", default=",".join(METHODS), help="for --only methods")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="clusterlab-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        report: dict[str, Any] = {"cpus": os.cpu_count()}
        if "compare" in parts:
            report["compare"] = compare(work, [int(s) for s in args.sizes.split(",") if s], args.repeats)
        if "large" in parts:
            report["large"] = large(work, [int(s) for s in args.large.split(",") if s], args.huge)
        if "kernel" in parts:
            report["kernel"] = kernel()
        if "methods" in parts:
            report["methods"] = methods(work, [m for m in args.methods.split(",") if m])
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
