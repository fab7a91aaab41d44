"""The ClusterLab core: pure (numpy, pandas, scikit-learn); nothing of files written, charts, web or CLI.

The stages, a folder each, data flowing one way (each takes the previous one's result):

    read/ -> roles/ -> encode/ -> choose_k/ -> estimator (fit) -> explain/

``estimator.py`` is the scikit-learn style :class:`ClusterLab` (roles, encoding, choosing k and the
final fit); ``pipeline.py`` runs a whole table through it and ``explain/`` into a
:class:`Clustering`. Beside the stages: ``settings.py`` (the settings table) with ``constraints.py``,
``methods/`` (the clustering methods' registry and contract), ``errors.py``, ``progress.py`` and ``formatting.py`` (how
the core writes numbers in its sentences). The import contract in pyproject.toml keeps it so.

Names are imported when first used (:mod:`clusterlab._lazy`), so the settings table and the errors
load without pandas or scikit-learn.
"""

from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:
    from .choose_k import (
        CRITERIA,
        Criterion,
        KSweep,
        Recommendation,
        recommend,
        register_criterion,
        sweep_k,
    )
    from .clustering import Clustering
    from .encode import Preprocessor
    from .errors import ClusterLabError, InputError, ModelError, Note, SettingsError
    from .estimator import ClusterLab
    from .explain import (
        ClusterDescription,
        Evaluation,
        Outliers,
        Profiles,
        cluster_effects,
        describe_clusters,
        evaluate,
        find_outliers,
        profile_clusters,
    )
    from .methods import METHODS, Fitted, Method, register_method
    from .pipeline import assign, cluster, load_data
    from .progress import STAGES, ProgressEvent
    from .read import READERS, Table, read_table, register_reader
    from .roles import ROLES, ColumnChoices, ColumnInfo, Roles, detect_roles, register_role_detector
    from .settings import SETTINGS, Settings, SettingSpec

__all__ = [
    "CRITERIA",
    "METHODS",
    "READERS",
    "ROLES",
    "SETTINGS",
    "STAGES",
    "ClusterDescription",
    "ClusterLab",
    "ClusterLabError",
    "Clustering",
    "ColumnChoices",
    "ColumnInfo",
    "Criterion",
    "Evaluation",
    "Fitted",
    "InputError",
    "KSweep",
    "Method",
    "ModelError",
    "Note",
    "Outliers",
    "Preprocessor",
    "Profiles",
    "ProgressEvent",
    "Recommendation",
    "Roles",
    "SettingSpec",
    "Settings",
    "SettingsError",
    "Table",
    "assign",
    "cluster",
    "cluster_effects",
    "describe_clusters",
    "detect_roles",
    "evaluate",
    "find_outliers",
    "load_data",
    "profile_clusters",
    "read_table",
    "recommend",
    "register_criterion",
    "register_method",
    "register_reader",
    "register_role_detector",
    "sweep_k",
]

__getattr__, __dir__ = attach(__name__, __file__)
