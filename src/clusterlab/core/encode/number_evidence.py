"""Which number columns no other column depends on: the weights behind ``number_weight="auto"``.

A number column unrelated to everything else dilutes every distance, as an unrelated category does:
five categories that carry four groups and two numbers of pure noise beside them give K-Means at
the true k an ARI of 0.30 to 0.58, the categories alone 0.63 to 0.80 (``make bench-families``'
category_driven; round groups with two noise numbers: noise_columns). A category's evidence is
agreement; a number's cannot be read one column at a time: every column of atom, hepta or a spiral
is unimodal and predicts nothing of the others on average, yet the groups live in the columns
jointly (docs/category-weights.md, "Unrelated number columns").

What does tell is whether the *rest of the table* depends on the column at all. Shuffle its values
among the rows: when it is independent of every other column, the shuffled table is another draw
from the same distribution, and how close each row's nearest rows are stays as it was; when the
column takes part in any structure (a group, a ring, a shell, a trend), shuffling tears it and the
nearest rows move away. That is a permutation test of independence, and it sees dependence of any
shape, not only in the mean.

The rule, on a seeded sample of at most :data:`SAMPLE_ROWS` rows, every column scaled and weighted
1 (the space category agreement is measured in):

1. For each number column (not the few-valued ones, weighed as levels), the mean log distance of
   each row to its :data:`NEAREST`-th nearest row, in the table as it is and with the column
   shuffled :data:`SHUFFLES` times: ``change`` is how far the shuffles move it, in their own
   standard deviations (about 0 for an independent column, at most 4.3 over 150 of them; 6 to 134
   for the columns of the public labelled sets with groups, 2.5 to 4.8 on a spiral or pathbased of
   300 rows), and ``moved`` the same as a log ratio (at most 0.013 for an independent column).
2. The column is *unrelated* when ``change`` is below :data:`RELATED`, ``moved`` below
   :data:`SMALL` (shuffling moves the nearest rows by less than 2%: on a small table the test's
   power is low, and the size of the change still tells) and it has a single peak alone (dip test
   p at least :data:`UNIMODAL`): a column with two peaks of its own carries groups even when nothing
   else depends on it.
3. Unrelated columns weigh :data:`UNRELATED_WEIGHT` of a number column, but only when the evidence
   is unambiguous: every other number column is clearly part of a structure (``change`` at least
   :data:`CLEAR`, or two clear peaks of its own, dip p below :data:`PEAKS` divided by the number of
   columns tested: among many uniform columns one reaches p 0.0009 by chance), and something is (such
   a number, or a category other columns agree with). Otherwise every number keeps 1. A table with
   no structure has nothing to protect (and among several uniform columns one often has dip p near
   0.03: weighing the others down would make its chance bumps look like groups); a half-detected
   structure would be squashed along the columns weighed down.

The test stops early where the answer is settled: a column with two clear peaks is not shuffled,
one whose first :data:`FIRST` shuffles already move the rows by :data:`OBVIOUS` of their standard
deviations is clear, and the first ambiguous column ends the test (every number keeps 1).

The weight is the floor of an unrelated 50/50 yes/no (:mod:`.category_evidence`): a number of
variance 0.125 puts two random rows as far apart, on average, as such a yes/no at its floor.

>>> rng = np.random.default_rng(0)
>>> group = rng.integers(0, 3, 600)
>>> a, b = group * 4.0 + rng.normal(size=600), group * 4.0 + rng.normal(size=600)
>>> noise = rng.normal(size=600)
>>> unit = np.column_stack([a, b, noise])
>>> unit = (unit - unit.mean(0)) / unit.std(0)
>>> blocks = [Block(c, "numeric", i, i + 1) for i, c in enumerate(["a", "b", "noise"])]
>>> [(e.column, e.weight) for e in number_evidence(unit, blocks, frozenset(), False, 0)]
[('a', 1.0), ('b', 1.0), ('noise', 0.125)]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from ..methods.pairwise import sample_distances
from .category_evidence import Block, sample_rows

__all__ = ["CLEAR", "RELATED", "UNRELATED_WEIGHT", "NumberEvidence", "number_evidence"]

SAMPLE_ROWS = 800  # rows the test runs on (quadratic in them; power grows as their square root)
SHUFFLES = 16  # shuffles of each column: the spread the change is measured in
FIRST, OBVIOUS = 4, 30.0  # after 4 shuffles, a change of 30 already settles it (clear)
NEAREST = 10  # each row's distance to its 10th nearest row: local, and steady against duplicates
RELATED = 4.0  # a change below this is what shuffling an independent column gives (150 of them: at most 4.3)
CLEAR = 10.0  # a change from which a column clearly takes part in a structure
SMALL = 0.02  # shuffling moves the rows' nearest rows by less than 2%: too little to matter
UNIMODAL = 0.05  # dip test p-value from which a column alone has a single peak
PEAKS = 0.001  # dip test p-value (over the columns tested) below which a column clearly has two peaks
UNRELATED_WEIGHT = 0.125  # an unrelated 50/50 yes/no's floor: the same mean distance between rows
LIMIT = 1e6  # the largest change reported (summary.json holds plain numbers, no infinity)


@dataclass(frozen=True)
class NumberEvidence:
    """A number column's weight, how far shuffling it moves the rows' nearest rows, its dip test."""

    column: str
    weight: float
    change: float | None  # in standard deviations of the shuffles: about 0 when nothing depends on it
    moved: float | None  # how far shuffling moves the rows' nearest rows (log ratio: 0.02 is 2%)
    dip: float  # p-value of Hartigan's dip test on the column alone: low, two peaks or more
    peaked: bool = False  # two clear peaks: dip below PEAKS over the number of columns tested
    # (change and moved are None for a column with two clear peaks: it is not shuffled)

    @property
    def unrelated(self) -> bool:
        """Nothing depends on it (by the test and by the size of the change) and it has one peak."""
        if self.change is None or self.moved is None:
            return False
        return self.change < RELATED and self.moved < SMALL and self.dip >= UNIMODAL

    @property
    def clear(self) -> bool:
        """Clearly part of a structure: shuffling it tears one, or it has two peaks alone."""
        return self.peaked or (self.change is not None and self.change >= CLEAR)


def number_evidence(
    unit: np.ndarray,
    blocks: list[Block],
    levelled: frozenset[str],
    agreeing_categories: bool,
    seed: int,
) -> list[NumberEvidence]:
    """Each number column's evidence and weight (rule of the module docstring).

    Parameters
    ----------
    unit : ndarray (n, d)
        The encoded rows scaled and block-weighted with every column at weight 1.
    blocks : list of Block
        Every user column's slice of the encoded columns.
    levelled : set of str
        Number columns of a few whole numbers (weighed as levels elsewhere): not tested, and not
        counted as structure.
    agreeing_categories : bool
        Whether some category or yes/no column has other columns agreeing with it (structure
        outside the numbers).
    seed : int
        The sample of rows and the shuffles.
    """
    numbers = [b for b in blocks if b.role == "numeric" and b.column not in levelled]
    if len(numbers) == 0 or len(blocks) < 2 or len(unit) <= 3 * NEAREST:
        return []
    rows = sample_rows(len(unit), seed, SAMPLE_ROWS)
    S = np.asarray(unit[rows], dtype=np.float32)
    rng = np.random.default_rng([seed, 31])
    squared = sample_distances(S) ** 2  # the silhouette's float32 matrix
    found = []
    for block in numbers:
        part = S[:, block.start : block.stop]
        dip = _dip(part, rng)
        if dip < PEAKS / len(numbers):  # two peaks of its own: clear whatever shuffling shows
            found.append(NumberEvidence(block.column, 1.0, None, None, dip, peaked=True))
            continue
        change, moved = _change(squared, part, rng)
        found.append(NumberEvidence(block.column, 1.0, round(change, 2), round(moved, 4), dip))
        if not found[-1].unrelated and not found[-1].clear:
            return found  # ambiguous: every number keeps 1, the other columns need no test
    loose = [e for e in found if e.unrelated]
    structure = agreeing_categories or any(e.clear for e in found)
    if not loose or not structure:
        return found
    return [replace(e, weight=UNRELATED_WEIGHT) if e.unrelated else e for e in found]


def _column_distances(part: np.ndarray) -> np.ndarray:
    """Squared distances between the rows of one column's block (float32), summed over its columns."""
    D = np.zeros((len(part), len(part)), dtype=np.float32)
    for values in part.T:
        D += (values[:, None] - values[None, :]) ** 2
    return D


