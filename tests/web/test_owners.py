"""Owners in a signed HttpOnly cookie; the optional access token for a shared deployment."""

from __future__ import annotations

from clusterlab.web.owners import OWNER_COOKIE


def test_a_new_browser_gets_a_signed_httponly_cookie(client) -> None:
    response = client.get("/")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{OWNER_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "." in cookie.split(";")[0]  # value.signature
    again = client.get("/")
    assert "set-cookie" not in again.headers  # the cookie is kept, not renewed


def test_a_tampered_cookie_is_a_new_anonymous_owner(make_client) -> None:
    alice = make_client()
    run_id = alice.post("/api/runs", data={"sample": "iris"}).json()["id"]
    value = alice.cookies[OWNER_COOKIE]
    forged = make_client(data_dir=alice.app.state.clusterlab.config.data_dir)
    forged.cookies.set(OWNER_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert forged.get(f"/api/runs/{run_id}").status_code == 404


def test_owners_keep_their_runs_across_restarts(make_client, tmp_path) -> None:
    first = make_client(data_dir=tmp_path / "kept")
    run_id = first.post("/api/runs", data={"sample": "iris"}).json()["id"]
    cookie = first.cookies[OWNER_COOKIE]
    second = make_client(data_dir=tmp_path / "kept")  # a new app: same data folder, same signing key
    second.cookies.set(OWNER_COOKIE, cookie)
    assert second.get(f"/api/runs/{run_id}").status_code == 200


def test_an_access_token_guards_pages_and_api(make_client) -> None:
    client = make_client(access_token="s3cret")
    page = client.get("/runs", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fruns"
    api = client.get("/api/runs")
    assert api.status_code == 401
    assert set(api.json()) == {"error", "detail"}
    assert client.get("/static/app.css").status_code == 200  # assets stay reachable
    # ... Plotly too: report.html read in the app loads it from a sandbox, which sends no cookie.
    client.cookies.clear()
    plotly = client.get("/static-lib/plotly.min.js")
    assert plotly.status_code == 200
    assert "set-cookie" not in plotly.headers
    assert client.get("/api/runs", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/api/runs", headers={"Authorization": "Bearer wrong"}).status_code == 401

    wrong = client.post("/login", data={"token": "nope", "next": "/runs"}, follow_redirects=False)
    assert wrong.status_code == 401
    assert "not the access token" in wrong.text
    right = client.post("/login", data={"token": "s3cret", "next": "/runs"}, follow_redirects=False)
    assert right.status_code == 303
    assert right.headers["location"] == "/runs"
    assert "HttpOnly" in right.headers["set-cookie"]
    assert client.get("/runs").status_code == 200


def test_login_only_redirects_within_the_site(make_client) -> None:
    client = make_client(access_token="s3cret")
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post("/login", data={"token": "s3cret", "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"


def test_changing_the_token_signs_everyone_out(make_client, tmp_path) -> None:
    first = make_client(data_dir=tmp_path / "d", access_token="old")
    first.post("/login", data={"token": "old"}, follow_redirects=False)
    assert first.get("/api/runs").status_code == 200
    second = make_client(data_dir=tmp_path / "d", access_token="new")
    for name, value in first.cookies.items():
        second.cookies.set(name, value)
    assert second.get("/api/runs").status_code == 401
