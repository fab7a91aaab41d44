"""Clustering partitioned Parquet or CSV that need not fit in one machine's memory, on a Dask cluster.

The flow, and why each step runs where it does:

1. **Read** the parts lazily with ``dask.dataframe`` (a folder of ``.parquet`` or ``.csv`` files, or a
   glob); CSV cells are read as text and numbers parsed by the same encoders as a local run.
2. **Sample** a seeded share of the rows (``sample_rows``, 200,000 by default) into this process.
3. **Fit on the sample** what needs all rows at once and gains nothing from more: column roles,
   the preprocessing (medians, levels, scales, PCA) and the k sweep with its criteria (the sweep's
   k jobs run on the cluster). The recommended k and its centres come from there.
4. **Refine on every row**: Lloyd iterations as a map-reduce (:mod:`.lloyd`): each partition,
   preprocessed once and kept in the workers' memory as float32, returns per-centre sums and
   counts; this process adds them and moves the centres, until they stop moving (scikit-learn's
   tolerance) or ``max_iter``.
5. **Write back** partition by partition: each part of the input with ``Cluster`` (1..k, largest
   first) and ``Distance`` (to its centre) as ``part-00000.parquet``... in ``out/clustered/``, and
   ``summary.json`` beside it (k, the recommendation, the k table, cluster sizes, timings).

Rows with empty feature cells are filled as in a local run (``impute="fill"``); ``impute="none"``
is not available here.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import InputError, SettingsError
from ..core.estimator import ClusterLab
from ..core.progress import ProgressCallback, StageTimer, emit
from ..core.read.readers import table_from_frame
from ..core.settings import Settings
from ..outputs.text_files import clean_json
from .engine import DaskExecutor
from .lloyd import combine, partial_sums, update_centres

__all__ = ["SAMPLE_ROWS", "cluster_partitioned", "read_partitioned"]

SAMPLE_ROWS = 200_000
MAX_ITER = 100
TOL = 1e-4  # as scikit-learn: stop when centres move less than this share of the mean variance


def read_partitioned(source: str | Path) -> Any:
    """A lazy ``dask.dataframe`` over a folder of Parquet or CSV parts, a glob, or one big file."""
    import dask.dataframe as dd

    text = str(source)
    path = Path(text)
    if path.is_dir():
        files = sorted(str(p) for p in path.iterdir() if p.suffix.lower() in (".parquet", ".pq", ".csv"))
    else:
        files = sorted(glob.glob(text)) if any(c in text for c in "*?[") else [text] if path.exists() else []
    if not files:
        raise InputError(
            f"No Parquet or CSV files found at '{source}'; give a folder of .parquet or .csv parts, "
            "or a pattern such as 'data/part-*.parquet'.",
            detail={"file": text},
        )
    kinds = {Path(f).suffix.lower() for f in files}
    if kinds <= {".parquet", ".pq"}:
        return dd.read_parquet(files)
    if kinds == {".csv"}:
        # Text, as the local reader does: the encoders parse numbers the same way everywhere.
        return dd.read_csv(files, dtype=str, blocksize="64MB")
    raise InputError(
        f"The parts at '{source}' mix formats ({', '.join(sorted(kinds))}); use one format.",
        detail={"file": text},
    )


def _transform(part: pd.DataFrame, preprocessor: Any) -> np.ndarray:
    return np.asarray(preprocessor.transform(part), dtype=np.float32)


def _write_part(
    part: pd.DataFrame,
    preprocessor: Any,
    centres: np.ndarray,
    numbers: np.ndarray,
    names: tuple[str, str],
    path: str,
) -> int:
    from .lloyd import assign

    labels, squared = assign(_transform(part, preprocessor), centres)
    out = part.assign(**{names[0]: numbers[labels], names[1]: np.sqrt(squared).round(6)})
    out.to_parquet(path, index=False)
    return len(out)


def cluster_partitioned(
    source: str | Path,
    out_dir: str | Path,
    client: Any,
    k: int | str = "auto",
    *,
    settings: Settings | Mapping[str, Any] | None = None,
    roles: Mapping[str, str] | None = None,
    exclude: Sequence[str] = (),
    ordinal: Mapping[str, Sequence[str]] | None = None,
    label: str | None = None,
    sample_rows: int = SAMPLE_ROWS,
    max_iter: int = MAX_ITER,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Cluster every row of a partitioned table on a Dask cluster (module docstring); returns the summary.

    Examples
    --------
    >>> from clusterlab.distributed.engine import connect  # doctest: +SKIP
    >>> summary = cluster_partitioned("data/parts/", "results/", connect())  # doctest: +SKIP
    >>> summary["k"], summary["output"]["folder"]  # doctest: +SKIP
    (5, 'results/clustered')
    """
    import dask

    parsed = settings if isinstance(settings, Settings) else Settings.parse(settings or {})
    if parsed.impute == "none":
        raise SettingsError(
            "impute='none' is not available for partitioned input on the Dask engine; use impute='fill'.",
            detail={"setting": "impute"},
        )
    timer = StageTimer()
    out = Path(out_dir)
    with timer("read"):
        emit(progress, "read", f"reading the parts of {source}")
        frame = read_partitioned(source)
        sizes = np.asarray(dask.compute(frame.map_partitions(len))[0], dtype=np.int64)
        n_rows = int(sizes.sum())
        if n_rows == 0:
            raise InputError(f"'{source}' has a header but no data rows.", detail={"file": str(source)})
        share = min(1.0, sample_rows / n_rows)
        sample = frame.sample(frac=share, random_state=parsed.seed) if share < 1.0 else frame
        local = table_from_frame(sample.compute().reset_index(drop=True), name=str(source))
        emit(
            progress,
            "read",
            f"{n_rows:,} rows in {frame.npartitions} parts; {len(local.frame):,} sampled",
            1,
            1,
        )
    executor = DaskExecutor(client)
    model = ClusterLab(k, settings=parsed, roles=roles, exclude=exclude, ordinal=ordinal, label=label)
    sample_matrix = model.fit_transform(local.frame, progress=progress, executor=executor)
    timings = {**timer.seconds, **model.timings_}
    with timer("refine"):
        emit(progress, "fit", f"refining {model.k_} centres on all {n_rows:,} rows")
        pre = client.scatter(model.preprocessor_, broadcast=True)
        matrices = client.compute([dask.delayed(_transform)(part, pre) for part in frame.to_delayed()])
        centres = np.asarray(model.cluster_centers_, dtype=np.float64)
        tol = TOL * float(np.mean(np.var(sample_matrix, axis=0))) if len(sample_matrix) else 0.0
        converged, iterations, inertia = False, 0, float("nan")
        counts = np.zeros(len(centres), dtype=np.int64)
        for iterations in range(1, max_iter + 1):
            parts = client.gather([client.submit(partial_sums, m, centres, pure=False) for m in matrices])
            sums, counts, inertia = combine(parts)
            moved = update_centres(sums, counts, centres)
            shift = float(((moved - centres) ** 2).sum())
            centres = moved
            emit(progress, "fit", f"iteration {iterations}: centres moved {shift:.3g}", iterations, max_iter)
            if shift <= tol:
                converged = True
                break
        # Counts and inertia of the final centres (the loop's were for the centres before the move).
        sums, counts, inertia = combine(
            client.gather([client.submit(partial_sums, m, centres, pure=False) for m in matrices])
        )
        del matrices
    # Clusters numbered 1..k by size, largest first, as in a local run: centre i is cluster i + 1.
    order = np.lexsort((np.arange(len(counts)), -counts))
    centres = centres[order]
    numbers = np.arange(1, len(order) + 1)
    names = _free_names(list(frame.columns))
    with timer("write"):
        emit(progress, "write", f"writing {frame.npartitions} parts to {out / 'clustered'}")
        folder = out / "clustered"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.parquet"):
            old.unlink()
        writes = [
            dask.delayed(_write_part)(
                part, pre, centres, numbers, names, str(folder / f"part-{i:05d}.parquet")
            )
            for i, part in enumerate(frame.to_delayed())
        ]
        written = int(sum(dask.compute(*writes)))
    timings.update(read=timer.seconds["read"], refine=timer.seconds["refine"], write=timer.seconds["write"])
    rec = model.recommendation_
    summary = {
        "kind": "run",
        "engine": "dask",
        "source": {"file": str(source), "format": "partitioned", "partitions": int(frame.npartitions)},
        "n_rows": n_rows,
        "n_rows_written": written,
        "sample_rows": len(local.frame),
        "recommended_k": int(rec.k),
        "k": int(model.k_),
        "recommendation": rec.to_dict(),
        "k_selection": model.sweep_.table.to_dict(orient="records"),
        "silhouette_sample": {"rows": int(model.sweep_.sample_size), "exact": False},
        "cluster_sizes": [
            {"cluster": i + 1, "rows": int(n), "share": float(n) / n_rows}
            for i, n in enumerate(counts[order])
        ],
        "refine": {"iterations": iterations, "converged": converged, "inertia": inertia},
        "cluster_column": names[0],
        "distance_column": names[1],
        "columns_used": [str(c) for c in model.feature_names_in_],
        "notes": [n.to_dict() for n in local.notes + model.notes_],
        "timings": timings,
        "settings": parsed.to_dict(),
        "output": {"folder": str(folder), "parts": len(writes)},
    }
    (out / "summary.json").write_text(
        json.dumps(clean_json(summary), indent=2, allow_nan=False, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    emit(progress, "write", f"done: {written:,} rows in {folder}", 1, 1)
    return summary


def _free_names(columns: list[str]) -> tuple[str, str]:
    def free(base: str) -> str:
        name, n = base, 1
        while name in columns:
            n += 1
            name = f"{base}_{n}"
        return name

    return free("Cluster"), free("Distance")