def _spread(D: np.ndarray, tiny: float) -> float:
    """Mean log distance of each row to its ``NEAREST``-th nearest other row (the row itself is at
    0, the smallest, so that is position ``NEAREST`` in its sorted distances); squared distances
    below ``tiny`` (identical rows, rounding) count as ``tiny``."""
    kth = np.partition(D, NEAREST, axis=1)[:, NEAREST].astype(np.float64)
    return float(0.5 * np.log(np.maximum(kth, tiny)).mean())


def _change(squared: np.ndarray, part: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    """How far shuffling the rows of ``part`` moves the nearest-row distances: in the shuffles' own
    standard deviations (positive: the rows' neighbours move away, so the rest depends on it), and
    as the mean log ratio of the distances."""
    own = _column_distances(part)
    rest = squared - own
    tiny = 1e-6 * float(squared.mean()) + 1e-30  # a millionth of the mean squared distance
    before = _spread(squared, tiny)
    after: list[float] = []
    for _ in range(SHUFFLES):
        shuffled = part[rng.permutation(len(part))]
        after.append(_spread(rest + _column_distances(shuffled), tiny))
        if len(after) == FIRST and float(np.mean(after)) - before >= OBVIOUS * float(np.std(after)):
            break  # the first shuffles already tear a structure: no need for the rest
    moved = float(np.mean(after)) - before
    spread = float(np.std(after))
    if spread > 0:
        return float(np.clip(moved / spread, -LIMIT, LIMIT)), moved
    # Every shuffle gave the same distances: nothing moved, or everything moved alike.
    return (0.0 if moved == 0 else float(np.copysign(LIMIT, moved))), moved


def _dip(part: np.ndarray, rng: np.random.Generator) -> float:
    """Hartigan's dip test p-value on the column alone (its first encoded column).

    Rounded values (ages in whole years, scores to one decimal) are spread evenly over their
    rounding step first: ties make the dip test see peaks that are not there (a normal column of
    ages rounded to whole years: p 0.02 on 900 rows)."""
    import diptest

    values = np.asarray(part[:, 0], dtype=np.float64)
    if np.ptp(values) == 0:
        return 1.0
    distinct = np.unique(values)
    if len(distinct) < len(values):
        step = float(np.diff(distinct).min())
        values = values + rng.uniform(-step / 2, step / 2, len(values))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # diptest warns about ties left after the spreading
        return float(diptest.diptest(values)[1])
