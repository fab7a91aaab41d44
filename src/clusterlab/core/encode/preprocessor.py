"""From user columns to the numeric matrix K-Means sees.

A scikit-learn ``Pipeline``: a ``ColumnTransformer`` of one :mod:`.encoders` encoder per feature column
(numeric columns may be log-scaled and have far-out values clipped there), then standard scaling,
then block weights, then PCA keeping a share of the variance.

Block weights make every user column weigh the same in the distances K-Means sees, however many
encoded columns it became: each block's total variance is scaled to 1, the variance of one
standardised numeric column. Category and yes/no columns get ``category_weight`` instead: by
default ("auto") a weight learned from how far the other columns agree with them, from k-prototypes'
mismatch cost (about 0.17 for three equal levels) up to 1
(:mod:`.category_evidence`), because their levels are perfectly separated and one unrelated category
would otherwise decide the clusters alone, while categories that carry real groups must not be
hidden; a number fixes one weight for all. With "auto", a number column of a few whole numbers,
each in many rows (the roles step's ``codes`` evidence: a count, a rating, a tier), is weighed the
same way: its levels are as separated as a category's. With ``number_weight="auto"``, a number
column nothing else depends on (shuffling it leaves every row's nearest rows as they were) and with
a single peak weighs 0.125, when the rest clearly holds a structure (:mod:`.number_evidence`). For one-hot levels and text components the block keeps its own
proportions (each level is *not* standardised on its own, which would blow a 1% level up to 10 standard
deviations and make its rows look like outliers); date parts, in different units, are standardised
first. Every automatic choice is listed in ``choices_`` (summary.json "preprocessing").

Empty number cells are filled with the column's median by the encoder, then, before PCA, from the
rows most like theirs (:mod:`.neighbour_fill`), when enough rows are complete.

The fitted state round-trips through plain JSON (:meth:`Preprocessor.to_state` /
:meth:`Preprocessor.from_state`), which ``model.json`` uses: no pickle, so loading never runs code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from ..errors import Control, InputError, Note
from ..methods.encoding import Encoding
from ..methods.gower import GowerColumn, uses_gower
from ..roles.column_roles import ColumnInfo, Roles
from ..settings import Settings
from .category_evidence import Block, CategoryEvidence, category_evidence, sample_rows
from .encoders import ENCODERS, ColumnEncoder
from .neighbour_fill import NeighbourFill
from .number_evidence import NumberEvidence, number_evidence
from .numeric_encoder import NumericEncoder

__all__ = ["BlockWeights", "Preprocessor"]


class BlockWeights(TransformerMixin, BaseEstimator):
    """Multiply each column by a fixed weight (a column's share of its encoder's block)."""

    def __init__(self, weights: list[float] | None = None) -> None:
        self.weights = weights

    def fit(self, X: np.ndarray, y: Any = None) -> BlockWeights:
        self.weights_ = np.asarray(
            self.weights if self.weights is not None else np.ones(X.shape[1]), dtype=float
        )
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        check_is_fitted(self, "weights_")
        return np.asarray(X) * self.weights_


class Preprocessor(TransformerMixin, BaseEstimator):
    """Encode, scale, weight and reduce the feature columns of a table.

    Parameters
    ----------
    roles : Roles
        Column roles; columns whose role is a feature role are encoded, the rest ignored.
    settings : Settings, optional
        Uses ``pca_variance``, ``max_categories``, ``min_category_share``, ``text_components``,
        ``datetime``, ``heavy_tails``, ``outliers``, ``weighting``, ``category_weight``,
        ``number_weight`` and ``seed``.

    Attributes
    ----------
    pipeline_ : sklearn.pipeline.Pipeline
    feature_names_in_ : ndarray of str
        The input columns used.
    encoded_names_ : list of str
        Names of the encoded columns before PCA ("plan=Premium").
    n_components_ : int
        Columns of the output matrix.
    notes_ : list of Note
    choices_ : list of dict
        Automatic treatments (log scaling, clipping, block weighting): column, step, setting, detail.
    category_evidence_ : list of CategoryEvidence
        With ``category_weight="auto"``: each category's learned weight and the columns agreeing
        with it (empty otherwise).
    category_weights_ : dict of str -> float
        Each category and yes/no column's weight (learned or given), also its weight in Gower's mean.
    number_evidence_ : list of NumberEvidence
        With ``number_weight="auto"``: each number column tested, how far shuffling it moves the
        rows' nearest rows, its dip test and its weight (empty otherwise).
    measurements_ : list of str
        The number columns of many values (not a few whole values, which may be codes): where the
        recommendation confirms that a finer partition's boundaries are valleys
        (:meth:`measurement_projection`, :func:`..choose_k.recommendation.recommend`).
    continuous_ : bool
        Every column is a measurement: no category, yes/no, ordinal, text, date or number of a few
        whole values.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [1.0, 2, 3, 10], "c": ["a", "b", "a", "b"]})
    >>> roles, _ = detect_roles(frame)  # doctest: +SKIP
    >>> Preprocessor(roles).fit_transform(frame).shape  # doctest: +SKIP
    (4, 2)
    """

    def __init__(self, roles: Roles, settings: Settings | None = None) -> None:
        self.roles = roles
        self.settings = settings

    def _settings(self) -> Settings:
        return self.settings or Settings()

    def _feature_columns(self) -> list[ColumnInfo]:
        settings = self._settings()
        return [
            c for c in self.roles.features if not (c.role == "datetime" and settings.datetime == "exclude")
        ]

    def _encoder(self, info: ColumnInfo) -> ColumnEncoder:
        s = self._settings()
        by_role: dict[str, dict[str, Any]] = {
            "numeric": {"decimal": info.decimal, "heavy_tails": s.heavy_tails, "outliers": s.outliers},
            "binary": {},
            "ordinal": {"order": info.order},
            "categorical": {"max_levels": s.max_categories, "min_share": s.min_category_share},
            "text": {"n_components": s.text_components, "seed": s.seed},
            "datetime": {"date_format": info.date_format},
        }
        return ENCODERS[info.role](info.name, **by_role[info.role])

    def fit(self, X: pd.DataFrame, y: Any = None) -> Preprocessor:
        return self._fit(X)[0]

    def fit_transform(self, X: pd.DataFrame, y: Any = None, **fit_params: Any) -> np.ndarray:
        return self._fit(X)[1]

    def _fit(self, frame: pd.DataFrame) -> tuple[Preprocessor, np.ndarray]:
        settings = self._settings()
        columns = self._feature_columns()
        _require_columns(columns, self.roles)
        self.pipeline_, matrix, n_encoded = self._fit_pipeline(frame, columns, settings)
        self._set_learned(columns)
        self._record_choices(n_encoded, settings)
        return self, matrix

    def _fit_pipeline(
        self, frame: pd.DataFrame, columns: list[ColumnInfo], settings: Settings
    ) -> tuple[Pipeline, np.ndarray, int]:
        """Fit encode -> scale -> weight (-> PCA) on ``frame``: the pipeline, the matrix it makes of
        ``frame`` and the number of encoded columns (before PCA)."""
        encode = ColumnTransformer(
            [(c.name, self._encoder(c), [c.name]) for c in columns],
            remainder="drop",
            sparse_threshold=0.0,
            verbose_feature_names_out=False,
        )
        encoded = encode.fit_transform(frame)
        if encoded.shape[1] == 0:
            raise InputError("The feature columns produced no numbers to cluster (free text with no words?).")
        _check_magnitude(encode, encoded)
        scaler = StandardScaler().fit(encoded)
        levelled = frozenset(c.name for c in columns if c.role == "numeric" and c.codes)
        weights = self._block_weights(encode, scaler, settings, encoded, levelled)
        tail: list[tuple[str, Any]] = [("scale", scaler), ("weight", BlockWeights(weights.tolist()))]
        matrix = Pipeline(tail).fit_transform(encoded)
        numeric = [enc for enc, _ in self._blocks(encode) if isinstance(enc, NumericEncoder)]
        self.fill_ = None
        if any(enc.n_missing_ for enc in numeric):  # the encoders counted empty cells: find them
            empty = _empty_cells(encode, frame)
            self.fill_ = NeighbourFill.learn(matrix, empty, settings.seed)
            if self.fill_ is not None:
                matrix = self.fill_.fill(matrix, empty)
                for enc in numeric:
                    enc.filled_from_ = NEIGHBOUR_WORDS
        # Not for methods that model the user's columns one by one: Gower's distance, and the latent
        # class model (PCA would mix a category's one-hot columns, whose levels it reads back).
        by_column = _gower(columns, settings) or settings.method == "latentclass"
        if settings.pca_variance < 1.0 and encoded.shape[1] > 1 and not by_column:
            reduce = PCA(n_components=settings.pca_variance, svd_solver="full", random_state=settings.seed)
            matrix = reduce.fit_transform(matrix)
            tail.append(("reduce", reduce))
        return Pipeline([("encode", encode), *tail]), matrix, encoded.shape[1]

    def _record_choices(self, n_encoded: int, settings: Settings) -> None:
        """``notes_`` and ``choices_`` of the fitted pipeline: each encoder's own, then the block
        weighting, the category weight and PCA's reduction (summary.json "preprocessing")."""
        self.notes_ = [note for enc in self.encoders() for note in enc.fit_notes()]
        self.choices_ = [choice for enc in self.encoders() for choice in enc.choices()]
        blocks = self._blocks(self.pipeline_.named_steps["encode"])
        numbers = {enc.column for enc, _ in blocks if enc.role not in ("binary", "categorical")}
        category = (
            _learned_weighting(self.category_evidence_, numbers)
            if self.category_evidence_
            else _category_weighting(blocks, settings)
        )
        unrelated = _unrelated_weighting(getattr(self, "number_evidence_", []))
        for made in (_balanced_weighting(blocks, settings), category, unrelated):
            if made is not None:
                self.notes_.append(made[0])
                self.choices_.append(made[1])
        if _gower(self._feature_columns(), settings):
            self.notes_.append(_gower_note(settings))
        if "reduce" in self.pipeline_.named_steps:
            kept = self.pipeline_.named_steps["reduce"].n_components_
            self.notes_.append(
                Note(
                    "encode",
                    f"PCA kept {kept} of {n_encoded} encoded columns ({settings.pca_variance:.0%} of the variance).",
                )
            )

    @staticmethod
    def _blocks(encode: ColumnTransformer) -> list[tuple[ColumnEncoder, int]]:
        """Each fitted encoder with the number of columns it produced, in output order."""
        widths = {name: s.stop - s.start for name, s in encode.output_indices_.items()}
        return [
            (enc, widths[name])
            for name, enc, _ in encode.transformers_
            if isinstance(enc, ColumnEncoder) and widths.get(name, 0) > 0
        ]

    def _block_weights(
        self,
        encode: ColumnTransformer,
        scaler: StandardScaler,
        settings: Settings,
        encoded: np.ndarray,
        levelled: frozenset[str],
    ) -> np.ndarray:
        """Per encoded column, the weight that makes each block's total variance 1 (module docstring),
        times the square root of its category weight for category and yes/no blocks, and of its
        learned weight for the ``levelled`` number columns (a few whole numbers) with "auto"."""
        blocks = self._blocks(encode)
        unit = self._unit_weights(blocks, scaler, settings)
        # Both evidences are measured on one seeded sample: as encoded (levels as 0/1) and scaled
        # with every column at weight 1.
        raw = encoded[sample_rows(len(encoded), settings.seed)]
        sample = (raw, scaler.transform(raw) * unit)
        self.category_evidence_: list[CategoryEvidence] = []
        if settings.category_weight == "auto":
            self.category_evidence_ = self._learn_category_weights(blocks, sample, levelled)
            learned = {e.column: e.weight for e in self.category_evidence_}
        else:
            learned = {enc.column: float(settings.category_weight) for enc, _ in blocks}
        self.category_weights_ = {
            enc.column: learned[enc.column] for enc, _ in blocks if enc.role in ("binary", "categorical")
        }
        self.number_evidence_: list[NumberEvidence] = []
        if settings.number_weight == "auto":
            self.number_evidence_ = self._learn_number_weights(
                blocks, sample[1], settings.seed, levelled, self.category_evidence_
            )
        # Categories: their weight (learned or given); numbers: 1, or what was learned for a levelled
        # one (as a category) or an unrelated one (number_evidence).
        numbers = {e.column: e.weight for e in self.category_evidence_ if e.column in levelled}
        numbers |= {e.column: e.weight for e in self.number_evidence_ if e.weight != 1.0}
        parts = [
            np.full(
                width,
                np.sqrt(
                    learned[enc.column]
                    if enc.role in ("binary", "categorical")
                    else numbers.get(enc.column, 1.0)
                ),
            )
            for enc, width in blocks
        ]
        return unit * np.concatenate(parts) if parts else np.ones(0)

    @staticmethod
    def _unit_weights(
        blocks: list[tuple[ColumnEncoder, int]], scaler: StandardScaler, settings: Settings
    ) -> np.ndarray:
        """Per encoded column, the balanced weight with every column (categories too) at weight 1."""
        parts, start = [], 0
        for enc, width in blocks:
            block = slice(start, start + width)
            start += width
            if settings.weighting != "balanced" or width == 1:
                parts.append(np.ones(width))
                continue
            spread = np.where(scaler.var_[block] > 0, scaler.scale_[block], 0.0)
            if enc.block_scale == "joint" and (spread**2).sum() > 0:
                # Undo the per-column standardising (multiply by each sd), then divide the block by its
                # total sd: the levels keep their natural proportions, the block's variance is 1.
                parts.append(spread / np.sqrt((spread**2).sum()))
            else:
                parts.append(np.full(width, 1.0 / np.sqrt(width)))
        return np.concatenate(parts) if parts else np.ones(0)

    @staticmethod
    def _learn_category_weights(
        blocks: list[tuple[ColumnEncoder, int]],
        sample: tuple[np.ndarray, np.ndarray],
        levelled: frozenset[str],
    ) -> list[CategoryEvidence]:
        """``category_weight="auto"``: each category's (and ``levelled`` number's) weight from the other
        columns' agreement with it, measured on a seeded sample of rows (:mod:`.category_evidence`;
        ``sample``: its rows as encoded and as scaled with every column at weight 1)."""
        if not levelled and not any(enc.role in ("binary", "categorical") for enc, _ in blocks):
            return []
        return category_evidence(sample[0], sample[1], _spans(blocks), levelled)

    @staticmethod
    def _learn_number_weights(
        blocks: list[tuple[ColumnEncoder, int]],
        unit_sample: np.ndarray,
        seed: int,
        levelled: frozenset[str],
        categories: list[CategoryEvidence],
    ) -> list[NumberEvidence]:
        """``number_weight="auto"``: each number column's weight from whether the rest of the table
        depends on it (:mod:`.number_evidence`), on the seeded sample of rows scaled with every column
        at weight 1."""
        agreeing = any(e.agreement for e in categories if e.column not in levelled)
        return number_evidence(unit_sample, _spans(blocks), levelled, agreeing, seed)

    def _set_learned(self, columns: list[ColumnInfo]) -> None:
        encode = self.pipeline_.named_steps["encode"]
        self.feature_names_in_ = np.asarray([c.name for c in columns], dtype=object)
        self.n_features_in_ = len(columns)
        # The measurements: numbers of many values. A gap the dip test finds among them is a gap in
        # density, never the space between a category's or a count's levels (nor a date's season,
        # a circle whose every projection has two peaks).
        self.measurements_ = [c.name for c in columns if c.role == "numeric" and not c.codes]
        self.continuous_ = bool(columns) and len(self.measurements_) == len(columns)
        self.encoded_names_ = [str(n) for n in encode.get_feature_names_out()]
        reduce = self.pipeline_.named_steps.get("reduce")
        self.n_components_ = int(reduce.n_components_) if reduce is not None else len(self.encoded_names_)

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "pipeline_")
        missing = [c for c in self.feature_names_in_ if c not in X.columns]
        if missing:
            raise InputError(
                f"Columns used in training are missing: {', '.join(map(repr, missing))}.",
                detail={"missing": missing},
            )
        fill = getattr(self, "fill_", None)
        empty = _empty_cells(self.pipeline_.named_steps["encode"], X) if fill is not None else None
        if fill is None or empty is None or not empty.any():
            return self.pipeline_.transform(X)
        # Scaled and weighted, filled from the neighbours, then reduced, as at fit time.
        reduced = "reduce" in self.pipeline_.named_steps
        matrix = fill.fill(
            self.pipeline_[:-1].transform(X) if reduced else self.pipeline_.transform(X), empty
        )
        return self.pipeline_.named_steps["reduce"].transform(matrix) if reduced else matrix

    def far_out_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """Rows holding a number beyond its column's far-out fences (the cells clipped for clustering,
        e.g. 9,899,999 among values near 5): such a row is worth checking however near its centre
        the clipped value put it."""
        out = np.zeros(len(frame), dtype=bool)
        for enc in self.encoders():
            if enc.column in frame.columns:  # a column missing from new data was filled, not far out
                out |= enc.far_out(frame[enc.column])
        return out

    def encoders(self) -> list[ColumnEncoder]:
        """The fitted column encoders, in column order."""
        check_is_fitted(self, "pipeline_")
        return [
            enc
            for _, enc, _ in self.pipeline_.named_steps["encode"].transformers_
            if isinstance(enc, ColumnEncoder)
        ]

    def gower_columns(self) -> tuple[GowerColumn, ...] | None:
        """Which columns of the output matrix make each user column, and its kind, for Gower's
        distance (:mod:`..methods.gower`); None when PCA mixed them."""
        check_is_fitted(self, "pipeline_")
        if "reduce" in self.pipeline_.named_steps:
            return None
        return self._layout()

    def shape_projection(self) -> np.ndarray | None:
        """The linear map from the output matrix to the numbers' encoded columns (before PCA; through
        PCA's components when the matrix was reduced), where density methods measure shapes
        (:mod:`..methods.density`); None when the table has only numbers, or none.

        A category's levels are islands of equal rows apart by its weight: density there is an
        artefact of encoding. Through PCA the map gives each row's numbers as the kept components
        rebuild them (the share of variance kept)."""
        check_is_fitted(self, "pipeline_")
        layout = self._layout()
        numbers = [i for c in layout if c.kind == "number" for i in range(c.start, c.stop)]
        if len(numbers) == (layout[-1].stop if layout else 0):
            return None
        return self._onto(numbers)

    def encoding(self) -> Encoding:
        """Where each user column is in the output matrix: its kind and encoded columns, and the map
        back from the matrix to the encoded columns when PCA reduced it (the latent class model
        reads each column's levels back with it)."""
        check_is_fitted(self, "pipeline_")
        reduce = self.pipeline_.named_steps.get("reduce")
        if reduce is None:
            return Encoding(self._layout())
        return Encoding(self._layout(), np.asarray(reduce.components_), np.asarray(reduce.mean_))

    def measurement_projection(self) -> np.ndarray | None:
        """The linear map from the output matrix to the measurements' encoded columns (through PCA's
        components when the matrix was reduced); None when there is none."""
        check_is_fitted(self, "pipeline_")
        measured = set(getattr(self, "measurements_", []))
        return self._onto([i for c in self._layout() if c.name in measured for i in range(c.start, c.stop)])

    def _onto(self, columns: list[int]) -> np.ndarray | None:
        """The linear map from the output matrix to these encoded ``columns`` (PCA's components
        when the matrix was reduced, else a selection); None for no columns."""
        if not columns:
            return None
        reduce = self.pipeline_.named_steps.get("reduce")
        if reduce is not None:
            return np.asarray(reduce.components_, dtype=np.float64)[:, columns]
        return np.eye(self._layout()[-1].stop)[:, columns]

    def _layout(self) -> tuple[GowerColumn, ...]:
        """Each user column's kind, encoded columns (before PCA) and category weight."""
        kinds = {"categorical": "category", "binary": "flag"}
        weights = getattr(self, "category_weights_", {})  # a model read from model.json has none
        out, start = [], 0
        for enc, width in self._blocks(self.pipeline_.named_steps["encode"]):
            weight = weights.get(enc.column, 1.0)
            out.append(GowerColumn(enc.column, kinds.get(enc.role, "number"), start, start + width, weight))
            start += width
        return tuple(out)

    # --- JSON state ---------------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """Everything needed to transform new rows identically, as plain JSON data."""
        check_is_fitted(self, "pipeline_")
        steps = self.pipeline_.named_steps
        scale: StandardScaler = steps["scale"]
        state: dict[str, Any] = {
            "encoders": [
                {"role": enc.role, "params": enc.get_params(), "state": enc.get_state()}
                for enc in self.encoders()
            ],
            "scale": {"mean": scale.mean_.tolist(), "scale": scale.scale_.tolist()},
            "weights": steps["weight"].weights_.tolist(),
            "reduce": None,
            "choices": getattr(self, "choices_", []),
            "fill": None,
        }
        fill: NeighbourFill | None = getattr(self, "fill_", None)
        if fill is not None:
            state["fill"] = fill.to_state()
        if "reduce" in steps:
            pca: PCA = steps["reduce"]
            state["reduce"] = {
                "mean": pca.mean_.tolist(),
                "components": pca.components_.tolist(),
                "explained_variance": pca.explained_variance_.tolist(),
                "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
            }
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any], roles: Roles, settings: Settings) -> Preprocessor:
        """Rebuild a fitted preprocessor from :meth:`to_state` output (no fitting on data)."""
        encoders = [ENCODERS[e["role"]].from_state(e["params"], e["state"]) for e in state["encoders"]]
        encode = ColumnTransformer(
            [(enc.column, enc, [enc.column]) for enc in encoders],
            remainder="drop",
            sparse_threshold=0.0,
            verbose_feature_names_out=False,
        )
        # The encoders are frozen: fitting the ColumnTransformer on one empty row only sets its own
        # bookkeeping (column positions, output slices) and leaves their learned state untouched.
        template = pd.DataFrame({enc.column: pd.Series([None], dtype=object) for enc in encoders})
        encode.fit(template)
        scale = StandardScaler()
        scale.mean_ = np.asarray(state["scale"]["mean"], dtype=float)
        scale.scale_ = np.asarray(state["scale"]["scale"], dtype=float)
        scale.var_ = scale.scale_**2
        scale.n_features_in_ = len(scale.mean_)
        scale.n_samples_seen_ = 1
        weight = BlockWeights(state["weights"]).fit(np.zeros((1, len(state["weights"]))))
        steps: list[tuple[str, Any]] = [("encode", encode), ("scale", scale), ("weight", weight)]
        if state.get("reduce"):
            r = state["reduce"]
            pca = PCA(n_components=len(r["components"]))
            pca.mean_ = np.asarray(r["mean"], dtype=float)
            pca.components_ = np.asarray(r["components"], dtype=float)
            pca.explained_variance_ = np.asarray(r["explained_variance"], dtype=float)
            pca.explained_variance_ratio_ = np.asarray(r["explained_variance_ratio"], dtype=float)
            pca.n_components_ = len(r["components"])
            pca.n_features_in_ = pca.components_.shape[1]
            steps.append(("reduce", pca))
        restored = cls(roles, settings)
        restored.pipeline_ = Pipeline(steps)
        # Files written before empty cells were filled from neighbours kept the median.
        restored.fill_ = NeighbourFill.from_state(state["fill"]) if state.get("fill") else None
        by_name = {c.name: c for c in roles}
        restored._set_learned([by_name[enc.column] for enc in encoders])
        restored.notes_ = []
        restored.choices_ = list(state.get("choices", []))
        restored.category_evidence_ = []
        restored.number_evidence_ = []
        return restored


