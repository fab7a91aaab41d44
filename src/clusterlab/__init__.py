"""ClusterLab: cluster the rows of a spreadsheet, explained.

>>> import clusterlab
>>> result = clusterlab.cluster("customers.xlsx", k="auto")  # doctest: +SKIP
>>> result.k, result.recommended_k, result.labels  # doctest: +SKIP

Every name is imported when first used (PEP 562, :mod:`clusterlab._lazy`): ``import clusterlab`` is
instant, and pandas and scikit-learn load with the first name that needs them.
"""

from typing import TYPE_CHECKING

from ._lazy import attach
from ._version import __version__

if TYPE_CHECKING:
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

__getattr__, __dir__ = attach(__name__, __file__)
