"""The lesson's toy data: blobs on a plane, with the lesson's controls (points per cluster,
separation, clusters, seed), and the shapes that show K-Means' limits.

Each generator is seeded and returns a :class:`Playground`: the points, the true groups (for
comparing, never for clustering) and a sentence saying what was drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SHAPES", "Playground", "blobs", "shaped"]

SHAPES = {
    "round": "Round blobs of the same size: what K-Means assumes",
    "stretched": "Long, thin groups side by side: K-Means cuts across them",
    "moons": "Two interlocking half-moons: groups that are not round at all",
    "uneven": "One wide group beside two small tight ones: K-Means moves boundaries into the wide one",
    "outliers": "Three blobs and a handful of far-away rows that pull centres towards them",
    "scale": "Two groups apart on x (0-1) but x measured beside y in thousands: unscaled, y dominates",
}


@dataclass(frozen=True)
class Playground:
    X: np.ndarray
    truth: np.ndarray
    about: str
    axis_titles: tuple[str, str] = ("x", "y")


def _centres(clusters: int, separation: float) -> np.ndarray:
    """Centres on a circle, neighbours ``separation`` standard deviations apart (one blob: the origin)."""
    if clusters == 1:
        return np.zeros((1, 2))
    radius = separation / (2 * np.sin(np.pi / clusters))
    angles = 2 * np.pi * np.arange(clusters) / clusters + np.pi / 2
    return np.c_[radius * np.cos(angles), radius * np.sin(angles)]


def blobs(points: int = 40, separation: float = 4.0, clusters: int = 3, seed: int = 0) -> Playground:
    """``clusters`` round blobs of ``points`` rows each (standard deviation 1), their centres
    ``separation`` standard deviations from their neighbours.

    >>> p = blobs(points=10, clusters=4, seed=1)
    >>> p.X.shape, sorted(set(p.truth.tolist()))
    ((40, 2), [0, 1, 2, 3])
    """
    if points < 2 or clusters < 1:
        raise ValueError(f"Blobs need at least 2 points each and 1 cluster (got {points} and {clusters}).")
    rng = np.random.default_rng(seed)
    centres = _centres(clusters, separation)
    X = np.concatenate([rng.normal(c, 1.0, size=(points, 2)) for c in centres])
    truth = np.repeat(np.arange(clusters), points)
    return Playground(
        X, truth, f"{clusters} round blobs of {points} points, {separation:g} standard deviations apart"
    )


def shaped(shape: str, points: int = 60, seed: int = 0) -> Playground:
    """A data set of one of :data:`SHAPES`, about ``points`` rows per group.

    >>> shaped("moons", points=20).X.shape
    (40, 2)
    """
    rng = np.random.default_rng(seed)
    if shape == "round":
        return blobs(points, 5.0, 3, seed)
    if shape == "stretched":
        parts = [rng.normal(0, 1, size=(points, 2)) * [0.35, 4.0] + [dx, 0] for dx in (-3.0, 0.0, 3.0)]
        X = np.concatenate(parts)
        return Playground(X, np.repeat(np.arange(3), points), SHAPES[shape])
    if shape == "moons":
        t = rng.uniform(0, np.pi, size=(2, points))
        upper = np.c_[np.cos(t[0]), np.sin(t[0])]
        lower = np.c_[1 - np.cos(t[1]), 0.5 - np.sin(t[1])]
        X = np.concatenate([upper, lower]) * 3 + rng.normal(0, 0.15, size=(2 * points, 2))
        return Playground(X, np.repeat([0, 1], points), SHAPES[shape])
    if shape == "uneven":
        wide = rng.normal([0, 0], 2.2, size=(points * 2, 2))
        small = [rng.normal(c, 0.35, size=(points // 3, 2)) for c in ([6.0, 1.5], [6.0, -1.5])]
        X = np.concatenate([wide, *small])
        truth = np.r_[np.zeros(points * 2), np.ones(points // 3), np.full(points // 3, 2)].astype(int)
        return Playground(X, truth, SHAPES[shape])
    if shape == "outliers":
        base = blobs(points, 5.0, 3, seed)
        far = rng.normal(0, 1, size=(6, 2)) + np.array([14.0, 14.0])
        X = np.concatenate([base.X, far])
        return Playground(X, np.r_[base.truth, np.full(6, 3)], SHAPES[shape])
    if shape == "scale":
        x = np.r_[rng.normal(0.2, 0.05, points), rng.normal(0.8, 0.05, points)]
        y = rng.normal(3000, 400, 2 * points)
        X = np.c_[x, y]
        return Playground(X, np.repeat([0, 1], points), SHAPES[shape], ("share (0-1)", "income (thousands)"))
    raise ValueError(f"Unknown shape '{shape}'; choose one of: {', '.join(SHAPES)}.")
