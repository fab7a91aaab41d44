"""How far the other columns agree with each category: the weights behind ``category_weight="auto"``.

A category separates its levels perfectly (two rows share a level or are a whole level apart), so
how cleanly it splits the rows says nothing about whether groups are there: an unrelated category
splits them just as cleanly. A number is different: a gap in its values is evidence on its own, and
the k criteria judge it. What *is* evidence for a category is agreement: groups that really exist
show in several columns, so the levels of a category that carries them also explain part of the
other columns. A category that agrees with nothing carries structure alone.

The rule (reasons and measurements: docs/category-weights.md):

1. For each category or yes/no column ``j`` and every other column ``b``, the share of ``b``'s
   variance (as the clustering sees it: scaled, its block weighted as one column) explained by the
   levels of ``j``: the correlation ratio eta² for a number, Goodman and Kruskal's tau for another
   category. It is corrected for the share chance gives ``(L - 1) / (m - 1)`` and counted only when
   a chi-square test says it is beyond chance (p < 0.001).
2. The evidence for ``j`` is the sum over the other columns of the square root of that share (a
   correlation: 1 for a column that ``j`` determines, 0.3 for a moderate link).
3. ``weight = floor + (1 - floor) * min(1, evidence)``, at most ``4 * (1 - sum p²) / 2``. The floor
   is Huang's k-prototypes weight (1998): a mismatch costs ``gamma``, half the numbers' mean standard
   deviation (1 once scaled), the middle of his 1/3 to 2/3. A one-hot block of total variance ``w``
   puts two rows with different levels ``2 w / (1 - sum p²)`` apart (squared), so
   ``floor = gamma * (1 - sum p²) / 2``: 0.17 for three equal levels, 0.125 for a 50/50 yes/no. A
   category whose agreement adds up to a full correlation counts as a numeric column (1), as every
   column does under balanced weighting; none counts more. The cap keeps a mismatch from costing more
   than in a 50/50 yes/no at weight 1 (4): without it a 1% level at weight 1 would put its rows ten
   standard deviations from the rest, a cluster of their own.

4. What the numbers already draw is not the category's to add. The share ``R²`` of the category
   that the numeric columns explain (its levels predicted from each row's :data:`NEIGHBOURS`
   nearest rows in the numbers, left out itself) is structure they carry; the rest of the category is
   noise to that structure, which a clustering would cut like an unrelated category's levels. So the
   weight is at most ``floor / (1 - R²)``: the unexplained part weighs no more than a category at
   the floor. Agreement with *other categories*, counted as far as the numbers do not explain those
   (``strength * (1 - R²_other)``), is structure only categories carry and lifts that cap as it
   lifted the weight. Without this a category that follows numeric groups loosely (a newsletter
   taken by 90%, 50% and 10% of three groups) reached weight 1 and split every group in two.
   This holds when the numbers draw their groups cleanly; when the groups overlap in the numbers, the
   category may be the sharper carrier, and what the numbers miss of it is their blur, not its
   noise. The two directions tell: with clean groups the numbers explain as much of the category
   (``R²``) as the category explains of its most agreeing number (eta²); with overlapping ones
   markedly less. The cap holds in full from a ratio of :data:`SHARP`, not at all up to
   :data:`BLURRED`, and in between moves linearly from 1 to ``floor / (1 - R²)`` (measured: 0.94 to 1.03 on clean groups, 0.64 on groups two standard deviations apart).

It runs on a seeded sample of at most :data:`SAMPLE_ROWS` rows, so it is cheap and reproducible.

>>> rng = np.random.default_rng(0)
>>> group = rng.integers(0, 2, 400)
>>> number = group * 3.0 + rng.normal(size=400)
>>> raw = np.column_stack([number, group, rng.integers(0, 2, 400)]).astype(float)
>>> unit = (raw - raw.mean(0)) / raw.std(0)
>>> found = category_evidence(
...     raw, unit, [Block("x", "numeric", 0, 1), Block("plan", "binary", 1, 2), Block("coin", "binary", 2, 3)]
... )
>>> [(e.column, round(e.weight, 2), {c: round(v, 2) for c, v in e.agreement.items()}) for e in found]
[('plan', 0.64, {'x': 0.84}), ('coin', 0.12, {})]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.stats import chi2

__all__ = [
    "GAMMA",
    "NEIGHBOURS",
    "SAMPLE_ROWS",
    "Block",
    "CategoryEvidence",
    "category_evidence",
    "explained_by_numbers",
    "floor_weight",
    "sample_rows",
]

GAMMA = 0.5  # Huang's cost of a category mismatch, in standard deviations of a (scaled) number
MAX_COST = 4.0  # the squared distance between the two values of a 50/50 yes/no at weight 1
SAMPLE_ROWS = 5000  # the statistics are stable long before this; the cost stays flat on big tables
CHANCE = 0.001  # an agreement counts only when chance would give it less often than this
NEIGHBOURS = 15  # rows whose levels predict a row's level from the numbers (a smooth, local estimate)
SHARP, BLURRED = 0.9, 0.7  # ratios of the two directions of an association: clean or overlapping groups
NEIGHBOUR_ROWS = 2000  # rows of the sample the numbers' neighbours are found among (quadratic)

DISCRETE = ("categorical", "binary")


@dataclass(frozen=True)
class Block:
    """One user column's encoded columns ``start:stop`` and its role."""

    column: str
    role: str
    start: int
    stop: int

    @property
    def dims(self) -> int:
        """Directions the block spans: a one-hot block of L levels spans L - 1."""
        width = self.stop - self.start
        return max(width - 1, 1) if self.role == "categorical" else width


