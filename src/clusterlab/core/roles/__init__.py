"""Stage 2, roles: what each column is (numeric, category, text, date, identifier...), with the
evidence, and the user's own choices.

``detectors`` holds the registry of role detectors and the built-in ones, in the order they run;
``column_roles`` applies them and the user's choices to every column.
"""

from .column_roles import ROLES, ColumnChoices, ColumnInfo, Roles, detect_roles, numeric_values
from .detectors import ROLE_DETECTORS, register_role_detector

__all__ = [
    "ROLES",
    "ROLE_DETECTORS",
    "ColumnChoices",
    "ColumnInfo",
    "Roles",
    "detect_roles",
    "numeric_values",
    "register_role_detector",
]
