"""Plain words for each cluster: a one-line description and a short suggested name.

Built from the ranked effect sizes of :mod:`clusterlab.core.explain.effects`:

- Each distinguishing feature becomes a phrase. Numbers: "much higher income (+1.4 SD)", with
  "slightly" for 0.2-0.5 SD, no adverb for 0.5-1 SD and "much" from 1 SD (a column named "age" reads
  "older"/"younger", a date "later"/"earlier"). Category levels: "mostly 'Premium' plan (78% vs 21% overall)", with "all" (100%),
  "almost all" (90% or more), "mostly" (50% or more), "more often" (less than 50%); and for levels
  that are rarer than overall, "less often" or "no" (0%).
- The description joins the top three phrases, one per column:
  "Cluster 2 (23% of rows): much higher income (+1.4 SD), mostly 'Premium' plan (78% vs 21% overall)".
- The name takes the top two features of at least 0.5 SD: "High income, Premium"; two numbers that
  go the same way share one word: "High income & spending score". Names are made unique across
  clusters (a third feature, then the cluster number). A cluster with no feature of 0.5 SD or more is
  "Near average".
- Free text is described by its characteristic words (:mod:`.words`), on the same effect scale:
  "review often says 'battery', 'charge', 'hours'" takes its place among the phrases by its
  strongest word (and is always one of them), and when the words are the clearest difference (their
  strongest word at least as strong as any other feature, and 0.5 SD or more) they name the cluster:
  "Battery, charge, hours".
- People have the last word: a name given by the user (:meth:`Clustering.rename`) replaces the
  suggested one, which stays in ``suggested_name``; ``useful`` and ``note`` carry their verdict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..encode.encoders import MISSING_LEVEL
from ..formatting import distinct_labels, format_number, format_share
from .effects import CLEAR, SLIGHT, STRONG, cluster_effects
from .profiles import ALL, OTHER_LEVELS, Profiles, format_year
from .words import ClusterWords

__all__ = ["ClusterDescription", "Trait", "describe_clusters", "name_labels", "readable_column"]

MAX_TRAITS = 3  # phrases in a description
NAME_WORDS = 3  # words in a name taken from a text column
MAX_FEATURES = 10  # distinguishing features kept per cluster
NAME_LABEL = 28  # longest column label in a name; longer ones are shortened where they differ
_YES = {"yes", "y", "true", "1", "oui", "ja", "si", "sí"}
_NO = {"no", "n", "false", "0", "non", "nein"}
_AGE = re.compile(r"(?i)^age\b")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")
_UNIT = re.compile(
    r"(?i)(\s*\([^)]*\)|\s*\[[^]]*\]|\s+((in|per|a)\s+)?(thousands?|millions?|k|usd|eur|gbp|\$|€|£|pct|percent|%|"
    r"years?|yrs|months?|days?|kg|g|cm|mm|m|km))+$"
)


@dataclass
class Trait:
    """One feature that sets a cluster apart, with its effect size and its phrase."""

    column: str
    level: str | None
    kind: str  # "numeric", "date" (values in years with a fraction) or "category"
    effect: float  # standardised difference against the whole data (SD)
    cluster_value: float  # clipped mean, or share of the cluster's rows
    overall_value: float
    lift: float | None
    text: str  # "much higher income (+1.4 SD)"
    detail: str  # "average 120,000 vs 80,000 overall"
    clipped: int = 0  # the cluster's far-out values capped at the fence before averaging

    @property
    def cluster_text(self) -> str:
        """The cluster's value for people: "52,300", "2021-07" or "78%"."""
        return _value_text(self.kind, self.cluster_value)

    @property
    def overall_text(self) -> str:
        return _value_text(self.kind, self.overall_value)

    @property
    def words(self) -> str:
        """The phrase without its numbers: "much higher income"."""
        return self.text.rsplit(" (", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"column": self.column}
        if self.level is not None:
            out["level"] = self.level
        out.update(
            kind=self.kind,
            effect=round(self.effect, 4),
            text=self.text,
            detail=self.detail,
            cluster_value=self.cluster_value,
            overall_value=self.overall_value,
            cluster_text=self.cluster_text,
            overall_text=self.overall_text,
        )
        if self.clipped:
            out["clipped"] = self.clipped
        if self.lift is not None:
            out["lift"] = round(self.lift, 4)
        return out


