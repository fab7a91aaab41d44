"""K-Means as the lesson shows it: Lloyd's iterations recorded one half-step at a time.

scikit-learn's K-Means runs the same algorithm but keeps only the end; a lesson needs every step:
where the centres start, which rows each one takes, where it moves, and the inertia (the sum of
squared distances of the rows to their centre) after each move. So the loop is written out here in
numpy, small and plain, for a few hundred rows at most.

Starts:

* ``"k-means++"`` (Arthur & Vassilvitskii 2007): the first centre a random row, each next one a row
  drawn with probability proportional to its squared distance from the centres so far, so the starts
  spread over the data.
* ``"random"``: k distinct rows drawn uniformly (Forgy); two may land in one group.
* ``"bad"``: deliberately poor, the k rows nearest to one another in one corner of the data, so all
  the centres start inside one group and the lesson can show what K-Means does with that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "STARTS",
    "LloydStep",
    "LloydSteps",
    "distances",
    "record_lloyd",
    "restart_inertias",
    "starting_centres",
]

STARTS = ("k-means++", "random", "bad")
MAX_ITER = 50


@dataclass(frozen=True)
class LloydStep:
    """One picture of the lesson: the centres, each row's cluster (0..k-1) and the inertia.

    ``kind`` is "start" (the first centres, rows not yet assigned: ``labels`` all -1), "assign"
    (each row took its nearest centre) or "move" (each centre moved to the mean of its rows; the rows
    keep the colours of the assignment before)."""

    kind: str
    centres: np.ndarray
    labels: np.ndarray
    inertia: float | None


@dataclass
class LloydSteps:
    """Every step of one K-Means run on ``X`` from one start, until no row changes cluster."""

    X: np.ndarray
    k: int
    start: str
    seed: int
    steps: list[LloydStep] = field(default_factory=list)
    converged: bool = False
    empty: list[int] = field(default_factory=list)  # iterations where a centre had no rows

    @property
    def iterations(self) -> int:
        """Assignments made (the first included)."""
        return sum(s.kind == "assign" for s in self.steps)

    @property
    def inertia(self) -> float:
        """The inertia at the end."""
        return float(next(s.inertia for s in reversed(self.steps) if s.inertia is not None))

    @property
    def labels(self) -> np.ndarray:
        return self.steps[-1].labels

    @property
    def centres(self) -> np.ndarray:
        return self.steps[-1].centres


def distances(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Euclidean distance of every row to every centre, shape (rows, k).

    >>> distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0]])).ravel().tolist()
    [0.0, 5.0]
    """
    diff = X[:, None, :] - centres[None, :, :]
    return np.sqrt((diff**2).sum(axis=2))


def starting_centres(X: np.ndarray, k: int, start: str, rng: np.random.Generator) -> np.ndarray:
    """The first centres of a run (see the module docstring for each start)."""
    n = len(X)
    if start == "random":
        return X[rng.choice(n, size=k, replace=False)].copy()
    if start == "bad":
        # The row with the smallest first coordinate and its k - 1 nearest rows: one corner, one group.
        corner = int(np.argmin(X[:, 0]))
        nearest = np.argsort(((X - X[corner]) ** 2).sum(axis=1), kind="stable")[:k]
        return X[nearest].copy()
    if start == "k-means++":
        chosen = [int(rng.integers(n))]
        for _ in range(1, k):
            d2 = (distances(X, X[chosen]) ** 2).min(axis=1)
            total = float(d2.sum())
            chosen.append(int(rng.choice(n, p=d2 / total)) if total > 0 else int(rng.integers(n)))
        return X[chosen].copy()
    raise ValueError(f"Unknown start '{start}'; choose one of: {', '.join(STARTS)}.")


def record_lloyd(
    X: np.ndarray, k: int, *, start: str = "k-means++", seed: int = 0, max_iter: int = MAX_ITER
) -> LloydSteps:
    """Run Lloyd's algorithm on ``X`` and record every step.

    Step 1: assign each row to its nearest centre. Step 2: move each centre to the mean of its rows
    (a centre left without rows stays where it is). Repeat until no row changes cluster, or
    ``max_iter`` assignments.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> run = record_lloyd(X, 2, start="random", seed=1)
    >>> run.converged, round(run.inertia, 3)
    (True, 1.0)
    """
    X = np.asarray(X, dtype=float)
    if not 1 <= k <= len(X):
        raise ValueError(
            f"k = {k} needs between 1 and {len(X)} rows' worth of clusters; choose k from 1 to {len(X)}."
        )
    rng = np.random.default_rng(seed)
    centres = starting_centres(X, k, start, rng)
    run = LloydSteps(X, k, start, seed)
    run.steps.append(LloydStep("start", centres, np.full(len(X), -1), None))
    labels = np.full(len(X), -1)
    for iteration in range(max_iter):
        d = distances(X, centres)
        new = d.argmin(axis=1)
        inertia = float((d[np.arange(len(X)), new] ** 2).sum())
        if np.array_equal(new, labels):
            run.converged = True
            break
        labels = new
        run.steps.append(LloydStep("assign", centres, labels, inertia))
        moved = centres.copy()
        for c in range(k):
            members = labels == c
            if members.any():
                moved[c] = X[members].mean(axis=0)
            else:
                run.empty.append(iteration + 1)
        centres = moved
        after = float((distances(X, centres)[np.arange(len(X)), labels] ** 2).sum())
        run.steps.append(LloydStep("move", centres, labels, after))
    return run


def restart_inertias(
    X: np.ndarray, k: int, *, starts: int = 5, start: str = "random", seed: int = 0
) -> list[float]:
    """The final inertia of ``starts`` runs from different random starts: why K-Means is run several
    times and the lowest inertia kept (scikit-learn's ``n_init``).

    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> min(restart_inertias(X, 2, starts=3))
    1.0
    """
    return [record_lloyd(X, k, start=start, seed=seed + i).inertia for i in range(starts)]
