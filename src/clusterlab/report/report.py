"""report.html: one self-contained file that explains a clustering, opens offline and can be mailed.

Plotly's bundled ``plotly.min.js`` (from the installed plotly package) is inlined, never fetched from
a CDN, and so is the chart script ``static/charts.js`` (the one the web app links). Every chart's JSON
is embedded once; the script draws the charts near the screen first and the rest in the background,
so a report with a hundred charts still opens at once. Its size depends on the number of clusters
and columns, not rows: histograms are binned and the map is a sample.

What the report says (names, descriptions, features, outliers, agreement) is :mod:`.content`, the
same data the web app's pages show; this module adds the charts and renders the page.

Sections: the recommendation and the clusters at a glance; choosing k; the map; one card per
cluster (description, distinguishing features, histograms and pie charts against the whole data,
every statistic); a column explorer; outliers; agreement with a known label; columns, settings,
notes.
"""

from __future__ import annotations

import html
import json
import math
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .._version import __version__
from ..core.clustering import Clustering
from ..core.explain.description import readable_column
from ..core.explain.effects import CLEAR, SLIGHT, STRONG
from ..core.formatting import format_number, format_share
from . import content, method_content
from .charts import cluster_figures, figures, theme
from .charts.distance_figures import distance_histogram_spec
from .charts.method_figures import method_map_specs
from .charts.spec import NARROW
from .charts.tree_figures import dendrogram_spec

__all__ = ["CHARTS_JS", "chart_settings", "charts_js", "link_plotly", "render_report", "write_report"]

CARD_NUMERIC = 6  # histograms per cluster card: its most distinguishing numeric columns
CARD_CATEGORIES = 3  # pie pairs per cluster card
EXPLORER_COLUMNS = 80  # columns offered in the column explorer
CHARTS_JS = Path(__file__).resolve().parent / "static" / "charts.js"  # inlined here, linked by the web app


