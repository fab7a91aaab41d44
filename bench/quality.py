"""Quality benchmark of the k recommendation: `make bench-quality` (or `python -m bench.quality`).

For every labelled set in ``shared/data/clustering-data-v1`` plus scikit-learn's bundled iris, wine,
breast_cancer and digits, it runs ClusterLab as a user would (roles, preprocessing, adaptive sweep,
recommendation, final K-Means) and, in the same run and on the same preprocessed matrix, the
silhouette-only baseline of the original engine (best silhouette over k = 2..10). It prints per set
the true k, each method's k, confidence and ARI of the final labels against the reference labels,
then the summary line: exact-k hits, within-one hits and median ARI for both.

It then clusters the engine's example workbooks (the four random mock workbooks should come out weak
or without structure; the wine workbook has a 9899999.0 cell) and times the recommendation on a
100,000-row mixed table. Sets missing on this machine are skipped with a message.

Options: ``--sets hepta,r15`` (names or battery/name), ``--no-workbooks``, ``--no-timing``,
``--out results/bench_quality.csv``, ``--methods kmeans,gmm,hierarchical,hdbscan,kmedoids``: instead of
the recommendation, each method on ClusterLab's matrix told the true k (HDBSCAN finds its own), with
the median ARI per method (noise rows count as one more group, as a user would see them).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, silhouette_score

from clusterlab.core import ClusterLab, cluster
from clusterlab.core.methods.kmeans import KMeansMethod

BLOB_SETS = ("hepta", "tetra", "mk1", "x1", "r15", "s1")
NON_CONVEX = ("atom", "chainlink", "spiral", "z1")
MOCK_WORKBOOKS = (
    "mock_dataset_customer_data.xlsx",
    "mock_dataset_car_data.xlsx",
    "mock_citizen_data.xlsx",
    "patient_data.xlsx",
)
SEED = 42


def data_root() -> Path | None:
    """The shared data folder: $CLUSTERLAB_DATA, else the nearest ``shared/data`` above this repo."""
    if os.environ.get("CLUSTERLAB_DATA"):
        path = Path(os.environ["CLUSTERLAB_DATA"])
        return path if path.is_dir() else None
    here = Path(__file__).resolve().parent
    for parent in [here, *here.parents]:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


@dataclass
class Labelled:
    name: str
    X: np.ndarray
    truth: np.ndarray  # 0 marks noise points, left out of the ARI (the suite's convention)


def labelled_sets(root: Path | None, only: set[str] | None) -> list[Labelled]:
    from sklearn import datasets

    sets: list[Labelled] = []
    suite = root / "clustering-data-v1" if root else None
    if suite is None or not suite.is_dir():
        print(
            "clustering-data-v1 not found (set CLUSTERLAB_DATA to the shared data folder); "
            "running scikit-learn's bundled sets only.",
            file=sys.stderr,
        )
    else:
        for path in sorted(suite.glob("*/*.data.txt")):
            name = f"{path.parent.name}/{path.name.removesuffix('.data.txt')}"
            labels = path.with_name(path.name.replace(".data.txt", ".labels0.txt"))
            if labels.is_file():
                sets.append(Labelled(name, np.loadtxt(path, ndmin=2), np.loadtxt(labels, dtype=int)))
    for loader in ("iris", "wine", "breast_cancer", "digits"):
        bunch = getattr(datasets, f"load_{loader}")()
        sets.append(Labelled(f"sklearn/{loader}", np.asarray(bunch.data, float), bunch.target + 1))
    if only:
        sets = [s for s in sets if s.name in only or s.name.split("/")[-1] in only]
    return sets


def ari(labels: np.ndarray, truth: np.ndarray) -> float:
    keep = truth > 0
    return float(adjusted_rand_score(truth[keep], labels[keep]))


def silhouette_baseline(matrix: np.ndarray, seed: int = SEED) -> tuple[int, np.ndarray]:
    """The original engine's rule: the k in 2..10 with the best silhouette, then K-Means at that k."""
    n = len(matrix)
    rng = np.random.default_rng(seed)
    sample = np.arange(n) if n <= 5000 else rng.choice(n, 5000, replace=False)
    kmeans = KMeansMethod()
    best_k, best = 2, -np.inf
    for k in range(2, min(10, n - 1) + 1):
        labels = kmeans.fit(matrix, k, seed, 3).labels
        if len(np.unique(labels[sample])) < 2:
            continue
        score = silhouette_score(matrix[sample], labels[sample])
        if score > best:
            best_k, best = k, score
    return best_k, kmeans.fit(matrix, best_k, seed, 10).labels


