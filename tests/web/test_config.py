"""Server settings: a pydantic-settings model feeding `clusterlab serve` flags and the app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from clusterlab.cli import build_parser
from clusterlab.web.config import ServerConfig


@pytest.fixture(autouse=True)
def _no_server_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ServerConfig.model_fields:
        monkeypatch.delenv(ServerConfig.env(name), raising=False)


def test_defaults() -> None:
    config = ServerConfig.from_values({})
    assert config.upload_limit_bytes == 100 * 1024 * 1024
    assert config.access_token is None
    assert config.data_dir == Path(".clusterlab-data")
    assert config.executor == "process"


def test_given_values_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERLAB_ACCESS_TOKEN", "from-env")
    monkeypatch.setenv("CLUSTERLAB_WORKERS", "3")
    monkeypatch.setenv("CLUSTERLAB_EXECUTOR", "")  # empty: unset
    config = ServerConfig.from_values({"workers": "1", "access_token": None})
    assert config.workers == 1
    assert config.token == "from-env"
    assert config.executor == "process"
    assert "from-env" not in repr(config)  # the token is never printed or logged


@pytest.mark.parametrize(
    ("values", "match"),
    [
        (
            {"workers": "two"},
            "--workers must be a valid integer, unable to parse string as an integer; got 'two'",
        ),
        ({"workers": "0"}, "--workers must be greater than or equal to 1; got '0'"),
        ({"upload_limit_mb": "0"}, "--upload-limit-mb must be greater than or equal to 0.01; got '0'"),
        ({"executor": "gpu"}, "--executor must be 'process', 'dask' or 'thread'; got 'gpu'"),
    ],
)
def test_bad_values_name_the_flag(values, match) -> None:
    with pytest.raises(ValueError, match=match):
        ServerConfig.from_values(values)


def test_a_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERLAB_UPLOAD_LIMIT_MB", "lots")
    with pytest.raises(ValueError, match="CLUSTERLAB_UPLOAD_LIMIT_MB must be a valid number"):
        ServerConfig.from_values({"workers": "1"})


def test_serve_has_a_flag_per_server_setting() -> None:
    args = build_parser().parse_args(["serve", "--port", "9000", "--upload-limit-mb", "5", "--workers", "1"])
    assert args.port == 9000
    for name in ServerConfig.model_fields:
        assert hasattr(args, f"server_{name}")
    assert args.server_upload_limit_mb == "5"
    assert args.server_data_dir is None


def test_serve_reports_a_bad_flag_in_one_line(capsys) -> None:
    from clusterlab.cli import main

    assert main(["serve", "--workers", "none", "--quiet"]) == 2
    assert "clusterlab: error: --workers must be a valid integer" in capsys.readouterr().err


def test_the_cli_works_without_the_web_extras(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from clusterlab.cli import main

    # pydantic-settings (and with it the serve flags) missing: other commands never notice, and
    # `serve` with any flag says what to install instead of "unrecognized arguments".
    monkeypatch.setitem(sys.modules, "pydantic_settings", None)
    monkeypatch.delitem(sys.modules, "clusterlab.web.config")
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--help"])
    assert exit_info.value.code == 0
    assert "--k-max" in capsys.readouterr().out
    assert main(["serve", "--workers", "2", "--quiet"]) == 2
    assert "run `pip install clusterlab[web]`" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", "x.csv", "--no-such-flag"])
    assert "unrecognized arguments: --no-such-flag" in capsys.readouterr().err


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