def _jinja2() -> Any:
    try:
        import jinja2
        import plotly  # noqa: F401 - checked here, so a missing extra is named before any work
    except ImportError as err:
        raise ImportError(f"report.html needs {err.name}; run `pip install clusterlab[report]`.") from None
    return jinja2


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.min.js bundled with the installed plotly package (read once per process)."""
    from importlib import resources

    text = resources.files("plotly").joinpath("package_data", "plotly.min.js").read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


# The inlined Plotly of a rendered report: its <script> element (report.html marks it), whose text can
# hold no "</script" (plotly_js escapes it), so the first one ends it.
_INLINE_PLOTLY = re.compile(r'<script data-library="plotly">.*?</script>', re.DOTALL)


def link_plotly(report: str, src: str) -> str:
    """``report`` (report.html's text) with Plotly linked from ``src`` instead of inlined: 4.6 MB less,
    for a reader who has it at ``src`` already (the web app's cached copy). The file itself stays
    self-contained; this is a view of it.

    >>> link_plotly('<p>a</p><script data-library="plotly">var Plotly;</script>', "/plotly.min.js")
    '<p>a</p><script src="/plotly.min.js"></script>'
    """
    linked = f'<script src="{html.escape(src)}"></script>'
    return _INLINE_PLOTLY.sub(lambda _: linked, report, count=1)


@lru_cache(maxsize=1)
def charts_js() -> str:
    """The chart script every page with charts runs (``static/charts.js``, read once per process)."""
    return CHARTS_JS.read_text(encoding="utf-8")


def chart_settings() -> dict[str, Any]:
    """What charts.js reads from a page (the ``chart_theme`` macro of ``templates/macros.html``
    writes it): the house template (:func:`.charts.theme.template_json`, safe inside a ``<script>``)
    and the width below which a chart draws its phone variant (:data:`.charts.spec.NARROW`)."""
    return {"template_json": theme.template_json().replace("<", "\\u003c"), "narrow": NARROW}


def write_report(result: Clustering, path: Path) -> Path:
    """Render the report of ``result`` into ``path`` (UTF-8) and return the path."""
    path.write_text(render_report(result), encoding="utf-8")
    return path


def render_report(result: Clustering) -> str:
    """The report as one HTML string.

    Examples
    --------
    >>> import clusterlab
    >>> result = clusterlab.cluster(clusterlab.sample_path("iris"), label="species")  # doctest: +SKIP
    >>> "<html" in render_report(result)  # doctest: +SKIP
    True
    """
    template = _template()
    charts = _Charts()
    context = _context(result, charts)
    context["charts_json"] = charts.json()
    context["plotly_js"] = plotly_js()
    context["charts_js"] = charts_js().replace("</script", "<\\/script")
    return template.render(**context)


@lru_cache(maxsize=1)
def _template() -> Any:
    """report.html's Jinja2 template, compiled once per process (compiling it takes 0.1 s)."""
    jinja2 = _jinja2()
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("clusterlab.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = format_number
    env.filters["pct"] = format_share
    env.filters["colour"] = theme.cluster_colour
    env.filters["readable"] = readable_column
    return env.get_template("report.html")


class _Charts:
    """Collects figures as JSON under short ids; the page reads them from one embedded script."""

    def __init__(self) -> None:
        self.specs: dict[str, Any] = {}

    def add(self, key: str, spec: dict[str, Any]) -> str:
        self.specs[key] = spec  # JSON-ready, without a template: the page applies it (theme.template_json)
        return key

    def json(self) -> str:
        # "<" as \u003c: no text from the user's data can close the <script> element it sits in.
        return json.dumps(self.specs, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


# --- context -----------------------------------------------------------------------------------------
def _context(result: Clustering, charts: _Charts) -> dict[str, Any]:
    """The shared content of :mod:`.content` plus the report's charts."""
    rec = result.recommendation
    scores = result.k_scores
    chosen = scores[scores["k"] == result.k]
    silhouette = float(chosen["silhouette"].iloc[0]) if len(chosen) and "silhouette" in chosen else math.nan
    cards = content.cluster_cards(result)
    for card in cards:
        card.update(_card_charts(result, card["cluster"], charts))
    shown, total = cluster_figures.heatmap_columns(result)
    k_charts = [charts.add(f"k{i}", spec) for i, spec in enumerate(figures.criterion_specs(result))]
    return {
        "title": f"Clusters in {result.table.name}",
        "source": result.table.describe(),
        "kind": result.kind,
        "created": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "version": __version__,
        "rec": rec,
        "method": content.method_facts(result),
        "k": result.k,
        "n_rows": len(result.clusters),
        "n_clustered": int((result.clusters > 0).sum()),
        "n_features": sum(1 for c in result.roles if c.is_feature),
        "silhouette": silhouette,
        "criteria": content.criteria_rows(result),
        "thresholds": {"slight": SLIGHT, "clear": CLEAR, "strong": STRONG},
        "charts": {
            "heatmap": charts.add("heatmap", cluster_figures.effect_heatmap_spec(result)),
            "k": k_charts,
            "map": charts.add("map", figures.cluster_map_spec(result)),
            "tree": charts.add("tree", tree) if (tree := dendrogram_spec(result)) else None,
            "distances": charts.add("distances", hist) if (hist := distance_histogram_spec(result)) else None,
            "methods": [charts.add(f"m{i}", spec) for i, spec in enumerate(method_map_specs(result))],
        },
        "methods": method_content.method_comparison(result),
        "heatmap_columns": {"shown": len(shown), "total": total},
        "k_range": content.k_range(result),
        "how": content.how_it_was_done(result),
        "data_warnings": content.data_warnings(result),
        "settings_changed": content.settings_changes(result),
        "cards": cards,
        "explorer": _explorer(result, charts),
        "outliers": content.outlier_table(result),
        "evaluation": content.evaluation_table(result),
        "columns": [c.to_dict() | {"share_missing": c.share_missing} for c in result.roles],
        "settings": content.settings_rows(result),
        "notes": [n.to_dict() for n in result.notes],
        "timings": {k: v for k, v in result.timings.items() if isinstance(v, int | float)},
        "chart_settings": chart_settings(),
    }


def _card_charts(result: Clustering, cluster: int, charts: _Charts) -> dict[str, list[str]]:
    """A card's small histograms (its most distinguishing numeric columns) and pie pairs
    (categories), one chart each, so they sit side by side on a wide screen and one under another
    on a phone."""
    numeric = theme.top_columns(result, cluster, "numeric", CARD_NUMERIC)
    categories = theme.top_columns(result, cluster, "category", CARD_CATEGORIES)
    return {
        "histograms": [
            charts.add(f"c{cluster}-num{i}", cluster_figures.cluster_histogram_spec(result, cluster, column))
            for i, column in enumerate(numeric)
        ],
        "pies": [
            charts.add(f"c{cluster}-cat{i}", cluster_figures.category_pies_spec(result, cluster, [column]))
            for i, column in enumerate(categories)
        ],
    }


def _explorer(result: Clustering, charts: _Charts) -> list[dict[str, str]]:
    out = []
    profiles = result.profiles
    columns = [(c, "numeric") for c in profiles.numeric_columns] + [
        (c, "category") for c in profiles.category_columns
    ]
    for i, (column, kind) in enumerate(columns[:EXPLORER_COLUMNS]):
        spec = (
            figures.numeric_profile_spec(result, column)
            if kind == "numeric"
            else figures.category_profile_spec(result, column)
        )
        out.append(
            {
                "column": column,
                "name": readable_column(column),
                "kind": kind,
                "chart": charts.add(f"col{i}", spec),
            }
        )
    return out
