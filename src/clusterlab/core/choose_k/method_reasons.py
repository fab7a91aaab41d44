"""The words of the method choice: one sentence per way a method wins (:mod:`.method_rule`
decides which), each naming the evidence it rests on, in the numbers the candidates were measured
with (:class:`~.method_candidates.Candidate`).

Every density answer ends with the same parenthesis (:func:`_density_evidence`: its validity against
K-Means' with as many clusters, its reproducibility, the rows left as noise), so a reader compares
like with like whichever way it won.
"""

from __future__ import annotations

import numpy as np

from ..formatting import format_share
from .method_candidates import Candidate, value_or

__all__ = [
    "chains_reason",
    "close_calls",
    "counted_alike_reason",
    "curved_reason",
    "density_reason",
    "finer_kmeans_reason",
    "latent_reason",
    "mixture_reason",
    "split_reason",
]


def latent_reason(latent: Candidate, km: Candidate) -> str:
    return (
        f"The groups live in the category columns: a latent class model, each group with its own "
        f"shares of every category's levels, finds {latent.k} groups, the number its likelihood "
        f"prefers (BIC), where K-Means' criteria on the categories' one-hot columns disagree "
        f"(resampled fits agree {_percent(latent.stability)}, K-Means' {km.k} clusters "
        f"{_percent(km.stability)})."
    )


def curved_reason(density: Candidate, mixture: Candidate) -> str:
    """Density below the usual bar, which only the mixture's flat pieces allow."""
    return (
        f"The groups are curved: a density method (HDBSCAN) finds {density.k} clusters, each "
        f"farther from {_others(density)} than its own widest gap, along which a Gaussian mixture lays "
        f"{mixture.k} flat pieces and which K-Means' {density.k} clusters cut across "
        f"({_density_evidence(density)})."
    )


def chains_reason(density: Candidate) -> str:
    """Density on single linkage's evidence: its chains' reproducibility, not HDBSCAN's refits'."""
    return (
        f"The groups are chains: a density method (HDBSCAN) finds {density.k} clusters, each "
        f"farther from {_others(density)} than its own widest gap, and single linkage, which joins the "
        f"nearest rows first, draws the same {density.k} on resampled rows (they agree "
        f"{_percent(density.chained)}), where K-Means' {density.k} clusters cut across them "
        f"(density-based validity {_number(density.validity)} against "
        f"{_number(density.kmeans_validity)}{_noise_clause(density)})."
    )


def density_reason(density: Candidate) -> str:
    return (
        f"The groups are not round: a density method (HDBSCAN) finds {density.k} clusters whose "
        f"boundaries run through sparse regions far better than K-Means' with {density.k} "
        f"({_density_evidence(density)})."
    )


def counted_alike_reason(density: Candidate) -> str:
    """Density below the usual bar, which only K-Means' own count allows."""
    return (
        f"The groups are not round: K-Means' criteria name {density.k} clusters, and a density "
        f"method (HDBSCAN) finds {density.k} too, each farther from {_others(density)} than its own "
        f"widest gap, where K-Means' {density.k} cut through dense regions ({_density_evidence(density)})."
    )


def finer_kmeans_reason(density: Candidate, km: Candidate) -> str:
    """K-Means at density's k: it draws density's finer groups."""
    return (
        f"K-Means with {density.k} clusters: a density method (HDBSCAN) finds {density.k} groups, "
        f"each farther from the others than its own widest gap, and K-Means' {density.k} clusters "
        f"follow the same gaps (density-based validity {_number(density.kmeans_validity)} "
        f"against {_number(km.validity)} for K-Means' own {km.k} clusters, which merge some "
        f"of them; HDBSCAN's resampled fits agree {_percent(density.stability)})."
    )


def split_reason(density: Candidate, km: Candidate) -> str:
    """Density's own finer groups inside K-Means' clusters."""
    return (
        f"K-Means' {km.k} clusters join groups that lie apart: a density method (HDBSCAN) finds "
        f"{density.k} clusters, each inside one of K-Means' and farther from the others than its "
        f"own widest gap (density-based validity {_number(density.validity)}; resampled "
        f"fits agree {_percent(density.stability)}{_noise_clause(density)}); small groups beside big "
        f"ones weigh little in K-Means' criteria."
    )


def mixture_reason(mixture: Candidate, km: Candidate, elongated: bool, crossing: bool) -> str:
    """The mixture's shape (``elongated``, else unequal in spread) and reproducibility; a component
    far from bell-shaped (``crossing``) is named."""
    if elongated:
        shape = "elongated"
        measure = f"their longest axis {value_or(mixture.elongation, 1.0):.1f} times the shortest"
    else:
        shape = "unequal in spread"
        measure = f"the widest {value_or(mixture.unequal, 1.0):.1f} times the narrowest"
    reason = (
        f"The groups are {shape}: a Gaussian mixture with {mixture.k} components describes them "
        f"better than K-Means ({measure}; resampled fits agree {value_or(mixture.stability, 0.0):.0%}, "
        f"K-Means' {km.k} clusters {_percent(km.stability)})."
    )
    if crossing:
        reason += (
            f" At least one component is far from bell-shaped (kurtosis {value_or(mixture.tails, 0.0):.0f} "
            "standard errors above a Gaussian's), as where groups cross: it may hold more than one group."
        )
    return reason


def close_calls(close: list[str], candidates: list[Candidate]) -> str:
    """The reproducible answers of other methods that missed a winning rule, for K-Means' reason."""
    names = {
        "hdbscan": "a density method (HDBSCAN)",
        "gmm": "a Gaussian mixture",
        "latentclass": "a latent class model",
    }
    parts = [
        f"{names[c.method]} finds {c.k} clusters that resampled fits reproduce {_percent(c.stability)}"
        for c in candidates
        if c.method in close
    ]
    return "Also worth a look: " + "; ".join(parts) + "."


def _density_evidence(d: Candidate) -> str:
    """What a winning density partition rests on, for its reason's parenthesis: its density-based
    validity against K-Means' with as many clusters, its reproducibility and its noise."""
    return (
        f"density-based validity {_number(d.validity)} against {_number(d.kmeans_validity)}; "
        f"resampled fits agree {_percent(d.stability)}{_noise_clause(d)}"
    )


def _percent(value: float | None) -> str:
    """A share as a whole percentage ("98%"); "n/a" when not measured."""
    return "n/a" if value is None or np.isnan(value) else f"{value:.0%}"


def _noise_clause(d: Candidate) -> str:
    """The noise share for a reason's parenthesis (", 1.5% of rows left as noise"); empty without noise."""
    return f", {format_share(d.noise)} of rows left as noise" if d.noise else ""


def _others(d: Candidate) -> str:
    return "the other" if d.k == 2 else "the others"


def _number(value: float | None) -> str:
    return f"{value_or(value, np.nan):.2f}"
