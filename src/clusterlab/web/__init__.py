"""The ClusterLab web app (FastAPI + Jinja2 + HTMX + Plotly, every asset served locally).

Start it with ``clusterlab serve`` or build it with :func:`clusterlab.web.app.create_app`. This package
imports nothing on import, so the CLI can read :mod:`clusterlab.web.config` (pydantic-settings only)
without loading FastAPI.
"""

__all__: list[str] = []  # nothing at package level: import clusterlab.web.app for create_app
