"""A run's downloads: the files ``ClusterResult.save()`` wrote, listed, titled and served.

Only files the result listed can be fetched (never a path the URL names), under a name that says
which upload they came from ("shop-clustered.xlsx"). report.html can also be opened in the browser:
it is self-contained, with its scripts inline, so it is served under its own Content-Security-Policy
with ``sandbox``: its scripts run in an opaque origin that can read no cookie, call no API and fetch
nothing, whatever text the user's data put in it. Every other page keeps ``script-src 'self'``. Read
in the app, it links the app's Plotly (``/static-lib/plotly.min.js``, cached by the browser) instead
of carrying its own 4.6 MB: that one file is all its policy lets it load. The download is the file
as written, Plotly inlined.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse

from ..report.report import link_plotly
from .errors import not_found
from .storage import Run, RunStore

__all__ = [
    "FILE_TITLES",
    "REPORT_CSP",
    "file_entries",
    "file_response",
    "listed_files",
    "report_response",
    "titled",
]

# Known outputs of ClusterResult.save(), best first; any other key is listed after them by file name.
# The page shows the file name beside the title, so a description never repeats it; `code` in a
# description is shown as code.
FILE_TITLES: dict[str, tuple[str, str]] = {
    "xlsx": (
        "Workbook",
        "Your data with Cluster, Cluster name, Distance and Outlier columns, plus cluster profiles, k selection, "
        "columns and settings.",
    ),
    "csv": (
        "Data as CSV",
        "Your rows in their original order with Cluster, Cluster name, Distance and Outlier (UTF-8).",
    ),
    "report": (
        "Report",
        "Every cluster explained with charts. Opens offline in any browser; share it as it is.",
    ),
    "model": ("Model", "Labels new rows with `clusterlab assign`."),
    "summary": ("Summary", "Every number on this page, for scripts."),
}
REPORT_FILE = "report.html"
REPORT_CSP = (
    "sandbox allow-scripts allow-downloads; default-src 'none'; "
    "script-src 'unsafe-inline' {plotly}; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def file_entries(files: dict[str, Path]) -> list[dict[str, Any]]:
    """Downloads in a stable order with titles; unknown keys (a future output) still appear."""
    order = {key: i for i, key in enumerate(FILE_TITLES)}
    entries = []
    for key, path in sorted(files.items(), key=lambda kv: (order.get(kv[0], 99), kv[1].name)):
        title, description = FILE_TITLES.get(key, (path.name, ""))
        entries.append(
            {
                "key": key,
                "name": path.name,
                "title": title,
                "description": description,
                "bytes": path.stat().st_size if path.exists() else 0,
            }
        )
    return entries


def titled(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``entries`` (as a result's view.json saved them) with today's titles and descriptions, so a
    result made before a wording changed reads like a new one."""
    out = []
    for entry in entries:
        title, description = FILE_TITLES.get(
            str(entry.get("key")), (entry.get("title", ""), entry.get("description", ""))
        )
        out.append({**entry, "title": title, "description": description})
    return out


def listed_files(store: RunStore, run: Run) -> list[dict[str, Any]]:
    """The entries of the run's latest result (from its view.json); [] before the first result."""
    if run.result_attempt is None:
        return []
    try:
        return titled(list(store.read_json(store.result_dir(run) / "view.json").get("files", [])))
    except FileNotFoundError:
        return []


def file_response(store: RunStore, run: Run, name: str) -> FileResponse:
    """A file of the run's latest result, by name, as a download; 404 for any name it did not list."""
    path = _listed_path(store, run, name)
    stem = Path(run.file_name).stem or "clusterlab"
    download_name = name if name in ("model.json", "summary.json") else f"{stem}-{name}"
    return FileResponse(path, filename=download_name)


def report_response(request: Request, store: RunStore, run: Run) -> HTMLResponse:
    """report.html to read in the browser: sandboxed, with the app's Plotly linked (module docstring).
    The policy names the script by its full URL: a sandboxed page has no origin of its own that
    ``'self'`` could stand for."""
    path = _listed_path(store, run, REPORT_FILE)
    plotly = request.url_for("plotly_bundle")
    name = f"{Path(run.file_name).stem or 'clusterlab'}-{REPORT_FILE}"
    return HTMLResponse(
        link_plotly(path.read_text(encoding="utf-8"), plotly.path),
        headers={
            "content-security-policy": REPORT_CSP.format(plotly=plotly),
            "content-disposition": f"inline; filename*=utf-8''{quote(name)}",
        },
    )


def _listed_path(store: RunStore, run: Run, name: str) -> Path:
    listed = {f["name"] for f in listed_files(store, run)}
    if name not in listed:
        raise not_found(
            f"This run has no file called '{name}'"
            + (f"; it has {', '.join(sorted(listed))}." if listed else ".")
        )
    return store.result_dir(run) / "files" / name
