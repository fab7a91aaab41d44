"""Clustering methods, by name: a registry of :class:`Method` classes that all keep one contract.

Built-ins register the same way a plug-in would (:func:`register_method`). Each method fits
``(X, k or None, seed, n_init)`` and returns a :class:`Fitted` (labels, centres, representative rows,
probabilities, within-cluster sum of squares, ``predict`` and a JSON state), see :mod:`.contract`.

>>> get_method("kmeans").title
'K-Means'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Control, SettingsError
from .contract import NOISE, Fitted, Method
from .density import DensityMethod
from .gmm import MixtureMethod
from .hierarchical import TreeMethod
from .kmeans import KMeansMethod
from .kmedoids import MedoidMethod
from .latent_class import LatentClassMethod

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "NOISE",
    "Fitted",
    "Method",
    "fitted_from_state",
    "get_method",
    "make_method",
    "register_method",
]

DEFAULT_METHOD = "kmeans"
METHODS: dict[str, type[Method]] = {}


def register_method(cls: type[Method]) -> type[Method]:
    """Add (or replace) a method under ``cls.name``; usable as a class decorator."""
    METHODS[cls.name] = cls
    return cls


def get_method(name: str) -> type[Method]:
    """The method class registered as ``name``; :class:`SettingsError` naming the choices otherwise."""
    try:
        return METHODS[name]
    except KeyError:
        raise SettingsError(
            f"{Control('method')} must be one of {', '.join(METHODS)}; got {name!r}.",
            detail={"setting": "method"},
        ) from None


def make_method(method: str | Method, options: Mapping[str, Any] | None = None) -> Method:
    """A method instance: ``method`` itself, or the class named ``method`` made with the options it
    reads (``options`` may hold every setting; each method takes only its own)."""
    if isinstance(method, Method):
        return method
    cls = get_method(method)
    given = options or {}
    return cls(**{name: given[name] for name in cls.options if name in given})


def fitted_from_state(state: Mapping[str, Any]) -> Fitted:
    """A fitted clustering rebuilt from :meth:`Fitted.to_state` (model.json): enough to predict."""
    cls = get_method(str(state.get("method", DEFAULT_METHOD)))
    return cls.fitted.from_state(dict(state))


for _builtin in (KMeansMethod, MixtureMethod, TreeMethod, DensityMethod, MedoidMethod, LatentClassMethod):
    register_method(_builtin)
