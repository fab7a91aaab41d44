"""The rule that picks K-Means, a Gaussian mixture, a density method or a latent class model from
the evidence :mod:`.method_choice` measured on each (:class:`~.method_candidates.Candidate`); the
sentence that says why is :mod:`.method_reasons`'.

The candidates and when they win (every other case keeps K-Means; when K-Means' own recommendation
is "strong", only a mixture of markedly elongated components, ``MARKED``, can replace it, and the
density method is not fitted):

1. **Density** (HDBSCAN; smallest cluster 1%, 2% or 5% of the rows: of the partitions leaving at
   most ``MAX_NOISE`` as noise, the finest with every cluster valid, else the one with the highest
   DBCV; :func:`~.method_candidates.density_candidate`): its clusters are non-convex when it finds at least two of them, leaves at most
   ``MAX_NOISE`` of the rows as noise, is reproducible (at least ``STABLE``, or when K-Means' own
   answer is less reproducible than that, at least ``FAIRLY_STABLE`` and ``MARGIN`` more than K-Means'), disagrees with K-Means
   (ARI below ``SAME``), and its clusters are separated by density (DBCV at least ``MIN_VALIDITY``)
   clearly better than K-Means' with as many clusters (``MARGIN`` above its DBCV; below
   ``MIN_VALIDITY`` only when every one of its clusters is valid and either they are curved, a
   mixture's flat pieces tiling them, :func:`_pieces`, or K-Means' own answer has as many,
   :func:`_corroborated`, or single linkage draws them as reproducible chains, :func:`_chained`,
   which also stands in for HDBSCAN's own reproducibility; the answer is then moderate). The same-k
   comparison is the fair one: on two moons beside a blob, K-Means' 2 clusters (both moons together)
   are as valid as HDBSCAN's 3, but K-Means cannot draw 3 without cutting a moon. Nor may it only
   join K-Means' clusters (each inside one of its own) when those lie apart (every boundary of
   K-Means' answer a valley and each of its clusters valid by DBCV's measure, or a mixture drawing
   the same clusters with bell-shaped components, :func:`_confirmed`): it then joins groups that
   are apart.
2. **Gaussian mixture** (full covariance, k from 1 up by ICL, the integrated completed likelihood:
   BIC plus the entropy of the memberships, which rewards well-separated components): its clusters
   are elongated or unequal when ICL names at least two components, the mixture's partition
   disagrees with K-Means' (ARI below ``SAME``), is reproducible (as the density candidate; not "as
   reproducible as K-Means": K-Means cuts elongated groups the same wrong way every time) and its
   components are elongated (median axis ratio at least ``ELONGATED``) or unequal in spread (volume ratio at least ``ELONGATED ** 2``),
   and none of them has collapsed onto a discrete column's value (:func:`collapsed_share`). Nor
   may it only join K-Means' clusters when every boundary between those is a valley (the density
   candidate must also find each of them valid: a hollow shell's pieces have valleys between them,
   which density sees as one group and a mixture, convex like K-Means, does not), nor lay
   flat pieces along density's valid groups (curved groups, :func:`_pieces`). Its count is strong
   only when no component is far from bell-shaped (``HEAVY_TAILS``, :func:`_mixture_choice`).
3. **Latent class model** (each class its own shares of every category's levels; classes from one up
   by BIC), compared only when the estimator says the groups can only live in the discrete columns
   (``categories``): it wins, before the others, when BIC names at least two classes, its partition
   is reproducible (as above) and disagrees with K-Means' (ARI below ``SAME``).
4. **Finer groups** (:func:`_splits`): density's partition has more clusters than K-Means' answer,
   each inside one of K-Means' clusters, every one valid, DBCV at least ``MIN_VALIDITY``, little
   noise, reproducible, and every boundary a valley among the numbers of many values
   (:func:`_valleys_in_numbers`: between a category's levels density finds gaps too). K-Means'
   answer then joins groups that lie apart (small groups beside big ones weigh little in its
   criteria). The answer is K-Means at density's k when K-Means with as many clusters is
   ``MARGIN`` more valid than its own answer (:func:`_finer_groups`: it draws the same groups),
   else density's own partition. Density's partition is resampled for this even when it agrees
   with K-Means' (a small group split off a big one barely moves the ARI).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from .levels import FAIRLY_STABLE, STABLE
from .method_candidates import MAX_NOISE, Candidate, min_cluster_size, refines
from .method_candidates import value_or as _or
from .method_reasons import (
    chains_reason,
    close_calls,
    counted_alike_reason,
    curved_reason,
    density_reason,
    finer_kmeans_reason,
    latent_reason,
    mixture_reason,
    split_reason,
)
from .recommendation import Recommendation

__all__ = [
    "ELONGATED",
    "FLAT",
    "HEAVY_TAILS",
    "MARGIN",
    "MARKED",
    "MIN_VALIDITY",
    "SAME",
    "MethodChoice",
    "decide",
]

SAME = 0.8  # ARI at or above which two partitions are the same answer, and K-Means' suffices
MARGIN = 0.2  # how much higher a density partition's validity must be than K-Means' (DBCV is -1..1)
ELONGATED = 2.0  # median ratio of a component's longest to shortest axis that makes it elongated
MARKED = 2 * ELONGATED  # elongated enough to replace even a strong K-Means answer
MIN_VALIDITY = 1 / 3  # DBCV a density partition needs: gaps between clusters 1.5 times the widest inside
HEAVY_TAILS = 3.0  # kurtosis standard errors above a Gaussian's: a component not bell-shaped
FLAT = -0.6  # median excess kurtosis of flat pieces: midway between a bell (0) and a uniform stretch (-1.2)


@dataclass
class MethodChoice:
    """The recommended method and k, how sure, why in one sentence, and the candidates compared."""

    method: str
    k: int
    confidence: str
    reason: str
    candidates: list[Candidate] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)  # methods whose evidence was close

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def applied_to(self, kmeans: Recommendation) -> Recommendation:
        """K-Means' recommendation with this choice in it: method, k, confidence and reason are the
        choice's, K-Means' own k is kept in ``kmeans_k`` and the sweep's scores stay as they are.

        The structure K-Means' sweep judged (valleys, silhouette) says nothing about another method's
        clusters: when one wins, its evidence is the structure, "clear" with strong confidence and
        "weak" otherwise."""
        structure = kmeans.structure
        if self.method != "kmeans":
            structure = "clear" if self.confidence == "strong" else "weak"
        return replace(
            kmeans,
            structure=structure,
            method=self.method,
            k=self.k,
            confidence=self.confidence,
            reason=self.reason,
            kmeans_k=kmeans.k,
            methods=[_plain(asdict(c)) for c in self.candidates],
            alternatives=list(self.alternatives),
        )

    def method_options(self, n_rows: int) -> dict[str, Any]:
        """The settings the chosen method is fitted with on ``n_rows`` rows, as it was judged: a
        full-covariance mixture; HDBSCAN with the smallest cluster share that won."""
        if self.method == "gmm":
            return {"covariance": "full"}
        density = next((c for c in self.candidates if c.method == "hdbscan"), None)
        if self.method == "hdbscan" and density is not None and density.min_cluster_share is not None:
            return {"min_cluster_size": min_cluster_size(density.min_cluster_share, n_rows)}
        return {}


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: numpy floats as floats, NaN as None."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, (float, np.floating)):
            out[key] = None if np.isnan(value) else float(value)
        else:
            out[key] = value
    return out


def _credible(d: Candidate, km: Candidate) -> bool:
    """A density partition worth believing: two or more clusters, little noise, reproducible (by
    HDBSCAN's own refits, or as single linkage's chains, :func:`_chained`)."""
    return d.k >= 2 and _or(d.noise, 0.0) <= MAX_NOISE and (_reproducible(d, km) or _chained(d))


def _chained(d: Candidate) -> bool:
    """Every one of density's clusters is valid, and single linkage cut into as many clusters draws
    them, reproducibly (at least ``STABLE`` on resampled rows; :func:`~.method_candidates.
    chain_stability`): each group is a chain of rows nearer each other than any row of another
    group, and the chains come back when rows are left out. Chance gaps in a cloud are not like
    that: single linkage's longest links there cut off stray rows, not groups (a Gaussian cloud, or
    three overlapping blobs where HDBSCAN finds 2). It stands in for HDBSCAN's own refits, which can
    pick different pieces of a thin arm on resampled rows (a spiral's arms: 53%; single linkage's
    three chains 98%), and for the ``MIN_VALIDITY`` floor: a thin chain's widest inner gap is wide
    for its density, so DBCV is low however far apart the chains lie.

    Not when density only joins K-Means' clusters (``merges``): K-Means' finer answer then cuts no
    chain, and bunches far apart are chains of single linkage at every coarse level (a1's 20 round
    groups in 3 bunches; yeast's 2, one of them a few stray rows), so the chains say nothing
    against the finer partition."""
    return bool(d.all_valid) and not d.merges and _or(d.chained, 0.0) >= STABLE


def _density_wins(d: Candidate | None, km: Candidate, apart: bool = False, curved: bool = False) -> bool:
    """Density separates its clusters clearly better than K-Means can with as many (convex) clusters,
    and does not merely join K-Means' clusters when those lie apart (``apart``: every boundary a
    valley, every cluster valid): DBCV weighs each cluster by its rows, so joining a small group to
    its neighbour across a gap barely lowers it, while the gap says the two are apart.

    Its validity must reach ``MIN_VALIDITY``, unless the groups are ``curved`` (a mixture's flat
    pieces tile density's clusters, :func:`_pieces`): two noisy moons come within 1.1 to 1.4 times their
    widest inner gap of each other, and the mixture's pieces are independent evidence that each moon
    is one group. Or unless density finds as many clusters as K-Means' own answer (:func:`_corroborated`).
    Or unless single linkage draws its clusters as reproducible chains (:func:`_chained`). Every one of
    density's clusters must then be valid."""
    if d is None or d.k < 2 or d.validity is None or np.isnan(d.validity):
        return False
    if apart and d.merges:
        return False
    same_k = _or(d.kmeans_validity, -1.0)
    floor = 0.0 if (curved or _corroborated(d, km) or _chained(d)) and d.all_valid else MIN_VALIDITY
    return (
        _credible(d, km)
        and _or(d.agreement_with_kmeans, 0.0) < SAME
        and d.validity >= max(floor, same_k + MARGIN)
    )


def _by_chains(d: Candidate, km: Candidate) -> bool:
    """Density won only on single linkage's evidence: HDBSCAN's own refits are not reproducible
    enough, or its validity is below ``MIN_VALIDITY`` and K-Means' count does not match it."""
    return not _reproducible(d, km) or (_or(d.validity, -1.0) < MIN_VALIDITY and not _corroborated(d, km))


def _corroborated(d: Candidate, km: Candidate) -> bool:
    """Density finds as many clusters as K-Means' own answer names. The ``MIN_VALIDITY`` floor keeps
    out a number of groups made up from chance gaps (overlapping blobs, log-normal clouds); when
    K-Means' criteria name the same number independently, the count is not in question, only where
    the boundaries run, and density-based validity judges that for both partitions alike (two noisy
    moons beside unrelated category columns: HDBSCAN's 2, each valid, DBCV 0.19 to 0.31, against
    K-Means' 2 at -0.8, which cut both moons)."""
    return d.k == km.k


def _confirmed(m: Candidate | None) -> bool:
    """A mixture of two or more components that draws K-Means' clusters (ARI at least ``SAME``) with
    bell-shaped components (flatness above ``FLAT``): K-Means' clusters are groups of their own.
    Flat components that agree with K-Means are pieces of one shape, cut alike (atom's shell)."""
    return (
        m is not None
        and m.k >= 2
        and _or(m.agreement_with_kmeans, 0.0) >= SAME
        and _or(m.flatness, FLAT) > FLAT
    )


def _pieces(m: Candidate, m_labels: np.ndarray, d: Candidate, d_labels: np.ndarray) -> bool:
    """The mixture's clusters are flat pieces of density's groups: density's partition has every
    cluster valid and little noise, the mixture's has more clusters, each inside one of density's,
    and they are flat along their length (median excess kurtosis at most ``FLAT``, see
    :func:`~.method_candidates.flatness`). A mixture lays Gaussian components along a curved group
    (two noisy moons: 6 to 9 components, 3 or more per moon); elongated Gaussian groups are
    bell-shaped along their length, and a group that is itself a flat rectangle holds one
    component, not several."""
    return (
        bool(d.all_valid)
        and _or(d.noise, 0.0) <= MAX_NOISE
        and m.k > d.k >= 2
        and _or(m.flatness, 0.0) <= FLAT
        and refines(m_labels, d_labels)
    )


def _worth_resampling(c: Candidate) -> bool:
    """A partition into at least two clusters that differs from K-Means'."""
    return c.k >= 2 and _or(c.agreement_with_kmeans, 1.0) < SAME


def _reproducible(c: Candidate, km: Candidate) -> bool:
    """Reproducible enough to replace K-Means' answer: at least ``STABLE``, or, when K-Means' own
    answer falls short of that bar, at least ``FAIRLY_STABLE`` and ``MARGIN`` more reproducible than
    K-Means'. The absolute bar keeps chance partitions out; a bar K-Means itself fails is no reason to
    keep K-Means against a clearly more reproducible answer."""
    stability, own = _or(c.stability, 0.0), _or(km.stability, 1.0)
    return stability >= STABLE or (own < STABLE and stability >= max(FAIRLY_STABLE, own + MARGIN))


def _splits(d: Candidate | None, km: Candidate) -> bool:
    """Density found more groups than K-Means' answer, each of them inside one of K-Means' clusters
    and farther from the others than its own widest gap (every cluster valid, DBCV at least
    ``MIN_VALIDITY``), reproducibly and with little noise: K-Means' answer joins groups that lie
    apart. Small groups beside big ones weigh little in K-Means' criteria (silhouette and
    Calinski-Harabasz weigh every row alike), and splitting off a group of 100 rows from 3,000 barely
    moves the adjusted Rand index, so density's finer answer can agree with K-Means' at 0.97: it is
    judged by its own evidence, not by disagreeing."""
    return d is not None and _credible(d, km) and _finer_partition(d, km.k)


def _finer_partition(d: Candidate, k: int) -> bool:
    """More clusters than K-Means' ``k``, each inside one of K-Means' clusters, every one valid and
    DBCV at least ``MIN_VALIDITY``, and no boundary without a valley among the numbers of many
    values (:func:`_valleys_in_numbers`; unknown counts as none): the evidence of :func:`_splits`
    but reproducibility."""
    return (
        d.k > k
        and "kmeans" in d.refines
        and bool(d.all_valid)
        and _or(d.validity, -1.0) >= MIN_VALIDITY
        and d.valleys_in_numbers is not False
    )


def _finer_groups(d: Candidate | None, km: Candidate) -> bool:
    """Density's finer groups (:func:`_splits`), and K-Means with as many clusters draws them about as
    validly (else density would win outright) and clearly more validly than its own answer: the
    groups are round, and K-Means' criteria merged some of them (small or sparse groups beside big
    dense ones weigh little in silhouette or Calinski-Harabasz). K-Means at density's k is then the
    answer; otherwise density's own partition is."""
    return (
        d is not None and _splits(d, km) and _or(d.kmeans_validity, -1.0) >= _or(km.validity, -1.0) + MARGIN
    )


def _mixture_wins(m: Candidate | None, km: Candidate) -> bool:
    shaped = m is not None and ((m.elongation or 1.0) >= ELONGATED or (m.unequal or 1.0) >= ELONGATED**2)
    return (
        m is not None
        and shaped
        and m.k >= 2
        and (m.agreement_with_kmeans or 0.0) < SAME
        and _reproducible(m, km)
        and _or(m.collapsed, 0.0) == 0.0
    )


def _markedly_elongated(m: Candidate | None, km: Candidate) -> bool:
    """A mixture that replaces even a strong K-Means answer: it wins by :func:`_mixture_wins`, is at
    least ``STABLE`` reproducible, and its components are at least ``MARKED`` times as long as wide
    (median). Round groups drawn with different spreads reach about 2 (``make bench-families``' blobs
    and density: at most 1.97); the elongated family's 6.5 to 8.8."""
    return (
        m is not None
        and _mixture_wins(m, km)
        and _or(m.stability, 0.0) >= STABLE
        and _or(m.elongation, 1.0) >= MARKED
    )


def decide(
    kmeans: Recommendation,
    km: Candidate,
    density: Candidate | None,
    mixture: Candidate | None,
    candidates: list[Candidate],
    latent: Candidate | None = None,
) -> MethodChoice:
    """The rule of the module docstring on measured evidence: the latent class model, density, then
    the mixture, else K-Means (with the close calls named)."""
    if _latent_wins(latent, km) and latent is not None:
        confidence = "strong" if _or(latent.stability, 0.0) >= 0.9 else "moderate"
        return MethodChoice("latentclass", latent.k, confidence, latent_reason(latent, km), candidates, [])
    # K-Means' clusters lie apart: every boundary a valley, and each cluster farther from the others
    # than its own widest gap (by density's own measure: a hollow shell cut in pieces has valleys
    # between the pieces, but no gaps).
    # Or a Gaussian mixture, which assumes nothing of roundness or equal sizes, draws the same
    # clusters with bell-shaped components: two models agree they are separate groups (scattered rows
    # or unrelated columns can leave a real group's DBCV at 0).
    apart = (kmeans.k in kmeans.admissible and bool(km.all_valid)) or _confirmed(mixture)
    # A mixture whose flat pieces tile density's valid groups draws curved groups: density's.
    curved = mixture is not None and bool(mixture.pieces)
    dense = _density_wins(density, km, apart=apart, curved=curved)
    # A mixture that only joins K-Means' clusters may not join them across valleys: it models convex
    # groups as K-Means does, and unlike density it has no measure of its own that sees a hollow
    # shell's pieces as one (which is why density needs each K-Means cluster valid as well).
    joins_apart = mixture is not None and bool(mixture.merges) and (apart or kmeans.k in kmeans.admissible)
    mixed = _mixture_wins(mixture, km) and not joins_apart and not curved
    finer = _finer_groups(density, km)
    split = _splits(density, km)
    if mixed and mixture is not None and density is not None:
        # Dense groups of any shape that a mixture chops into pieces (two moons: 7 to 9 components)
        # are not elongated groups: the density partition separates its clusters clearly better.
        # Nor is a mixture whose components each hold several of density's valid groups.
        mixed = not (
            _credible(density, km)
            and _or(density.validity, -1.0) >= max(MIN_VALIDITY, _or(mixture.validity, -1.0) + MARGIN)
        ) and not (finer and "gmm" in density.refines)
    if (
        dense
        and curved
        and density is not None
        and mixture is not None
        and _or(density.validity, 0.0) < MIN_VALIDITY
    ):
        # Density won below the usual bar, which only the mixture's pieces allow: its own reason.
        return MethodChoice("hdbscan", density.k, "moderate", curved_reason(density, mixture), candidates, [])
    if dense and density is not None and _chained(density) and _by_chains(density, km):
        # Density won on single linkage's evidence (below the usual bar, or not reproducible by its
        # own refits): its own reason.
        return MethodChoice("hdbscan", density.k, "moderate", chains_reason(density), candidates, [])
    # Density below the usual bar past the curved case: only K-Means' own count allowed it.
    counted_alike = dense and density is not None and _or(density.validity, 0.0) < MIN_VALIDITY
    if dense and density is not None and not counted_alike:
        alternatives = ["gmm"] if mixed else []
        confidence = "strong" if (density.stability or 0) >= 0.9 and not mixed else "moderate"
        return MethodChoice(
            "hdbscan", density.k, confidence, density_reason(density), candidates, alternatives
        )
    if mixed and mixture is not None:
        return _mixture_choice(mixture, km, candidates)
    if counted_alike and density is not None:
        # Below the usual bar, which only K-Means' own count allows (_corroborated); a winning mixture
        # goes first.
        return MethodChoice("hdbscan", density.k, "moderate", counted_alike_reason(density), candidates, [])
    if finer and density is not None:
        return MethodChoice("kmeans", density.k, "moderate", finer_kmeans_reason(density, km), candidates, [])
    if split and density is not None:
        return MethodChoice("hdbscan", density.k, "moderate", split_reason(density, km), candidates, [])
    close = [c.method for c in (density, mixture, latent) if c is not None and _close_call(km, c)]
    reason = kmeans.reason
    if close:
        reason += " " + close_calls(close, candidates)
    return MethodChoice("kmeans", kmeans.k, kmeans.confidence, reason, candidates, close)


def _mixture_choice(mixture: Candidate, km: Candidate, candidates: list[Candidate]) -> MethodChoice:
    """The mixture as the answer, with its shape and reproducibility in the reason.

    Strong when resampled fits agree at least 90% and no component is far from bell-shaped
    (:func:`~.method_candidates.heavy_tails` below ``HEAVY_TAILS``): a component drawn over two groups
    that cross comes back the same way in every resampled fit, so reproducibility alone cannot tell
    it from a group; the count is then moderate, and the reason says why."""
    reproduced = (mixture.stability or 0) >= 0.9
    crossing = _or(mixture.tails, 0.0) >= HEAVY_TAILS
    confidence = "strong" if reproduced and not crossing else "moderate"
    elongated = _or(mixture.elongation, 1.0) >= ELONGATED
    reason = mixture_reason(mixture, km, elongated, crossing)
    return MethodChoice("gmm", mixture.k, confidence, reason, candidates, [])


def _latent_wins(c: Candidate | None, km: Candidate) -> bool:
    """The latent class model (compared only when no number column of many values carries structure)
    names two or more classes by BIC, is reproducible and draws other groups than K-Means'."""
    return c is not None and c.k >= 2 and _or(c.agreement_with_kmeans, 0.0) < SAME and _reproducible(c, km)


def _close_call(km: Candidate, c: Candidate) -> bool:
    """A different, reproducible answer that misses a winning rule: worth showing beside K-Means'."""
    return (
        c.k >= 2
        and (c.agreement_with_kmeans or 0.0) < SAME
        and (c.stability or 0.0) >= STABLE
        and _or(c.collapsed, 0.0) == 0.0
    )