@dataclass
class ClusterDescription:
    """A cluster in words: ``description`` is the full sentence, ``traits`` the part after the colon."""

    cluster: int
    rows: int
    share: float
    name: str
    traits: str
    description: str
    distinguishing: list[Trait] = field(default_factory=list)
    words: list[ClusterWords] = field(default_factory=list)  # per text column: words and examples
    suggested_name: str = ""  # the name ClusterLab made; ``name`` is the user's when they gave one
    useful: bool = True  # False when the user marked the cluster "not useful"
    note: str = ""  # the user's note on the cluster

    @property
    def named_by_user(self) -> bool:
        return bool(self.suggested_name) and self.name != self.suggested_name

    @property
    def examples(self) -> list[str]:
        """Example texts of every text column, nearest the centre first."""
        return [e for w in self.words for e in w.examples]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "rows": self.rows,
            "share": self.share,
            "name": self.name,
            "suggested_name": self.suggested_name or self.name,
            "useful": self.useful,
            "note": self.note,
            "description": self.description,
            "traits": self.traits,
            "distinguishing": [t.to_dict() for t in self.distinguishing],
            "words": [w.to_dict() for w in self.words],
        }


def describe_clusters(
    profiles: Profiles,
    effects: pd.DataFrame | None = None,
    words: dict[int, list[ClusterWords]] | None = None,
) -> list[ClusterDescription]:
    """A description, a name and the ranked distinguishing features of every cluster.

    Parameters
    ----------
    profiles : from :func:`~clusterlab.core.explain.profiles.profile_clusters`.
    effects : from :func:`~clusterlab.core.explain.effects.cluster_effects` (computed when omitted).
    words : from :func:`~clusterlab.core.explain.words.cluster_words`: the text columns' words.

    Examples
    --------
    >>> from clusterlab.core.roles.column_roles import detect_roles
    >>> from clusterlab.core.explain.profiles import profile_clusters
    >>> frame = pd.DataFrame({"income": [20.0, 22, 24, 80, 90, 100], "plan": list("BBBPPB")})
    >>> p = profile_clusters(frame, pd.Series([1, 1, 1, 2, 2, 2]), detect_roles(frame)[0])
    >>> describe_clusters(p)[1].description
    "Cluster 2 (50% of rows): higher income (+0.9 SD), mostly 'P' plan (67% vs 33% overall)."
    """
    if effects is None:
        effects = cluster_effects(profiles)
    out = []
    for size in profiles.sizes.itertuples():
        cluster = int(size.Cluster)
        part = effects[effects["Cluster"] == cluster].head(MAX_FEATURES)
        traits = [_trait(r) for r in part.itertuples()]
        texts = [w for w in (words or {}).get(cluster, []) if w.words]
        words_text = ", ".join(_phrases(_one_per_column(traits), texts)) or (
            "close to the overall average in every column"
        )
        prefix = (
            f"Cluster {cluster} (a single row)"
            if int(size.rows) == 1
            else f"Cluster {cluster} ({format_share(float(size.share))} of rows)"
        )
        if len(profiles.sizes) == 1:  # k = 1: nothing to compare with; what is unusual is the outliers
            prefix, words_text = (
                f"Cluster {cluster} (every row)",
                "one cluster; the rows far from its centre are the outliers",
            )
        out.append(
            ClusterDescription(
                cluster,
                int(size.rows),
                float(size.share),
                "",
                words_text,
                f"{prefix}: {words_text}.",
                traits,
                (words or {}).get(cluster, []),
            )
        )
    columns = list(dict.fromkeys(str(c) for c in effects["column"])) if len(effects) else []
    _name_all(out, name_labels(columns), _coded(profiles))
    if len(out) == 1:
        out[0].name = "All rows"
    for d in out:
        d.suggested_name = d.name
    return out


def _coded(profiles: Profiles) -> set[str]:
    """Category columns whose levels are numbers other than a 0/1 pair: codes (Channel 1, 2), whose
    "1" is a level like any other, not a "yes"."""
    shares = profiles.categories
    if shares.empty:
        return set()
    whole = shares[shares["Cluster"].astype(str) == ALL]
    out = set()
    for column, levels in whole.groupby("column", sort=False)["level"]:
        plain = {str(level) for level in levels} - {MISSING_LEVEL, OTHER_LEVELS}
        if plain and not plain <= {"0", "1"} and all(_NUMBER.fullmatch(level) for level in plain):
            out.add(str(column))
    return out


def _phrases(traits: list[Trait], texts: list[ClusterWords]) -> list[str]:
    """The description's phrases, strongest first; a text column's words are always among them."""
    ranked = sorted(
        [(abs(t.effect), t.text) for t in traits] + [(w.effect, _words_phrase(w)) for w in texts],
        key=lambda item: -item[0],
    )
    top = [text for _, text in ranked[:MAX_TRAITS]]
    if texts and not any(_words_phrase(w) in top for w in texts):
        top[-1] = _words_phrase(texts[0])
    return top


def _words_phrase(w: ClusterWords) -> str:
    return f"{readable_column(w.column)} often says " + ", ".join(f"'{t}'" for t in w.terms[:NAME_WORDS])


