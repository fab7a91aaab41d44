"""The ClusterLab core: pure (numpy, pandas, scikit-learn), no web or CLI imports.

Stages, one module each: readers -> roles -> preprocessor (encoders) -> sweep (criteria, algorithms)
-> recommendation -> estimator -> profiles / evaluation -> result (export, model).
"""

from .algorithms import ALGORITHMS, register_algorithm
from .criteria import CRITERIA, Criterion, register_criterion
from .description import ClusterDescription, describe_clusters
from .distinction import cluster_effects
from .errors import ClusterLabError, InputError, ModelError, Note, SettingsError
from .estimator import ClusterLab
from .evaluation import Evaluation, evaluate
from .model import load_model, save_model
from .outliers import Outliers, find_outliers
from .preprocessor import Preprocessor
from .profiles import Profiles, profile_clusters
from .progress import STAGES, ProgressEvent
from .readers import READERS, Table, read_table, register_reader
from .recommendation import Recommendation, recommend
from .result import ClusterResult
from .roles import ROLES, ColumnChoices, ColumnInfo, Roles, detect_roles, register_role_detector
from .settings import SETTINGS, Settings, SettingSpec
from .sweep import KSweep, sweep_k
from .workflow import assign, cluster, load_data

__all__ = [
    "ALGORITHMS",
    "CRITERIA",
    "READERS",
    "ROLES",
    "SETTINGS",
    "STAGES",
    "ClusterDescription",
    "ClusterLab",
    "ClusterLabError",
    "ClusterResult",
    "ColumnChoices",
    "ColumnInfo",
    "Criterion",
    "Evaluation",
    "InputError",
    "KSweep",
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
    "load_model",
    "profile_clusters",
    "read_table",
    "recommend",
    "register_algorithm",
    "register_criterion",
    "register_reader",
    "register_role_detector",
    "save_model",
    "sweep_k",
]
