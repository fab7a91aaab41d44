"""The adaptive k range: sweep the default range, and extend it while the answer sits at its top.

A recommendation at the top of the range (``k_max`` or the k just below), or half of the criteria
naming a k there, means the criteria may still improve beyond it: returning the edge would be an
artefact of the range, not of the data (unless the data shows no structure at all). The
sweep then grows by another ``k_max - k_min + 1`` values of k, up to ``limit`` (setting ``k_limit``,
30 by default), at most one k per ten rows and never past the number of distinct rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor

import numpy as np

from ..errors import Control, Note
from ..methods import Method
from ..progress import ProgressCallback
from .recommendation import Confirm, Recommendation, recommend
from .sweep import KSweep, sweep_k

__all__ = ["ROWS_PER_CLUSTER", "extension_bound", "sweep_and_recommend"]

ROWS_PER_CLUSTER = 10  # an extended range never asks for fewer rows per cluster on average


def extension_bound(n_rows: int, top: int, limit: int, distinct: int) -> int:
    """The largest k an extension may reach (never below the range already asked for)."""
    return max(top, min(limit, n_rows // ROWS_PER_CLUSTER, distinct - 1, n_rows - 1))


def sweep_and_recommend(
    X: np.ndarray,
    ks: Sequence[int],
    *,
    bound: int,
    seed: int = 42,
    method: str | Method = "kmeans",
    n_init: int = 3,
    sample_size: int = 5000,
    resamples: int = 10,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
    finer: Confirm | None = None,
) -> tuple[KSweep, Recommendation, list[Note]]:
    """Sweep ``ks``, recommend, and extend the range up to ``bound`` while the answer is at its top.

    ``finer``: a finer partition through valleys may refine the answer when this confirms its
    valleys among the measurements (:func:`.recommendation.recommend`).

    Returns the (possibly extended) sweep, the recommendation and a note when the range grew.
    """
    ks = list(ks)

    def sweep(values: list[int], done: int = 0, extends: int | None = None) -> KSweep:
        return sweep_k(
            X,
            values,
            seed=seed,
            method=method,
            n_init=n_init,
            sample_size=sample_size,
            resamples=resamples,
            executor=executor,
            progress=progress,
            done_before=done,
            total=done + len(values),
            extends=extends,
        )

    swept = sweep(ks)
    rec = recommend(swept, finer)
    step = max(len(ks), 2)
    first, top = ks[0], ks[-1]
    # Step 1: the answer, or half of the criteria, sit at the top of the range (k_max or the k just
    # below): they may still improve past it, and the range may still grow. Not on data without
    # structure: there the criteria drift steadily with k (noise has no best k), and a wider range
    # would only make an arbitrary answer larger.
    while rec.structure != "none" and _at_top(rec, top) and top < bound:
        # Step 2: add the next block of k and decide again on the whole range.
        more = list(range(top + 1, min(bound, top + step) + 1))
        swept = swept.extended(sweep(more, done=len(swept.ks), extends=ks[-1]))
        top = more[-1]
        rec = recommend(swept, finer)
    notes: list[Note] = []
    if top > ks[-1]:
        notes.append(
            Note(
                "sweep",
                f"The criteria still improved at k = {ks[-1]}, so the k range was extended to "
                f"{first}..{top} (limit with {Control('k_limit')}).",
            )
        )
    return swept, rec, notes


def _at_top(rec: Recommendation, top: int) -> bool:
    named = [k for k in rec.votes.values() if k is not None]
    return rec.k >= top - 1 or (bool(named) and sum(k >= top - 1 for k in named) >= len(named) / 2)
