"""The charts: one builder per chart, drawn as a Plotly figure (``*_figure``, notebooks) or as a plain
JSON-ready spec (``*_spec``, report.html and the web app's pages).

``spec`` (specs as dicts, the subplot grid, typed arrays), ``theme`` (the house style, colours and
the helpers every chart shares), and the charts by subject: ``figures`` (the map, the sizes; every
chart importable from here), ``selection_figures`` (choosing k), ``cluster_figures`` (one cluster's
charts and the heatmap), ``column_figures`` (one column across the clusters), ``pie_figures``.
"""

from .cluster_figures import category_pies_figure, cluster_profile_figure, effect_heatmap_figure
from .figures import (
    category_profile_figure,
    cluster_map_figure,
    cluster_sizes_figure,
    k_selection_figure,
    numeric_profile_figure,
)

__all__ = [
    "category_pies_figure",
    "category_profile_figure",
    "cluster_map_figure",
    "cluster_profile_figure",
    "cluster_sizes_figure",
    "effect_heatmap_figure",
    "k_selection_figure",
    "numeric_profile_figure",
]