NEIGHBOUR_WORDS = "the rows most like theirs in the other columns"


def _spans(blocks: list[tuple[ColumnEncoder, int]]) -> list[Block]:
    """Each user column's slice of the encoded columns, and its role."""
    spans, start = [], 0
    for enc, width in blocks:
        spans.append(Block(enc.column, enc.role, start, start + width))
        start += width
    return spans


def _empty_cells(encode: ColumnTransformer, frame: pd.DataFrame) -> np.ndarray:
    """Which cells of the encoded matrix the encoders filled with a median because the number was
    missing (or not a number): the number columns' only; other columns never count as empty."""
    blocks = Preprocessor._blocks(encode)
    empty = np.zeros((len(frame), sum(width for _, width in blocks)), dtype=bool)
    start = 0
    for enc, width in blocks:
        if isinstance(enc, NumericEncoder) and enc.column in frame.columns:
            empty[:, start] = ~np.isfinite(enc.numbers(frame[enc.column]))
        start += width
    return empty


# Above this the scaler's sums of squares overflow float64 (1e308) on even a few rows.
_LARGEST = 1e150


def _check_magnitude(encode: ColumnTransformer, encoded: np.ndarray) -> None:
    """Raise :class:`InputError` naming the first column whose numbers are too large to scale."""
    biggest = np.abs(encoded).max(axis=0)
    if not (biggest > _LARGEST).any():
        return
    for name, part in encode.output_indices_.items():
        if part.stop > part.start and (biggest[part] > _LARGEST).any():
            raise InputError(
                f"Column '{name}' has values too large to cluster (up to {biggest[part].max():.3g}); "
                f"divide it by a power of ten in the file, or leave it out with {Control('exclude', [name])}.",
                detail={"column": name},
            )


