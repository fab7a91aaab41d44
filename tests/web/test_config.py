"""Server settings: one small table feeding `clusterlab serve` flags and the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterlab.cli import build_parser
from clusterlab.web.config import SERVER_SETTINGS, ServerConfig


def test_defaults() -> None:
    config = ServerConfig.from_values({}, environ={})
    assert config.upload_limit_bytes == 100 * 1024 * 1024
    assert config.access_token is None
    assert config.data_dir == Path(".clusterlab-data")
    assert config.executor == "process"


def test_given_values_win_over_environment() -> None:
    environ = {"CLUSTERLAB_ACCESS_TOKEN": "from-env", "CLUSTERLAB_WORKERS": "3"}
    config = ServerConfig.from_values({"workers": "1", "access_token": None}, environ=environ)
    assert config.workers == 1
    assert config.access_token == "from-env"


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"workers": "two"}, "Server setting 'workers' must be a number; got 'two'"),
        ({"upload_limit_mb": "0"}, "Server setting 'upload_limit_mb' must be at least 0.01"),
        ({"executor": "gpu"}, "'executor' must be 'process', 'dask' or 'thread'"),
    ],
)
def test_bad_values_name_the_setting(values, match) -> None:
    with pytest.raises(ValueError, match=match):
        ServerConfig.from_values(values, environ={})


def test_serve_has_a_flag_per_server_setting() -> None:
    args = build_parser().parse_args(["serve", "--port", "9000", "--upload-limit-mb", "5", "--workers", "1"])
    assert args.port == 9000
    for spec in SERVER_SETTINGS:
        assert hasattr(args, f"server_{spec.name}")
    assert args.server_upload_limit_mb == "5"
    assert args.server_data_dir is None


def test_serve_reports_a_bad_flag_in_one_line(capsys) -> None:
    from clusterlab.cli import main

    assert main(["serve", "--workers", "none", "--quiet"]) == 2
    assert "Server setting 'workers' must be a number" in capsys.readouterr().err


def test_serve_on_a_busy_or_impossible_port_is_one_line_and_exit_2(tmp_path, capsys) -> None:
    import socket

    from clusterlab.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # Was "ClusterLab is running at ..." and then uvicorn's own error with exit 3.
        assert main(["serve", "--port", str(port), "--data-dir", str(tmp_path), "--quiet"]) == 2
    captured = capsys.readouterr()
    assert f"Port {port} on 127.0.0.1 is already in use" in captured.err
    assert "is running" not in captured.out
    # Was an internal error (OverflowError) with a traceback.
    assert main(["serve", "--port", "99999", "--data-dir", str(tmp_path), "--quiet"]) == 2
    assert "Port 99999 is not a port number (0 to 65535)" in capsys.readouterr().err
