"""clustered.xlsx: which sheets, which tables and charts, in what order.

"Clustered Data" (the user's table with Cluster, Cluster name, Distance and Outlier), "Cluster
Profiles" (names, descriptions, distinguishing features, statistics with each column's decimals as
report.html writes them, category shares and a chart of the sizes),
"K Selection" (every criterion per k, with a silhouette chart), "Columns" (roles and evidence) and
"Settings" (the run, every setting and every note). :mod:`.excel_writer` does the safe writing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..core.clustering import Clustering
from ..core.errors import InputError
from ..core.explain.profiles import ALL
from .excel_writer import EXCEL_MAX_ROWS, Block
from .number_formats import column_formats
from .palette import cluster_colour
from .summary import run_summary
from .text_files import with_names

__all__ = ["Sheet", "workbook_sheets"]

Sheet = tuple[str, list[Block], dict[str, Any]]
COUNT, PERCENT = "#,##0", "0.0%"


def _data_formats(result: Clustering) -> dict[str, str]:
    """Number formats of the added columns; Cluster 0 (Noise) reads "Noise" while its value stays 0,
    so the column sorts and filters as numbers (see NOISE_CLUSTER in core/clustering.py)."""
    formats = {result.distance_column: "0.000"}
    if result.noise_count:
        formats[result.cluster_column] = '0;-0;"Noise"'
    if result.probabilities is not None:
        formats[result.probability_column] = "0.00"
    return formats


def workbook_sheets(result: Clustering) -> list[Sheet]:
    """The sheets of clustered.xlsx, ready for :func:`.excel_writer.write_workbook`."""
    data = with_names(result)
    if len(data) > EXCEL_MAX_ROWS:
        raise InputError(
            f"{len(data):,} rows do not fit in an Excel sheet (limit {EXCEL_MAX_ROWS:,}); write a CSV instead "
            "(result.to_csv, or clustered.csv in the output folder).",
            detail={"rows": len(data)},
        )
    sizes_chart = {
        "block": 0,
        "categories": "Cluster",
        "values": "Rows",
        "title": "Rows per cluster",
        "colours": [cluster_colour(c) for c in result.profiles.clusters],
    }
    k_table = _k_table(result)
    silhouette = k_table["silhouette"].to_numpy(dtype=float) if "silhouette" in k_table else np.array([])
    k_charts = [
        {
            "block": 0,
            "type": "line",
            "categories": "k",
            "values": "silhouette",
            "title": "Silhouette by k (higher is better)",
            "x_title": "k",
            # From 0 (or below, for a negative silhouette): Excel zooms in on 0.068 to 0.074 and
            # draws flat noise as a peak, as the report's chart once did.
            "y_min": min([0.0, *np.floor(silhouette[np.isfinite(silhouette)] * 10) / 10]),
        }
    ] * bool(len(silhouette))
    blocks, row_formats = _profile_blocks(result)
    sheets: list[Sheet] = [
        ("Clustered Data", [(None, data)], {"filter": True, "formats": _data_formats(result)}),
        (
            "Cluster Profiles",
            blocks,
            {
                "percent": {"Share", "This cluster %", "Overall %"},
                "formats": {"Effect (SD)": "+0.00;-0.00;0.00", "Lift": "0.00"},
                "row_formats": row_formats,
                "charts": [sizes_chart],
            },
        ),
        ("K Selection", [(None, k_table)], {"charts": k_charts}),
        ("Columns", [(None, _columns_table(result))], {"percent": {"Missing share"}}),
        ("Settings", _settings_blocks(result), {}),
    ]
    return sheets


def _profile_blocks(
    result: Clustering,
) -> tuple[list[tuple[str | None, pd.DataFrame]], dict[int, tuple[list[str], list[str | None]]]]:
    """The blocks of the profiles sheet, and the number format of each row of the blocks that hold
    a row per data column: each column's numbers with its own decimals, as report.html writes them
    (:mod:`.number_formats`), counts whole, shares as percentages."""
    p = result.profiles
    descriptions = result.descriptions
    said = any(d.named_by_user or not d.useful or d.note for d in descriptions)
    decimals = {column: f.excel for column, f in column_formats(result).items()}
    row_formats: dict[int, tuple[list[str], list[str | None]]] = {}
    sizes = pd.DataFrame(
        {
            "Cluster": [d.cluster for d in descriptions],
            "Name": [d.name for d in descriptions],
            "Rows": [d.rows for d in result.descriptions],
            "Share": [d.share for d in result.descriptions],
            "Outliers": [
                int(result.outliers.flag[result.clusters == d.cluster].sum()) for d in result.descriptions
            ],
            "Description": [d.traits for d in result.descriptions],
        }
    )
    rule = result.outliers.rule.text
    title = f"Clusters (Outliers: rows {rule}, or with a value far outside its column)"
    if said:  # what people said about the clusters (Clustering.rename / annotate)
        sizes["Suggested name"] = [d.suggested_name or d.name for d in descriptions]
        sizes["Useful"] = ["yes" if d.useful else "no" for d in descriptions]
        sizes["Note"] = [d.note for d in descriptions]
    blocks: list[tuple[str | None, pd.DataFrame]] = [(title, sizes)]
    words = [
        {
            "Cluster": d.cluster,
            "Name": d.name,
            "Column": w.column,
            "Words": ", ".join(w.terms),
            "Rows using each word (cluster)": ", ".join(f"{x.cluster_share:.0%}" for x in w.words),
            "Rows using each word (all)": ", ".join(f"{x.overall_share:.0%}" for x in w.words),
            **{f"Example {i}": e for i, e in enumerate(w.examples, start=1)},
        }
        for d in descriptions
        for w in d.words
    ]
    if words:
        blocks.append(
            (
                "Free text: each cluster's characteristic words (those whose share of rows most exceeds "
                "all rows') and example texts nearest its centre",
                pd.DataFrame(words),
            )
        )
    features = [
        {
            "Cluster": d.cluster,
            "Name": d.name,
            "Rank": rank,
            "Column": t.column,
            "Value": t.level if t.level is not None else "(average)",
            "This cluster": t.cluster_value
            if t.kind == "numeric"
            else t.cluster_text
            if t.kind == "date"
            else None,
            "Overall": t.overall_value
            if t.kind == "numeric"
            else t.overall_text
            if t.kind == "date"
            else None,
            "This cluster %": t.cluster_value if t.kind == "category" else None,
            "Overall %": t.overall_value if t.kind == "category" else None,
            "Effect (SD)": t.effect,
            "Lift": t.lift,
            "In words": t.text,
        }
        for d in result.descriptions
        for rank, t in enumerate(d.distinguishing, start=1)
    ]
    if features:
        row_formats[len(blocks)] = (
            ["This cluster", "Overall"],
            [decimals.get(str(f["Column"])) if f["This cluster %"] is None else None for f in features],
        )
        blocks.append(
            (
                "What sets each cluster apart (effect = difference from all rows in standard "
                "deviations; 0.2 slight, 0.5 clear, 1 strong; averages of values capped at the "
                "column's far-out fences, Q1 - 3 IQR and Q3 + 3 IQR, so they may differ from the "
                "plain means below)",
                pd.DataFrame(features),
            )
        )
    if not p.numeric.empty:
        numeric = p.numeric.melt(id_vars=["Cluster", "column"], var_name="Statistic")
        wide = numeric.pivot_table(
            index=["column", "Statistic"], columns="Cluster", values="value", sort=False, aggfunc="first"
        )
        wide = wide[[ALL, *[c for c in wide.columns if c != ALL]]]
        wide.columns = [ALL if c == ALL else f"Cluster {c}" for c in wide.columns]
        numbers = wide.reset_index().rename(columns={"column": "Column"})
        row_formats[len(blocks)] = (
            list(wide.columns),
            [
                COUNT if statistic == "count" else decimals.get(str(column))
                for column, statistic in zip(numbers["Column"], numbers["Statistic"], strict=True)
            ],
        )
        blocks.append(("Numeric columns (original units)", numbers))
    if not p.categories.empty:
        wide = p.categories.pivot_table(
            index=["column", "level"], columns="Cluster", values="share", sort=False, aggfunc="first"
        )
        wide = wide[[ALL, *[c for c in wide.columns if c != ALL]]]
        wide.columns = [ALL if c == ALL else f"Cluster {c}" for c in wide.columns]
        row_formats[len(blocks)] = (list(wide.columns), [PERCENT] * len(wide))
        blocks.append(
            (
                "Category shares (share of each cluster's rows)",
                wide.reset_index().rename(columns={"column": "Column", "level": "Value"}),
            )
        )
    return blocks, row_formats


def _k_table(result: Clustering) -> pd.DataFrame:
    table = result.model.sweep_.table.copy()
    table.insert(1, "Recommended", np.where(table["k"] == result.recommended_k, "yes", ""))
    table.insert(2, "Chosen", np.where(table["k"] == result.k, "yes", ""))
    return table


def _columns_table(result: Clustering) -> pd.DataFrame:
    rows = [
        {
            "Column": c.name,
            "Role": c.role,
            "Why": c.reason,
            "Distinct values": c.n_distinct,
            "Empty cells": c.n_missing,
            "Missing share": c.share_missing,
            "Examples": ", ".join(c.examples),
            "Set by you": "yes" if c.user_set else "",
        }
        for c in result.model.roles_
    ]
    return pd.DataFrame(rows)


def _method_row(rec: Any) -> list[tuple[str, str]]:
    """With method "auto": the method recommended beside k, and K-Means' own k when it differs."""
    if getattr(rec, "kmeans_k", None) is None:
        return []
    kmeans = (
        "" if rec.kmeans_k == rec.k or rec.method == "kmeans" else f" (K-Means alone: k = {rec.kmeans_k})"
    )
    return [("Recommended method", f"{rec.method}{kmeans}")]


def _settings_blocks(result: Clustering) -> list[tuple[str | None, pd.DataFrame]]:
    summary = run_summary(result)
    rec = result.recommendation
    about = pd.DataFrame(
        [
            ("File", result.table.describe()),
            ("Rows clustered", f"{summary['n_rows_clustered']} of {summary['n_rows']}"),
            ("Recommended k", f"{rec.k} ({rec.confidence} confidence): {rec.reason}"),
            *_method_row(rec),
            ("Chosen k", str(result.k)),
            ("Outliers", result.outliers.describe(rows=5)),
            ("ClusterLab", __version__),
        ],
        columns=["Item", "Value"],
    )
    settings = pd.DataFrame(
        [(k, "" if v is None else str(v)) for k, v in summary["settings"].items()],
        columns=["Setting", "Value"],
    )
    blocks: list[tuple[str | None, pd.DataFrame]] = [("Run", about), ("Settings", settings)]
    if result.notes:
        blocks.append(
            (
                "Notes",
                pd.DataFrame(
                    {"Stage": [n.stage for n in result.notes], "Note": [n.text() for n in result.notes]}
                ),
            )
        )
    return blocks
