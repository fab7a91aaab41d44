"""The colours of clusters, the same in the workbook, report.html, the web app and notebooks."""

from __future__ import annotations

__all__ = ["PALETTE", "cluster_colour"]

# Tableau 10: distinct, colour-blind-aware, and readable on white.
PALETTE = (
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#E15759",
    "#76B7B2",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#79706E",
)


def cluster_colour(cluster: int) -> str:
    """The colour of cluster ``cluster`` (1..k) in every chart, table and report."""
    return PALETTE[(int(cluster) - 1) % len(PALETTE)]
