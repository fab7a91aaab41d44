"""Naming clusters on the web and through the API: stored with the run, every export rewritten."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from .conftest import wait_for


def _done_run(client) -> str:
    body = client.post(
        "/api/runs", data={"sample": "iris", "label": "species", "k": "3", "resamples": "0"}
    ).json()
    assert wait_for(client, body["id"])["status"] == "done"
    return body["id"]


def test_the_api_names_a_cluster_and_every_export_is_rewritten(client) -> None:
    run = _done_run(client)
    response = client.post(
        f"/api/runs/{run}/clusters/2", data={"name": "Big petals", "useful": "false", "note": "check"}
    )
    assert response.status_code == 202, response.text
    assert wait_for(client, run)["status"] == "done"
    summary = json.loads(client.get(f"/api/runs/{run}/files/summary.json").content)
    second = summary["clusters"][1]
    assert (second["name"], second["useful"], second["note"]) == ("Big petals", False, "check")
    model = json.loads(client.get(f"/api/runs/{run}/files/model.json").content)
    assert model["cluster_annotations"][0]["name"] == "Big petals"
    assert b"Big petals" in client.get(f"/api/runs/{run}/files/report.html").content
    page = client.get(f"/runs/{run}/results").text
    assert "Big petals" in page
    assert "Marked not useful" in page
    # A second name keeps the first: both are of the same clustering.
    client.post(f"/api/runs/{run}/clusters/1", data={"name": "Small"})
    assert wait_for(client, run)["status"] == "done"
    names = [
        c["name"] for c in json.loads(client.get(f"/api/runs/{run}/files/summary.json").content)["clusters"]
    ]
    assert names[:2] == ["Small", "Big petals"]


def test_a_cluster_that_does_not_exist_is_a_404_in_the_error_shape(client) -> None:
    run = _done_run(client)
    response = client.post(f"/api/runs/{run}/clusters/7", data={"name": "x"})
    assert response.status_code == 404
    assert "numbered 1 to 3" in response.json()["error"]
    assert client.post(f"/api/runs/{run}/clusters/1", data={"nam": "x"}).status_code == 422


def test_the_results_page_form_renames_and_another_browser_gets_404(client, make_client) -> None:
    run = _done_run(client)
    page = client.get(f"/runs/{run}/results").text
    assert f'action="/runs/{run}/clusters/1"' in page
    response = client.post(f"/runs/{run}/clusters/1", data={"name": "Setosa-like"}, follow_redirects=False)
    assert response.status_code == 303
    assert wait_for(client, run)["status"] == "done"
    assert "Setosa-like" in client.get(f"/runs/{run}/results").text
    other = make_client()
    assert other.post(f"/runs/{run}/clusters/1", data={"name": "x"}).status_code == 404


def test_k_1_is_offered_and_chosen_on_the_k_page(client) -> None:
    run = _done_run(client)
    assert '<option value="1"' in client.get(f"/runs/{run}/k").text
    response = client.post(f"/runs/{run}/choose", data={"k": "1"}, follow_redirects=False)
    assert response.status_code == 303
    done = wait_for(client, run)
    assert done["status"] == "done"
    assert done["k"] == 1
    page = client.get(f"/runs/{run}/results").text
    assert "1 cluster in iris.csv" in page
    assert "All rows" in page


@pytest.mark.parametrize("kept_as", ["gone", "unreadable"])
def test_without_the_kept_result_a_rename_clusters_again_to_the_same_clusters(
    client, tmp_path, kept_as
) -> None:
    run = _done_run(client)
    before = client.get(f"/api/runs/{run}/files/clustered.csv").content
    kept = list((tmp_path / "data").rglob("result.pickle"))
    assert len(kept) == 1
    if kept_as == "gone":
        kept[0].unlink()  # as for a run finished before results were kept, or too big to keep
    else:
        kept[0].write_bytes(b"\x80\x05 not a result")  # as kept by another version, or cut short
    client.post(f"/api/runs/{run}/clusters/3", data={"name": "Third"})
    assert wait_for(client, run)["status"] == "done"
    after = client.get(f"/api/runs/{run}/files/clustered.csv").content
    old, new = (pd.read_csv(io.BytesIO(b), encoding="utf-8-sig") for b in (before, after))
    # The same clusters, row by row; only the renamed cluster's name differs.
    pd.testing.assert_frame_equal(old.drop(columns="Cluster name"), new.drop(columns="Cluster name"))
    assert set(new.loc[new["Cluster"] == 3, "Cluster name"]) == {"Third"}
    assert (
        old.loc[new["Cluster"] != 3, "Cluster name"] == new.loc[new["Cluster"] != 3, "Cluster name"]
    ).all()
    clusters = json.loads(client.get(f"/api/runs/{run}/files/summary.json").content)["clusters"]
    assert clusters[2]["name"] == "Third"