def run_labelled(sets: list[Labelled], method: str = "auto") -> pd.DataFrame:
    rows = []
    header = (
        f"{'dataset':24} {'n':>6} {'true':>4} | {'method':8} {'k':>3} {'confidence':10} {'structure':9} {'ARI':>6} "
        f"{'sec':>5} | {'base k':>6} {'ARI':>6}"
    )
    print(header)
    print("-" * len(header))
    for item in sets:
        frame = pd.DataFrame(item.X, columns=[f"x{i}" for i in range(item.X.shape[1])])
        start = time.perf_counter()
        model = ClusterLab(k="auto", settings={"seed": SEED, "method": method})
        embedding = model.fit_transform(frame)
        seconds = time.perf_counter() - start
        rec = model.recommendation_
        base_k, base_labels = silhouette_baseline(embedding)
        true_k = len(np.unique(item.truth[item.truth > 0]))
        row = {
            "dataset": item.name,
            "n": len(frame),
            "true_k": true_k,
            "method": model.method_.name,
            "k": rec.k,
            "confidence": rec.confidence,
            "structure": rec.structure,
            "ari": ari(model.labels_, item.truth),
            "seconds": seconds,
            "baseline_k": base_k,
            "baseline_ari": ari(base_labels, item.truth),
        }
        rows.append(row)
        flag = " (non-convex)" if item.name.split("/")[-1] in NON_CONVEX else ""
        print(
            f"{item.name:24} {row['n']:>6} {true_k:>4} | {row['method']:8} {rec.k:>3} {rec.confidence:10} {rec.structure:9} "
            f"{row['ari']:>6.3f} {seconds:>5.1f} | {base_k:>6} {row['baseline_ari']:>6.3f}{flag}",
            flush=True,
        )
    return pd.DataFrame(rows)


def summarise(table: pd.DataFrame) -> str:
    n = len(table)

    def figures(k: str, score: str) -> str:
        exact = int((table[k] == table["true_k"]).sum())
        near = int(((table[k] - table["true_k"]).abs() <= 1).sum())
        return (
            f"exact-k {exact}/{n} ({exact / n:.0%}), within-one {near}/{n} ({near / n:.0%}), "
            f"median ARI {table[score].median():.3f}"
        )

    # Which method each set got (--method auto), when the table says so.
    counts = table["method"].value_counts().items() if "method" in table else []
    methods = ", ".join(f"{m} {n}" for m, n in counts)
    name = f"ClusterLab ({methods})" if methods else "ClusterLab"
    return (
        f"{name}: {figures('k', 'ari')} | silhouette-only baseline: {figures('baseline_k', 'baseline_ari')}"
    )


def blob_verdict(table: pd.DataFrame) -> str:
    picked = table[table["dataset"].str.split("/").str[-1].isin(BLOB_SETS)]
    parts = [
        f"{r.dataset.split('/')[-1]} k={r.k} ({r.confidence})"
        + ("" if r.k == r.true_k and r.confidence == "strong" else " MISS")
        for r in picked.itertuples()
    ]
    return "Clean blob sets (want strong and the true k): " + (", ".join(parts) or "none found")


def run_workbooks(root: Path | None, method: str = "auto") -> None:
    folder = root / "kmeans_engine" if root else None
    if folder is None or not folder.is_dir():
        print("kmeans_engine workbooks not found; skipped.", file=sys.stderr)
        return
    print("\nExample workbooks (the four mock workbooks should be weak or without structure):")
    for name in (*MOCK_WORKBOOKS, "wine_chemicals_data.xlsx", "credit_card_data.xlsx"):
        path = folder / name
        if not path.is_file():
            print(f"  {name}: missing, skipped")
            continue
        start = time.perf_counter()
        result = cluster(path, seed=SEED, method=method)
        rec = result.recommendation
        extra = ""
        if name.startswith("wine"):
            from sklearn.datasets import load_wine

            extra = f", ARI vs wine cultivars {adjusted_rand_score(load_wine().target, result.clusters):.3f}"
        print(
            f"  {name:34} {result.model.method_.name} k={rec.k} {rec.confidence} confidence, structure {rec.structure}"
            f"{extra} ({time.perf_counter() - start:.1f} s)"
        )


