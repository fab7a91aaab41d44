"""One recommendation for method and k: K-Means, a Gaussian mixture or a density method.

K-Means' own recommendation (the sweep's six criteria, :mod:`.recommendation`) is the default. Two
alternatives are fitted on a seeded sample of at most ``COMPARE_ROWS`` rows and judged by criteria
that mean the same for every method (docs/recommendation.md, "Which method"):

* **reproducibility**: fits on resampled halves of the sample, compared on the rows they share
  (adjusted Rand index); a partition that is really in the data comes back every time (for
  density's clusters also single linkage's cut into as many, when it draws them: chains);
* **density-based validity** (DBCV, Moulavi et al. 2014): per cluster, the widest gap inside it
  (the largest edge of its minimum spanning tree under mutual reachability, between interior rows)
  against the narrowest gap to another cluster; -1..1, rows left as noise count as 0. It judges
  any partition, convex or not, so K-Means' partition gets the same score as the others.

The rule that decides between them on this evidence is :mod:`.method_rule`'s, the words of its
reason :mod:`.method_reasons`'.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..methods.encoding import Encoding
from ..methods.threads import one_thread
from .criteria import all_valleys
from .density_validity import cluster_validity, density_validity, mutual_reachability, weighted_validity
from .method_candidates import (
    MAX_NOISE,
    MIN_CLUSTER_SHARES,
    Candidate,
    all_valid,
    chain_stability,
    density_candidate,
    elongation,
    fit_latent,
    fit_mixture,
    flatness,
    half_stability,
    hdbscan_labels,
    icl,
    latent_candidate,
    min_cluster_size,
    mixture_candidate,
    overlap_stability,
    refines,
)
from .method_candidates import value_or as _or
from .method_rule import (
    MARKED,
    MIN_VALIDITY,
    SAME,
    MethodChoice,
    _chained,
    _corroborated,
    _finer_partition,
    _markedly_elongated,
    _mixture_choice,
    _pieces,
    _worth_resampling,
    decide,
)
from .recommendation import Recommendation

__all__ = [
    "Candidate",
    "MethodChoice",
    "choose_method",
    "comparison_rows",
    "decide",
    "elongation",
    "icl",
    "min_cluster_size",
    "refines",
]

COMPARE_ROWS = 2000  # rows on which methods are compared (DBCV is quadratic in them)


def choose_method(
    X: np.ndarray,
    kmeans: Recommendation,
    kmeans_labels: Mapping[int, np.ndarray],
    seed: int,
    shape: np.ndarray | None = None,
    categories: Encoding | None = None,
    measured: np.ndarray | None = None,
) -> MethodChoice:
    """Compare K-Means (its recommendation and labels on ``X``) with a mixture and a density method.

    Parameters
    ----------
    X : the rows as the clustering sees them (or the sweep's sample of them)
    kmeans : K-Means' recommendation from the sweep
    kmeans_labels : K-Means' labels for the rows of ``X`` by k (the sweep's fits; at least ``kmeans.k``;
        a k missing here is fitted on the comparison sample when needed)
    seed : the run's seed (the comparison sample and every fit)
    shape : the linear map from ``X`` to the columns density is measured in (HDBSCAN's fits and every
        partition's density-based validity: the numbers', ``Preprocessor.shape_projection``), None:
        ``X`` itself
    categories : where each user column is in ``X``, given when the groups can only live in the
        discrete columns (no number of many values carries structure): a latent class model is then
        compared too; None: it is not
    measured : the linear map from ``X`` to the numbers of many values (``Preprocessor.
        measurement_projection``), where a mixture's components are judged flat (:func:`_pieces`);
        None: ``X`` itself
    """
    # One thread for BLAS and OpenMP: these fits are small, and on a busy machine spinning threads
    # wait for each other (a 12-component mixture on 800 rows: 5 s with two threads, 0.3 s with one).
    with one_thread():
        return _choose(X, kmeans, kmeans_labels, seed, shape, categories, measured)


def _choose(
    X: np.ndarray,
    kmeans: Recommendation,
    kmeans_labels: Mapping[int, np.ndarray],
    seed: int,
    shape: np.ndarray | None,
    categories: Encoding | None = None,
    measured: np.ndarray | None = None,
) -> MethodChoice:
    if kmeans.confidence == "strong":
        return _second_look(X, kmeans, kmeans_labels, seed)
    rows = comparison_rows(len(X), seed)
    S = np.asarray(X[rows], dtype=np.float64)
    D = S if shape is None else S @ shape  # where density is measured
    km_labels = np.asarray(kmeans_labels[kmeans.k])[rows]
    mr = mutual_reachability(D)
    validities = cluster_validity(mr, km_labels)
    km = Candidate(
        "kmeans",
        kmeans.k,
        stability=kmeans.stability,
        validity=round(weighted_validity(validities, len(km_labels)), 3),
        all_valid=all_valid(validities),
    )
    density, density_labels = density_candidate(D, mr, km_labels, seed)
    if density is not None and density.k >= 2:
        same_k = _kmeans_labels_at(density.k, kmeans_labels, rows, S, seed)
        density.kmeans_validity = round(density_validity(mr, same_k), 3)
    mixture, mixture_labels = mixture_candidate(S, mr, km_labels, seed)
    for candidate, labels in ((density, density_labels), (mixture, mixture_labels)):
        if candidate is not None and labels is not None and 2 <= candidate.k < kmeans.k:
            candidate.merges = refines(km_labels, labels)
    if mixture is not None and mixture_labels is not None and mixture.k >= 2:
        mixture.flatness = round(flatness(S if measured is None else S @ measured, mixture_labels), 2)
        if density is not None and density_labels is not None:
            mixture.pieces = _pieces(mixture, mixture_labels, density, density_labels)
    if density is not None and density_labels is not None and density.k >= 2 and density.k in kmeans_labels:
        # Which coarser answers hold each of density's clusters (K-Means' only where its k was swept:
        # K-Means may then be recommended at density's k, see _finer_groups).
        coarser = {"kmeans": km_labels} | ({} if mixture is None else {"gmm": mixture_labels})
        density.refines = [
            name
            for name, labels in coarser.items()
            if labels is not None and int(labels.max()) + 1 < density.k and refines(density_labels, labels)
        ]
    # Reproducibility is the costly measure (eight or five more fits): only for a candidate that
    # passes the other tests and could change the answer or be shown beside it.
    curved = mixture is not None and bool(mixture.pieces)
    if density is not None and density_labels is not None and _finer_partition(density, kmeans.k):
        density.valleys_in_numbers = _valleys_in_numbers(S, measured, density_labels, seed)
    # A density partition that disagrees with K-Means, every cluster valid: does single linkage draw
    # the same groups as chains, reproducibly (_chained)?
    if (
        density is not None
        and density_labels is not None
        and bool(density.all_valid)
        and not density.merges
        and _or(density.noise, 0.0) <= MAX_NOISE
        and _worth_resampling(density)
    ):
        chained = chain_stability(D, density_labels, seed, SAME)
        density.chained = None if chained is None else round(chained, 3)
    # Density's finer groups inside K-Means' clusters can agree with K-Means' answer at 0.97 (a small
    # group split off a big one barely moves the ARI): they are resampled too (_splits).
    if (
        density is not None
        and (_worth_resampling(density) or _finer_partition(density, kmeans.k))
        and (
            _or(density.validity, -1.0) >= MIN_VALIDITY
            or curved
            or _corroborated(density, km)
            or _chained(density)
        )
    ):
        share = density.min_cluster_share or MIN_CLUSTER_SHARES[0]
        density.stability = round(overlap_stability(D, seed, lambda part: hdbscan_labels(part, share)), 3)
    if mixture is not None and _worth_resampling(mixture):
        k = mixture.k
        mixture.stability = round(half_stability(S, seed, lambda part: fit_mixture(part, k, seed)), 3)
    latent = None
    if categories is not None:
        latent, _ = latent_candidate(S, categories, km_labels, seed)
        if latent is not None and _worth_resampling(latent):
            k, encoding = latent.k, categories
            latent.stability = round(
                half_stability(S, seed, lambda part: fit_latent(part, k, seed, encoding)), 3
            )
    candidates = [c for c in (km, density, mixture, latent) if c is not None]
    return decide(kmeans, km, density, mixture, candidates, latent)


def _second_look(
    X: np.ndarray, kmeans: Recommendation, kmeans_labels: Mapping[int, np.ndarray], seed: int
) -> MethodChoice:
    """A strong K-Means answer (clear structure, most criteria, reproducible) is not second-guessed
    by a density method (on round groups close together it merges neighbours with a better DBCV),
    nor by a mixture of round-ish components; only by a mixture whose components are markedly
    elongated (:func:`_markedly_elongated`). K-Means' criteria measure compactness in round terms
    and cut long groups the same wrong way every time, so its strength there is no evidence."""
    km = Candidate("kmeans", kmeans.k, stability=kmeans.stability)
    rows = comparison_rows(len(X), seed)
    S = np.asarray(X[rows], dtype=np.float64)
    mixture, _ = mixture_candidate(S, None, np.asarray(kmeans_labels[kmeans.k])[rows], seed)
    if mixture is not None and mixture.k >= 2 and _or(mixture.elongation, 1.0) >= MARKED:
        if _or(mixture.agreement_with_kmeans, 1.0) < SAME:
            k = mixture.k
            mixture.stability = round(half_stability(S, seed, lambda part: fit_mixture(part, k, seed)), 3)
        if _markedly_elongated(mixture, km):
            return _mixture_choice(mixture, km, [km, mixture])
    return MethodChoice("kmeans", kmeans.k, kmeans.confidence, kmeans.reason, [km], [])


def comparison_rows(n: int, seed: int) -> np.ndarray:
    """The seeded sample of at most ``COMPARE_ROWS`` of ``n`` rows that methods are judged on, in order."""
    if n <= COMPARE_ROWS:
        return np.arange(n)
    return np.sort(np.random.default_rng([seed, 12]).choice(n, COMPARE_ROWS, replace=False))


def _kmeans_labels_at(
    k: int, kmeans_labels: Mapping[int, np.ndarray], rows: np.ndarray, S: np.ndarray, seed: int
) -> np.ndarray:
    if k in kmeans_labels:
        return np.asarray(kmeans_labels[k])[rows]
    from sklearn.cluster import KMeans

    return np.asarray(KMeans(k, n_init=3, random_state=seed).fit_predict(S))


def _valleys_in_numbers(S: np.ndarray, measured: np.ndarray | None, labels: np.ndarray, seed: int) -> bool:
    """Every boundary of ``labels`` (noise left out) is a valley among the numbers of many values
    (``measured``, the map onto them; None: every column is one, and density's validity already
    judged the gaps there); False without any such number. Between the levels of a category, a
    yes/no or a plan of three tiers density finds gaps too, and they are no groups: on three
    customer groups whose plan follows the group 90% of the time, HDBSCAN split off the 10 rows on
    another plan, every cluster "valid" (step 2b of the recommendation asks the same of K-Means)."""
    if measured is None:
        return True
    if measured.shape[1] == 0:
        return False
    return all_valleys(S @ measured, labels, seed)
