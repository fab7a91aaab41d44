"""Errors: one JSON shape for the API, friendly pages otherwise, never a traceback."""

from __future__ import annotations

import pytest

from clusterlab.core import InputError


@pytest.fixture
def broken(client):
    """Routes that fail on purpose, added to the running app."""

    @client.app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @client.app.get("/boom")
    def page_boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @client.app.get("/api/input")
    def api_input() -> None:
        raise InputError("Column 'income' has 3 texts.", detail={"column": "income"})

    return client


def test_unexpected_errors_answer_without_a_traceback(broken) -> None:
    api = broken.get("/api/boom")
    assert api.status_code == 500
    body = api.json()
    assert set(body) == {"error", "detail"}
    assert "logged with reference" in body["error"]
    assert "secret internals" not in api.text
    page = broken.get("/boom")
    assert page.status_code == 500
    assert "Something went wrong" in page.text
    assert "secret internals" not in page.text
    assert "Traceback" not in page.text


def test_core_errors_keep_their_message_and_detail(broken) -> None:
    response = broken.get("/api/input")
    assert response.status_code == 400
    assert response.json() == {"error": "Column 'income' has 3 texts.", "detail": {"column": "income"}}


def test_unknown_pages_get_a_friendly_404(client) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "There is no page at /no/such/page." in page.text
    assert 'href="/"' in page.text


def test_malformed_requests_get_the_error_shape(client) -> None:
    response = client.post(
        "/api/runs", content=b"not a form", headers={"content-type": "multipart/form-data"}
    )
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"error", "detail"}
