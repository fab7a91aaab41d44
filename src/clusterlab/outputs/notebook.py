"""How a result shows itself in a notebook: the recommendation and one row per cluster."""

from __future__ import annotations

import html

from ..core.clustering import Clustering
from ..core.formatting import format_share
from .palette import cluster_colour

__all__ = ["notebook_html"]


def notebook_html(result: Clustering) -> str:
    """What a notebook shows: the recommendation, and each cluster's size, name and description."""
    rec, esc = result.recommendation, html.escape
    rows = []
    for d in result.descriptions:
        chip = (
            f'<span style="display:inline-block;width:.8em;height:.8em;border-radius:2px;'
            f'background:{cluster_colour(d.cluster)};margin-right:.4em"></span>'
        )
        rows.append(
            f"<tr><td style='text-align:left;white-space:nowrap'>{chip}{d.cluster}</td>"
            f"<td style='text-align:left'><b>{esc(d.name)}</b></td>"
            f"<td style='text-align:right'>{d.rows:,}</td>"
            f"<td style='text-align:right'>{format_share(d.share)}</td>"
            f"<td style='text-align:left'>{esc(d.traits)}</td></tr>"
        )
    chosen = f" You chose k = {result.k}." if result.k != rec.k else ""
    lines = [
        f"<b>ClusterLab</b> · {esc(result.table.describe())}",
        f"Recommended k = <b>{rec.k}</b> ({esc(rec.confidence)} confidence). {esc(rec.reason)}{chosen}",
    ]
    lines.append(f"Outliers: {esc(result.outliers.describe(rows=5))}.")
    if result.evaluation is not None:
        ev = result.evaluation
        lines.append(
            f"Agreement with '{esc(ev.label)}': ARI {ev.ari:.3f}, NMI {ev.nmi:.3f}, "
            f"V-measure {ev.v_measure:.3f} ({ev.n_scored:,} rows)."
        )
    head = "".join(
        f"<th style='text-align:{a}'>{h}</th>"
        for h, a in (
            ("Cluster", "left"),
            ("Name", "left"),
            ("Rows", "right"),
            ("Share", "right"),
            ("What sets it apart", "left"),
        )
    )
    return (
        "<div class='clusterlab-result'>"
        + "".join(f"<p style='margin:.2em 0'>{line}</p>" for line in lines)
        + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + "<p style='margin:.2em 0;color:#666;font-size:90%'>Charts: <code>result.plot_k_selection()</code>, "
        "<code>result.plot_map()</code>, <code>result.plot_profiles()</code>, "
        '<code>result.plot_profiles(column=...)</code>. Everything: <code>result.save("results/")</code> '
        "(report.html, workbook, CSV).</p></div>"
    )