def _require_columns(columns: list[ColumnInfo], roles: Roles) -> None:
    """Raise :class:`InputError`, listing the roles found, when no column is left to cluster on."""
    if columns:
        return
    found = ", ".join(f"'{c.name}': {c.role}" for c in roles.columns[:8])
    more = f", ... ({len(roles.columns)} columns)" if len(roles.columns) > 8 else ""
    first = roles.columns[0].name
    raise InputError(
        f"There are no columns to cluster ({found}{more}): every column is an identifier, constant, "
        f"label or excluded. Include one as a number or a category, e.g. {Control('roles', {first: 'numeric'})}.",
        detail={"roles": {c.name: c.role for c in roles}},
    )


def _balanced_weighting(
    blocks: list[tuple[ColumnEncoder, int]], settings: Settings
) -> tuple[Note, dict[str, Any]] | None:
    """The note and choice for columns encoded as several numbers and weighted as one (or None)."""
    wide = [(enc.column, w) for enc, w in blocks if w > 1]
    if not wide or settings.weighting != "balanced":
        return None
    listing = ", ".join(f"'{name}' ({w})" for name, w in wide[:5]) + (" ..." if len(wide) > 5 else "")
    note = Note(
        "encode",
        f"Columns encoded as several numbers were weighted so each counts as one column: {listing} "
        f"(turn off with {Control('weighting', 'none')}).",
    )
    choice = {
        "column": None,
        "step": "weighting",
        "setting": "weighting",
        "detail": {"columns": {name: w for name, w in wide}},
    }
    return note, choice


