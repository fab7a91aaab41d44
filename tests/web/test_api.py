"""The JSON API: runs from a file or a sample, status and summary, downloads, one error shape."""

from __future__ import annotations

import io
import json
import time

import pandas as pd
import pytest

from .conftest import wait_for


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _deep(levels: int) -> str:
    """A JSON array nested ``levels`` deep: [[[...]]]."""
    return "[" * levels + "]" * levels


def test_a_sample_run_finishes_with_summary_and_files(client) -> None:
    response = client.post("/api/runs", data={"sample": "iris", "label": "species", "k": "3"})
    assert response.status_code == 202
    body = response.json()
    assert response.headers["location"] == f"/api/runs/{body['id']}"
    assert len(body["id"]) >= 20  # 128 random bits, URL-safe
    done = wait_for(client, body["id"])
    assert done["status"] == "done", done["error"]
    assert done["k"] == 3
    assert done["summary"]["n_rows"] == 150
    assert done["summary"]["evaluation"]["ari"] > 0.5
    names = {f["name"] for f in done["files"]}
    assert {"clustered.xlsx", "clustered.csv", "model.json", "summary.json"} <= names
    csv = client.get(f"/api/runs/{body['id']}/files/clustered.csv")
    assert csv.status_code == 200
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert len(frame) == 150
    assert sorted(frame["Cluster"].unique().tolist()) == [1, 2, 3]


def test_an_uploaded_file_keeps_every_row_in_order(client, mixed_table) -> None:
    response = client.post(
        "/api/runs",
        files={"file": ("customers.csv", _csv(mixed_table), "text/csv")},
        data={
            "label": "truth",
            "exclude": "region",
            "ordinal": json.dumps({"plan": ["Basic", "Plus", "Premium"]}),
            "k": "3",
        },
    )
    assert response.status_code == 202, response.text
    done = wait_for(client, response.json()["id"])
    assert done["status"] == "done", done["error"]
    assert done["choices"]["exclude"] == ["region"]
    roles = {c["name"]: c["role"] for c in done["summary"]["columns"]}
    assert roles["plan"] == "ordinal"
    assert roles["region"] == "excluded"
    csv = client.get(f"/api/runs/{done['id']}/files/clustered.csv")
    out = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert out["customer_id"].tolist() == mixed_table["customer_id"].tolist()
    assert done["summary"]["evaluation"]["ari"] > 0.9


def test_a_bad_column_choice_fails_the_run_with_the_core_message(client, mixed_table) -> None:
    response = client.post(
        "/api/runs",
        files={"file": ("customers.csv", _csv(mixed_table), "text/csv")},
        data={"label": "trut"},
    )
    done = wait_for(client, response.json()["id"])
    assert done["status"] == "failed"
    # In the API's words: the field, not the CLI's flag (--label) nor the page's "Known groups".
    assert done["error"]["error"] == "Column 'trut' given in label is not in the file. Did you mean 'truth'?"
    assert done["error"]["detail"]["column"] == "trut"


