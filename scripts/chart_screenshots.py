"""Screenshots of every chart, to check that a change to the chart code leaves the pictures alone.

    python scripts/chart_screenshots.py shoot OUT_DIR      # report.html and web charts, one PNG each
    python scripts/chart_screenshots.py compare DIR_A DIR_B  # pixel differences, chart by chart

``shoot`` clusters the bundled customers sample (and /work/shared/data/customer/Mall_Customers.csv
when present), renders report.html, opens it in headless Debian Chromium and saves each chart
element (every column of the explorer too); then it starts ``clusterlab serve``, makes a run of the
same sample through the API, replaces the run's view.json by one built here, and saves each chart of
the "choose k" and results pages at desktop and phone width. Fit times are set to fixed numbers
first, so two runs of the same code give the same pictures. ``compare`` reports, per PNG, whether
the two versions are identical and otherwise how many pixels differ (and writes ``*.diff.png``).
Never ``playwright install``: the system Chromium is used.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CLUSTERLAB_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MALL = Path("/work/shared/data/customer/Mall_Customers.csv")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _results() -> dict[str, Any]:
    import clusterlab
    from clusterlab.samples import SAMPLES

    sample = SAMPLES["customers"]
    out = {"customers": clusterlab.cluster(sample.path, label=sample.label, ordinal=sample.ordinal)}
    if MALL.exists():
        out["mall"] = clusterlab.cluster(MALL)
    for result in out.values():
        table = result.model.sweep_.table
        table["fit_seconds"] = 0.01 * table["k"]  # fixed: real fit times differ from run to run
    return out


def _wait_drawn(page: Any, selector: str, ready: str) -> None:
    deadline = time.monotonic() + 90
    while page.evaluate(f"!!document.querySelector('{selector}:not([{ready}])')"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"charts on {page.url} were not drawn in 90 s")
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)


def _shoot_report(browser: Any, name: str, result: Any, out: Path) -> None:
    from clusterlab.report.report import render_report

    path = out / f"report-{name}.html"
    path.write_text(render_report(result), encoding="utf-8")
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("document.body.dataset.chartsDrawn === 'all'", timeout=90_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / f"report-{name}-page.png"), full_page=True)
    page.add_style_tag(content="nav.top { position: static !important; }")  # not over the charts
    keys = page.eval_on_selector_all(".chart[data-chart]", "els => els.map(e => e.dataset.chart)")
    for i, key in enumerate(keys):
        if key.startswith("col"):
            continue  # the explorer: every column below
        element = page.locator(".chart[data-chart]").nth(i)
        element.scroll_into_view_if_needed()
        element.screenshot(path=str(out / f"report-{name}-{key}.png"), animations="disabled")
    options = page.eval_on_selector_all("#explore-select option", "os => os.map(o => o.value)")
    for key in options:
        page.select_option("#explore-select", key)
        page.wait_for_timeout(300)
        chart = page.locator("#explore-chart")
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(out / f"report-{name}-{key}.png"), animations="disabled")
    page.close()
    if errors:
        raise RuntimeError(f"report {name}: {errors}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _shoot_web(browser: Any, result: Any, out: Path) -> None:
    import httpx

    from clusterlab.web.views import build_view

    data = Path(tempfile.mkdtemp(prefix="chart-shots-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "clusterlab", "serve", "--port", str(port), "--data-dir", str(data)]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        context = browser.new_context(viewport=DESKTOP)
        run = context.request.post(url + "/api/runs", multipart={"sample": "customers"}).json()
        for _ in range(600):
            state = context.request.get(f"{url}/api/runs/{run['id']}").json()
            if state["status"] in ("done", "failed", "error") or state["files"]:
                break
            time.sleep(0.5)
        (saved,) = (data / "runs" / run["id"]).glob("result-*/view.json")
        view = build_view(result, {})
        view["files"] = json.loads(saved.read_text(encoding="utf-8"))["files"]
        saved.write_text(json.dumps(view, ensure_ascii=False, default=str), encoding="utf-8")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            for step in ("k", "results"):
                page.goto(f"{url}/runs/{run['id']}/{step}")
                figures = page.locator("figure[data-chart]")
                for i in range(figures.count()):
                    figures.nth(i).scroll_into_view_if_needed()
                _wait_drawn(page, "[data-chart]", "data-ready")
                page.screenshot(path=str(out / f"web-{step}-{width}-page.png"), full_page=True)
                for i in range(figures.count()):
                    figures.nth(i).screenshot(
                        path=str(out / f"web-{step}-{width}-{i:02d}.png"), animations="disabled"
                    )
        context.close()
        if errors:
            raise RuntimeError(f"web pages: {errors}")
    finally:
        server.terminate()
        server.wait(timeout=20)


def shoot(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    results = _results()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for name, result in results.items():
            _shoot_report(browser, name, result, out)
        _shoot_web(browser, results["customers"], out)
        browser.close()
    print(f"{len(list(out.glob('*.png')))} screenshots in {out}")


_DIFF_JS = """async ([a, b]) => {
  const load = (src) => new Promise((ok, fail) => { const i = new Image(); i.onload = () => ok(i); i.onerror = fail; i.src = src; });
  const [ia, ib] = await Promise.all([load(a), load(b)]);
  if (ia.width !== ib.width || ia.height !== ib.height) {
    return {size: [ia.width, ia.height, ib.width, ib.height]};
  }
  const pixels = (img) => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const x = c.getContext('2d'); x.drawImage(img, 0, 0); return [c, x, x.getImageData(0, 0, img.width, img.height)]; };
  const [ca, xa, da] = pixels(ia); const [, , db] = pixels(ib);
  let n = 0, worst = 0;
  for (let p = 0; p < da.data.length; p += 4) {
    let d = 0;
    for (let ch = 0; ch < 4; ch++) d = Math.max(d, Math.abs(da.data[p + ch] - db.data[p + ch]));
    if (d) { n += 1; worst = Math.max(worst, d); da.data[p] = 255; da.data[p + 1] = 0; da.data[p + 2] = 0; da.data[p + 3] = 255; }
  }
  xa.putImageData(da, 0, 0);
  return {pixels: n, total: da.data.length / 4, worst: worst, diff: ca.toDataURL('image/png')};
}"""


def compare(a: Path, b: Path) -> int:
    from playwright.sync_api import sync_playwright

    def url(path: Path) -> str:
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()

    changed = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        for left in sorted(a.glob("*.png")):
            if left.name.endswith(".diff.png"):
                continue
            right = b / left.name
            if not right.exists():
                print(f"{left.name}: missing in {b}")
                changed += 1
                continue
            if left.read_bytes() == right.read_bytes():
                print(f"{left.name}: identical")
                continue
            found = page.evaluate(_DIFF_JS, [url(left), url(right)])
            changed += 1
            if "size" in found:
                print(f"{left.name}: sizes differ {found['size']}")
                continue
            print(
                f"{left.name}: {found['pixels']:,} of {found['total']:,} pixels differ "
                f"(largest channel difference {found['worst']})"
            )
            diff = b / (left.stem + ".diff.png")
            diff.write_bytes(base64.b64decode(found["diff"].split(",", 1)[1]))
        browser.close()
    print(f"{changed} of {len([p for p in a.glob('*.png') if not p.name.endswith('.diff.png')])} differ")
    return changed


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "shoot":
        shoot(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(1 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 0)
    else:
        sys.exit(__doc__)
