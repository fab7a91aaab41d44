"""Pages name the control on the page, never a command-line flag (issue 14.3).

A run whose notes name controls (heavy tails log-scaled, a far-out cell clipped, the weight of a
category) is walked through every page; the text a person reads must hold no "--flag".
"""

from __future__ import annotations

import html
import io
import re

import numpy as np
import pandas as pd

from .conftest import run_id_of, wait_for

FLAG = re.compile(r"(?<![\w-])--[a-z]")


def _read_text(page: str) -> str:
    """What a person reads: the page without its scripts, styles and tags (attributes such as titles
    and hints kept), entities decoded."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>|<!--.*?-->", " ", page)
    shown = re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + " ".join(shown)))


def test_no_page_of_a_run_with_notes_names_a_command_line_flag(client) -> None:
    rng = np.random.default_rng(7)
    n = 150
    spend = rng.gamma(1.0, 200.0, n).round(2)  # long-tailed: log-scaled
    visits = rng.normal(20, 3, n).round(1)
    visits[10] = 9_899_999.0  # far outside the rest: clipped
    table = pd.DataFrame(
        {
            "spend": spend,
            "visits": visits,
            "plan": rng.choice(["Basic", "Plus", "Premium"], n),  # a category: its weight is said
            "Region": [1, 2, 3] * (n // 3),
            "score": [str(v) for v in rng.integers(0, 50, n - 20)] + ["none", "n/a", "?", "zero"] * 5,
        }
    )
    buffer = io.BytesIO(table.to_csv(index=False).encode())
    run_id = run_id_of(
        client.post("/upload", files={"file": ("notes.csv", buffer.getvalue())}, follow_redirects=False)
    )
    wait_for(client, run_id)
    pages = {"columns": client.get(f"/runs/{run_id}/columns").text}
    assert "far outside the rest" in pages["columns"]  # the notes are there to be read

    answer = client.post(f"/runs/{run_id}/columns", data={}, follow_redirects=False)
    if answer.headers["location"].endswith("/order"):  # plan has three values: ordering is offered
        pages["order"] = client.get(f"/runs/{run_id}/order").text
        client.post(f"/runs/{run_id}/order", data={"skip": "yes"}, follow_redirects=False)
    done = wait_for(client, run_id)
    assert done["status"] == "done", done["error"]
    pages["k"] = client.get(f"/runs/{run_id}/k").text
    client.post(f"/runs/{run_id}/choose", data={"k": "3"}, follow_redirects=False)
    assert wait_for(client, run_id)["status"] == "done"
    pages["results"] = client.get(f"/runs/{run_id}/results").text
    pages["runs"] = client.get("/runs").text
    results = _read_text(pages["results"])
    for said in (
        "log-scaled",
        "far outside the rest",
        "weighted by how far the other columns agree with them",
    ):
        assert said in results, said
    assert "'Long-tailed amounts' set to 'keep them as they are' in Options" in results
    # "in Options" on the results page leads to them, on "Choose k", where they open.
    assert f'in <a href="/runs/{run_id}/k#options">Options</a>' in pages["results"]
    assert '<details class="disclosure" id="options"' in pages["k"]

    for name, page in pages.items():
        found = FLAG.findall(_read_text(page))
        assert not found, f"{name} page names a flag: {found}"


def test_the_flag_test_catches_a_flag() -> None:
    assert FLAG.findall(_read_text("<p>Turn off with --outliers keep.</p><style>a{--x:1}</style>")) == ["--o"]
    assert FLAG.findall(_read_text('<span title="use --heavy-tails keep">x</span>')) == ["--h"]


def test_a_note_naming_an_option_links_to_the_options() -> None:
    from clusterlab.web.app import options_link

    linked = options_link("Turn off with 'Far-out values' set to 'keep' in Options <b>.", "/runs/x/k#options")
    assert str(linked) == (
        "Turn off with &#39;Far-out values&#39; set to &#39;keep&#39; in "
        '<a href="/runs/x/k#options">Options</a> &lt;b&gt;.'
    )