@pytest.mark.parametrize(
    ("data", "files", "status", "match"),
    [
        ({}, None, 400, "Send a file in the 'file' field"),
        ({"sample": "nope"}, None, 422, "no sample 'nope'"),
        ({"sample": "iris", "kmax": "5"}, None, 422, "Unknown setting 'kmax'. Did you mean 'k_max'"),
        (
            {"sample": "iris", "k_max": "ten"},
            None,
            422,
            "k_max must be a whole number from 2 to 200",
        ),
        ({"sample": "iris", "distance": "cosine"}, None, 422, "distance must be one of 'auto', 'euclidean'"),
        # CLI-only settings were documented here and silently ignored: the server decides where jobs run.
        (
            {"sample": "iris", "engine": "dask"},
            None,
            422,
            "Setting 'engine' is not available in the web app; the server's --executor decides",
        ),
        ({"sample": "iris", "scheduler": "tcp://h:8786"}, None, 422, "Setting 'scheduler' is not available"),
        ({"sample": "iris", "roles": "{oops"}, None, 422, "Field 'roles' must be JSON"),
        (
            {"sample": "iris", "roles": '{"species": "colour"}'},
            None,
            422,
            "Role 'colour' for column 'species'",
        ),
        ({"sample": "iris", "ordinal": '{"species": ["a"]}'}, None, 422, "at least two values"),
        # JSON fields are parsed safely: nesting that once made json.loads overflow the stack (a 500).
        (
            {"sample": "iris", "roles": _deep(100_000)},
            None,
            422,
            "Field 'roles' is too long: 200,000 characters, where at most 65,536 are accepted",
        ),
        ({"sample": "iris", "ordinal": _deep(5_000)}, None, 422, "Field 'ordinal' is nested too deeply"),
        ({"sample": "iris", "exclude": _deep(5_000)}, None, 422, "Field 'exclude' is nested too deeply"),
        ({"sample": "iris", "roles": '{"a": ' + _deep(5_000) + "}"}, None, 422, "Field 'roles' is nested"),
        (
            {"sample": "iris", "exclude": '["a", 3]'},
            None,
            422,
            "Field 'exclude' must be a JSON list of column",
        ),
        ({"file": "not a file"}, None, 400, "Send a file in the 'file' field"),
        ({}, {"file": ("notes.docx", b"PK\x03\x04xx", "application/octet-stream")}, 400, "'.docx'"),
        ({}, {"file": ("budget.xlsx", b"a,b\n1,2\n", "text/csv")}, 400, "looks like plain text"),
        ({}, {"file": ("empty.csv", b"", "text/csv")}, 400, "empty"),
    ],
)
def test_bad_requests_get_one_error_shape(client, data, files, status, match) -> None:
    response = client.post("/api/runs", data=data, files=files)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert match in body["error"]
    assert client.get("/api/runs").json() == []  # nothing half-made is left behind


def test_uploads_over_the_limit_are_refused_while_streaming(make_client, tmp_path) -> None:
    client = make_client(upload_limit_mb=0.05)  # 51 kB
    big = b"a,b\n" + b"1,2\n" * 40_000  # 160 kB
    response = client.post("/api/runs", files={"file": ("big.csv", big, "text/csv")})
    assert response.status_code == 413
    assert "up to 51 kB" in response.json()["error"]

    def chunks():  # no Content-Length: the limit must still stop it
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        for _ in range(100):
            yield b"1,2\n" * 1000
        yield b"\r\n--xyz--\r\n"

    response = client.post(
        "/api/runs", content=chunks(), headers={"content-type": "multipart/form-data; boundary=xyz"}
    )
    assert response.status_code == 413
    assert set(response.json()) == {"error", "detail"}
    assert not list((tmp_path / "data" / "runs").glob("*/upload.csv"))


