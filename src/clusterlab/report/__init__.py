"""Presentation of results: charts (shared by report.html, notebooks and the web app) and the
self-contained report.html. The ``*_figure`` functions return Plotly figures for notebooks; pages draw
the same charts from plain JSON-ready specs (``*_spec``, see :mod:`.spec`)."""

from .cluster_figures import category_pies_figure, cluster_profile_figure, effect_heatmap_figure
from .figures import (
    category_profile_figure,
    cluster_map_figure,
    cluster_sizes_figure,
    k_selection_figure,
    numeric_profile_figure,
)
from .theme import cluster_colour

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


def __getattr__(name: str) -> object:
    # report.py imports Jinja2 only when a report is rendered; keep `import clusterlab.report` light.
    if name in ("render_report", "write_report"):
        from . import report

        return getattr(report, name)
    raise AttributeError(name)
