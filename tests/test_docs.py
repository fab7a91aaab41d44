"""Docstring examples run, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import clusterlab

# __main__ runs the CLI when imported.
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(clusterlab.__path__, "clusterlab.")
    if m.name != "clusterlab.__main__"
)


def test_every_stage_is_collected() -> None:
    # walk_packages skips a folder without __init__.py: its modules would silently lose their doctests.
    assert {
        "clusterlab.core.read.readers",
        "clusterlab.report.charts.spec",
        "clusterlab.outputs.summary",
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
