"""The original engine's approach, written from its published description, as the speed reference.

Steps, as described: read the workbook or CSV; encode by dtype (numbers kept with empty cells filled
by the median, text one-hot encoded with ``drop_first`` after filling the commonest value); scale with
``StandardScaler``; PCA keeping 95% of the variance; for k = 2..10 fit K-Means and score it with the
silhouette on **all** rows (quadratic in the rows: the cost this benchmark is about); fit the best k;
per-cluster statistics and charts (elbow, silhouette, PCA map, sizes, per-cluster means; PNG with
matplotlib); export the data with a Cluster column and the statistics to Excel.

    python -m bench.reference data.csv --out results/reference --drop segment

It prints one JSON line: the k chosen, seconds per step, and the output folder. It is a benchmark
reference, not part of ClusterLab: it has none of ClusterLab's checks.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

__all__ = ["run_reference"]

K_RANGE = range(2, 11)
SEED = 42


def _read(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path)
    return pd.read_csv(path)


def _encode(frame: pd.DataFrame) -> pd.DataFrame:
    numeric = frame.select_dtypes(include="number")
    numeric = numeric.fillna(numeric.median())
    text = frame.drop(columns=numeric.columns)
    text = text.fillna(text.mode().iloc[0]) if len(text.columns) else text
    dummies = pd.get_dummies(text.astype(str), drop_first=True, dtype=float)
    return pd.concat([numeric.astype(float), dummies], axis=1)


def _charts(out: Path, scores: pd.DataFrame, Z: np.ndarray, labels: np.ndarray, means: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(scores["k"], scores["inertia"], marker="o")
    ax.set(title="Elbow", xlabel="k", ylabel="inertia")
    fig.savefig(out / "elbow.png", dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(scores["k"], scores["silhouette"], marker="o")
    ax.set(title="Silhouette", xlabel="k", ylabel="silhouette")
    fig.savefig(out / "silhouette.png", dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.scatter(Z[:, 0], Z[:, 1] if Z.shape[1] > 1 else np.zeros(len(Z)), c=labels, s=4, cmap="tab10")
    ax.set(title="Clusters on the first two principal components")
    fig.savefig(out / "pca_clusters.png", dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4))
    sizes = pd.Series(labels).value_counts().sort_index()
    ax.bar(sizes.index.astype(str), sizes.to_numpy())
    ax.set(title="Cluster sizes", xlabel="cluster", ylabel="rows")
    fig.savefig(out / "cluster_sizes.png", dpi=100)
    plt.close(fig)
    for column in means.columns:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.bar(means.index.astype(str), means[column].to_numpy())
        ax.set(title=f"Mean {column} per cluster", xlabel="cluster")
        fig.savefig(out / f"mean_{column}.png", dpi=100)
        plt.close(fig)


def run_reference(path: Path, out: Path, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run the reference pipeline on ``path``, writing its outputs to ``out``; returns k, labels, times."""
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = round(now - clock, 4)
        clock = now

    frame = _read(path)
    lap("read")
    features = frame.drop(columns=[c for c in drop if c in frame.columns])
    X = StandardScaler().fit_transform(_encode(features))
    Z = PCA(n_components=0.95).fit_transform(X)
    lap("encode")
    rows = []
    for k in K_RANGE:
        model = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit(Z)
        rows.append({"k": k, "inertia": model.inertia_, "silhouette": silhouette_score(Z, model.labels_)})
    scores = pd.DataFrame(rows)
    best = int(scores.loc[scores["silhouette"].idxmax(), "k"])
    lap("sweep")
    final = KMeans(n_clusters=best, n_init=10, random_state=SEED).fit(Z)
    labels = final.labels_ + 1
    lap("fit")
    data = frame.assign(Cluster=labels)
    numeric = features.select_dtypes(include="number").columns
    stats = data.groupby("Cluster")[list(numeric)].describe()
    means = data.groupby("Cluster")[list(numeric)].mean()
    text = [c for c in features.columns if c not in numeric]
    shares = [
        data.groupby("Cluster")[c].value_counts(normalize=True).rename("share").reset_index() for c in text
    ]
    out.mkdir(parents=True, exist_ok=True)
    _charts(out, scores, Z, labels, means)
    lap("profile")
    with pd.ExcelWriter(out / "clustered.xlsx") as writer:
        data.to_excel(writer, sheet_name="Clustered Data", index=False)
        stats.to_excel(writer, sheet_name="Cluster Statistics")
        scores.to_excel(writer, sheet_name="K Selection", index=False)
        for column, table in zip(text, shares, strict=True):
            table.to_excel(writer, sheet_name=f"{column[:25]} shares", index=False)
    lap("write")
    return {"k": best, "labels": labels, "timings": times, "out": str(out)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--out", type=Path, default=Path("results/reference"))
    parser.add_argument("--drop", action="append", default=[], help="columns left out (the truth)")
    args = parser.parse_args()
    result = run_reference(args.file, args.out, tuple(args.drop))
    np.save(args.out / "labels.npy", result["labels"])
    print(json.dumps({"k": result["k"], "timings": result["timings"], "out": result["out"]}))


if __name__ == "__main__":
    main()
