"""Presentation of results: the charts (shared by report.html, notebooks and the web app) and the
self-contained report.html.

``charts/`` builds every chart, as a Plotly figure for notebooks (``*_figure``) or as a plain
JSON-ready spec for pages (``*_spec``); ``content`` arranges what the report and the web app's pages
say (cards, tables, warnings; with ``outlier_content`` and ``number_formats``); ``report`` renders
report.html from ``templates/report.html``, with the shared chart script ``static/charts.js`` inlined.
"""

from .charts import (
    category_pies_figure,
    category_profile_figure,
    cluster_map_figure,
    cluster_profile_figure,
    cluster_sizes_figure,
    effect_heatmap_figure,
    k_selection_figure,
    numeric_profile_figure,
)
from .charts.theme import cluster_colour
from .report import render_report, write_report

__all__ = [
    "category_pies_figure",
    "category_profile_figure",
    "cluster_colour",
    "cluster_map_figure",
    "cluster_profile_figure",
    "cluster_sizes_figure",
    "effect_heatmap_figure",
    "k_selection_figure",
    "numeric_profile_figure",
    "render_report",
    "write_report",
]