def _words_name(d: ClusterDescription) -> str | None:
    """ "Battery, charge, hours" when a text column's words are the clearest difference, else None."""
    texts = [w for w in d.words if w.words]
    if not texts:
        return None
    best = max(texts, key=lambda w: w.effect)
    strongest = max((abs(t.effect) for t in d.distinguishing), default=0.0)
    if round(best.effect, 1) < CLEAR or best.effect < strongest:
        return None
    name = ", ".join(best.terms[:NAME_WORDS])
    return name[:1].upper() + name[1:]


def name_labels(columns: list[str], limit: int = NAME_LABEL) -> dict[str, str]:
    """Each column's label for a cluster name: readable, without its unit, and when long, shortened
    to where it differs from the other columns ("…number 5 during…"), so two names stay apart.

    >>> spend = [f"Average monthly spend on product category {i} in the last year (EUR)" for i in (1, 12)]
    >>> list(name_labels(["price_(EUR)", *spend]).values())
    ['price', '…category 1 in…', '…category 12 in…']
    """
    plain = [_without_unit(readable_column(c)) for c in columns]
    return dict(zip(columns, distinct_labels(plain, limit), strict=True))


def readable_column(name: str) -> str:
    """A column name for a sentence: underscores and runs of spaces become single spaces, and a
    CamelCase name is split into words, lower-cased after the first (acronyms kept).

    A word's single lower-case first letter does not start a split, so "pH" and "iPhone" stay.

    >>> readable_column("annual_income__k"), readable_column("TotalPurchasesLastYear")
    ('annual income k', 'Total purchases last year')
    >>> readable_column("CustomerID"), readable_column("pH"), readable_column("BALANCE_FREQUENCY")
    ('Customer ID', 'pH', 'BALANCE FREQUENCY')
    """
    text = re.sub(r"[\s_]+", " ", str(name)).strip()
    words = []
    for word in text.split(" "):
        parts = _CAMEL.sub(" ", word).split(" ")
        if len(parts) > 1:  # only a split word's parts: "Color Intensity" keeps its capitals
            parts = parts[:1] + [p.lower() if _CAPITALISED.fullmatch(p) else p for p in parts[1:]]
        words.extend(parts)
    return " ".join(words) or str(name)


# Where a CamelCase word splits: between a lower-case letter and a capital (but after a word's single
# first letter: "pH", "iPhone"), and at the end of an acronym before a capitalised word ("XMLHttp").
_CAMEL = re.compile(r"(?<=[a-z])(?<!^[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")


# --- phrases -----------------------------------------------------------------------------------------
def _value_text(kind: str, value: float) -> str:
    if kind == "date":
        return format_year(value)
    return format_share(value) if kind == "category" else format_number(value)


def _trait(r: Any) -> Trait:
    level = str(r.level) if r.kind == "category" else None
    lift = float(r.lift) if r.kind == "category" and math.isfinite(r.lift) else None
    trait = Trait(
        str(r.column),
        level,
        str(r.kind),
        float(r.effect),
        float(r.cluster_value),
        float(r.overall_value),
        lift,
        "",
        "",
        int(getattr(r, "clipped", 0) or 0),
    )
    trait.text, trait.detail = _phrase(trait)
    return trait


def _adverb(effect: float) -> str:
    size = round(abs(effect), 1)  # judged on the number shown, so "+1.0 SD" always reads "much"
    return "much " if size >= STRONG else "" if size >= CLEAR else "slightly " if size >= SLIGHT else "about "


def _phrase(t: Trait) -> tuple[str, str]:
    label = readable_column(t.column)
    if t.kind in ("numeric", "date"):
        up = t.effect > 0
        if t.kind == "date":
            what = f"{'later' if up else 'earlier'} {label}"
        elif _AGE.match(label):
            what = "older" if up else "younger"
        else:
            what = f"{'higher' if up else 'lower'} {label}"
        detail = f"average {t.cluster_text} vs {t.overall_text} overall"
        if t.clipped:
            detail += f" ({t.clipped} far-out value{'s' if t.clipped > 1 else ''} capped before averaging)"
        return f"{_adverb(t.effect)}{what} ({t.effect:+.1f} SD)", detail
    shares = f"{format_share(t.cluster_value)} vs {format_share(t.overall_value)} overall"
    if t.level == MISSING_LEVEL:
        return f"{label} {'more' if t.effect > 0 else 'less'} often empty ({shares})", shares
    if t.effect > 0:
        share = t.cluster_value
        quantity = (
            "all"
            if share >= 0.9995
            else "almost all"
            if share >= 0.9
            else "mostly"
            if share >= 0.5
            else "more often"
        )
    else:
        quantity = "no" if t.cluster_value == 0 else "less often"
    # A number is read with its column, as in the name: "almost all Channel 1", "mostly 'Premium' plan".
    what = f"{label} {t.level}" if _NUMBER.fullmatch(str(t.level)) else f"'{t.level}' {label}"
    return f"{quantity} {what} ({shares})", shares


