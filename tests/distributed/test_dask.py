"""The Dask engine on a LocalCluster of 2 workers: same k and ARI >= 0.99 against the local run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, where bench/ lives

from bench.tables import TRUTH, mixed_table

from clusterlab.cli import main
from clusterlab.core import cluster
from clusterlab.core.choose_k.criteria import adjusted_rand
from clusterlab.core.errors import InputError, SettingsError

pytestmark = pytest.mark.dask
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster_ = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client_ = distributed.Client(cluster_)
    yield client_
    client_.close()
    cluster_.close()


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return mixed_table(4000, seed=11)


@pytest.fixture(scope="module")
def local(table: pd.DataFrame) -> Any:
    return cluster(table, label=TRUTH)


def _parts(table: pd.DataFrame, folder: Path, suffix: str, n: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, part in enumerate(np.array_split(np.arange(len(table)), n)):
        chunk = table.iloc[part]
        path = folder / f"part-{i}{suffix}"
        chunk.to_parquet(path, index=False) if suffix == ".parquet" else chunk.to_csv(path, index=False)
    return folder


def test_sweep_on_dask_gives_the_local_answer(client: Any, table: pd.DataFrame, local: Any) -> None:
    from clusterlab.distributed.engine import DaskExecutor

    remote = cluster(table, label=TRUTH, executor=DaskExecutor(client))
    assert remote.k == local.k == 5
    assert adjusted_rand(remote.clusters, local.clusters) >= 0.99
    assert remote.k_scores["silhouette"].round(6).tolist() == local.k_scores["silhouette"].round(6).tolist()


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_partitioned_run_matches_local(
    client: Any, table: pd.DataFrame, local: Any, tmp_path: Path, suffix: str
) -> None:
    from clusterlab.distributed.partitioned import cluster_partitioned

    source = _parts(table, tmp_path / "in", suffix)
    # A sample of a quarter of the rows: the partition-wise iterations must do the rest.
    summary = cluster_partitioned(source, tmp_path / "out", client, label=TRUTH, sample_rows=1000)
    out = pd.read_parquet(tmp_path / "out" / "clustered")
    assert summary["k"] == local.k
    assert summary["sample_rows"] == 1000
    assert len(out) == summary["n_rows"] == len(table)  # every row, in the input's order
    assert out[TRUTH].astype(int).tolist() == table[TRUTH].tolist()
    assert adjusted_rand(out["Cluster"].to_numpy() - 1, local.clusters - 1) >= 0.99
    sizes = out["Cluster"].value_counts().sort_index()
    assert sizes.is_monotonic_decreasing  # numbered largest first
    assert [c["rows"] for c in summary["cluster_sizes"]] == sizes.tolist()
    assert (tmp_path / "out" / "summary.json").exists()


def test_cli_engine_dask_with_a_scheduler_address(client: Any, table: pd.DataFrame, tmp_path: Path) -> None:
    source = _parts(table, tmp_path / "in", ".parquet", n=3)
    code = main(
        [
            "run",
            str(source),
            "--engine",
            "dask",
            "--scheduler",
            client.scheduler.address,
            "--label",
            TRUTH,
            "--out",
            str(tmp_path / "out"),
            "-q",
        ]
    )
    assert code == 0
    assert len(list((tmp_path / "out" / "clustered").glob("part-*.parquet"))) == 3


def test_missing_parts_and_impute_none_are_explained(client: Any, tmp_path: Path) -> None:
    from clusterlab.distributed.partitioned import cluster_partitioned

    with pytest.raises(InputError, match="No Parquet or CSV files found"):
        cluster_partitioned(tmp_path / "nothing", tmp_path / "out", client)
    with pytest.raises(SettingsError, match="impute='none' is not available"):
        cluster_partitioned(tmp_path, tmp_path / "out", client, settings={"impute": "none"})


def test_unreachable_scheduler_is_one_clear_error() -> None:
    from clusterlab.distributed.engine import connect

    with pytest.raises(SettingsError, match=r"Could not reach the Dask scheduler at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9")


def test_web_app_executor_setting_runs_jobs_on_dask(tmp_path: Path, client: Any) -> None:
    from clusterlab.distributed.engine import DaskExecutor
    from clusterlab.web.config import ServerConfig
    from clusterlab.web.jobs import make_executor

    config = ServerConfig.from_values(
        {"executor": "dask", "scheduler": client.scheduler.address, "data_dir": str(tmp_path)}
    )
    executor = make_executor(config)
    try:
        assert isinstance(executor, DaskExecutor)
        assert executor.submit(sum, [1, 2, 3]).result(timeout=30) == 6
        with pytest.raises(ZeroDivisionError):
            executor.submit(divmod, 1, 0).result(timeout=30)
    finally:
        executor.shutdown()
    with pytest.raises(ValueError, match="'process', 'dask' or 'thread'"):
        ServerConfig(executor="spark")
