"""ClusterLab: cluster the rows of a spreadsheet, explained.

>>> import clusterlab
>>> result = clusterlab.cluster("customers.xlsx", k="auto")  # doctest: +SKIP
>>> result.k, result.recommended_k, result.labels  # doctest: +SKIP
"""

from ._version import __version__
from .core import (
    ClusterLab,
    ClusterLabError,
    InputError,
    ModelError,
    Settings,
    SettingsError,
    detect_roles,
    read_table,
)
from .outputs import load_model
from .result import ClusterResult, assign, cluster
from .samples import sample_path

__all__ = [
    "ClusterLab",
    "ClusterLabError",
    "ClusterResult",
    "InputError",
    "ModelError",
    "Settings",
    "SettingsError",
    "__version__",
    "assign",
    "cluster",
    "detect_roles",
    "load_model",
    "read_table",
    "sample_path",
]
