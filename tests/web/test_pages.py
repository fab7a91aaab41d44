"""The HTML pages through plain form posts (the path without JavaScript) and the HTMX endpoints."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from clusterlab.report.report import charts_js

from .conftest import run_id_of, wait_for

SIZES = ["S", "M", "L", "XL"]


@pytest.fixture
def sized_table(mixed_table: pd.DataFrame) -> pd.DataFrame:
    """The mixed table plus 'size', a four-level category that follows the groups."""
    order = {"g1": "S", "g2": "L", "g3": "XL"}
    sizes = mixed_table["truth"].map(order).to_numpy().copy()
    sizes[::7] = "M"
    return mixed_table.assign(size=sizes)


def _upload(client, frame: pd.DataFrame, name: str = "shop.xlsx"):
    buffer = io.BytesIO()
    if name.endswith(".xlsx"):
        frame.to_excel(buffer, index=False, engine="xlsxwriter")
    else:
        buffer.write(frame.to_csv(index=False).encode())
    return client.post("/upload", files={"file": (name, buffer.getvalue())}, follow_redirects=False)


def _columns_page(client, run_id: str) -> str:
    wait_for(client, run_id)
    page = client.get(f"/runs/{run_id}/columns")
    assert page.status_code == 200
    return page.text


def _index(page: str, column: str) -> int:
    match = re.search(
        rf'<tr id="col-(\d+)"[^>]*>\s*<th[^>]*><span class="truncate">{re.escape(column)}</span>', page
    )
    assert match, f"no row for {column}"
    return int(match.group(1))


def test_the_whole_flow_without_javascript(client, sized_table) -> None:
    response = _upload(client, sized_table)
    assert response.status_code == 303
    run_id = run_id_of(response)
    assert response.headers["location"] == f"/runs/{run_id}/columns"

    page = _columns_page(client, run_id)
    assert "180</strong> rows" in page
    assert "C0001" in page  # the first rows
    truth = _index(page, "truth")
    region = _index(page, "region")
    size = _index(page, "size")

    # Step 2: mark the label and leave a column out, then continue to the ordering step
    response = client.post(
        f"/runs/{run_id}/columns",
        data={f"role_{truth}": "label", f"role_{region}": "excluded"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/runs/{run_id}/order"
    order_page = client.get(f"/runs/{run_id}/order").text
    assert "size" in order_page
    assert "plan" in order_page
    # The buttons say what happens (the page's CSS shows the pair that fits the switches).
    assert ">Continue with these orders<" in order_page
    assert ">Continue without ordering<" in order_page
    assert "Skip: no orders" not in order_page

    # Step 3: size in order by typed positions (levels are listed by frequency: read their indices)
    levels = re.findall(
        rf'name="rank_{size}_(\d+)" value="\d+">\s*<span class="level truncate" title="([^"]+)"', order_page
    )
    assert sorted(level for _, level in levels) == sorted(SIZES)
    form = {f"ordered_{size}": "yes"}
    form.update({f"rank_{size}_{j}": str(SIZES.index(level) + 1) for j, level in levels})
    response = client.post(f"/runs/{run_id}/order", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/runs/{run_id}/k"

    # Step 4: the sweep runs; the page then shows the recommendation and the charts
    done = wait_for(client, run_id)
    assert done["status"] == "done", done["error"]
    assert done["choices"]["ordinal"] == {"size": SIZES}
    k_page = client.get(f"/runs/{run_id}/k").text
    assert "Recommendation" in k_page
    assert 'class="chart' in k_page
    response = client.post(f"/runs/{run_id}/choose", data={"k": "3"}, follow_redirects=False)
    assert response.status_code == 303
    if response.headers["location"].endswith("/k"):  # 3 was not the recommendation: it is fitted first
        assert wait_for(client, run_id)["k"] == 3

    # Step 5: results and downloads
    results = client.get(f"/runs/{run_id}/results")
    assert results.status_code == 200
    assert "3 clusters in shop.xlsx" in results.text
    assert results.text.count('class="card cluster-card"') == 3
    assert "Clusters against the known groups (truth)" in results.text
    workbook = client.get(f"/runs/{run_id}/files/clustered.xlsx")
    assert workbook.status_code == 200
    assert 'filename="shop-clustered.xlsx"' in workbook.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(workbook.content), read_only=True)["Clustered Data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*sized_table.columns, "Cluster", "Cluster name", "Distance", "Outlier"]
    assert [r[0] for r in rows[1:]] == sized_table["customer_id"].tolist()


def test_a_role_change_is_checked_against_the_data_in_place(client, sized_table) -> None:
    run_id = run_id_of(_upload(client, sized_table))
    page = _columns_page(client, run_id)
    size = _index(page, "size")
    income = _index(page, "income")
    htmx = {"HX-Request": "true"}

    row = client.post(f"/runs/{run_id}/columns/{size}", data={f"role_{size}": "binary"}, headers=htmx)
    assert row.status_code == 200
    assert "cannot be binary: it has 4 different values" in row.text
    assert 'aria-invalid="true"' in row.text
    assert client.get(f"/api/runs/{run_id}").json()["choices"] == {}

    row = client.post(f"/runs/{run_id}/columns/{income}", data={f"role_{income}": "excluded"}, headers=htmx)
    assert "your choice" in row.text
    assert client.get(f"/api/runs/{run_id}").json()["choices"]["exclude"] == ["income"]
    row = client.post(f"/runs/{run_id}/columns/{income}", data={f"role_{income}": "numeric"}, headers=htmx)
    assert "your choice" not in row.text  # back to the detected role: the choice is gone
    assert client.get(f"/api/runs/{run_id}").json()["choices"]["exclude"] == []


def test_only_one_column_holds_the_known_groups(client, sized_table) -> None:
    run_id = run_id_of(_upload(client, sized_table))
    page = _columns_page(client, run_id)
    truth, plan = _index(page, "truth"), _index(page, "plan")
    htmx = {"HX-Request": "true"}
    client.post(f"/runs/{run_id}/columns/{truth}", data={f"role_{truth}": "label"}, headers=htmx)
    response = client.post(f"/runs/{run_id}/columns/{plan}", data={f"role_{plan}": "label"}, headers=htmx)
    assert response.headers.get("HX-Refresh") == "true"
    choices = client.get(f"/api/runs/{run_id}").json()["choices"]
    assert choices["label"] == "plan"


def test_an_order_missing_a_value_is_refused_with_the_core_message(client, sized_table) -> None:
    run_id = run_id_of(_upload(client, sized_table))
    page = _columns_page(client, run_id)
    size = _index(page, "size")
    client.post(f"/runs/{run_id}/columns", data={}, follow_redirects=False)
    order_page = client.get(f"/runs/{run_id}/order").text
    levels = re.findall(rf'name="rank_{size}_(\d+)"', order_page)
    form = {f"ordered_{size}": "yes", **{f"rank_{size}_{j}": "x" if j == levels[0] else "1" for j in levels}}
    response = client.post(f"/runs/{run_id}/order", data=form)
    assert response.status_code == 422
    assert "give every value a position number" in response.text


def test_bad_options_and_stray_fields_are_shown_on_the_page(client) -> None:
    run_id = run_id_of(client.post("/samples/iris", follow_redirects=False))
    wait_for(client, run_id)
    response = client.post(f"/runs/{run_id}/cluster", data={"k_min": "8", "k_max": "4"})
    assert response.status_code == 422
    assert (  # the options by their labels on the page, not as --k-min or k_min
        "&#39;Fewest clusters&#39; in Options (8) must not be above "
        "&#39;Most clusters&#39; in Options (4)." in response.text
    )
    assert "Traceback" not in response.text
    # Fields a form does not have are refused, in the settings table's words.
    response = client.post(f"/runs/{run_id}/cluster", data={"k_max": "8", "kmax": "4"})
    assert response.status_code == 422
    assert "Unknown setting &#39;kmax&#39;. Did you mean &#39;k_max&#39;?" in response.text
    response = client.post(f"/runs/{run_id}/columns", data={"role_0": "numeric", "colour_0": "red"})
    assert response.status_code == 422
    assert "Unknown setting &#39;colour_0&#39;." in response.text
    response = client.post("/login", data={"token": "x", "k_max": "4"})
    assert response.status_code == 422
    assert "This form has no field &#39;k_max&#39;." in response.text
    assert client.get(f"/api/runs/{run_id}").json()["settings"] == {}  # nothing was applied


def test_the_options_form_comes_from_the_settings_table(client) -> None:
    from clusterlab.core import SETTINGS

    run_id = run_id_of(client.post("/samples/iris", follow_redirects=False))
    wait_for(client, run_id)
    page = client.get(f"/runs/{run_id}/k").text
    for spec in SETTINGS:
        if spec.web and spec.name != "k":
            assert f'name="{spec.name}"' in page
    assert 'name="sheet"' not in page  # not a web setting


def test_a_bad_file_shows_its_message_on_the_upload_page(client) -> None:
    response = client.post("/upload", files={"file": ("budget.xlsx", b"a,b\n1,2\n")})
    assert response.status_code == 400
    assert "File &#39;budget.xlsx&#39; is not a valid .xlsx file" in response.text
    assert "<h1>That did not work</h1>" in response.text
    htmx = client.post(
        "/upload", files={"file": ("budget.xlsx", b"a,b\n1,2\n")}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 400
    assert htmx.headers["HX-Retarget"] == "#flash"
    assert 'class="alert alert-error"' in htmx.text


def test_a_file_that_cannot_be_read_says_why_on_step_2(client) -> None:
    response = client.post("/upload", files={"file": ("header only.csv", b"a,b,c\n")}, follow_redirects=False)
    run_id = run_id_of(response)
    status = wait_for(client, run_id)
    assert status["status"] == "failed"
    page = client.get(f"/runs/{run_id}/columns").text
    assert "This file could not be read." in page
    assert "has a header row but no data rows" in page
    # Reading it again would fail the same way: another file is what helps, here and in My runs.
    assert "Choose another file" in page
    assert "Try reading it again" not in page
    runs = client.get("/runs").text
    assert "Choose another file" in runs
    assert "Start again" not in runs


def test_a_run_that_fails_on_its_columns_offers_other_columns_not_the_same_again(client) -> None:
    csv = b"a,b\n" + b"".join(f"{i},{i % 7}\n".encode() for i in range(40))
    run_id = run_id_of(client.post("/upload", files={"file": ("two.csv", csv)}, follow_redirects=False))
    wait_for(client, run_id)
    client.post(f"/runs/{run_id}/columns", data={"role_0": "excluded", "role_1": "excluded"})
    status = wait_for(client, run_id)
    assert status["status"] == "failed"
    page = client.get(f"/runs/{run_id}/k").text
    assert "Change the columns" in page
    assert "Start again" not in page
    assert "Start again" not in client.get("/runs").text


def test_other_browsers_get_a_friendly_404(make_client) -> None:
    alice = make_client()
    run_id = run_id_of(alice.post("/samples/iris", follow_redirects=False))
    bob = make_client(data_dir=alice.app.state.clusterlab.config.data_dir)
    for url in (f"/runs/{run_id}/columns", f"/runs/{run_id}/results", f"/runs/{run_id}/files/clustered.csv"):
        page = bob.get(url)
        assert page.status_code == 404
        assert "another browser" in page.text
        main = page.text[page.text.index("<main") : page.text.index("</main>")]
        assert main.count("Not found") == 1  # the heading, not a label repeating it
        assert "Traceback" not in page.text
    assert bob.post(f"/runs/{run_id}/delete").status_code == 404
    assert alice.get(f"/runs/{run_id}/columns").status_code == 200


def test_long_column_names_show_where_they_differ(client) -> None:
    import html

    spend = [
        f"Average monthly spend on product category number {i} during the last fiscal year (EUR)"
        for i in (1, 2, 3)
    ]
    options = [f"Preferred delivery option for region {i} as chosen in the customer survey" for i in (7, 14)]
    levels = ["Standard", "Express", "Pick-up point", "Locker"]
    frame = pd.DataFrame(
        {
            **{name: [float(10 * i + j) for j in range(40)] for i, name in enumerate(spend)},
            **{name: [levels[(j + i) % 4] for j in range(40)] for i, name in enumerate(options)},
        }
    )
    run_id = run_id_of(_upload(client, frame, "wide.csv"))
    page = html.unescape(_columns_page(client, run_id))
    headers = re.findall(r'<th scope="col" title="([^"]+)"><span class="truncate">([^<]+)</span>', page)
    assert [label for _, label in headers] == [
        "…number 1 during…",
        "…number 2 during…",
        "…number 3 during…",
        "…region 7 as…",
        "…region 14 as…",
    ]
    assert [full for full, _ in headers] == spend + options  # the whole name is the tooltip
    order = html.unescape(client.get(f"/runs/{run_id}/order").text)
    legends = re.findall(r'<legend title="([^"]+)"><span class="order-name truncate">([^<]+)</span>', order)
    assert legends == [(options[0], "…region 7 as…"), (options[1], "…region 14 as…")]
    assert order.count('<p class="order-full-name muted small">') == 2  # and readable on a phone


def test_my_runs_lists_only_my_runs(make_client) -> None:
    alice = make_client()
    run_id = run_id_of(alice.post("/samples/wine", follow_redirects=False))
    wait_for(alice, run_id)
    page = alice.get("/runs").text
    assert "wine.csv" in page
    bob = make_client(data_dir=alice.app.state.clusterlab.config.data_dir)
    assert "No runs yet" in bob.get("/runs").text


def test_every_page_has_the_security_headers_and_local_assets(client) -> None:
    page = client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "http://" not in page.text and "https://" not in page.text  # noqa: PT018 - one idea: no remote URL
    assert client.get("/static-lib/plotly.min.js").status_code == 200
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    # The chart script is report.html's own file (it inlines it), served here as it is.
    charts = client.get("/static-lib/charts.js")
    assert charts.status_code == 200
    assert charts.headers["content-type"].startswith("text/javascript")
    assert charts.text == charts_js()


def test_results_show_the_cores_words_and_offer_the_report(client) -> None:
    import html

    run_id = run_id_of(client.post("/samples/customers", follow_redirects=False))
    wait_for(client, run_id)
    client.post(f"/runs/{run_id}/columns", data={}, follow_redirects=False)
    client.post(f"/runs/{run_id}/order", data={"skip": "1"}, follow_redirects=False)
    done = wait_for(client, run_id)
    assert done["status"] == "done", done["error"]
    page = client.get(f"/runs/{run_id}/results").text
    text = html.unescape(page)
    for cluster in done["summary"]["clusters"]:  # summary.json: what report.html and the workbook say
        assert f"Cluster {cluster['cluster']} · {cluster['name']}" in text
        assert cluster["traits"][1:] in text
        for feature in cluster["distinguishing"]:
            assert feature["text"].rsplit(" (", 1)[0][1:] in text
    outliers = done["summary"]["outliers"]
    assert f"<strong>{outliers['count']}</strong> outlier row" in page
    assert outliers["rule"]["text"] in text  # the count says its rule (the far fence by default)
    # And so does the key number, which says which rows are flagged for a far-out value instead.
    fence = outliers["count"] - outliers["far_out"]
    key = (
        "beyond the far fence"
        if fence == outliers["count"]
        else "with a far-out value"
        if fence == 0
        else f"{fence} beyond the far fence, "
    )
    assert re.search(rf"\(\d+(\.\d+)?%, {key}", text), key
    for row in outliers["top"][:3]:
        assert f'<td class="num">{row["row"]}</td>' in page

    assert f'href="/runs/{run_id}/files/report.html"' in page
    assert f'href="/runs/{run_id}/report"' in page
    # The downloads name each file once, and `code` is shown as code.
    downloads = page[
        page.index('id="downloads-title"') : page.index("</section>", page.index('id="downloads-title"'))
    ]
    for name in ("clustered.xlsx", "clustered.csv", "report.html", "model.json", "summary.json"):
        assert downloads.count(f">{name}<") == 1, name
        assert html.unescape(re.sub(r"<[^>]+>", " ", downloads)).count(name) == 1, name
    assert "`" not in downloads
    assert "<code>clusterlab assign</code>" in downloads
    download = client.get(f"/runs/{run_id}/files/report.html")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert 'filename="customers-report.html"' in download.headers["content-disposition"]
    assert download.text.startswith("<!DOCTYPE html>")
    inline = client.get(f"/runs/{run_id}/report")
    assert inline.status_code == 200
    assert inline.headers["content-type"].startswith("text/html")
    assert inline.headers["content-disposition"].startswith("inline")
    csp = inline.headers["content-security-policy"]
    assert csp.startswith("sandbox allow-scripts")  # inline scripts run, in an origin of their own
    assert "default-src 'none'" in csp
    assert "allow-same-origin" not in csp
    # Read in the app it links the app's Plotly, by its full URL, the one script it may load; the
    # download keeps Plotly inlined and opens offline.
    assert "script-src 'unsafe-inline' http://testserver/static-lib/plotly.min.js;" in csp
    assert '<script src="/static-lib/plotly.min.js"></script>' in inline.text
    assert '<script src="' not in download.text
    assert len(download.text) - len(inline.text) > 3_000_000
    assert inline.text.replace('<script src="/static-lib/plotly.min.js"></script>', "") == re.sub(
        r'<script data-library="plotly">.*?</script>', "", download.text, flags=re.DOTALL
    )
    # Every other page keeps scripts from this server only: the charts are drawn by the linked
    # chart script, the page holds data only.
    results = client.get(f"/runs/{run_id}/results")
    assert results.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self';")
    assert '<script src="/static-lib/charts.js' in results.text
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", results.text):
        assert 'type="application/json"' in tag, tag


def test_the_report_of_another_browser_or_before_a_result_is_not_found(make_client) -> None:
    alice = make_client()
    run_id = run_id_of(alice.post("/samples/iris", follow_redirects=False))
    wait_for(alice, run_id)
    response = alice.get(f"/runs/{run_id}/report")  # read, not clustered yet: no result
    assert response.status_code == 404
    assert "no file called &#39;report.html&#39;" in response.text
    bob = make_client(data_dir=alice.app.state.clusterlab.config.data_dir)
    assert bob.get(f"/runs/{run_id}/report").status_code == 404


def test_results_saved_by_an_earlier_version_can_be_made_again(client) -> None:
    import json

    run_id = client.post("/api/runs", data={"sample": "iris", "k": "3"}).json()["id"]
    wait_for(client, run_id)
    store = client.app.state.clusterlab.store
    view_path = store.result_dir(store.get(run_id)) / "view.json"
    old = json.loads(view_path.read_text(encoding="utf-8"))
    old.pop("version")
    old["clusters"] = [{"number": 1, "headline": "an older shape"}]
    view_path.write_text(json.dumps(old), encoding="utf-8")

    page = client.get(f"/runs/{run_id}/results")
    assert page.status_code == 200
    assert "made by an earlier version of ClusterLab" in page.text
    assert f'href="/runs/{run_id}/files/clustered.xlsx"' in page.text  # its files are still there
    assert client.get(f"/runs/{run_id}/k").status_code == 200
    response = client.post(f"/runs/{run_id}/restart", follow_redirects=False)
    assert response.headers["location"] == f"/runs/{run_id}/k"
    done = wait_for(client, run_id)
    assert done["status"] == "done", done["error"]
    assert done["k"] == 3
    again = client.get(f"/runs/{run_id}/results").text
    assert again.count('class="card cluster-card"') == 3


def test_your_data_names_data_problems_and_offers_codes_as_a_category(client, rng) -> None:
    spend = rng.gamma(2.0, 10.0, 120).round(1)
    spend[40] = 9_899_999.0  # a typo far outside the rest, in the 41st row
    table = pd.DataFrame(
        {"Region": [1, 2, 3] * 40, "spend": spend, "visits": rng.normal(10, 2, 120).round(1)}
    )
    run_id = run_id_of(_upload(client, table, "shop.csv"))
    page = _columns_page(client, run_id)
    region, spend_at = _index(page, "Region"), _index(page, "spend")
    row = page[page.index(f'id="col-{spend_at}"') :]
    row = row[: row.index("</tr>")]
    assert "far outside the rest (row 41: 9,899,999)" in row  # said in the row, before any run
    assert (
        '&#39;Far-out values&#39; set to &#39;use them as they are&#39; in <a href="#options">Options</a>'
        in row
    )
    assert f'href="#col-{spend_at}">spend</a>' in page  # and linked from the top
    assert "3 different whole numbers, 1 to 3: codes rather than amounts?" in page
    assert '<span class="pill pill-ok" id="used-count" aria-live="polite">3 of 3 used</span>' in page

    # One click: Region becomes a category; the row and "3 of 3 used" come back together.
    htmx = {"HX-Request": "true"}
    answer = client.post(
        f"/runs/{run_id}/columns/{region}",
        data={f"role_{region}": "numeric", "role": "categorical"},
        headers=htmx,
    )
    assert "your choice" in answer.text
    assert "codes rather than amounts" not in answer.text
    assert client.get(f"/api/runs/{run_id}").json()["choices"]["roles"] == {"Region": "categorical"}
    # Leaving a column out counts one fewer, in the same answer (out of band).
    answer = client.post(
        f"/runs/{run_id}/columns/{spend_at}", data={f"role_{spend_at}": "excluded"}, headers=htmx
    )
    assert re.search(r'id="used-count"[^>]*hx-swap-oob="true"[^>]*>2 of 3 used<', answer.text)
    assert "far outside the rest" not in answer.text  # left out: its check no longer applies
    # Without the page's script the button sends the whole form and the page comes back.
    plain = client.post(f"/runs/{run_id}/columns/{region}", data={"role": "numeric"}, follow_redirects=False)
    assert plain.status_code == 303
    assert plain.headers["location"] == f"/runs/{run_id}/columns"


def test_many_categories_can_be_left_unordered_from_the_top_of_the_page(client, rng) -> None:
    n = 90
    table = pd.DataFrame(
        {name: rng.choice(["a", "b", "c"], n) for name in ("colour", "shape", "taste")}
        | {"weight": rng.normal(5, 1, n)}
    )
    run_id = run_id_of(_upload(client, table))
    _columns_page(client, run_id)
    answer = client.post(f"/runs/{run_id}/columns", data={}, follow_redirects=False)
    assert answer.headers["location"] == f"/runs/{run_id}/order"
    page = client.get(f"/runs/{run_id}/order").text
    head = page[page.index('class="page-head"') : page.index('id="order-form"')]
    assert 'form="order-form" name="skip" value="1"' in head  # before the three columns, not after
    answer = client.post(f"/runs/{run_id}/order", data={"skip": "1"}, follow_redirects=False)
    assert answer.headers["location"] == f"/runs/{run_id}/k"


def test_with_many_columns_to_check_each_row_shows_the_first_words(client, rng) -> None:
    table = pd.DataFrame({f"x{i}": rng.normal(10, 1, 100).round(2) for i in range(5)})
    for i in range(4):
        table.loc[i, f"x{i}"] = 9_999_999.0  # four columns with a far-out cell
    run_id = run_id_of(_upload(client, table, "many.csv"))
    page = _columns_page(client, run_id)
    folded = re.findall(r'<details class="col-check small is-warning">\s*<summary>([^<]+)</summary>', page)
    assert folded == ["1 value(s) far outside the rest"] * 4  # closed, the full note inside
    assert "row 1: 9,999,999" in page


def test_the_choose_k_page_says_when_the_k_range_grew(client) -> None:
    # Issue 14: the k range grew past k_max silently while the pages promised k_min..k_max.
    from tests.conftest import make_blob_table

    centres = [(x, y) for x in range(0, 30, 10) for y in range(0, 20, 10)]  # six tight blobs
    frame, _ = make_blob_table(20, centres, cluster_std=0.6, seed=3, columns=["a", "b"])
    response = client.post(
        "/api/runs",
        files={"file": ("blobs.csv", frame.to_csv(index=False).encode(), "text/csv")},
        data={"k_max": "3", "k_limit": "8", "resamples": "0"},
    )
    done = wait_for(client, response.json()["id"])
    assert done["status"] == "done", done["error"]
    top = max(row["k"] for row in done["summary"]["k_selection"])
    assert top > 3
    page = client.get(f"/runs/{done['id']}/k").text
    note = re.search(r'<p class="alert alert-info k-range-note" role="note">(.*?)</p>', page, re.S)
    assert note is not None
    words = note.group(1).replace("&#39;", "'")
    assert words.startswith(f"Tried k = 2 to {top}, not only 2 to 3: the criteria still improved at k = 3")
    assert "set '" in words
    assert "' set to '3' in Options." in words


def test_a_whole_number_column_made_a_category_lists_its_values_by_value(client) -> None:
    # Issue 14: a whole-number column with an empty cell (so read as 0.0, 1.0...) turned into a
    # category listed 1.0, 4.0, 0.0 in Order categories (commonest first), and an order given in
    # those words was refused: the core knows the levels as 0, 1, 4.
    kids = ([1.0] * 8 + [4.0] * 5 + [0.0] * 4 + [2.0] * 3) * 3
    frame = pd.DataFrame({"spend": [float(i % 7) for i in range(60)], "kids": kids})
    frame.loc[5, "kids"] = None
    run_id = run_id_of(_upload(client, frame, "kids.csv"))
    page = _columns_page(client, run_id)
    column = _index(page, "kids")
    response = client.post(
        f"/runs/{run_id}/columns", data={f"role_{column}": "categorical"}, follow_redirects=False
    )
    assert response.headers["location"] == f"/runs/{run_id}/order"
    order_page = client.get(f"/runs/{run_id}/order").text
    levels = re.findall(
        rf'name="rank_{column}_(\d+)" value="\d+">\s*<span class="level truncate" title="([^"]+)"', order_page
    )
    assert [level for _, level in levels] == ["0", "1", "2", "4"]
    form = {f"ordered_{column}": "yes"} | {f"rank_{column}_{j}": str(p) for p, (j, _) in enumerate(levels, 1)}
    response = client.post(f"/runs/{run_id}/order", data=form, follow_redirects=False)
    assert response.headers["location"] == f"/runs/{run_id}/k"
    done = wait_for(client, run_id)
    assert done["status"] == "done", done["error"]
    assert done["choices"]["ordinal"] == {"kids": ["0", "1", "2", "4"]}


def test_the_choose_k_page_shows_the_methods_side_by_side(client) -> None:
    # Issue 12, item 5: one small map per method, its facts, the agreement table and the words.
    from tests.conftest import make_blob_table

    frame, _ = make_blob_table(40, 3, cluster_std=0.8, seed=4, columns=["a", "b"])
    response = client.post(
        "/api/runs",
        files={"file": ("blobs.csv", frame.to_csv(index=False).encode(), "text/csv")},
        data={"k_max": "5", "resamples": "0", "method": "kmedoids"},
    )
    done = wait_for(client, response.json()["id"])
    assert done["status"] == "done", done["error"]
    assert done["summary"]["method_comparison"]["chosen"] == "kmedoids"
    page = client.get(f"/runs/{done['id']}/k").text
    section = re.search(r'<section class="card methods-side" id="methods".*?</section>', page, re.S)
    assert section is not None
    html = section.group(0)
    maps = re.findall(r'<div class="method-map( is-used)?" data-method="(\w+)">', html)
    assert [name for _, name in maps] == ["kmedoids", "kmeans", "gmm", "hierarchical", "hdbscan"]
    assert [bool(used) for used, _ in maps] == [True, False, False, False, False]
    assert html.count("data-chart") == 5
    assert "Used: K-Medoids, the method this run was asked for." in html
    # Three far-apart blobs: the methods at k = 3 all draw them, so K-Medoids agrees with K-Means.
    assert "K-Medoids, K-Means" in html
    assert "draw nearly the same clusters" in html
    assert len(re.findall(r'<td class="num[^"]*is-self', html)) == 5
