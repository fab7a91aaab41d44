"""Lazy package attributes (PEP 562), the pattern of scientific-python's lazy_loader (SPEC 1).

A package's ``__init__`` keeps its imports under ``if TYPE_CHECKING:``, where type checkers and IDEs
read them, and its ``__all__``; :func:`attach` reads those same imports from the source and gives the
package a ``__getattr__`` that makes each import when its name is first used. So
``import clusterlab.core.settings`` (all the CLI needs to build its flags) does not load pandas and
scikit-learn, and ``clusterlab.cluster(...)`` works as before.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["attach"]


def attach(package: str, init_file: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, from the imports under ``if TYPE_CHECKING:``
    in its ``__init__`` (``init_file``), as ``lazy_loader.attach_stub`` reads them from a stub.

    Any submodule is imported when used as an attribute too (``clusterlab.core.pipeline``).

    Examples
    --------
    >>> __getattr__, __dir__ = attach(__name__, __file__)  # doctest: +SKIP
    """
    where = type_checking_imports(Path(init_file).read_text(encoding="utf-8"))

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(where[name], package), name)
        elif not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is not None:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(importlib.import_module(package), name, value)  # later uses skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted({*where, *vars(importlib.import_module(package))})

    return __getattr__, __dir__


def type_checking_imports(source: str) -> dict[str, str]:
    """Each name imported under a top-level ``if TYPE_CHECKING:``, mapped to its (relative) module.

    >>> type_checking_imports("if TYPE_CHECKING:\\n    from .core.errors import InputError as Bad")
    {'Bad': '.core.errors'}
    """
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    module = "." * statement.level + (statement.module or "")
                    for alias in statement.names:
                        found[alias.asname or alias.name] = module
    return found
