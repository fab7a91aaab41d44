"""`clusterlab serve`: the web app on uvicorn."""

from __future__ import annotations

import errno
import logging
import socket
from pathlib import Path
from typing import Any

__all__ = ["serve"]


def serve(
    host: str = "127.0.0.1", port: int = 8000, data_dir: str | Path | None = None, **server: Any
) -> None:
    """Start the web app and block until it is stopped (Ctrl+C, SIGTERM); its jobs stop with it.

    ``server`` takes any field of :class:`clusterlab.web.config.ServerConfig` (``upload_limit_mb``,
    ``access_token``, ``workers``...); unset ones come from ``CLUSTERLAB_<NAME>`` or the defaults.
    """
    import uvicorn

    from .app import create_app
    from .config import ServerConfig
    from .jobs import limits_text

    config = ServerConfig.from_values({**server, "data_dir": data_dir})
    listening = _listen(host, port)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    app = create_app(config)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    print(f"ClusterLab is running at http://{shown}:{port}/  (runs are kept in {config.data_dir.resolve()})")
    print(limits_text(config))
    if config.token:
        print("An access token is required to use it.")
    elif host not in ("127.0.0.1", "localhost", "::1"):
        print(
            "Warning: reachable from other machines without an access token; set --access-token to protect it."
        )
    # On SIGTERM or SIGINT, requests still open get a few seconds (a container platform kills the server
    # some 10 s after SIGTERM), then the app's shutdown stops the jobs and marks their runs interrupted.
    settings = uvicorn.Config(
        app, host=host, port=port, log_level="warning", proxy_headers=True, timeout_graceful_shutdown=5
    )
    uvicorn.Server(settings).run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything is printed, so a busy port is one clear line
    (ValueError, which the CLI reports) instead of "running at ..." followed by uvicorn's error."""
    if not 0 <= port <= 65535:
        raise ValueError(f"Port {port} is not a port number (0 to 65535); choose another with --port.")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: fast restarts
        sock.bind(address)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise ValueError(
                f"Port {port} on {host} is already in use (another server?); stop it or choose "
                "another with --port."
            ) from None
        raise ValueError(
            f"Cannot listen on {host}:{port} ({err.strerror or err}); check --host and --port."
        ) from None
    return sock
