"""The layers hold: the import contracts in pyproject.toml (import-linter), as `make lint` checks them.

The core imports nothing of outputs, the report, the web app or the CLI; the core's stages import only
earlier stages; report.html sits above its content and the content above the charts.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def test_import_contracts_are_kept(tmp_path: Path) -> None:
    lint = pytest.importorskip("importlinter.cli")
    assert lint.lint_imports(config_filenames=(str(CONFIG),), cache_dir=str(tmp_path), no_logo=True) == 0


def test_every_package_is_in_a_layer() -> None:
    # A new top-level package outside the contract would be free to import anything.
    contracts = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]["contracts"]
    top = next(c for c in contracts if c["id"] == "layers")
    layered = {m.strip() for layer in top["layers"] for m in layer.replace(":", "|").split("|")}
    packages = {
        f"clusterlab.{p.name}"
        for p in (ROOT / "src" / "clusterlab").iterdir()
        if (p / "__init__.py").exists()
    }
    assert packages - {"clusterlab.samples"} <= layered