def test_a_declared_oversize_upload_is_refused_before_it_is_read(make_client) -> None:
    client = make_client(upload_limit_mb=1)
    big = b"a,b\n" + b"1,2\n" * (5 * 1024 * 1024 // 4)  # 5 MB
    started = time.monotonic()
    response = client.post("/api/runs", files={"file": ("big.csv", big, "text/csv")})
    assert response.status_code == 413
    assert time.monotonic() - started < 5
    assert response.json()["error"].startswith(
        "The file is too large (5.0 MB): this server accepts files up to 1 MB."
    )
    assert response.json()["detail"]["limit_bytes"] == 1024 * 1024
    assert response.json()["detail"]["size_bytes"] > 5 * 1024 * 1024  # the length it declared
    page = client.post("/upload", files={"file": ("big.csv", big, "text/csv")})
    assert page.status_code == 413
    assert "<h1>File too large</h1>" in page.text


def test_other_owners_get_404_for_a_run_and_its_files(make_client) -> None:
    alice = make_client()
    run_id = alice.post("/api/runs", data={"sample": "iris"}).json()["id"]
    wait_for(alice, run_id)
    bob = make_client(data_dir=alice.app.state.clusterlab.config.data_dir)
    for url in (f"/api/runs/{run_id}", f"/api/runs/{run_id}/files/clustered.csv"):
        response = bob.get(url)
        assert response.status_code == 404
        assert "another browser" in response.json()["error"]
    assert bob.delete(f"/api/runs/{run_id}").status_code == 404
    assert alice.get(f"/api/runs/{run_id}").status_code == 200
    assert bob.get("/api/runs").json() == []


def test_only_listed_files_can_be_downloaded(client) -> None:
    run_id = client.post("/api/runs", data={"sample": "iris"}).json()["id"]
    wait_for(client, run_id)
    for name in ("../../runs.sqlite3", "upload.csv", "view.json", "secret.key"):
        response = client.get(f"/api/runs/{run_id}/files/{name}")
        assert response.status_code == 404
        assert set(response.json()) == {"error", "detail"}


def test_delete_removes_the_run_and_its_folder(client) -> None:
    run_id = client.post("/api/runs", data={"sample": "iris"}).json()["id"]
    wait_for(client, run_id)
    folder = client.app.state.clusterlab.store.folder(run_id)
    assert folder.exists()
    assert client.delete(f"/api/runs/{run_id}").status_code == 204
    assert not folder.exists()
    assert client.get(f"/api/runs/{run_id}").status_code == 404


def test_unknown_api_paths_and_methods_answer_in_the_error_shape(client) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert set(response.json()) == {"error", "detail"}
    response = client.put("/api/runs")
    assert response.status_code == 405
    assert "PUT is not allowed" in response.json()["error"]


def test_openapi_documents_every_setting_and_docs_are_local(client) -> None:
    from clusterlab.core import SETTINGS

    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/runs"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    body = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]  # FastAPI's, from the form model
    for setting in SETTINGS:
        assert (setting.name in body["properties"]) == (setting.web or setting.name == "sheet")
    k_max = body["properties"]["k_max"]
    assert (k_max["maximum"], k_max["default"], k_max["description"]) == (
        200,
        10,
        next(s.help for s in SETTINGS if s.name == "k_max"),
    )
    assert (k_max["title"], k_max["x-group"]) == ("Most clusters", "How many clusters to try")
    assert body["properties"]["k"]["anyOf"][0]["enum"] == ["auto"]
    assert body["properties"]["k"]["anyOf"][1]["minimum"] == 1  # k = 1: one cluster, for anomalies
    assert body["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "title": "File",
        "description": ".xlsx, .xls, .csv, .tsv, .txt or .parquet",
    }
    assert body["properties"]["sample"]["enum"] == ["customers", "reviews", "sensors", "iris", "wine"]
    assert body["additionalProperties"] is False  # unknown fields are refused, as documented
    assert "413" in spec["paths"]["/api/runs"]["post"]["responses"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "http://" not in docs.text
    assert "https://" not in docs.text
    for asset in (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
    ):
        assert asset in docs.text
        assert client.get(asset).status_code == 200


def test_settings_and_samples_reference(client) -> None:
    names = [s["name"] for s in client.get("/api/settings").json()]
    assert names[:2] == ["k", "method"]  # what to fit first, then its details
    assert {"k_min", "k_max", "linkage", "category_weight"} <= set(names)
    samples = {s["name"]: s for s in client.get("/api/samples").json()}
    assert set(samples) == {"customers", "reviews", "sensors", "iris", "wine"}
    assert samples["sensors"]["use_case"] == "anomalies"
    assert samples["sensors"]["settings"] == {"k": 1}
    assert samples["reviews"]["use_case"] == "documents"


def test_the_api_lists_report_html_with_the_other_files(client) -> None:
    run_id = client.post("/api/runs", data={"sample": "wine"}).json()["id"]
    done = wait_for(client, run_id)
    files = {f["name"]: f for f in done["files"]}
    assert list(files) == ["clustered.xlsx", "clustered.csv", "report.html", "model.json", "summary.json"]
    assert files["report.html"]["title"] == "Report"
    assert files["report.html"]["url"] == f"/api/runs/{run_id}/files/report.html"
    report = client.get(files["report.html"]["url"])
    assert report.status_code == 200
    assert report.headers["content-disposition"].startswith("attachment")
    assert len(report.content) == files["report.html"]["bytes"]
    assert "Clusters in wine.csv" in report.text


def test_a_long_file_name_keeps_its_extension(client) -> None:
    from clusterlab.web.uploads import display_name

    long = "quarterly export " * 20 + ".csv"  # 344 characters
    shown = display_name(long)
    assert len(shown) == 180
    assert shown.endswith("export quarte.csv")
    # Was refused as "extension 'none'": the cut to 180 characters took the '.csv' with it.
    response = client.post("/api/runs", files={"file": (long, b"a,b\n1,2\n3,4\n5,7\n", "text/csv")})
    assert response.status_code == 202, response.text
