"""Presentation of results: the charts (shared by report.html, notebooks and the web app) and the
self-contained report.html.

``charts/`` builds every chart, as a Plotly figure for notebooks (``*_figure``) or as a plain
JSON-ready spec for pages (``*_spec``); ``content`` arranges what the report and the web app's pages
say (cards, tables, warnings; with ``outlier_content``; numbers with ``outputs.number_formats``, as
the workbook writes them); ``report`` renders
report.html from ``templates/report.html``, with the shared chart script ``static/charts.js`` inlined.
"""

from . import charts
from .charts import *  # noqa: F403 - the charts' public names are the report's too
from .charts.theme import cluster_colour
from .report import render_report, write_report

__all__ = [*charts.__all__, "cluster_colour", "render_report", "write_report"]
