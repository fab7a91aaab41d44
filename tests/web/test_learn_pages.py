"""The Learn pages without a browser: every page and its controls, errors in our words, the lesson
on the browser's own run (from the learn.json its job saved), and nobody else's run."""

from __future__ import annotations

import html
import json
import re

import pytest

from .conftest import run_id_of, wait_for

LESSONS = ["/learn", "/learn/kmeans", "/learn/choose-k", "/learn/limits", "/learn/people"]


def _finished_iris(client) -> str:
    run_id = run_id_of(client.post("/samples/iris", follow_redirects=False))
    wait_for(client, run_id)
    client.post(f"/runs/{run_id}/columns", data={}, follow_redirects=False)
    assert wait_for(client, run_id)["status"] == "done"
    return run_id


def test_learn_is_in_the_menu_of_every_page_and_links_each_lesson(client) -> None:
    for path in ["/", "/runs", *LESSONS]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert '<a href="/learn"' in page.text, path
    index = client.get("/learn").text
    for path in LESSONS[1:]:
        assert f'href="{path}"' in index
    # The use cases are runs of bundled samples, one click away (a form posting to the sample).
    assert 'action="/samples/customers"' in index


def test_the_controls_change_the_lesson(client) -> None:
    good = client.get("/learn/kmeans?start=k-means%2B%2B&clusters=3&k=3&separation=6").text
    bad = client.get("/learn/kmeans?start=bad&clusters=3&k=3&separation=6").text
    assert "spread out by k-means++" in good
    assert "all in one corner" in bad
    table = json.loads(re.search(r'data-role="table">(.*?)</script>', bad).group(1))
    assert table["k"] == 3
    assert len(table["rows"]) == 120
    assert all(len(d) == 3 for d in table["steps"][0]["d"])
    five = client.get("/learn/kmeans?k=5").text
    assert five.count("Centre 5</th>") == 1


def test_choose_k_follows_the_separation(client) -> None:
    clear = client.get("/learn/choose-k?clusters=3&separation=8").text
    one = client.get("/learn/choose-k?clusters=1").text
    assert "Strong confidence" in clear
    assert "No clear structure" in one


def test_limits_shows_five_methods_and_a_dendrogram(client) -> None:
    page = client.get("/learn/limits?shape=moons&k=2").text
    assert page.count('class="learn-method"') == 5
    assert "dendrogram" in page
    assert "Two interlocking half-moons" in page


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("k=99", 422, "'k': Input should be less than or equal to 30"),
        ("start=middle", 422, "'start': Input should be 'k-means++', 'random' or 'bad'"),
        ("points=5&clusters=1&k=6", 400, "k = 6 is more than the playground's 5 points"),
        ("run=not-a-run", 404, "There is no run at this address"),
    ],
)
def test_bad_controls_say_what_to_change(client, query: str, status: int, words: str) -> None:
    page = client.get(f"/learn/kmeans?{query}")
    assert page.status_code == status
    assert words in html.unescape(page.text)


def test_a_lesson_on_your_own_run_and_not_on_anyone_elses(make_client) -> None:
    alice, bob = make_client(), make_client()
    run_id = _finished_iris(alice)
    assert f'href="/learn/kmeans?run={run_id}"' in alice.get(f"/runs/{run_id}/results").text
    kmeans = alice.get(f"/learn/kmeans?run={run_id}")
    assert kmeans.status_code == 200
    assert "rows of iris.csv" in kmeans.text
    assert 'name="points"' not in kmeans.text  # the playground's controls give way to the run
    k = wait_for(alice, run_id)["k"]
    assert f"{k} centres on 150 rows of iris.csv" in kmeans.text
    # Switching from the playground keeps the run's k; once on the run, the k asked for.
    switched = alice.get(f"/learn/kmeans?run={run_id}&on=&k=7").text
    assert f"{k} centres on 150 rows" in switched
    assert "7 centres on 150 rows" in alice.get(f"/learn/kmeans?run={run_id}&on={run_id}&k=7").text
    choose = alice.get(f"/learn/choose-k?run={run_id}").text
    assert "Your run: iris.csv" in choose
    assert alice.get(f"/learn/limits?run={run_id}").text.count('class="learn-method"') == 5
    assert f'value="{run_id}"' in alice.get("/learn/kmeans").text  # offered in the run picker
    assert bob.get(f"/learn/kmeans?run={run_id}").status_code == 404
    assert f'value="{run_id}"' not in bob.get("/learn/kmeans").text


def test_learn_is_behind_the_access_token_like_every_page(make_client) -> None:
    client = make_client(access_token="s3cret")
    for path in LESSONS:
        page = client.get(path, follow_redirects=False)
        assert page.status_code == 303, path
        assert page.headers["location"].startswith("/login?next=")
    assert client.get("/static/learn.js").status_code == 200  # assets stay reachable, as app.js
    client.post("/login", data={"token": "s3cret", "next": "/learn"}, follow_redirects=False)
    assert client.get("/learn/kmeans").status_code == 200
