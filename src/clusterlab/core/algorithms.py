"""Clustering algorithms, by name: a registry of factories ``(k, seed, n_init) -> estimator``.

An estimator here is anything with scikit-learn's K-Means surface: ``fit(X)``, ``predict(X)``,
``labels_``, ``cluster_centers_``, ``inertia_`` and ``n_iter_``. Built-ins register like plug-ins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sklearn.cluster import KMeans

from .errors import SettingsError

__all__ = ["ALGORITHMS", "Algorithm", "get_algorithm", "register_algorithm"]

Factory = Callable[[int, int, int], Any]


@dataclass(frozen=True)
class Algorithm:
    name: str
    description: str
    make: Factory


ALGORITHMS: dict[str, Algorithm] = {}


def register_algorithm(name: str, description: str) -> Callable[[Factory], Factory]:
    def decorate(factory: Factory) -> Factory:
        ALGORITHMS[name] = Algorithm(name, description, factory)
        return factory

    return decorate


def get_algorithm(name: str) -> Algorithm:

    try:
        return ALGORITHMS[name]
    except KeyError:
        raise SettingsError(
            f"Unknown algorithm '{name}'; available: {', '.join(ALGORITHMS)}.",
            detail={"setting": "algorithm"},
        ) from None


@register_algorithm("kmeans", "K-Means (Lloyd) with k-means++ starts: scikit-learn's fastest exact kernel.")
def _kmeans(k: int, seed: int, n_init: int) -> KMeans:
    return KMeans(n_clusters=k, init="k-means++", n_init=n_init, random_state=seed, algorithm="lloyd")
