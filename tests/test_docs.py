"""Docstring examples run, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import clusterlab.core

CORE_MODULES = sorted(m.name for m in pkgutil.iter_modules(clusterlab.core.__path__, "clusterlab.core."))


@pytest.mark.parametrize("name", CORE_MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_core_does_not_import_web_or_cli() -> None:
    import ast
    from pathlib import Path

    forbidden = (
        "fastapi",
        "starlette",
        "uvicorn",
        "jinja2",
        "plotly",
        "clusterlab.cli",
        "clusterlab.web",
        "argparse",
    )
    for path in Path(clusterlab.core.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                bad = [n for n in names if n.startswith(forbidden)]
                assert not bad, f"{path.name} imports {bad}"