def _bare(level: str) -> bool:
    """A number or a code of one or two characters: it means nothing without its column ("Size S")."""
    return bool(re.fullmatch(r"[-+.\d\s]+", level)) or len(level) <= 2


def _one_per_column(traits: list[Trait]) -> list[Trait]:
    seen: set[str] = set()
    out = []
    for t in traits:
        if t.column not in seen:
            seen.add(t.column)
            out.append(t)
    return out


# --- names -------------------------------------------------------------------------------------------
def _name_all(descriptions: list[ClusterDescription], labels: dict[str, str], coded: set[str]) -> None:
    by_words = {d.cluster: _words_name(d) for d in descriptions}
    for d in descriptions:
        d.name = by_words[d.cluster] or _name(d.distinguishing, 2, labels, coded)
    for parts in (3,):
        counts = pd.Series([d.name for d in descriptions]).value_counts()
        for d in descriptions:
            if counts[d.name] > 1 and not by_words[d.cluster]:
                d.name = _name(d.distinguishing, parts, labels, coded)
    counts = pd.Series([d.name for d in descriptions]).value_counts()
    for d in descriptions:
        if counts[d.name] > 1:
            d.name = f"{d.name} ({d.cluster})"


def _name(traits: list[Trait], parts: int, labels: dict[str, str], coded: set[str]) -> str:
    strong = [t for t in _one_per_column(traits) if round(abs(t.effect), 1) >= CLEAR]
    # Prefer what a cluster *has* over what it lacks: "Premium" names a group better than "No Basic".
    strong.sort(key=lambda t: (t.kind == "category" and t.effect < 0, -abs(t.effect)))
    chosen = strong[:parts]
    if not chosen:
        return "Near average"

    def label_of(t: Trait) -> str:
        return labels[t.column]

    words: list[str] = []
    i = 0
    while i < len(chosen):
        t = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if (
            nxt is not None
            and t.kind == nxt.kind == "numeric"
            and (t.effect > 0) == (nxt.effect > 0)
            and not _AGE.match(readable_column(t.column))
            and not _AGE.match(readable_column(nxt.column))
        ):
            words.append(f"{'High' if t.effect > 0 else 'Low'} {label_of(t)} & {label_of(nxt)}")
            i += 2
            continue
        words.append(_name_part(t, label_of(t), t.column in coded))
        i += 1
    # Sentence case: only the name's first word is capitalised ("Younger, low income"); column names
    # and category values keep their own case.
    words = [words[0][:1].upper() + words[0][1:]] + [_lower_lead(w) for w in words[1:]]
    return ", ".join(words)


_LEADS = ("High", "Low", "Older", "Younger", "Recent", "Early", "No", "Rarely", "Known")


def _lower_lead(part: str) -> str:
    """'Low income' -> 'low income' after the first part of a name; other words are left alone."""
    first, _, rest = part.partition(" ")
    return f"{first.lower()} {rest}".rstrip() if first in _LEADS else part


def _without_unit(label: str) -> str:
    """A name needs no unit: "annual income thousands" -> "annual income", "price (EUR)" -> "price";
    but "last year" is what a column counts, not its unit.

    >>> _without_unit("age (years)"), _without_unit("Total purchases last year")
    ('age', 'Total purchases last year')
    """
    short = _UNIT.sub("", label).strip()
    if _WHEN.search(short):
        return label
    return short or label


_WHEN = re.compile(r"(?i)\b(last|this|next|previous|past|current|each|every)$")


def _name_part(t: Trait, short_label: str, coded: bool = False) -> str:
    """One part of a name; ``short_label`` is the column's label from :func:`name_labels`; ``coded``:
    the column's levels are number codes (Channel 1 or 2), so "1" is not "yes" but "Channel 1"."""
    label = readable_column(t.column)
    if t.kind == "date":
        return f"{'Recent' if t.effect > 0 else 'Early'} {short_label}"
    if t.kind == "numeric":
        if _AGE.match(label):
            return "Older" if t.effect > 0 else "Younger"
        return f"{'High' if t.effect > 0 else 'Low'} {short_label}"
    level = str(t.level)
    if level == MISSING_LEVEL:
        return f"{'No' if t.effect > 0 else 'Known'} {short_label}"
    short = level if len(level) <= 24 else level[:23] + "…"
    plain = level.strip().lower()
    bare = _bare(level)
    if t.effect < 0:
        what = f"{short_label} {short}" if bare else short
        return f"{'No' if t.cluster_value == 0 else 'Rarely'} {what}"
    if plain in _YES and not coded:
        return short_label
    if plain in _NO and not coded:
        return f"No {short_label}"
    if bare:
        return f"{short_label} {short}"
    return short
