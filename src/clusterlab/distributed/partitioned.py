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
   ``summary.json`` beside it (k, the recommendation, the k table, cluster sizes, timings). Its
   shared parts come from :mod:`clusterlab.outputs.summary`, whose docstring says how it differs
   from a local run's.

Rows with empty feature cells are filled as in a local run (``impute="fill"``); ``impute="none"``
is not available here.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.clustering import CLUSTER_COLUMN, DISTANCE_COLUMN, free_column_name
from ..core.errors import InputError, SettingsError
from ..core.estimator import ClusterLab, order_by_size
from ..core.progress import ProgressCallback, StageTimer, emit
from ..core.read.readers import Table, table_from_frame
from ..core.settings import Settings
from ..outputs.summary import columns_used, k_choice_summary, note_summary, settings_summary, size_summary
from ..outputs.text_files import write_json
from .engine import DaskExecutor
from .lloyd import Refined, assign, partial_sums, refine, scaled_tolerance

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
    parsed = _fill_only(settings)
    timer = StageTimer()
    out = Path(out_dir)
    with timer("read"):
        frame, n_rows, local = _read_sample(source, sample_rows, parsed.seed, progress)
    model = ClusterLab(k, settings=parsed, roles=roles, exclude=exclude, ordinal=ordinal, label=label)
    sample_matrix = model.fit_transform(local.frame, progress=progress, executor=DaskExecutor(client))
    timings = {**timer.seconds, **model.timings_}
    with timer("refine"):
        emit(progress, "fit", f"refining {model.k_} centres on all {n_rows:,} rows")
        pre = client.scatter(model.preprocessor_, broadcast=True)
        tol = scaled_tolerance(sample_matrix, TOL)
        refined = _refine_on_workers(client, frame, pre, model.cluster_centers_, tol, max_iter, progress)
    # Clusters numbered 1..k by size, largest first, as in a local run: centre i is cluster i + 1.
    order = order_by_size(refined.counts)
    names = (
        free_column_name(CLUSTER_COLUMN, frame.columns),
        free_column_name(DISTANCE_COLUMN, frame.columns),
    )
    folder = out / "clustered"
    with timer("write"):
        emit(progress, "write", f"writing {frame.npartitions} parts to {folder}")
        written = _write_parts(frame, pre, refined.centres[order], names, folder)
    timings.update(read=timer.seconds["read"], refine=timer.seconds["refine"], write=timer.seconds["write"])
    summary = {
        "kind": "run",
        "engine": "dask",
        "source": {"file": str(source), "format": "partitioned", "partitions": int(frame.npartitions)},
        "n_rows": n_rows,
        "n_rows_written": written,
        "sample_rows": len(local.frame),
        **k_choice_summary(model, exact=False),
        "cluster_sizes": size_summary(range(1, len(order) + 1), refined.counts[order], n_rows),
        "refine": {
            "iterations": refined.iterations,
            "converged": refined.converged,
            "inertia": refined.inertia,
        },
        "cluster_column": names[0],
        "distance_column": names[1],
        "columns_used": columns_used(model),
        "notes": note_summary(local.notes + model.notes_),
        "timings": timings,
        "settings": settings_summary(parsed),
        "output": {"folder": str(folder), "parts": int(frame.npartitions)},
    }
    write_json(summary, out / "summary.json")
    emit(progress, "write", f"done: {written:,} rows in {folder}", 1, 1)
    return summary


def _fill_only(settings: Settings | Mapping[str, Any] | None) -> Settings:
    """The parsed settings, or :class:`SettingsError` for ``impute="none"`` (leaving rows out would
    need a second pass over every part to find them) and for a method other than K-Means."""
    parsed = settings if isinstance(settings, Settings) else Settings.parse(settings or {})
    if parsed.method not in ("auto", "kmeans"):
        # The parts are clustered by refining K-Means centres on every worker; other methods'
        # predict would need their whole state on every worker and their fit on one sample.
        raise SettingsError(
            f"method='{parsed.method}' is not available for partitioned input on the Dask engine, which "
            "refines K-Means centres part by part; use method='kmeans', or cluster one file.",
            detail={"setting": "method"},
        )
    if parsed.impute == "none":
        raise SettingsError(
            "impute='none' is not available for partitioned input on the Dask engine; use impute='fill'.",
            detail={"setting": "impute"},
        )
    return parsed


def _read_sample(
    source: str | Path, sample_rows: int, seed: int, progress: ProgressCallback | None
) -> tuple[Any, int, Table]:
    """The lazy table of every part, its number of rows, and a seeded sample of about
    ``sample_rows`` of them read into this process (every row when there are no more)."""
    import dask

    emit(progress, "read", f"reading the parts of {source}")
    frame = read_partitioned(source)
    sizes = np.asarray(dask.compute(frame.map_partitions(len))[0], dtype=np.int64)
    n_rows = int(sizes.sum())
    if n_rows == 0:
        raise InputError(f"'{source}' has a header but no data rows.", detail={"file": str(source)})
    share = min(1.0, sample_rows / n_rows)
    sample = frame.sample(frac=share, random_state=seed) if share < 1.0 else frame
    local = table_from_frame(sample.compute().reset_index(drop=True), name=str(source))
    emit(
        progress, "read", f"{n_rows:,} rows in {frame.npartitions} parts; {len(local.frame):,} sampled", 1, 1
    )
    return frame, n_rows, local


def _refine_on_workers(
    client: Any,
    frame: Any,
    preprocessor: Any,
    centres: np.ndarray,
    tol: float,
    max_iter: int,
    progress: ProgressCallback | None,
) -> Refined:
    """Lloyd iterations (:func:`.lloyd.refine`) on every row: each partition is preprocessed once and
    kept in the workers' memory as float32 for the iterations, and released when they end."""
    import dask

    matrices = client.compute([dask.delayed(_transform)(part, preprocessor) for part in frame.to_delayed()])

    def sums_at(centres: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, float]]:
        return list(client.gather([client.submit(partial_sums, m, centres, pure=False) for m in matrices]))

    return refine(sums_at, centres, tol, max_iter, progress)


def _write_parts(
    frame: Any, preprocessor: Any, centres: np.ndarray, names: tuple[str, str], folder: Path
) -> int:
    """Each part with its Cluster and Distance columns as ``folder/part-00000.parquet``... (earlier
    parts removed first); returns the rows written."""
    import dask

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    numbers = np.arange(1, len(centres) + 1)  # centre i is cluster i + 1
    writes = [
        dask.delayed(_write_part)(
            part, preprocessor, centres, numbers, names, str(folder / f"part-{i:05d}.parquet")
        )
        for i, part in enumerate(frame.to_delayed())
    ]
    return int(sum(dask.compute(*writes)))
