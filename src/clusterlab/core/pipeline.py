"""The two things people do: cluster a table, and assign new rows to a fitted model.

Both take a file path or a DataFrame and return a :class:`~.clustering.Clustering`. Data flows one
way: read -> roles -> encode -> choose k -> fit -> explain; writing files is for the layers above
(:func:`clusterlab.cluster` and :func:`clusterlab.assign` return the same with its outputs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from .clustering import NOISE_CLUSTER, PROBABILITY_COLUMN, Clustering
from .errors import ModelError, Note
from .estimator import ClusterLab
from .explain.evaluation import evaluate
from .explain.outliers import outlier_rule
from .explain.profiles import profile_clusters
from .formatting import format_share, quoted_list
from .methods.gmm import CLEAR_PROBABILITY
from .progress import ProgressCallback, StageTimer, emit
from .read.readers import Table, read_table, table_from_frame
from .settings import Settings

__all__ = ["assign", "cluster", "load_data"]

DataSource: TypeAlias = str | Path | pd.DataFrame | Table


def load_data(data: DataSource, *, sheet: str | None = None, name: str | None = None) -> Table:
    """Read a file (or wrap a DataFrame) into a :class:`Table`."""
    if isinstance(data, Table):
        return data
    if isinstance(data, pd.DataFrame):
        return table_from_frame(data, name or "data")
    return read_table(data, sheet=sheet, name=name)


def cluster(
    data: DataSource,
    k: int | str = "auto",
    *,
    sheet: str | None = None,
    roles: Mapping[str, str] | None = None,
    exclude: Sequence[str] = (),
    ordinal: Mapping[str, Sequence[str]] | None = None,
    label: str | None = None,
    algorithm: str | None = None,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    name: str | None = None,
    **settings: Any,
) -> Clustering:
    """Cluster the rows of a spreadsheet or DataFrame.

    Parameters
    ----------
    data : path to .xlsx/.xls/.csv/.tsv/.txt/.parquet, or a DataFrame
    k : int or "auto"
    sheet, roles, exclude, ordinal, label : see :class:`ClusterLab`
    algorithm : deprecated name of the ``method`` setting (``method="gmm"``)
    progress : callable receiving :class:`ProgressEvent`
    **settings : any entry of the settings table (``k_max=15``, ``seed=7``...)

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> result = cluster(load_iris(as_frame=True).frame, k=3, label="target")
    >>> result.k, round(result.evaluation.ari, 2)
    (3, 0.62)
    """
    parsed = Settings.parse({**settings, "sheet": sheet})
    timer = StageTimer()
    with timer("read"):
        emit(progress, "read", f"reading {name or getattr(data, 'name', None) or 'data'}")
        table = load_data(data, sheet=parsed.sheet, name=name)
        emit(progress, "read", f"read {table.describe()}", 1, 1)
    model = ClusterLab(
        k=k, settings=parsed, roles=roles, exclude=exclude, ordinal=ordinal, label=label, algorithm=algorithm
    )
    embedding = model.fit_transform(table.frame, progress=progress, executor=executor)
    timings = {**timer.seconds, **model.timings_}
    clusters = model.labels_
    with timer("profile"):
        emit(progress, "profile", "profiling clusters")
        profiles = profile_clusters(table.frame, _as_series(clusters), model.roles_)
        label_info = model.roles_.label
        evaluation = (
            evaluate(_as_series(clusters), table.frame[label_info.name], label_info.name)
            if label_info is not None
            else None
        )
    timings["profile"] = timer.seconds["profile"]
    notes = table.notes + model.notes_ + ([evaluation.note] if evaluation and evaluation.note else [])
    notes += _method_notes(model, clusters)
    return Clustering(
        table,
        model,
        clusters,
        embedding,
        profiles,
        evaluation,
        notes,
        timings,
        probabilities=model.probabilities_,
    )


def assign(
    model: ClusterLab,
    data: DataSource,
    *,
    sheet: str | None = None,
    progress: ProgressCallback | None = None,
    name: str | None = None,
) -> Clustering:
    """Label new rows with a fitted model: the same preprocessing, the nearest of the same centres.

    Columns the model needs but the file lacks are treated as empty (and reported); values unseen in
    training are reported per column; extra columns are kept in the output and ignored.
    """
    timer = StageTimer()
    with timer("read"):
        emit(progress, "read", "reading new data")
        table = load_data(data, sheet=sheet, name=name)
    with timer("encode"):
        emit(progress, "encode", "checking columns and encoding")
        frame, notes = _align(model, table)
        matrix = model.preprocessor_.transform(frame)
    with timer("fit"):
        emit(progress, "fit", "assigning rows to the nearest cluster")
        clusters = model.assign_matrix(matrix)
        probabilities = model.assign_probabilities(matrix)
        if model.settings_.impute == "none":
            features = list(model.feature_names_in_)
            incomplete = frame[features].isna().any(axis=1).to_numpy()
            clusters = np.where(incomplete, -1, clusters)
            if probabilities is not None:
                probabilities = np.where(incomplete, np.nan, probabilities)
    with timer("profile"):
        profiles = profile_clusters(frame, _as_series(clusters), model.roles_)
        label_info = model.roles_.label
        evaluation = None
        # New data often lacks the known groups (or leaves them empty): then there is nothing to score.
        if (
            label_info is not None
            and label_info.name in table.frame.columns
            and table.frame[label_info.name].notna().any()
        ):
            evaluation = evaluate(_as_series(clusters), table.frame[label_info.name], label_info.name)
            notes += [evaluation.note] if evaluation.note else []
    if getattr(model, "outlier_thresholds_", None) is None:
        notes.append(
            Note(
                "assign",
                "The model file has no outlier thresholds (made by an older ClusterLab); outliers are "
                "the rows "
                f"{outlier_rule(model.settings_).text}, "
                "learned from these rows instead.",
            )
        )
    return Clustering(
        table,
        model,
        clusters,
        matrix,
        profiles,
        evaluation,
        table.notes + notes,
        timer.seconds,
        kind="assign",
        probabilities=probabilities,
    )


def _method_notes(model: ClusterLab, clusters: np.ndarray) -> list[Note]:
    """What a reader must know of the method's answer: the Noise rows, the rows without a clear home."""
    notes = []
    noise = int((clusters == NOISE_CLUSTER).sum())
    if noise:
        notes.append(
            Note(
                "fit",
                f"{noise:,} row(s) ({format_share(noise / len(clusters))}) lie in no dense group: {model.method_.title} "
                "left them as Noise (Cluster 0, shown as Noise). They are kept in the output and left out of "
                "the clusters' profiles and outliers.",
                count=noise,
            )
        )
    probabilities = model.probabilities_
    if probabilities is not None:
        unclear = int((probabilities < CLEAR_PROBABILITY).sum())
        if unclear:
            notes.append(
                Note(
                    "fit",
                    f"{unclear:,} row(s) have no clear home: their probability of their own cluster is "
                    f"under {CLEAR_PROBABILITY:.0%} (column '{PROBABILITY_COLUMN}').",
                    count=unclear,
                )
            )
    return notes