def mixed_table(n: int = 100_000, seed: int = SEED) -> tuple[pd.DataFrame, np.ndarray]:
    """A mixed table with 4 planted groups: 5 numeric, a heavy-tailed spend, 3 categorical, 1 binary."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 4, n)
    centres = 5.0 * np.eye(4, 5)  # each group stands out in one numeric column
    numbers = centres[group] + rng.normal(size=(n, 5))
    frame = pd.DataFrame(numbers, columns=["age", "tenure", "visits", "score", "balance"])
    frame["spend"] = np.round(np.exp(rng.normal(5 + group * 0.6, 0.8)), 2)
    frame["plan"] = np.array(["Basic", "Plus", "Premium", "Family"])[(group + (rng.random(n) < 0.2)) % 4]
    frame["region"] = rng.choice(["North", "South", "East", "West", "Central"], n)
    frame["channel"] = rng.choice(["web", "store", "phone"], n, p=[0.6, 0.3, 0.1])
    frame["newsletter"] = np.where(rng.random(n) < 0.3 + 0.1 * group, "Yes", "No")
    return frame, group


def run_timing(n: int = 100_000, method: str = "auto") -> None:
    frame, group = mixed_table(n)
    start = time.perf_counter()
    model = ClusterLab(k="auto", settings={"seed": SEED, "method": method}).fit(frame)
    total = time.perf_counter() - start
    rec = model.recommendation_
    t = model.timings_
    print(
        f"\n{n:,}-row mixed table ({frame.shape[1]} columns, 4 planted groups), method {method}: "
        f"{model.method_.name}, k={rec.k} "
        f"({rec.confidence}) in {t.get('roles', 0) + t.get('encode', 0) + t.get('sweep', 0):.1f} s "
        f"(roles {t.get('roles', 0):.1f}, encode {t.get('encode', 0):.1f}, sweep+recommend "
        f"{t.get('sweep', 0):.1f} over k={rec.k_range[0]}..{rec.k_range[1]}); whole fit {total:.1f} s; "
        f"ARI vs planted groups {adjusted_rand_score(group, model.labels_):.3f}."
    )


def run_per_method(sets: list[Labelled], methods: list[str]) -> pd.DataFrame:
    """Each method on ClusterLab's encoded matrix at the true k; per set the ARI and seconds."""
    from clusterlab.core.encode.preprocessor import Preprocessor
    from clusterlab.core.methods import make_method
    from clusterlab.core.roles.column_roles import ColumnChoices, detect_roles
    from clusterlab.core.settings import Settings

    settings = Settings.parse({"seed": SEED})
    rows = []
    print(f"{'dataset':24} {'n':>6} {'true':>4} | " + " ".join(f"{m:>12}" for m in methods))
    for item in sets:
        frame = pd.DataFrame(item.X, columns=[f"x{i}" for i in range(item.X.shape[1])])
        roles, _ = detect_roles(frame, ColumnChoices())
        matrix = Preprocessor(roles, settings).fit_transform(frame)
        true_k = len(np.unique(item.truth[item.truth > 0]))
        row: dict[str, object] = {"dataset": item.name, "n": len(frame), "true_k": true_k}
        for name in methods:
            method = make_method(name, settings.to_dict())
            start = time.perf_counter()
            try:
                fitted = method.fit_final(matrix, true_k if method.needs_k else None, SEED, 10, matrix)
                row[name] = ari(fitted.labels, item.truth)
                row[f"{name}_k"] = fitted.k
            except Exception as err:  # a method that cannot fit a set scores nothing there
                print(f"  {name} on {item.name}: {type(err).__name__}: {err}", file=sys.stderr)
                row[name] = np.nan
            row[f"{name}_seconds"] = time.perf_counter() - start
        rows.append(row)
        print(
            f"{item.name:24} {len(frame):>6} {true_k:>4} | " + " ".join(f"{row[m]:>12.3f}" for m in methods),
            flush=True,
        )
    table = pd.DataFrame(rows)
    print(
        "Median ARI at the true k: "
        + ", ".join(f"{m} {table[m].median():.3f} ({table[f'{m}_seconds'].sum():.0f} s)" for m in methods)
    )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n")[0])
    parser.add_argument("--sets", help="comma-separated dataset names (default: all)")
    parser.add_argument("--no-workbooks", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--out", type=Path, help="also write the per-set table as CSV")
    parser.add_argument(
        "--method", default="auto", help="the method setting for every run (default auto; e.g. kmeans)"
    )
    parser.add_argument("--methods", help="comma-separated methods to compare at the true k")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", category=FutureWarning)
    root = data_root()
    only = set(args.sets.split(",")) if args.sets else None
    if args.methods:
        per_method = run_per_method(labelled_sets(root, only), args.methods.split(","))
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            per_method.to_csv(args.out, index=False)
        return 0
    table = run_labelled(labelled_sets(root, only), args.method)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.out, index=False)
    if not args.no_workbooks and not only:
        run_workbooks(root, args.method)
    if not args.no_timing and not only:
        run_timing(method=args.method)
    if not table.empty:  # the summary comes last, so it is the last line of the output
        print()
        print(blob_verdict(table))
        print(summarise(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
