"""Errors: one JSON shape for the API, friendly pages otherwise, never a traceback."""

from __future__ import annotations

import re

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


def test_a_core_message_names_controls_in_the_words_of_each_face(broken) -> None:
    @broken.app.get("/api/fix")
    @broken.app.get("/fix")
    def fix() -> None:
        raise InputError('Too skewed. Turn off with {heavy_tails="keep"}.', detail={"column": "spend"})

    api = broken.get("/api/fix").json()
    assert api == {"error": "Too skewed. Turn off with heavy_tails=keep.", "detail": {"column": "spend"}}
    page = broken.get("/fix").text
    assert (
        "Turn off with &#39;Long-tailed amounts&#39; set to &#39;keep them as they are&#39; in Options."
        in page
    )


@pytest.mark.parametrize(
    ("content", "headers", "match"),
    [
        # Starlette's own words were "Missing boundary in multipart."
        (
            b"xx",
            {"content-type": "multipart/form-data"},
            "its Content-Type is multipart/form-data but names no",
        ),
        (  # a form cut before its closing boundary lost its file quietly: "send a file in the 'file' field"
            b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\n\r\na,b\n1,2\n3,',
            {"content-type": "multipart/form-data; boundary=XyZ"},
            r"The upload was cut short: the form data ended after 8\d bytes without its closing boundary",
        ),
        (b'{"sample": "iris"}', {"content-type": "application/json"}, "takes form fields, not JSON"),
    ],
)
def test_broken_forms_are_answered_in_our_words(client, content: bytes, headers: dict, match: str) -> None:
    response = client.post("/api/runs", content=content, headers=headers)
    assert 400 <= response.status_code < 500
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert re.search(match, body["error"]), body["error"]


def test_a_field_over_the_parsers_part_limit_is_named(client) -> None:
    # Starlette's words were "Part exceeded maximum size of 1024KB."
    response = client.post("/api/runs", data={"sample": "iris", "label": "x" * 2_000_000})
    assert response.status_code == 400
    assert response.json()["error"].startswith("A form field other than the file holds more than 1,024 kB")


def test_a_file_and_a_sample_together_are_refused(client) -> None:
    response = client.post("/api/runs", data={"sample": "iris"}, files={"file": ("a.csv", b"a,b\n1,2\n")})
    assert response.status_code == 422
    assert response.json()["error"] == (
        "Send either a file or a sample, not both: the request holds the file 'a.csv' and the sample 'iris'."
    )