def _category_weighting(
    blocks: list[tuple[ColumnEncoder, int]], settings: Settings
) -> tuple[Note, dict[str, Any]] | None:
    """The note and choice for category and yes/no columns weighing less than a number (or None)."""
    discrete = [enc.column for enc, _ in blocks if enc.role in ("binary", "categorical")]
    if not discrete or settings.category_weight == 1.0 or settings.category_weight == "auto":
        return None
    # Why: a category separates its levels perfectly (every pair of rows is either equal or a full
    # level apart), so at the weight of a numeric column a single unrelated category cuts the data
    # into its levels and wins every criterion. docs/recommendation.md.
    note = Note(
        "encode",
        f"Category and yes/no columns count as {settings.category_weight:g} of a numeric column "
        f"each ({len(discrete)} column(s)), so that no single category decides the clusters "
        f"alone (change with {Control('category_weight')}).",
    )
    choice = {
        "column": None,
        "step": "category weight",
        "setting": "category_weight",
        "detail": {"weight": settings.category_weight, "columns": discrete},
    }
    return note, choice


def _learned_weighting(found: list[CategoryEvidence], numbers: set[str]) -> tuple[Note, dict[str, Any]]:
    """The note and choice for category weights learned from the data (``category_weight="auto"``);
    ``numbers`` names the number columns, weighed this way when they hold few values."""

    def said(e: CategoryEvidence) -> str:
        partners = ", ".join(f"'{name}'" for name in list(e.agreement)[:2])
        drawn = f"; the numbers already draw {e.explained:.0%} of it" if e.capped else ""
        return f"'{e.column}' {e.weight:.2f} (agrees with {partners}{' ...' if len(e.agreement) > 2 else ''}{drawn})"

    agreeing = sorted((e for e in found if e.agreement), key=lambda e: -e.weight)
    alone = [e for e in found if not e.agreement]
    parts = [said(e) for e in agreeing[:4]] + ([f"{len(agreeing) - 4} more"] if len(agreeing) > 4 else [])
    if alone:
        names = ", ".join(f"'{e.column}'" for e in alone[:5]) + (" ..." if len(alone) > 5 else "")
        low, high = min(e.weight for e in alone), max(e.weight for e in alone)
        span = f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f} to {high:.2f}"
        them = "it" if len(alone) == 1 else "them"
        parts.append(
            f"{names} {span} (no other column agrees with {them}: alone, such a column would cut the rows into its levels)"
        )
    listing = "; ".join(parts)
    few = [e.column for e in found if e.column in numbers]
    named = f"number columns of only a few values ({', '.join(repr(c) for c in few[:3])}{' ...' if len(few) > 3 else ''})"
    if not few:
        kinds = "Category and yes/no columns"
    elif len(few) == len(found):
        kinds = named[:1].upper() + named[1:]
    else:
        kinds = f"Category and yes/no columns, and {named},"
    # Why: a category's clean split into its levels is no evidence of groups (an unrelated one splits
    # as cleanly); agreement with other columns is. docs/category-weights.md.
    note = Note(
        "encode",
        f"{kinds} were weighted by how far the other columns agree with them, "
        f"relative to a numeric column (1): {listing} (set one weight for all with {Control('category_weight')}).",
    )
    choice = {
        "column": None,
        "step": "category weight",
        "setting": "category_weight",
        "detail": {
            "weight": "auto",
            "columns": [e.column for e in found],
            "weights": {e.column: round(e.weight, 4) for e in found},
            "floors": {e.column: round(e.floor, 4) for e in found},
            "agreement": {e.column: {k: round(v, 4) for k, v in e.agreement.items()} for e in found},
            "explained_by_numbers": {e.column: e.explained for e in found},
        },
    }
    return note, choice