def _align(model: ClusterLab, table: Table) -> tuple[pd.DataFrame, list[Note]]:
    frame = table.frame
    needed = [str(c) for c in model.feature_names_in_]
    label = model.roles_.label
    missing = [c for c in needed if c not in frame.columns]
    if len(missing) == len(needed):
        raise ModelError(
            f"None of the {len(needed)} columns the model uses are in '{table.name}'. It needs: "
            f"{quoted_list(needed, 10)}.",
            detail={"missing": missing},
        )
    notes: list[Note] = []
    if missing:
        notes.append(
            Note(
                "assign",
                "Column(s) used in training are missing from the new file and were treated as "
                "empty (filled as in training): " + ", ".join(f"'{c}'" for c in missing) + ".",
                count=len(missing),
                level="warning",
            )
        )
        frame = frame.assign(**{c: pd.Series([None] * len(frame), dtype=object) for c in missing})
    if label is not None and label.name not in frame.columns:
        frame = frame.assign(**{label.name: pd.Series([None] * len(frame), dtype=object)})
    known = {c.name for c in model.roles_}
    extra = [c for c in table.frame.columns if c not in known]
    if extra:
        notes.append(
            Note(
                "assign",
                f"Column(s) not seen in training are kept in the output but not used: {quoted_list(extra, 10)}.",
                count=len(extra),
            )
        )
    for encoder in model.preprocessor_.encoders():
        if encoder.column not in missing:
            notes.extend(encoder.new_data_notes(frame[encoder.column]))
    return frame, notes


def _as_series(clusters: np.ndarray) -> pd.Series:
    values = pd.array(clusters, dtype="Int64")
    values[clusters <= 0] = pd.NA
    return pd.Series(values)
