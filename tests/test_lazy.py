"""Lazy package attributes: every public name works as before, and importing loads nothing heavy."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import clusterlab
import clusterlab.core
from clusterlab._lazy import type_checking_imports


@pytest.mark.parametrize("package", [clusterlab, clusterlab.core])
def test_every_public_name_is_the_real_object(package) -> None:
    where = type_checking_imports(Path(package.__file__).read_text(encoding="utf-8"))
    assert set(package.__all__) - {"__version__"} == set(where)  # __all__ and the imports agree
    for name, module in where.items():
        real = importlib.import_module(module, package.__name__)
        assert getattr(package, name) is getattr(real, name), name
        assert name in dir(package)


def test_submodules_are_attributes_and_unknown_names_are_not() -> None:
    assert clusterlab.core.settings.SETTINGS is clusterlab.core.SETTINGS
    assert clusterlab.samples.sample_path is clusterlab.sample_path
    with pytest.raises(AttributeError, match="module 'clusterlab' has no attribute 'nope'"):
        clusterlab.nope
    assert not hasattr(clusterlab.core, "__wrapped__")


def test_importing_the_package_and_the_settings_table_loads_nothing_heavy() -> None:
    code = (
        "import sys, clusterlab, clusterlab.core.settings, clusterlab.core.errors\n"
        "print(*sorted(m for m in ('numpy', 'pandas', 'sklearn', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_every_name_resolves_in_a_fresh_process() -> None:
    # In this process other tests have imported everything already; a new one starts from nothing.
    code = (
        "import clusterlab, clusterlab.core\n"
        "for package in (clusterlab, clusterlab.core):\n"
        "    for name in package.__all__:\n"
        "        getattr(package, name)\n"
        "print(clusterlab.cluster.__module__, clusterlab.core.cluster.__module__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["clusterlab.result", "clusterlab.core.pipeline"]
