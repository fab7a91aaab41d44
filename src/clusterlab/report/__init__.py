"""Presentation of results: Plotly figures (shared by report.html, notebooks and the web app)."""

from .figures import (
    category_profile_figure,
    cluster_map_figure,
    cluster_sizes_figure,
    k_selection_figure,
    numeric_profile_figure,
)

__all__ = [
    "category_profile_figure",
    "cluster_map_figure",
    "cluster_sizes_figure",
    "k_selection_figure",
    "numeric_profile_figure",
]
