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


def test_job_limits_default_to_a_share_of_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("clusterlab.web.config.machine_memory", lambda: 12 * 1024**3)
    config = ServerConfig.from_values({"workers": "2"})
    assert config.job_time_limit_seconds == 15 * 60
    assert config.job_memory_limit_bytes == 4 * 1024**3  # the workers at their limit leave a share
    assert config.runs_per_owner == 3
    off = ServerConfig.from_values({"job_time_limit": "0", "job_memory_limit_mb": "0", "runs_per_owner": "0"})
    assert (off.job_time_limit_seconds, off.job_memory_limit_bytes, off.runs_per_owner) == (None, None, 0)
    assert ServerConfig.from_values({"job_memory_limit_mb": "512"}).job_memory_limit_bytes == 512 * 1024**2


def test_machine_memory_is_the_containers_when_it_has_a_limit(tmp_path) -> None:
    from clusterlab.web.config import machine_memory

    physical = machine_memory(limit_files=())
    assert physical is not None
    assert physical > 0
    unlimited, limited = tmp_path / "unlimited", tmp_path / "limited"
    unlimited.write_text("max\n")  # cgroup v2 without a limit
    limited.write_text("1073741824\n")
    assert machine_memory(limit_files=(str(unlimited),)) == physical
    assert machine_memory(limit_files=(str(tmp_path / "none"), str(limited))) == min(1024**3, physical)


def test_the_access_token_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    secret = tmp_path / "token"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("CLUSTERLAB_ACCESS_TOKEN_FILE", str(secret))
    config = ServerConfig.from_values({})
    assert config.token == "s3cret"
    assert "s3cret" not in repr(config)
    with pytest.raises(ValueError, match="Give the access token once"):
        ServerConfig.from_values({"access_token": "other"})


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
        (
            {"job_memory_limit_mb": "lots"},
            "--job-memory-limit-mb must be a number of MB, 0 \\(no limit\\) or 'auto'; got 'lots'",
        ),
        ({"job_time_limit": "-1"}, "--job-time-limit must be greater than or equal to 0; got '-1'"),
        (
            {"access_token_file": "/no/such/file"},
            "--access-token-file must be a readable file holding the token",
        ),
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


def test_readme_documents_every_server_setting_with_its_default() -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("Server settings (flag") : readme.index("The JSON API is documented")]
    documented = dict(re.findall(r"^\| `(--[\w-]+)` \| ([^|]+?) \|", section, flags=re.M))
    for name, field in ServerConfig.model_fields.items():
        default = field.default
        expected = (
            "unset"
            if default is None
            else f"{default:g}"
            if isinstance(default, float)
            else f"`{default}`"
            if isinstance(default, Path)
            else str(default)
        )
        flag = ServerConfig.flag(name)
        assert documented.get(flag) == expected, f"README: {flag} should show default {expected}"
