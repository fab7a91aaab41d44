"""Shared fixtures: seeded randomness and small tables with known answers.

``make_blob_table`` (and the ``blob_table`` fixture) is the one generator of well-separated groups
in numeric columns, built on scikit-learn's ``make_blobs``; ``make_mixed_table`` has groups in
columns of every kind.

Per-area fixtures live in the conftest.py of each test folder (tests/core, tests/web...).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.typing import ArrayLike
from sklearn.datasets import make_blobs

SEED = 20261123


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(SEED)


def spread_centres(k: int, n_features: int = 2, radius: float = 10.0) -> np.ndarray:
    """``k`` centres far apart: on a circle of ``radius`` in the first two features (the rest 0), or
    ``radius`` apart on a line with one feature. With unit spread, well separated for k up to ~20."""
    centres = np.zeros((k, n_features))
    if n_features == 1:
        centres[:, 0] = radius * np.arange(k)
        return centres
    angles = np.linspace(0, 2 * np.pi, k, endpoint=False)
    centres[:, 0], centres[:, 1] = radius * np.cos(angles), radius * np.sin(angles)
    return centres


def make_blob_table(
    n_per_cluster: int | Sequence[int] = 60,
    centres: int | ArrayLike = 3,
    n_features: int = 2,
    cluster_std: float | Sequence[float] = 1.0,
    seed: int = SEED,
    columns: Sequence[str] | None = None,
    shuffle: bool = False,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Gaussian groups in numeric columns (``sklearn.datasets.make_blobs``) and each row's true group.

    Parameters
    ----------
    n_per_cluster : rows per group, one number for all or one per group.
    centres : the number of groups (placed far apart by :func:`spread_centres`), or their centres,
        one row per group, ``[[0], [10]]`` with one column (then ``n_features`` follows from them).
    cluster_std : the spread of every group, or one per group.
    columns : the column names (default x0, x1...).
    shuffle : rows in a seeded random order instead of group after group.

    Returns
    -------
    frame : DataFrame of the numeric columns.
    truth : ndarray of int, the group (0..k-1) of each row.
    """
    points = (
        spread_centres(centres, n_features) if isinstance(centres, int) else np.asarray(centres, dtype=float)
    )
    sizes = [n_per_cluster] * len(points) if isinstance(n_per_cluster, int) else list(n_per_cluster)
    X, truth = make_blobs(
        n_samples=sizes, centers=points, cluster_std=cluster_std, shuffle=shuffle, random_state=seed
    )
    names = list(columns) if columns is not None else [f"x{i}" for i in range(X.shape[1])]
    return pd.DataFrame(X, columns=names), truth


@pytest.fixture
def blob_table() -> tuple[pd.DataFrame, np.ndarray]:
    """Three well-separated groups of 60 rows in two numeric columns, and the true group of each row."""
    return make_blob_table()


def make_mixed_table(n_per_cluster: int = 60, seed: int = SEED) -> pd.DataFrame:
    """Three well-separated groups in mixed columns; the true group is in 'truth'.

    Numeric columns on very different scales, a binary text column, a 3-level category that follows
    the groups, an identifier and a noise category.
    """
    rng = np.random.default_rng(seed)
    parts = []
    for group, (income, age, plan, yes) in enumerate(
        [(30_000, 25, "Basic", 0.9), (70_000, 45, "Plus", 0.5), (150_000, 60, "Premium", 0.1)]
    ):
        n = n_per_cluster
        parts.append(
            pd.DataFrame(
                {
                    "income": rng.normal(income, income * 0.08, n).round(0),
                    "age": rng.normal(age, 3, n).round(0),
                    "plan": np.where(rng.random(n) < 0.9, plan, "Basic"),
                    "newsletter": np.where(rng.random(n) < yes, "Yes", "No"),
                    "region": rng.choice(["N", "S", "E", "W"], n),
                    "truth": f"g{group + 1}",
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame.insert(0, "customer_id", [f"C{i:04d}" for i in range(1, len(frame) + 1)])
    return frame


@pytest.fixture
def mixed_table() -> pd.DataFrame:
    return make_mixed_table()


@pytest.fixture
def write_table(tmp_path: Path) -> Callable[..., Path]:
    """Write a DataFrame as .csv / .xlsx / .parquet / .tsv and return the path."""

    def write(frame: pd.DataFrame, name: str = "data.csv", **kwargs: object) -> Path:
        path = tmp_path / name
        suffix = path.suffix.lower()
        if suffix == ".csv":
            frame.to_csv(path, index=False, **kwargs)  # type: ignore[arg-type]
        elif suffix == ".tsv":
            frame.to_csv(path, index=False, sep="\t", **kwargs)  # type: ignore[arg-type]
        elif suffix == ".xlsx":
            frame.to_excel(path, index=False, engine="xlsxwriter", **kwargs)  # type: ignore[arg-type]
        elif suffix == ".parquet":
            frame.to_parquet(path, index=False)
        else:
            raise ValueError(suffix)
        return path

    return write


# --- the system Chromium, shared by every browser test ------------------------------------------------
# One Playwright instance per session: a second sync_playwright() in the same process fails while the
# first one's event loop runs, so every browser test (tests/browser, tests/report) uses this fixture.
CHROMIUM = Path(os.environ.get("CLUSTERLAB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium; never `playwright install`. Missing browser: skip locally, fail in CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium (make browser).")
        pytest.skip(f"{CHROMIUM} is missing; run `make browser` (installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


# What every page with charts (report.html, the web app's) must show once drawn by charts.js: each chart
# drawn, with the house template and the modebar config of the shared script, and no WebGL fallback.
_CHARTS_STATE = """() => {
  const theme = JSON.stringify(JSON.parse(document.getElementById('chart-template').textContent));
  const charts = [...document.querySelectorAll('[data-chart]')];
  const plots = charts.map(c => c.classList.contains('js-plotly-plot') ? c : c.querySelector('.js-plotly-plot'));
  return {
    charts: charts.length,
    drawn: plots.filter(p => p && p.querySelector('.main-svg')).length,
    themed: plots.filter(p => p && JSON.stringify(p.layout.template) === theme).length,
    configured: plots.filter(p => p && p._context.displaylogo === false
      && p._context.modeBarButtonsToRemove.includes('lasso2d')).length,
    webgl: document.body.innerText.includes('WebGL is not supported'),
  };
}"""


@pytest.fixture
def every_chart_drawn() -> Callable[[Any], int]:
    """Wait until charts.js has drawn every chart on a page (data-ready), check them all, and return
    how many there are. A polling loop, not wait_for_function: the web pages' CSP forbids eval."""

    def check(page: Any) -> int:
        deadline = time.monotonic() + 60
        while page.evaluate("!!document.querySelector('[data-chart]:not([data-ready])')"):
            assert time.monotonic() < deadline, f"charts on {page.url} were not all drawn within 60 s"
            page.wait_for_timeout(100)
        state = page.evaluate(_CHARTS_STATE)
        n = state["charts"]
        assert state == {"charts": n, "drawn": n, "themed": n, "configured": n, "webgl": False}, page.url
        return int(n)

    return check
