"""What a result says, as plain JSON-ready data: report.html and the web pages render the same content.

The words come from the core (:attr:`Clustering.descriptions`, ``.effects``, ``.outliers``,
:func:`~clusterlab.core.explain.outliers.unusual_values`); this module only arranges them for a page: one card
per cluster, the outlier table (:mod:`.outlier_content`), the criteria and their votes, the agreement
with a known label and the settings; numbers with each column's decimals (:mod:`.numbers`). report.html renders it with Jinja2 at once; the web app stores it in ``view.json`` and
renders it on every visit. Nothing here needs Plotly or Jinja2, and nothing grows with the rows
except one pass over the outlier flags.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.choose_k.criteria import CRITERIA
from ..core.clustering import Clustering
from ..core.encode.column_encoder import MISSING_LEVEL
from ..core.explain.description import readable_column
from ..core.explain.profiles import ALL, OTHER_LEVELS
from ..core.formatting import format_share
from ..core.methods.contract import nearest
from ..core.methods.gmm import CLEAR_PROBABILITY
from ..core.read.number_text import numbers_by_value
from ..core.settings import SETTINGS
from ..outputs.number_formats import NumberFormat, column_formats
from .charts.theme import top_columns
from .outlier_content import outlier_table

__all__ = [
    "NumberFormat",
    "cluster_cards",
    "column_formats",
    "criteria_rows",
    "data_warnings",
    "evaluation_table",
    "how_it_was_done",
    "k_range",
    "method_facts",
    "outlier_table",
    "settings_changes",
    "settings_rows",
]

TINY_ROWS, TINY_SHARE = 5, 0.02  # a cluster of at most 5 rows and under 2% of them gets a warning
STATISTICS = ("mean", "std", "min", "25%", "50%", "75%", "max")
SHARE_LEVELS = 8  # values listed per category column in a card's statistics
DATA_STAGES = ("read", "roles", "encode", "assign")  # where warnings about the data itself come from


# --- cluster cards ------------------------------------------------------------------------------------
def cluster_cards(result: Clustering) -> list[dict[str, Any]]:
    """One card per cluster, largest first: its name and description (the core's words), its
    distinguishing features, its outliers, and every statistic against all rows.

    Keys: cluster, name, rows, share, traits (the description without its "Cluster 2 (23% of rows):"
    prefix), description, outliers, features (each :meth:`Trait.to_dict` plus ``words``, ``bar``
    (0-50, for an effect bar) and ``up``), tiny_rows, stats, shares; ``texts`` (per free-text
    column: ``label``, ``words`` (term, ``in_cluster`` and ``overall`` shares as text) and
    ``examples``); ``unclear`` (members without a clear home, mixtures), ``noise_near`` (noise rows
    nearest its centre, density methods); and what the user said: ``suggested_name``, ``named_by_user``, ``useful``, ``note``.
    """
    flags = np.asarray(result.outliers.flag)
    formats = column_formats(result)
    examples = _example_rows(result)
    unclear = _unclear(result)
    noise_near = _noise_nearest(result)
    cards = []
    for d in result.descriptions:
        members = result.clusters == d.cluster
        cards.append(
            {
                "cluster": d.cluster,
                "name": d.name,
                "suggested_name": d.suggested_name or d.name,
                "named_by_user": d.named_by_user,
                "useful": d.useful,
                "note": d.note,
                "texts": [_text_words(w) for w in d.words],
                "rows": d.rows,
                "share": d.share,
                "traits": d.traits,
                "description": d.description,
                "outliers": int(flags[members].sum()),
                "example": examples.get(d.cluster),
                "unclear": int(unclear[members].sum()),
                "noise_near": noise_near.get(d.cluster, 0),
                "features": [_feature(t, formats) for t in d.distinguishing],
                "tiny_rows": _tiny_rows(result, d.cluster, d.rows),
                "stats": _stats_rows(result, d.cluster, formats),
                "shares": _share_rows(result, d.cluster),
            }
        )
    return cards


def _text_words(words: Any) -> dict[str, Any]:
    """A text column's words in a cluster (explain/words.py), with their shares written for people."""
    return {
        "column": words.column,
        "label": readable_column(words.column),
        "words": [
            {
                "term": w.term,
                "in_cluster": format_share(w.cluster_share),
                "overall": format_share(w.overall_share),
                "effect": round(w.effect, 2),
            }
            for w in words.words
        ],
        "examples": list(words.examples),
    }


def _example_rows(result: Clustering) -> dict[int, int]:
    """Each cluster's example row (1-based, as in the file's data): its medoid, or the member nearest
    its centre. Only for a run: a model's examples are rows of the data it was trained on."""
    rows = getattr(result.model, "representatives_", None)
    if result.kind != "run" or rows is None:
        return {}
    return {i + 1: int(r) + 1 for i, r in enumerate(np.asarray(rows)) if r >= 0}


def _unclear(result: Clustering) -> np.ndarray:
    """Rows without a clear home: their probability of their own cluster is under the threshold."""
    if result.probabilities is None:
        return np.zeros(len(result.clusters), dtype=bool)
    return np.nan_to_num(np.asarray(result.probabilities, dtype=float), nan=1.0) < CLEAR_PROBABILITY


def _noise_nearest(result: Clustering) -> dict[int, int]:
    """Per cluster, the noise rows (Cluster 0: in no dense group) whose nearest centre is its own, so
    its card can say how many rows around it were left out. Empty when there is no noise."""
    clusters = np.asarray(result.clusters)
    noise = np.flatnonzero(clusters == 0)
    centres = getattr(result.model, "cluster_centers_", None)
    if len(noise) == 0 or centres is None or len(centres) == 0:
        return {}
    index, _ = nearest(np.asarray(result.embedding)[noise], np.asarray(centres))
    counts = np.bincount(index, minlength=len(centres))
    return {i + 1: int(n) for i, n in enumerate(counts) if n}


def method_facts(result: Clustering) -> dict[str, Any]:
    """The method in words for the pages: ``title``, ``description``, ``noise`` (rows in no cluster,
    or None when the method has no noise), ``unclear`` (rows without a clear home, or None when it has
    no probabilities), ``threshold`` and the method's own settings (``linkage``...)."""
    method = result.model.method_
    return {
        "name": method.name,
        "title": method.title,
        "description": method.description,
        "noise": None if method.needs_k else result.noise_count,
        "unclear": None if result.probabilities is None else int(_unclear(result).sum()),
        "threshold": CLEAR_PROBABILITY,
        **method.settings(),
    }


def _feature(trait: Any, formats: dict[str, NumberFormat]) -> dict[str, Any]:
    """A distinguishing feature for a table: the core's trait, its values written with its column's
    decimals (a category's as whole percents), the effect bar (0-50) and its direction."""
    out = trait.to_dict() | {
        "words": trait.words,
        "bar": min(abs(trait.effect), 2.5) / 2.5 * 50,
        "up": trait.effect > 0,
        "label": readable_column(trait.column),
    }
    show = formats.get(str(trait.column)) if trait.kind in ("numeric", "date") else format_share
    if show is not None:
        out["cluster_text"] = show(trait.cluster_value)
        out["overall_text"] = show(trait.overall_value)
    return out


def _tiny_rows(result: Clustering, cluster: int, rows: int) -> list[int]:
    """Row numbers (1-based) of a cluster so small it is more likely a few odd rows than a group."""
    n = int((result.clusters > 0).sum())
    if rows > TINY_ROWS or rows >= TINY_SHARE * n:
        return []
    return [int(i) + 1 for i in np.flatnonzero(result.clusters == cluster)]


def _stats_rows(
    result: Clustering, cluster: int, formats: dict[str, NumberFormat] | None = None
) -> list[dict[str, Any]]:
    """Numeric columns, most distinguishing first: (this cluster, all rows) per statistic, as text,
    every number of a column with the same decimals (:func:`column_formats`; a date's spread in
    years)."""
    formats = column_formats(result) if formats is None else formats
    numeric = result.profiles.numeric
    if numeric.empty:
        return []
    rows = []
    for column in top_columns(result, cluster, "numeric", 10_000):
        part = numeric[numeric["column"] == column]
        part = part.set_index(part["Cluster"].astype(str))
        if str(cluster) not in part.index:
            continue
        mine, whole = part.loc[str(cluster)], part.loc[ALL]
        show = formats.get(str(column)) or NumberFormat(float(whole["50%"]))
        spread = NumberFormat(float(whole["std"])) if show.year else show
        rows.append(
            {
                "column": column,
                "name": readable_column(column),
                "cells": [
                    [(spread if s == "std" else show)(mine[s]), (spread if s == "std" else show)(whole[s])]
                    for s in STATISTICS
                ],
                "count": int(mine["count"]) if math.isfinite(mine["count"]) else 0,
            }
        )
    return rows


def _share_rows(result: Clustering, cluster: int, levels: int = SHARE_LEVELS) -> list[dict[str, Any]]:
    """Category columns, most distinguishing first (the label column last): the cluster's commonest
    values (numbers in order of value) with their share in the cluster and in all rows."""
    shares = result.profiles.categories
    if shares.empty:
        return []
    order = top_columns(result, cluster, "category", 10_000)
    order += [c for c in dict.fromkeys(shares["column"]) if c not in order]  # e.g. the label column
    rows = []
    for column in order:
        part = shares[shares["column"] == column]
        whole = part[part["Cluster"].astype(str) == ALL].set_index("level")
        mine = part[part["Cluster"].astype(str) == str(cluster)].set_index("level")
        ranked = mine.sort_values("share", ascending=False, kind="stable")
        shown = [str(lv) for lv in ranked.index if lv != OTHER_LEVELS][:levels]
        shown = numbers_by_value(shown, last={MISSING_LEVEL})  # the commonest, numbers by value
        rows.append(
            {
                "column": column,
                "name": readable_column(column),
                "label": column == result.profiles.label,
                "levels": [
                    {
                        "level": str(lv),
                        "mine": float(mine.loc[lv, "share"]),
                        "all": float(whole.loc[lv, "share"]) if lv in whole.index else 0.0,
                    }
                    for lv in shown
                ],
                "more": max(len(mine) - len(shown), 0),
            }
        )
    return rows


# --- choosing k ---------------------------------------------------------------------------------------
def criteria_rows(result: Clustering) -> list[dict[str, Any]]:
    """Every criterion of the sweep: title, what it measures, which way is better, and the k it
    votes for (``best_k``; None for a criterion that is only shown, like inertia)."""

    rec = result.recommendation
    votes = dict(rec.votes or {})
    columns = set(result.k_scores.columns)
    rows = []
    for c in CRITERIA.values():
        if c.name not in votes and c.name not in columns:
            continue
        best = votes.get(c.name) if c.votes else None
        rows.append(
            {
                "name": c.name,
                "title": c.title,
                "description": c.description,
                "better": c.better,
                "votes": c.votes,
                "best_k": best,
                "agrees": best is not None and best == rec.k,
            }
        )
    for name, best in votes.items():  # a vote by a criterion this version does not know
        if name not in CRITERIA:
            rows.append(
                {
                    "name": name,
                    "title": name,
                    "description": "",
                    "better": "",
                    "votes": True,
                    "best_k": best,
                    "agrees": best == rec.k,
                }
            )
    return rows


# --- a known label --------------------------------------------------------------------------------------
def evaluation_table(result: Clustering) -> dict[str, Any] | None:
    """Agreement with the label column: the scores with their meaning, a verdict word ("close",
    "partial", "weak", "little", from the adjusted Rand index) and the cluster x label counts."""
    ev = result.evaluation
    if ev is None:
        return None
    if ev.n_scored == 0:
        return {"label": ev.label, "n_scored": 0, "empty": True}
    table = ev.contingency
    totals = table.sum(axis=1)
    rows = [
        {
            "cluster": int(c),
            "cells": [
                {"count": int(n), "share": float(n / totals.loc[c]) if totals.loc[c] else 0.0}
                for n in table.loc[c]
            ],
            "total": int(totals.loc[c]),
        }
        for c in table.index
    ]
    ari = float(ev.ari)
    return {
        "label": ev.label,
        "n_scored": int(ev.n_scored),
        "empty": False,
        "metrics": [
            ["Adjusted Rand index", ari, "pairs of rows grouped alike, 0 = chance, 1 = identical"],
            ["Normalised mutual information", float(ev.nmi), "shared information, 0 to 1"],
            ["Homogeneity", float(ev.homogeneity), "each cluster holds one label"],
            ["Completeness", float(ev.completeness), "each label sits in one cluster"],
            ["V-measure", float(ev.v_measure), "balance of the two"],
        ],
        "verdict": "close" if ari >= 0.8 else "partial" if ari >= 0.5 else "weak" if ari >= 0.2 else "little",
        "labels": [str(c) for c in table.columns],
        "rows": rows,
    }


# --- how it was made ------------------------------------------------------------------------------------
def settings_rows(result: Clustering) -> list[list[str]]:
    """(setting, value, meaning) for every setting, then the model's column choices."""

    values = result.settings.to_dict()
    out = [
        [spec.name, "" if values.get(spec.name) is None else str(values.get(spec.name)), spec.help]
        for spec in SETTINGS
    ]
    model = result.model
    out += [
        ["algorithm", str(model.method_.name), "Clustering method the fit used ('auto' resolved)."],
        ["roles", ", ".join(f"{k}={v}" for k, v in (model.roles or {}).items()), "Roles you set."],
        ["exclude", ", ".join(model.exclude or ()), "Columns you left out."],
        [
            "ordinal",
            "; ".join(f"{k}: {' < '.join(map(str, v))}" for k, v in (model.ordinal or {}).items()),
            "Orders you gave, lowest first.",
        ],
        ["label", str(model.label or ""), "Known grouping to compare with."],
    ]
    return out


def settings_changes(result: Clustering) -> list[list[str]]:
    """The rows of :func:`settings_rows` worth reading first: the settings that differ from their
    defaults, then the column choices that were made (roles, exclude, ordinal, label); empty when
    every setting is its default and no choice was made."""

    defaults = {spec.name: spec.default for spec in SETTINGS}
    changed = []
    for name, value, meaning in settings_rows(result):
        if name in defaults:
            actual = result.settings.to_dict().get(name)
            if actual == defaults[name] or (actual is None and defaults[name] in (None, "")):
                continue
        elif name == "algorithm" or not value:
            continue  # the one algorithm, or a column choice not made
        changed.append([name, value, meaning])
    return changed


def k_range(result: Clustering) -> dict[str, Any]:
    """The ks the sweep tried against the ks asked for (``k_min..k_max``), with a sentence:
    "k tried: 2..19 (extended from 2..10 because the criteria still improved at 10)"."""
    ks = sorted(int(k) for k in result.k_scores["k"]) if len(result.k_scores) else []
    asked = [int(result.settings.k_min), int(result.settings.k_max)]
    tried = [ks[0], ks[-1]] if ks else list(asked)
    text = f"k tried: {tried[0]}..{tried[1]}"
    extended = tried[1] > asked[1]
    narrowed = tried[1] < asked[1] or tried[0] > asked[0]
    if extended:
        text += f" (extended from {asked[0]}..{asked[1]} because the criteria still improved at {asked[1]})"
    elif narrowed and result.kind != "assign":
        text += f" (narrowed from {asked[0]}..{asked[1]}: the data has too few rows for more)"
    return {
        "ks": ks,
        "tried": tried,
        "asked": asked,
        "extended": extended,
        "narrowed": narrowed,
        "text": text,
    }


def data_warnings(result: Clustering) -> list[dict[str, Any]]:
    """The notes that warn about the data itself (far-out values clipped, empty cells filled,
    numbers that are not numbers, renamed headers...), for a "Check your data" box; each note's
    text names the column, the rows and the values. Notes about choices made for the run (PCA,
    weights, the k range) are left to the full list."""
    return [n.to_dict() for n in result.notes if n.level == "warning" and n.stage in DATA_STAGES]


# --- how this was done --------------------------------------------------------------------------------
ROLE_WORDS = {
    "numeric": "numbers",
    "categorical": "categories",
    "binary": "yes/no",
    "datetime": "dates",
    "ordinal": "ordered categories",
    "text": "free text",
}


METHOD_WORDS = {"kmeans": "K-Means (Lloyd's algorithm) from k-means++ starts"}
RESTARTED = ("kmeans", "kmedoids", "gmm")  # methods fitted from several starts (n_init), the best kept


def _encodings(used: list[Any]) -> str:
    roles = {c.role for c in used}
    parts = []
    if roles & {"numeric", "datetime", "ordinal"}:
        parts.append("numbers scaled")
    if roles & {"categorical", "binary"}:
        parts.append("categories one-hot")
    if "text" in roles:
        parts.append("text as word weights (TF-IDF)")
    return ", ".join(parts) or "columns encoded"


def how_it_was_done(result: Clustering) -> list[dict[str, str]]:
    """The run in six steps with its own numbers: read, roles, encode, sweep k, fit, explain (each a
    ``step`` and its ``text``), for report.html's "How this was done"."""
    model = result.model
    roles = list(result.roles)
    used = [c for c in roles if c.is_feature]
    left = [c for c in roles if not c.is_feature]
    kinds: dict[str, int] = {}
    for c in used:
        kinds[ROLE_WORDS.get(c.role, c.role)] = kinds.get(ROLE_WORDS.get(c.role, c.role), 0) + 1
    kind_text = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    left_text = (
        f"; {len(left)} left out ({', '.join(f'{c.name} as {c.role}' for c in left[:4])}"
        + (", ..." if len(left) > 4 else "")
        + ")"
        if left
        else ""
    )
    encoded = len(model.preprocessor_.encoded_names_)
    components = int(model.preprocessor_.n_components_)
    rng = k_range(result)
    span = f"{rng['tried'][0]}..{rng['tried'][1]}"
    why = rng["text"][len(f"k tried: {span}") :]  # " (extended from 2..10 because ...)", or nothing
    rec = result.recommendation
    named = [CRITERIA[n].title for n, k in rec.votes.items() if k == rec.k and n in CRITERIA]
    voters = sum(k is not None for k in rec.votes.values())
    if result.kind == "assign":
        decided = f"k = {result.k} came with the saved model."
    elif result.k != rec.k:
        decided = f"You chose k = {result.k}; the criteria recommended {rec.k} ({rec.confidence} confidence)."
    else:
        who = ", ".join(named) if named else "no criterion alone"
        decided = (
            f"k = {rec.k}, named by {len(named)} of {voters} criteria ({who}); {rec.confidence} confidence."
        )
    fitted_with = model.method_  # the method instance the fit used ('auto' resolved)
    method = METHOD_WORDS.get(fitted_with.name, fitted_with.title)
    clustered = int((result.clusters > 0).sum())
    return [
        {
            "step": "Read",
            "text": f"{len(result.clusters):,} rows and {len(roles)} columns of {result.table.name}.",
        },
        {"step": "Roles", "text": f"{len(used)} columns used: {kind_text}{left_text}."},
        {
            "step": "Encode",
            "text": f"{_encodings(used).capitalize()}: {encoded} encoded columns, "
            + (f"reduced to {components} components (PCA)." if components < encoded else "used as they are."),
        },
        {
            "step": "Sweep k",
            "text": f"k = {span} tried{why}, each fit scored by {len(CRITERIA)} criteria. {decided}",
        },
        {
            "step": "Fit",
            "text": f"{method}, k = {result.k}"
            + (f", the best of {int(result.settings.n_init)} starts" if fitted_with.name in RESTARTED else "")
            + f"; {clustered:,} rows clustered.",
        },
        {
            "step": "Explain",
            "text": f"Each cluster described by the columns that set it apart most; rows beyond the "
            f"{float(result.settings.outlier_percentile):g}th percentile of distance to their centre flagged "
            f"({result.outliers.flag.sum():,} rows).",
        },
    ]