@dataclass(frozen=True)
class CategoryEvidence:
    """A category's learned weight and the columns that agree with it (strength: a correlation)."""

    column: str
    weight: float
    floor: float
    agreement: dict[str, float] = field(default_factory=dict)
    explained: float = 0.0  # share of the category the numeric columns explain (rule 4)
    capped: bool = False  # the weight is lower than the agreement alone gives, because of ``explained``

    @property
    def evidence(self) -> float:
        return float(sum(self.agreement.values()))


def floor_weight(counts: np.ndarray) -> float:
    """The weight of a category no other column agrees with: Huang's ``gamma`` per mismatch (module
    docstring), from its level counts.

    >>> round(floor_weight(np.array([10, 10, 10])), 3), floor_weight(np.array([5, 5]))
    (0.167, 0.125)
    """
    shares = counts / counts.sum()
    return float(GAMMA * (1.0 - (shares**2).sum()) / 2.0)


def sample_rows(n: int, seed: int, size: int = SAMPLE_ROWS) -> np.ndarray:
    """Positions of a seeded sample of at most ``size`` of ``n`` rows, in row order."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def category_evidence(
    raw: np.ndarray, unit: np.ndarray, blocks: list[Block], levelled: frozenset[str] = frozenset()
) -> list[CategoryEvidence]:
    """The weight of every category and yes/no block, from agreement with the other blocks.

    Number columns named in ``levelled`` are weighed the same way: a few whole numbers, each in many
    rows (a count of children, a 1-5 rating, a tier; the roles step's ``codes`` evidence). Like a
    category's, their levels are perfectly dense slabs with empty space between them, so an
    unrelated one cuts every group into its levels (a 0-3 column of children beside five round
    groups: K-Means 8 to 20 clusters, HDBSCAN 17) and its gaps are no evidence of groups; one the
    other columns agree with keeps weight 1. Rule 4 does not apply to them: their nearest rows in
    the numbers would include themselves.

    Parameters
    ----------
    raw : ndarray (m, d)
        The encoded rows before scaling (one-hot levels as 0/1), to read each row's level.
    unit : ndarray (m, d)
        The same rows scaled and block-weighted with every column at weight 1: the variance the
        agreement is measured on.
    blocks : list of Block
        Every user column's slice of the encoded columns.
    levelled : set of str
        Number columns of a few whole numbers, weighed as categories.
    """
    m = len(unit)
    centred = unit - unit.mean(axis=0)
    totals = np.array([(centred[:, b.start : b.stop] ** 2).sum() for b in blocks])
    found = []
    for block in blocks:
        if block.role not in DISCRETE and block.column not in levelled:
            continue
        codes = _levels(raw[:, block.start : block.stop])
        n_levels = int(codes.max()) + 1 if m else 0
        counts = np.bincount(codes, minlength=n_levels)
        floor = floor_weight(counts) if n_levels > 1 else GAMMA / 2
        if n_levels < 2 or m <= n_levels:
            found.append(CategoryEvidence(block.column, floor, floor))
            continue
        # Between-level sum of squares of every encoded column: sum over levels of n_l * mean_l².
        sums = np.zeros((n_levels, unit.shape[1]))
        np.add.at(sums, codes, centred)
        between = (sums**2 / np.maximum(counts, 1)[:, None]).sum(axis=0)
        agreement = {}
        for other, total in zip(blocks, totals, strict=True):
            if other is block or total <= 0:
                continue
            share = float(between[other.start : other.stop].sum() / total)
            strength = _beyond_chance(share, n_levels, other.dims, m)
            if strength > 0:
                agreement[other.column] = strength
        evidence = sum(agreement.values())
        # A rare level at a number's variance would sit many standard deviations from the rest and
        # take a cluster of its own: no mismatch costs more than in a 50/50 yes/no at weight 1.
        weight = min(floor + (1.0 - floor) * min(1.0, evidence), MAX_COST * floor / GAMMA)
        ranked = dict(sorted(agreement.items(), key=lambda kv: -kv[1]))
        found.append(CategoryEvidence(block.column, float(weight), floor, ranked))
    return _capped_by_numbers(
        found, explained_by_numbers(raw, unit, blocks), {b.column: b.role for b in blocks}
    )


def _capped_by_numbers(
    found: list[CategoryEvidence], explained: dict[str, float], roles: dict[str, str]
) -> list[CategoryEvidence]:
    """Rule 4 of the module docstring: each weight at most ``floor / (1 - R²)``, lifted by agreement
    with other categories as far as the numbers do not explain those."""
    out = []
    for e in found:
        if roles[e.column] not in DISCRETE:
            out.append(e)  # a number of few values: the numbers' neighbours include itself
            continue
        r2 = explained.get(e.column, 0.0)
        sharp = _sharpness(e, r2, roles)
        own = sum(v * (1.0 - explained.get(c, 0.0)) for c, v in e.agreement.items() if roles[c] in DISCRETE)
        by_numbers = (1.0 - sharp) + sharp * min(1.0, e.floor / max(1.0 - r2, 1e-9))
        cap = max(by_numbers, e.floor + (1.0 - e.floor) * min(1.0, own))
        weight = min(e.weight, cap)
        out.append(replace(e, weight=float(weight), explained=round(r2, 4), capped=weight < e.weight - 1e-9))
    return out


def _sharpness(e: CategoryEvidence, r2: float, roles: dict[str, str]) -> float:
    """How sharply the numbers draw what they share with the category, 0..1: the share of the category
    they explain (``r2``) against the largest share of a numeric column the category explains (the
    same association seen from the category). Around 1 when the numbers' groups are clean, so both
    directions agree; well below when they overlap and the category is the sharper of the two, and
    its unexplained part is the numbers' blur, not noise (full at :data:`SHARP`, none at :data:`BLURRED`)."""
    numeric = [v**2 for c, v in e.agreement.items() if roles[c] not in DISCRETE]
    if not numeric:
        return 0.0
    ratio = r2 / max(numeric)
    return float(np.clip((ratio - BLURRED) / (SHARP - BLURRED), 0.0, 1.0))


def explained_by_numbers(raw: np.ndarray, unit: np.ndarray, blocks: list[Block]) -> dict[str, float]:
    """Per category or yes/no column, the share of its variance (as 0/1 level indicators) that the
    numeric columns explain: each row's levels predicted by the mean of its :data:`NEIGHBOURS`
    nearest rows in the numeric columns (itself left out), on at most :data:`NEIGHBOUR_ROWS` rows.
    Chance gives about ``-1 / NEIGHBOURS``, clipped to 0. Empty without numeric columns.

    >>> rng = np.random.default_rng(0)
    >>> x = np.repeat([0.0, 5.0], 200) + rng.normal(size=400)
    >>> follows = (x > 2.5).astype(float)  # the numbers draw it exactly
    >>> coin = rng.integers(0, 2, 400).astype(float)  # the numbers know nothing of it
    >>> raw = np.column_stack([x, follows, coin])
    >>> blocks = [Block("x", "numeric", 0, 1), Block("follows", "binary", 1, 2), Block("coin", "binary", 2, 3)]
    >>> {c: round(v, 1) for c, v in explained_by_numbers(raw, raw, blocks).items()}
    {'follows': 1.0, 'coin': 0.0}
    """
    numeric = [b for b in blocks if b.role not in DISCRETE]
    discrete = [b for b in blocks if b.role in DISCRETE]
    if not numeric or not discrete or len(unit) <= NEIGHBOURS + 1:
        return {}
    rows = sample_rows(len(unit), 0, NEIGHBOUR_ROWS)
    X = np.concatenate([unit[rows, b.start : b.stop] for b in numeric], axis=1).astype(np.float64)
    near = _neighbours(X, NEIGHBOURS)
    out = {}
    for block in discrete:
        codes = _levels(raw[rows, block.start : block.stop])
        Y = np.eye(int(codes.max()) + 1)[codes]
        total = ((Y - Y.mean(axis=0)) ** 2).sum()
        if total <= 0:
            out[block.column] = 0.0
            continue
        residual = ((Y - Y[near].mean(axis=1)) ** 2).sum()
        out[block.column] = float(max(0.0, 1.0 - residual / total))
    return out


def _neighbours(X: np.ndarray, k: int, chunk: int = 500) -> np.ndarray:
    """Each row's ``k`` nearest other rows (squared Euclidean), in blocks of ``chunk`` rows."""
    squares = np.einsum("ij,ij->i", X, X)
    out = np.empty((len(X), k), dtype=np.int64)
    for start in range(0, len(X), chunk):
        part = slice(start, min(start + chunk, len(X)))
        d = squares[part, None] - 2.0 * X[part] @ X.T + squares[None, :]
        d[np.arange(d.shape[0]), np.arange(part.start, part.stop)] = np.inf  # not its own neighbour
        out[part] = np.argpartition(d, k, axis=1)[:, :k]
    return out


def _levels(part: np.ndarray) -> np.ndarray:
    """Each row's level as 0..L-1: the hot column of a one-hot block, the value of a 0/1 column."""
    if part.shape[1] == 1:
        return np.unique(part[:, 0], return_inverse=True)[1].ravel()
    return np.unique(np.argmax(part, axis=1), return_inverse=True)[1].ravel()


def _beyond_chance(share: float, n_levels: int, dims: int, m: int) -> float:
    """The square root of ``share`` corrected for chance, or 0 when chance explains it.

    Under independence ``(m - 1) * share * dims`` is about chi-square with ``(L - 1) * dims`` degrees
    of freedom (the F test of eta² for a number; Light and Margolin's C for Goodman-Kruskal tau).
    """
    df = (n_levels - 1) * dims
    if (m - 1) * share * dims <= chi2.isf(CHANCE, df):
        return 0.0
    expected = (n_levels - 1) / (m - 1)
    return float(np.sqrt(max(0.0, (share - expected) / (1.0 - expected))))
