"""Stage 3, encode: from the user's columns to the numeric matrix the clustering sees.

``preprocessor`` (encode every column, weight, scale, reduce with PCA; every automatic treatment
reported), ``encoders`` (one encoder class per role, in the registry :data:`ENCODERS`), with the
shared base in ``column_encoder`` and the numbers' own in ``numeric_encoder``.
"""

from .column_encoder import MISSING_LEVEL, OTHER_LEVEL, ColumnEncoder
from .encoders import ENCODERS
from .preprocessor import Preprocessor

__all__ = ["ENCODERS", "MISSING_LEVEL", "OTHER_LEVEL", "ColumnEncoder", "Preprocessor"]
