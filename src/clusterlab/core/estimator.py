"""The ClusterLab estimator: roles -> preprocessing -> k sweep -> recommendation -> final fit.

It follows the scikit-learn contract: ``__init__`` only stores parameters, ``fit`` returns ``self``,
learned state ends in ``_``. Clusters are numbered 1..k, largest first; rows left unclustered (only
with ``impute="none"``) get -1 in ``labels_``; rows a density method leaves without a cluster
(noise) get 0. The method (``method``: K-Means by default) is any of :data:`.methods.METHODS`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import check_is_fitted

from .choose_k.criteria import all_valleys
from .choose_k.found import found_k
from .choose_k.k_range import extension_bound, sweep_and_recommend
from .choose_k.method_choice import MethodChoice, choose_method
from .choose_k.method_comparison import compare_methods
from .choose_k.recommendation import Confirm, Recommendation
from .choose_k.sweep import KSweep
from .encode.preprocessor import Preprocessor
from .errors import Control, InputError, Note, SettingsError
from .explain.outliers import centre_distances, outlier_rule, outlier_thresholds
from .methods import DEFAULT_METHOD, METHODS, NOISE, Fitted, Method, make_method
from .methods.encoding import Encoding
from .progress import ProgressCallback, StageTimer, emit
from .roles.column_roles import ColumnChoices, Roles, detect_roles
from .settings import Settings

__all__ = ["ClusterLab", "order_by_size", "relabel_by_size"]

SWEEP_N_INIT = 3  # restarts per k during the sweep; the final fit uses settings.n_init
# Up to this many rows the sweep uses the final fit's restarts too: a poor local optimum at the true k
# (two clusters merged, one split) hides it from every criterion, and restarts are cheap on small data.
SWEEP_FULL_RESTARTS_ROWS = 20_000
# Above this many rows k is chosen on a seeded sample of this size (the final fit uses every row), and
# the matrix is kept in float32: a million rows sweep in seconds, not minutes, with the same answer
# (the criteria's values move in the third decimal; measured in docs/speed.md). A method slower than
# K-Means searches on fewer rows, its ``search_rows`` (:class:`.methods.Method`).
SWEEP_ROWS = 200_000


class ClusterLab(ClusterMixin, BaseEstimator):
    """Cluster the rows of a table of mixed columns, recommending k.

    Parameters
    ----------
    k : int or "auto", default="auto"
        Number of clusters; "auto" uses the recommended k.
    settings : Settings or mapping, optional
        Any entry of the settings table (``{"k_max": 15, "seed": 7}``); ``k`` above wins over ``settings["k"]``.
    roles : mapping of column -> role, optional
        Override detected roles (``{"Region": "categorical"}``).
    exclude : sequence of str
        Columns kept in the output but not used for clustering.
    ordinal : mapping of column -> list of levels, lowest first
    label : str, optional
        A known grouping: not used for clustering, only to score agreement.
    method : str, optional
        A name in :data:`clusterlab.core.methods.METHODS` ("kmeans", "gmm"...) or "auto"; wins over
        ``settings["method"]`` (default "auto", which is K-Means).
    algorithm : str, optional
        Deprecated name of ``method``.

    Attributes
    ----------
    labels_ : ndarray of int, cluster number 1..k per row (0: noise, -1: left unclustered)
    k_ : int
    method_ : Method, the method the fit used (its name: ``method_.name``)
    fitted_ : Fitted, the method's fit in its own numbering (``predict`` for new rows)
    cluster_order_ : ndarray of shape (k,), ``cluster_order_[i]`` is the method's label of cluster i + 1
    representatives_ : ndarray of shape (k,), per cluster the position (in ``X``) of its example row
    probabilities_ : ndarray of shape (n_rows,) or None, each row's membership of its cluster
    method_comparison_ : MethodComparison or None, the five methods side by side on a sample of the
        clustered rows at k (:mod:`.choose_k.method_comparison`; None below 20 rows or with k < 2)
    recommendation_ : Recommendation
    sweep_ : KSweep (the k range may have been extended past ``k_max``, see :mod:`.krange`)
    cluster_centers_ : ndarray of shape (k, n_components), row i is cluster i + 1
    outlier_thresholds_ : ndarray of shape (k,), distance beyond which a row of cluster i + 1 is an outlier
    cluster_annotations_ : dict of cluster -> {"name", "useful", "note"}: what people said of the clusters
        (empty after ``fit``; set by :meth:`Clustering.rename`/``annotate``, kept in model.json)
    settings_ : Settings, the settings the fit used (``k`` above resolved into them)
    roles_ : Roles
    preprocessor_ : Preprocessor
    n_features_in_, feature_names_in_ : the columns used
    notes_ : list of Note
    timings_ : dict of stage -> seconds

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> frame = load_iris(as_frame=True).frame.drop(columns="target")
    >>> model = ClusterLab(k=3).fit(frame)
    >>> sorted(np.unique(model.labels_).tolist())
    [1, 2, 3]
    >>> model.transform(frame.head(2)).shape  # the rows as the clustering sees them
    (2, 2)
    """

    sweep_: KSweep
    recommendation_: Recommendation  # set by the sweep, and by the choice of method with "auto"

    def __init__(
        self,
        k: int | str = "auto",
        *,
        settings: Settings | Mapping[str, Any] | None = None,
        roles: Mapping[str, str] | None = None,
        exclude: Sequence[str] = (),
        ordinal: Mapping[str, Sequence[str]] | None = None,
        label: str | None = None,
        method: str | None = None,
        algorithm: str | None = None,
    ) -> None:
        self.k = k
        self.settings = settings
        self.roles = roles
        self.exclude = exclude
        self.ordinal = ordinal
        self.label = label
        self.method = method
        self.algorithm = algorithm

    # --- parameters -> validated objects -------------------------------------------------------------
    def _settings(self) -> Settings:
        base = self.settings if isinstance(self.settings, Settings) else Settings.parse(self.settings or {})
        if self.k is not None:
            base = base.replace(k=Settings.parse({"k": self.k}).k)
        method = self.method
        if method is None and self.algorithm is not None:
            warnings.warn(
                "ClusterLab(algorithm=...) is deprecated; use method=...", FutureWarning, stacklevel=3
            )
            method = self.algorithm
        return base.replace(method=Settings.parse({"method": method}).method) if method is not None else base

    def _method(self, settings: Settings) -> Method:
        """The method named by the settings, made with its own settings (``auto`` is K-Means until the
        recommendation across methods decides it)."""
        name = DEFAULT_METHOD if settings.method == "auto" else settings.method
        return make_method(name, settings.to_dict())

    def _choices(self) -> ColumnChoices:
        return ColumnChoices(
            roles=dict(self.roles or {}),
            exclude=tuple([self.exclude] if isinstance(self.exclude, str) else self.exclude),
            ordinal={name: list(levels) for name, levels in (self.ordinal or {}).items()},
            label=self.label,
        )

    # --- fitting -----------------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y: Any = None, **fit_params: Any) -> ClusterLab:
        """Detect roles, encode, sweep k, recommend, and fit the final K-Means on ``X``.

        ``fit_params``: ``progress`` (a callback receiving :class:`ProgressEvent`) and ``executor``
        (where the sweep's k jobs run), as for :meth:`fit_transform`.
        """
        self.fit_transform(X, **fit_params)
        return self

    def fit_transform(
        self,
        X: pd.DataFrame,
        y: Any = None,
        *,
        progress: ProgressCallback | None = None,
        executor: Executor | None = None,
    ) -> np.ndarray:
        """:meth:`fit`, returning the encoded matrix of every row of ``X`` in input order (what the
        clustering saw; float32 above ``SWEEP_ROWS`` rows). The same as ``fit(X).transform(X)``
        without encoding twice; the estimator itself does not keep the matrix."""
        settings = self._settings()
        method = self._method(settings)
        frame = _as_frame(X)
        timer = StageTimer()
        with timer("roles"):
            emit(progress, "roles", "detecting column roles")
            self.roles_, role_notes = detect_roles(frame, self._choices())
        # Before encoding: in one or two rows every column looks constant, which would hide the cause.
        _check_rows(len(frame))
        with timer("encode"):
            emit(progress, "encode", "encoding, scaling and reducing")
            matrix, rows, encode_notes = self._encode(frame, settings)
        method = self._with_layout(method)
        data = matrix[rows]
        ks, range_note = _k_range(data, settings)
        if method.needs_k:
            with timer("sweep"):
                swept, sample_note = _sample_for_sweep(data, settings.seed, method)
                sweep_notes = self._sweep(swept, data, ks, settings, method, executor, progress)
                if settings.method == "auto":
                    method = self._choose_method(swept, len(data), settings, progress)
                    if settings.k != "auto" and not method.needs_k:
                        # k was asked for and the method auto chose finds its own: the default fits k.
                        method = make_method(DEFAULT_METHOD, settings.to_dict())
                        sweep_notes.append(_density_not_asked_k(int(settings.k), self.recommendation_))
                    if sample_note is not None:  # the note names the final fit: the method chosen
                        sample_note = _sweep_note(len(swept), len(data), method)
        if method.needs_k:
            k = _check_k(self.recommendation_.k if settings.k == "auto" else int(settings.k), data, ks)
            with timer("fit"):
                emit(progress, "fit", f"fitting {k} clusters ({settings.n_init} restarts)")
                numbers = self._fit_final(method, k, settings, data, swept, rows, len(frame))
            found = len(np.unique(numbers[numbers > 0]))
            if found < k:  # a model may leave a cluster no row is most likely in (then dropped)
                sweep_notes.append(_fewer_clusters(method, k, found))
                k = found
        elif settings.method == "auto":  # "auto" chose a density method: it finds k on every row
            with timer("fit"):
                emit(progress, "fit", f"{method.title}: finding the clusters")
                numbers = self._fit_final(method, None, settings, data, data, rows, len(frame))
            k = len(self.cluster_centers_)
            if k != self.recommendation_.k:  # judged on a sample, drawn again on every row
                sweep_notes.append(_density_found_other_k(method, self.recommendation_.k, k, len(data)))
            self.recommendation_ = replace(self.recommendation_, k=k)
        else:
            with timer("fit"):
                emit(progress, "fit", f"{method.title}: finding the clusters")
                numbers = self._fit_final(method, None, settings, data, data, rows, len(frame))
            k = len(self.cluster_centers_)
            self.sweep_, self.recommendation_ = found_k(data, numbers, method, timer.seconds["fit"], settings)
            sample_note = None
            sweep_notes = [n for n in [_k_not_used(settings, method)] if n]
        self.settings_ = settings
        self.k_ = k
        self.cluster_annotations_: dict[int, dict[str, object]] = {}  # a new fit: no names yet
        self.labels_ = np.full(len(frame), -1, dtype=np.int64)
        self.labels_[rows] = numbers
        self.n_features_in_ = self.preprocessor_.n_features_in_
        self.feature_names_in_ = self.preprocessor_.feature_names_in_
        self.notes_ = [*role_notes, *encode_notes, *[n for n in (range_note, sample_note) if n], *sweep_notes]
        with timer("compare"):  # the methods side by side on a sample, for the pages (method_comparison.py)
            self.method_comparison_ = compare_methods(
                data,
                numbers,
                method.name,
                settings,
                self.sweep_,
                getattr(self, "method_choice_", None) if settings.method == "auto" else None,
                self._with_layout,
            )
        self.timings_ = timer.seconds
        # Learned once from the training rows, so assign judges new rows by the same yardstick.
        self.outlier_thresholds_ = outlier_thresholds(
            centre_distances(data, self.cluster_centers_, numbers),
            numbers,
            k,
            outlier_rule(settings),
        )
        return matrix

    def _encode(self, frame: pd.DataFrame, settings: Settings) -> tuple[np.ndarray, np.ndarray, list[Note]]:
        """Fit ``preprocessor_``: the matrix of every row, the positions of the rows to cluster
        (all but, with ``impute="none"``, those with empty feature cells) and the notes. Above
        ``SWEEP_ROWS`` rows to cluster the matrix is float32 (the module's constants say why)."""
        self.preprocessor_ = Preprocessor(self.roles_, settings)
        matrix = self.preprocessor_.fit_transform(frame)
        rows, note = _clustered_rows(frame, self.roles_, settings)
        if len(rows) > SWEEP_ROWS:
            matrix = matrix.astype(np.float32)
        return matrix, rows, [*self.preprocessor_.notes_, *([note] if note else [])]

    def _sweep(
        self,
        swept: np.ndarray,
        data: np.ndarray,
        ks: list[int],
        settings: Settings,
        method: Method,
        executor: Executor | None,
        progress: ProgressCallback | None,
    ) -> list[Note]:
        """Sweep k on ``swept`` (the rows or their sample) and recommend one: ``sweep_`` and
        ``recommendation_``; the range may grow past ``k_max`` up to a bound set by all of ``data``."""
        limit = max(settings.k_limit, settings.k_max)
        self.sweep_, self.recommendation_, notes = sweep_and_recommend(
            swept,
            ks,
            bound=extension_bound(len(data), ks[-1], limit, _distinct_upto(data, limit)),
            seed=settings.seed,
            method=method,
            n_init=settings.n_init if len(data) <= SWEEP_FULL_RESTARTS_ROWS else SWEEP_N_INIT,
            sample_size=settings.silhouette_sample,
            resamples=settings.resamples,
            executor=executor,
            progress=progress,
            finer=self._valleys_among_measurements(swept, settings.seed),
        )
        return notes

    def _valleys_among_measurements(self, swept: np.ndarray, seed: int) -> Confirm | None:
        """How the recommendation confirms a finer partition's valleys (step 2b of
        :mod:`.choose_k.recommendation`): among the measurements alone (numbers of many values), on
        ``swept``; with only measurements the sweep's own valleys already are; None without any."""
        projection = self._measured()
        if projection is None:
            return lambda labels: True
        if projection.shape[1] == 0:
            return None
        measured = np.asarray(swept, dtype=np.float64) @ projection
        return lambda labels: all_valleys(measured, np.asarray(labels), seed)

    def _choose_method(
        self, swept: np.ndarray, n_rows: int, settings: Settings, progress: ProgressCallback | None
    ) -> Method:
        """Method "auto": compare K-Means' answer with a mixture and a density method on the sweep's
        rows (:mod:`.choose_k.method_choice`); ``recommendation_`` then names the method, and
        ``method_choice_`` keeps the comparison. A method this installation lacks keeps K-Means."""
        categories = self._groups_only_in_categories()
        if self.recommendation_.confidence != "strong":  # a strong K-Means answer is final (method_choice)
            latent = ", a density method and a latent class model" if categories else " and a density method"
            emit(progress, "sweep", f"comparing K-Means with a Gaussian mixture{latent}")
        fits = {k: fit.labels for k, fit in self.sweep_.fits.items()}
        choice = choose_method(
            swept,
            self.recommendation_,
            fits,
            settings.seed,
            self.preprocessor_.shape_projection(),
            categories,
            self._measured(),
        )
        if choice.method not in METHODS:
            choice = MethodChoice(
                DEFAULT_METHOD,
                self.recommendation_.k,
                self.recommendation_.confidence,
                self.recommendation_.reason,
                choice.candidates,
                [],
            )
        self.method_choice_ = choice
        self.recommendation_ = choice.applied_to(self.recommendation_)
        fitted_rows = min(n_rows, METHODS[choice.method].max_rows or n_rows)  # quadratic: on a sample
        options = {**settings.to_dict(), **choice.method_options(fitted_rows)}
        return self._with_layout(make_method(choice.method, options))

    def _measured(self) -> np.ndarray | None:
        """The map onto the numbers of many values (None: every column is one; zero columns: none)."""
        pre = self.preprocessor_
        if pre.continuous_:
            return None
        projection = pre.measurement_projection()
        return projection if projection is not None else np.zeros((pre.n_components_, 0))

    def _groups_only_in_categories(self) -> Encoding | None:
        """Where the user columns are, when the groups can only live in the discrete columns: the
        table has a category or yes/no column, and no number column of many values carries structure
        (each was weighed down as unrelated, :mod:`.encode.number_evidence`, or there is none). The
        method choice then compares a latent class model too; None otherwise."""
        pre = self.preprocessor_
        encoding = pre.encoding()
        unrelated = {e.column for e in getattr(pre, "number_evidence_", []) if e.weight < 1.0}
        if not encoding.discrete or any(c not in unrelated for c in pre.measurements_):
            return None
        return encoding

    def _with_layout(self, method: Method) -> Method:
        """``method`` told the matrix's layout: the user columns' encoded columns (K-Medoids' Gower
        distance) and the map to the numbers' columns (HDBSCAN's density)."""
        return (
            method.with_columns(self.preprocessor_.gower_columns())
            .with_shape(self.preprocessor_.shape_projection())
            .with_encoding(self.preprocessor_.encoding())
        )

    def _fit_final(
        self,
        method: Method,
        k: int | None,
        settings: Settings,
        data: np.ndarray,
        swept: np.ndarray,
        rows: np.ndarray,
        n_rows: int,
    ) -> np.ndarray:
        """The final fit on every row of ``data``: ``method_``, ``fitted_``, ``cluster_order_``,
        ``cluster_centers_`` (numbered by size), ``representatives_`` and ``probabilities_``
        (by position among the ``n_rows`` input rows; ``data`` is the input's ``rows``) and ``inertia_``; returns each row's cluster number, 1..k (0: noise)."""
        fitted = method.fit_final(data, k, settings.seed, settings.n_init, swept)
        numbers, order = relabel_by_size(np.asarray(fitted.labels))
        self.method_ = method
        self.fitted_ = fitted
        self.cluster_order_ = order
        self.cluster_centers_ = np.asarray(fitted.centers)[order]
        self.representatives_ = rows[np.asarray(fitted.representatives)[order]]
        self.probabilities_ = None
        if fitted.probabilities is not None:
            self.probabilities_ = np.full(n_rows, np.nan)
            self.probabilities_[rows] = fitted.probabilities
        self.inertia_ = float(fitted.within)
        return numbers

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """New rows as the clustering sees them: encoded, weighted, scaled and reduced as in training."""
        check_is_fitted(self, "cluster_centers_")
        return self.preprocessor_.transform(_as_frame(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Cluster numbers (1..k, 0: noise) for new rows: the method's own ``predict`` (K-Means: the
        nearest centre) after the same preprocessing."""
        check_is_fitted(self, "cluster_centers_")
        return self.assign_matrix(self.transform(X))

    def assign_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """Cluster numbers (1..k, 0: noise) for rows already preprocessed."""
        fitted: Fitted | None = getattr(self, "fitted_", None)
        if fitted is None:  # a model made without the method's state: the nearest centre
            return _chunked_sq_distances(matrix, self.cluster_centers_).argmin(axis=1).astype(np.int64) + 1
        return self.numbers(fitted.predict(matrix))

    def assign_probabilities(self, matrix: np.ndarray) -> np.ndarray | None:
        """Each preprocessed row's membership of its cluster, for methods that have one (else None)."""
        fitted: Fitted | None = getattr(self, "fitted_", None)
        return None if fitted is None else fitted.predict_proba(matrix)

    def numbers(self, labels: np.ndarray) -> np.ndarray:
        """The method's labels (0..k-1, -1 noise) as cluster numbers 1..k by size (0: noise)."""
        rank = np.empty(len(self.cluster_order_), dtype=np.int64)
        rank[self.cluster_order_] = np.arange(1, len(self.cluster_order_) + 1)
        labels = np.asarray(labels, dtype=np.int64)
        return np.where(labels == NOISE, 0, rank[np.maximum(labels, 0)])


def _fewer_clusters(method: Method, asked: int, found: int) -> Note:
    """The note when the final fit drew fewer clusters than asked for."""
    return Note(
        "fit",
        f"{asked} clusters were asked of the {method.title} fit, but no row is most likely in "
        f"{asked - found} of them, so there are {found}. Ask for fewer with {Control('k')}.",
    )


def relabel_by_size(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber clusters 1..k by size, largest first (ties: the lower original label first); noise
    (label -1) becomes 0.

    Returns the new numbers and ``order``, where ``order[i]`` is the original label of cluster i + 1.

    >>> relabel_by_size(np.array([0, 1, 1, 2, 2, 2]))[0].tolist()
    [3, 2, 2, 1, 1, 1]
    >>> relabel_by_size(np.array([1, -1, 0, 1]))[0].tolist()
    [1, 0, 2, 1]
    """
    given: np.ndarray = np.asarray(labels, dtype=np.int64)
    kept = given >= 0
    order = order_by_size(np.bincount(given[kept], minlength=int(given.max(initial=-1)) + 1))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    numbers = np.zeros(len(given), dtype=np.int64)
    numbers[kept] = rank[given[kept]] + 1
    return numbers, order


def order_by_size(counts: np.ndarray) -> np.ndarray:
    """The clusters' numbering from their sizes: ``order[i]`` is the original label of cluster i + 1,
    largest first (ties: the lower original label first). :func:`relabel_by_size` counts the labels;
    a caller that has only the counts (the Dask engine's per-partition sums) uses this directly.

    >>> order_by_size(np.array([1, 2, 3, 2])).tolist()
    [2, 1, 3, 0]
    """
    counts = np.asarray(counts)
    return np.lexsort((np.arange(len(counts)), -counts))


def _as_frame(X: Any) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        return X.set_axis([str(c) for c in X.columns], axis=1)
    array = np.asarray(X)
    if array.ndim != 2:
        raise InputError(f"Expected a table (2-D), got an array of shape {array.shape}.")
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])


def _clustered_rows(frame: pd.DataFrame, roles: Roles, settings: Settings) -> tuple[np.ndarray, Note | None]:
    if settings.impute == "fill":
        return np.arange(len(frame)), None
    features = [c.name for c in roles.features]
    incomplete = frame[features].isna().any(axis=1).to_numpy()
    if incomplete.all():
        raise InputError(
            "Every row has an empty cell in a feature column, so with impute='none' no row can be "
            "clustered. Use impute='fill' or exclude the columns with gaps."
        )
    note = None
    if incomplete.any():
        note = Note(
            "encode",
            f"{int(incomplete.sum())} row(s) have empty cells in feature columns; with "
            "impute='none' they are kept in the output with an empty Cluster.",
            count=int(incomplete.sum()),
            level="warning",
        )
    return np.flatnonzero(~incomplete), note


def _distinct_upto(data: np.ndarray, limit: int) -> int:
    """Number of distinct rows, counted exactly only when it is at most ``limit`` (else ``limit + 1``).

    Rows are compared after rounding: identical input rows can differ in the last bits after the
    matrix products of scaling and PCA, and K-Means would still see them as one point.
    """
    head = np.round(data[: min(len(data), 20_000)], 8)
    if len(np.unique(head, axis=0)) > limit:
        return limit + 1
    return min(len(np.unique(np.round(data, 8), axis=0)), limit + 1)


def _sample_for_sweep(data: np.ndarray, seed: int, method: Method) -> tuple[np.ndarray, Note | None]:
    """The rows k is chosen on: all of ``data``, or above the method's ``search_rows`` (at most
    ``SWEEP_ROWS``) a seeded sample of that many in their input order, with a note saying so."""
    size = min(SWEEP_ROWS, method.search_rows or SWEEP_ROWS)
    if len(data) <= size:
        return data, None
    chosen = np.random.default_rng(seed).choice(len(data), size, replace=False)
    return data[np.sort(chosen)], _sweep_note(size, len(data), method)


def _density_not_asked_k(k: int, recommendation: Recommendation) -> Note:
    """Method "auto" chose a density method, which finds its own k, but k was asked for."""
    return Note(
        "sweep",
        f"Method auto would use {METHODS[recommendation.method].title} here, which finds its own number "
        f"of clusters ({recommendation.k}); with k = {k} asked for, {METHODS[DEFAULT_METHOD].title} "
        f"was used (set {Control('k')} to auto for the density method's own clusters).",
    )


def _density_found_other_k(method: Method, judged: int, found: int, n: int) -> Note:
    """Method "auto" judged a density method's clusters on the comparison sample; its fit on every
    row found another number (its k is its own, not chosen from a range)."""
    return Note(
        "fit",
        f"The recommendation judged {method.title}'s {judged} clusters on a seeded sample of the rows; "
        f"fitted on all {n:,} rows it finds {found}, which are the clusters shown. Set {Control('k')} "
        f"to {judged} for K-Means with that many.",
    )


def _sweep_note(size: int, n: int, method: Method) -> Note:
    return Note(
        "sweep",
        f"k was chosen on a seeded sample of {size:,} of the {n:,} rows; "
        f"the final {method.title} fit {method.final_fit_words(n)}.",
    )


def _check_k(k: int, data: np.ndarray, ks: list[int]) -> int:
    """``k``, or :class:`SettingsError` when a k above the swept range asks for more clusters than
    there are distinct rows."""
    if k > ks[-1] and k > _distinct_upto(data, k):
        raise SettingsError(
            f"k={k} is more than the {_distinct_upto(data, k)} distinct rows in the data; "
            f"choose k of at most {ks[-1]}.",
            detail={"setting": "k"},
        )
    return k


def _k_not_used(settings: Settings, method: Method) -> Note | None:
    if settings.k == "auto":
        return None
    return Note(
        "sweep",
        f"{method.title} finds the number of clusters itself; k={settings.k} was not used.",
        level="warning",
    )


def _check_rows(n: int) -> None:
    if n < 3:
        raise InputError(f"Only {n} row(s) can be clustered; at least 3 are needed.", detail={"rows": n})


def _k_range(data: np.ndarray, settings: Settings) -> tuple[list[int], Note | None]:
    n = len(data)
    _check_rows(n)
    distinct = _distinct_upto(data, settings.k_max)
    if distinct < 2:
        raise InputError(
            "Every row has the same values in the columns used for clustering, so there is "
            f"nothing to group. Include more columns ({Control('roles')}) or check the file."
        )
    top = min(settings.k_max, distinct, n - 1)
    low = min(settings.k_min, top)
    note = None
    if top < settings.k_max or low < settings.k_min:
        why = f"{distinct} distinct rows" if distinct <= settings.k_max else f"{n} rows"
        note = Note(
            "sweep",
            f"The k range was narrowed to {low}..{top} because the data has only {why}.",
            level="warning",
        )
    return list(range(max(low, 2), top + 1)), note


def _chunked_sq_distances(matrix: np.ndarray, centers: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    out = np.empty((len(matrix), len(centers)))
    c2 = (centers**2).sum(axis=1)
    for start in range(0, len(matrix), chunk):
        part = matrix[start : start + chunk]
        out[start : start + chunk] = (part**2).sum(axis=1)[:, None] - 2 * part @ centers.T + c2[None, :]
    return out
