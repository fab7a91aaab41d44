"""What the result pages show, computed once in the worker and saved as ``view.json``.

Pages then render from this file alone: no page request re-reads the data or refits anything, and a
finished run looks the same after a server restart.

The pages say what report.html and the workbook say: the words and numbers are the shared content of
:mod:`clusterlab.report.content` (built from the core's descriptions, effect sizes and Outlier flag)
and the charts are the shared figures of :mod:`clusterlab.report` (binned histograms, a sampled map),
so a chart of a million rows is as small as one of a hundred. Only the layout is the web's own: one
small chart per criterion and per column, so they wrap on a phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.choose_k.criteria import CRITERIA
from ..core.errors import Control
from ..core.formatting import format_number
from ..report import content, method_content
from ..report.charts import figures
from ..report.charts.distance_figures import distance_histogram_spec
from ..report.charts.method_figures import method_map_specs
from ..report.charts.theme import all_effects
from .downloads import file_entries
from .wording import page_words

__all__ = ["CARD_CHARTS", "VIEW_VERSION", "build_view", "is_current"]

# The shape of view.json. A result saved by an earlier shape is not rendered by today's results page
# (its downloads and its "choose k" page still work): the page offers to make it again.
# 3: cards carry a text column's words and the user's names and notes; 4: outlier words, number-coded
# levels; 5: the distance histogram
VIEW_VERSION = 5

CARD_CHARTS = 4  # charts per cluster card: enough to see the story, few enough to load fast


def build_view(result: Any, files: dict[str, Path]) -> dict[str, Any]:
    """Everything the "choose k" and results pages show for ``result`` (a ClusterResult)."""

    rec = result.recommendation
    label = result.roles.label
    summary = result.summary()
    return {
        "version": VIEW_VERSION,
        "k": result.k,
        "recommended_k": rec.k,
        "recommendation": {
            "k": rec.k,
            "confidence": rec.confidence,
            "structure": rec.structure,
            "reason": rec.reason,
        },
        "method": content.method_facts(result),
        "n_rows": int(summary["n_rows"]),
        "n_rows_clustered": int(summary["n_rows_clustered"]),
        "columns_used": summary["features"]["columns_used"],
        "components": summary["features"]["components"],
        "label": label.name if label is not None else None,
        "criteria": content.criteria_rows(result),
        "k_range": _k_range(result),
        "k_table": _k_table(result.k_scores),
        "k_charts": figures.criterion_specs(result),
        "methods": method_content.method_comparison(result),
        "method_maps": method_map_specs(result),
        "sizes_chart": figures.cluster_sizes_spec(result),
        "map_chart": figures.cluster_map_spec(result),
        "distance_chart": distance_histogram_spec(result),
        "heatmap_chart": figures.effect_heatmap_spec(result),
        "clusters": [_with_charts(result, card) for card in content.cluster_cards(result)],
        "outliers": content.outlier_table(result),
        "evaluation": content.evaluation_table(result),
        "notes": [n.to_dict(page_words) for n in sorted(result.notes, key=lambda n: n.level != "warning")],
        "files": file_entries(files),
        "settings": content.settings_rows(result),
        "timings": {k: round(float(v), 2) for k, v in result.timings.items()},
    }


def is_current(view: dict[str, Any]) -> bool:
    """Whether a saved view.json has the shape today's results page renders."""
    return view.get("version") == VIEW_VERSION


def _with_charts(result: Any, card: dict[str, Any]) -> dict[str, Any]:
    """A card of :func:`content.cluster_cards` with one small chart per column that sets the cluster
    apart most (the order of its distinguishing features, continued below the threshold so a cluster
    near the average still shows its columns): a histogram against all rows, or a pie pair."""

    cluster = card["cluster"]
    effects = all_effects(result)
    ranked = effects[effects["Cluster"] == cluster]
    kinds = dict(zip(ranked["column"], ranked["kind"], strict=True))
    charts = []
    for column in list(dict.fromkeys(ranked["column"]))[:CARD_CHARTS]:
        if kinds[column] == "category":
            charts.append(figures.category_pies_spec(result, cluster, [column]))
        else:
            charts.append(figures.numeric_profile_spec(result, column, cluster))
    return {**card, "charts": charts}


def _k_range(result: Any) -> dict[str, Any]:
    """The ks tried against the ks asked for (:func:`content.k_range`), with the option that keeps
    the range from growing, as the pages name it."""
    k_range = content.k_range(result)
    return {**k_range, "keep": page_words(Control("k_limit", k_range["asked"][1]))}


def _k_table(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Every score per k, rounded for reading as on every table of the pages (silhouette and
    stability to two decimals; the workbook's K Selection sheet has them exact)."""
    rows = []
    for record in table.to_dict(orient="records"):
        rows.append(
            {
                "k": int(record["k"]),
                **{
                    c.name: _score(c.name, _float(record.get(c.name)))
                    for c in CRITERIA.values()
                    if c.score is not None and c.name in record
                },
                "fit_seconds": f"{_float(record.get('fit_seconds')) or 0:.2f}",
            }
        )
    return rows


TWO_DECIMALS = ("silhouette", "stability")  # scores on a 0-1 (or -1-1) scale, read to two decimals


def _score(name: str, value: float | None) -> str:
    if value is not None and name in TWO_DECIMALS:
        return f"{value:.2f}"
    return format_number(value)


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None
