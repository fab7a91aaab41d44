"""The k rule's answer in words: one sentence a non-expert can follow (:mod:`.recommendation`).

What the criteria name, why this k among them, how clear the structure is and how often resampled
fits agree; when there is no clear structure, why not and which k is still the most defensible.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .levels import CLEAR, STABLE, STRONG
from .sweep import KSweep

__all__ = ["k_reason", "nested_reason"]

_GAP = "whose every boundary runs through a gap in the data"


def nested_reason(
    k: int,
    voted: int,
    votes: dict[str, int | None],
    silhouette: float,
    stability: float,
    structure: str,
    sweep: KSweep,
) -> str:
    """The reason for a finer answer (step 2b): what the criteria named, what the finer one splits."""
    named = [v for v in votes.values() if v is not None]
    fine, coarse = np.asarray(sweep.fits[k].labels), np.asarray(sweep.fits[voted].labels)
    homes = [int(np.bincount(coarse[fine == c]).argmax()) for c in np.unique(fine[fine >= 0])]
    split = sum(n > 1 for n in Counter(homes).values())
    quality = {"clear": "a clear structure", "weak": "a weak structure"}.get(structure, "no clear structure")
    return (
        f"{sum(v == voted for v in named)} of {len(named)} criteria point to {voted} clusters, but {k} "
        f"clusters split {split} of them further, every boundary running through a gap in the data, and "
        f"fits on resampled data agree {stability:.0%} of the time: the {voted} join groups that lie "
        f"apart (small or sparse groups beside big ones weigh little in the other criteria; silhouette "
        f"{_say_score(silhouette)}, {quality})."
    )


def k_reason(
    k: int,
    votes: dict[str, int | None],
    silhouette: float,
    stability: float,
    structure: str,
    admissible: list[int],
    gated: bool,
    decided_by: str,
) -> str:
    """One sentence a non-expert can follow: what the criteria say, why this k, how clear it is."""
    named = [v for v in votes.values() if v is not None]
    disagree = _criteria_disagree(k, named)
    criteria = _say_what_criteria_name(k, named, admissible, gated, decided_by, disagree)
    resampled = "" if np.isnan(stability) else f"; fits on resampled data agree {stability:.0%} of the time"
    if structure == "none":
        return _say_no_structure(k, f"{criteria}{resampled}", silhouette, stability, admissible)
    quality = "clear" if structure == "clear" else "weak"
    separation = _say_separation(k in admissible, disagree, gated)
    text = f"{criteria}{separation} (silhouette {_say_score(silhouette)}, a {quality} structure){resampled}."
    return text[:1].upper() + text[1:]


def _criteria_disagree(k: int, named: list[int]) -> bool:
    """At most a third of three or more criteria name the winner: "1 of 6 criteria point to 2" would
    hide that the others scatter, so the reason says they disagree, which numbers they name, and what
    decided."""
    return len(named) >= 3 and sum(v == k for v in named) * 3 <= len(named)


def _say_what_criteria_name(
    k: int, named: list[int], admissible: list[int], gated: bool, decided_by: str, disagree: bool
) -> str:
    if not disagree:
        said = f"{sum(v == k for v in named)} of {len(named)} criteria point to {k} clusters"
        if decided_by == "finer":
            coarser = sorted(c for c in set(named) if c < k and named.count(c) == named.count(k))
            if coarser:
                said += (
                    f" (as many point to {_and_list(coarser)}; both come back on resampled data, and"
                    f" {_and_list(coarser)} would join groups with a gap between them)"
                )
        return said
    why = {
        "votes": "named most often",
        "stability": "the one resampled fits reproduce best",
        "silhouette": "the one with the highest silhouette",
        "valleys": "the largest",
        "finer": "the largest of those resampled fits reproduce",
    }[decided_by]
    if gated and admissible == [k]:
        choice = f"{k} is the only number {_GAP}"
    elif gated:
        choice = f"of the numbers {_GAP} ({_and_list(admissible)}), {k} is {why}"
    else:
        choice = f"{k} is {why}"
    return f"the criteria disagree, naming {_and_list(sorted(set(named)))} clusters; {choice}"


def _say_no_structure(
    k: int, criteria: str, silhouette: float, stability: float, admissible: list[int]
) -> str:
    """The reason when the structure is "none": why, and which k is still the most defensible."""
    sil = _say_score(silhouette)
    if k in admissible:
        why_none = f"the silhouette is only {sil}, far below the 0.5 of well-separated groups"
    elif not np.isnan(silhouette) and silhouette >= CLEAR:
        why_none = f"the silhouette of {sil} is short of the {STRONG} that would outweigh that"
    else:
        why_none = f"the silhouette is only {sil}"
    if k in admissible:
        gaps = ""
    elif admissible:
        splits = "split" if len(admissible) == 1 else "splits"
        runs = "runs" if len(admissible) == 1 else "run"
        gaps = (
            f"some of the {k} clusters touch without a gap between them (only the {splits} into "
            f"{_and_list(admissible)} clusters {runs} through gaps) and "
        )
    else:
        gaps = "no way of splitting the rows runs through a gap in the data and "
    hint = ""
    if k in admissible and not np.isnan(stability) and stability >= STABLE:
        # A split through a gap that comes back on every resample, with a low silhouette: the
        # groups may differ in a few columns while many others do not (those add distance inside
        # and between clusters alike, and dilute the silhouette).
        hint = (
            " The split itself runs through a gap and is reproducible: if many columns are "
            "unrelated to the groups you look for, leaving them out may show a clearer structure."
        )
    return (
        f"No clear cluster structure: {gaps}{why_none}, so treat any grouping as a convenient "
        f"partition rather than natural segments; if you need groups, {k} is the most defensible "
        f"number ({criteria}).{hint}"
    )


def _say_separation(valleys: bool, disagree: bool, gated: bool) -> str:
    if disagree and gated:
        return ""  # already said: the winner is among the partitions with a gap at every boundary
    if valleys:
        return ", and every boundary between them runs through a gap in the data"
    return f", but some of {'its clusters' if disagree else 'them'} touch without a gap between them"


def _say_score(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:.2f}"


def _and_list(values: list[int]) -> str:
    """[2, 7, 10] -> '2, 7 and 10'."""
    text = [str(v) for v in values]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]
