"""`clusterlab serve`: the web app on uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

__all__ = ["serve"]


def serve(
    host: str = "127.0.0.1", port: int = 8000, data_dir: str | Path | None = None, **server: Any
) -> None:
    """Start the web app and block until it is stopped (Ctrl+C).

    ``server`` takes any entry of :data:`clusterlab.web.config.SERVER_SETTINGS` (``upload_limit_mb``,
    ``access_token``, ``workers``...); unset ones come from ``CLUSTERLAB_<NAME>`` or the defaults.
    """
    import uvicorn

    from .app import create_app
    from .config import ServerConfig

    config = ServerConfig.from_values({**server, "data_dir": data_dir})
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    app = create_app(config)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    print(f"ClusterLab is running at http://{shown}:{port}/  (runs are kept in {config.data_dir.resolve()})")
    if config.access_token:
        print("An access token is required to use it.")
    elif host not in ("127.0.0.1", "localhost", "::1"):
        print(
            "Warning: reachable from other machines without an access token; set --access-token to protect it."
        )
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