def _unrelated_weighting(found: list[NumberEvidence]) -> tuple[Note, dict[str, Any]] | None:
    """The note and choice for number columns weighed down because nothing depends on them (or None)."""
    down = [e for e in found if e.weight < 1.0]
    if not down:
        return None
    names = ", ".join(f"'{e.column}'" for e in down[:5]) + (" ..." if len(down) > 5 else "")
    if len(down) == 1:
        which, them, has = "A number column that nothing else in the table depends on was", "it", "it has"
    else:
        which, them, has = "Number columns that nothing else in the table depends on were", "them", "each has"
    # Why: shuffling a column nothing depends on leaves the table's distribution as it was, so it can
    # only blur the groups the other columns draw. docs/category-weights.md, "Unrelated number columns".
    note = Note(
        "encode",
        f"{which} weighted {down[0].weight:g} of a number column: {names} (shuffling {them} among the rows "
        f"leaves every row's nearest rows as they were, and {has} a single peak: such a column can only "
        f"blur the groups the other columns draw; count {them} fully with {Control('number_weight', 'keep')}).",
    )
    choice = {
        "column": None,
        "step": "number weight",
        "setting": "number_weight",
        "detail": {
            "weight": "auto",
            "columns": [e.column for e in down],
            "weights": {e.column: e.weight for e in found},
            "change_when_shuffled": {e.column: e.change for e in found},
            "dip_p": {e.column: round(e.dip, 4) for e in found},
        },
    }
    return note, choice


def _gower(columns: list[ColumnInfo], settings: Settings) -> bool:
    """Whether the run measures by Gower's distance: K-Medoids with ``distance`` "gower", or "auto"
    and a category or yes/no column. Gower compares the user's columns one by one, which PCA would
    mix, so the matrix is then not reduced."""
    kinds = ["category" if c.role in ("categorical", "binary") else "number" for c in columns]
    return settings.method == "kmedoids" and uses_gower(settings.distance, kinds)


def _gower_note(settings: Settings) -> Note:
    """Why K-Medoids compares rows by Gower's distance, and PCA's absence when it was asked for."""
    unreduced = "; PCA was not applied, as it would mix the columns" if settings.pca_variance < 1.0 else ""
    return Note(
        "encode",
        "K-Medoids compares rows by Gower's distance: each column's own difference (a number's share "
        "of its range, a category or yes/no: same or not), averaged with the columns' weights (a number "
        "1, a category or yes/no its category weight)"
        f"{unreduced} (measure the encoded columns instead with {Control('distance', 'euclidean')}).",
    )
