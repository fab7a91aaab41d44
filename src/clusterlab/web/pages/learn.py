"""Learn: how clustering works, on a playground or on one of the browser's own runs.

Five pages: what clustering is for (the three use cases, each a bundled sample one click away), K-Means
step by step, how to choose k, limits and alternatives, and the people in the loop. The lessons'
charts and numbers come from :mod:`clusterlab.learn.lessons`; a run's come from the ``learn.json``
its clustering job saved (a sample of its rows, the map's projection, the sweep from k = 1), so no
page reads the file again. Controls are a GET form: a lesson's address says what it shows, and the
form works without JavaScript (HTMX swaps just the lesson when it is there).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from ...core.errors import ClusterLabError
from ...learn import lessons
from ...learn.lloyd import STARTS
from ...learn.methods import METHODS
from ...learn.playground import SHAPES, blobs, shaped
from ...learn.run_sample import RunSample
from ...samples import SAMPLES
from ..dependencies import Owner, State
from ..errors import not_found
from ..storage import Run, RunStore
from .wizard import render

__all__ = ["LESSONS", "USE_CASES", "router"]

router = APIRouter()

# (route name, title) of each Learn page, in reading order: the section's own menu.
LESSONS = (
    ("learn_page", "What clustering is for"),
    ("learn_kmeans", "K-Means step by step"),
    ("learn_choose_k", "How to choose k"),
    ("learn_limits", "Limits and alternatives"),
    ("learn_people", "People decide"),
)

# The three use cases and the bundled sample each runs on; ``k`` is the k the case needs (chosen on
# the "Choose k" step), None to follow the recommendation.
USE_CASES = (
    {
        "name": "segmentation",
        "title": "Customer segmentation",
        "sample": "customers",
        "k": None,
        "text": "Group customers by what they buy and how: each segment gets a name, a description and the "
        "columns that set it apart, so marketing can speak to each group in its own way.",
    },
    {
        "name": "anomaly",
        "title": "Anomaly detection",
        "sample": "sensors",
        "k": 1,
        "text": "One cluster for normal operation; rows unusually far from its centre (past the far fence of "
        "the distances, drawn on a histogram) or with a reading far outside its column are flagged, each "
        "with the readings that make it unusual.",
    },
    {
        "name": "documents",
        "title": "Document categorization",
        "sample": "reviews",
        "k": None,
        "text": "A free-text column turned into word weights (TF-IDF) and clustered: each group of reviews is "
        "described by its characteristic words and a few example texts.",
    },
)


class Playground(BaseModel):
    """The lessons' controls (all optional: a bare address shows the defaults)."""

    model_config = ConfigDict(extra="ignore")

    run: str | None = Field(None, max_length=64, description="Teach on this run of yours instead.")
    points: int = Field(40, ge=5, le=150, description="Points per cluster")
    separation: float = Field(5.0, ge=0.0, le=12.0, description="Separation (standard deviations)")
    clusters: int = Field(5, ge=1, le=8, description="True clusters")
    k: int = Field(5, ge=1, le=30, description="k")
    on: str = Field("", max_length=64, description="The run the form was showing ('' for the playground).")
    seed: int = Field(0, ge=0, le=9999, description="Seed")
    start: Literal["k-means++", "random", "bad"] = Field("k-means++", description="Starting centres")
    shape: Literal["round", "stretched", "moons", "uneven", "outliers", "scale"] = Field(
        "round", description="Data"
    )


Controls = Annotated[Playground, Query()]


def _runs(store: RunStore, owner: str) -> list[Run]:
    return [r for r in store.owned_by(owner, limit=30) if r.has_result]


def _sample(store: RunStore, owner: str, run_id: str | None) -> tuple[Run | None, RunSample | None]:
    """The run the lesson teaches on (only the asker's) and its saved sample; (run, None) for a run
    clustered before Learn existed, which the page says."""
    if not run_id:
        return None, None
    run = store.get(run_id, owner=owner)
    if run is None or not run.has_result:
        raise not_found()
    try:
        return run, RunSample.from_json(store.read_json(store.result_dir(run) / "learn.json"))
    except FileNotFoundError:
        return run, None


def _k_of(controls: Playground, request: Request, sample: RunSample | None) -> int:
    """The k to teach with: the one asked for, or the run's own when the lesson has just switched to
    that run (the form still holds the k of what it showed before)."""
    asked = "k" in request.query_params and controls.on == (controls.run or "")
    if sample is None:
        return controls.k
    return min(controls.k if asked else sample.k, len(sample.X))


def _page(request: Request, template: str, name: str, state: Any, owner: str, **context: Any) -> HTMLResponse:
    return render(
        request,
        template,
        lessons_menu=LESSONS,
        lesson=name,
        own_runs=_runs(state.store, owner),
        starts=STARTS,
        shapes=SHAPES,
        **context,
    )


@router.get("/learn", response_class=HTMLResponse)
def learn_page(request: Request, state: State, owner: Owner) -> HTMLResponse:
    cases = []
    for case in USE_CASES:
        sample = SAMPLES.get(str(case["sample"]))
        # A sample may carry the settings it is shown with (k = 1 for anomalies): then one click runs it so.
        preset = dict(getattr(sample, "settings", None) or {})
        cases.append(
            {
                **case,
                "available": sample is not None,
                "preset": case["k"] is not None and preset.get("k") == case["k"],
            }
        )
    return _page(request, "learn/index.html", "learn_page", state, owner, cases=cases)


@router.get("/learn/kmeans", response_class=HTMLResponse)
def learn_kmeans(request: Request, controls: Controls, state: State, owner: Owner) -> HTMLResponse:
    run, sample = _sample(state.store, owner, controls.run)
    if sample is not None:
        k = _k_of(controls, request, sample)
        material = lessons.kmeans_lesson(
            sample.X,
            k,
            start=controls.start,
            seed=controls.seed,
            project=sample.project,
            titles=sample.titles,
            rows=sample.rows,
        )
    else:
        data = blobs(controls.points, controls.separation, controls.clusters, controls.seed)
        k = controls.k
        if k > len(data.X):
            raise ClusterLabError(
                f"k = {k} is more than the playground's {len(data.X)} points: choose k of at most "
                f"{len(data.X)}, or more points per cluster."
            )
        material = lessons.kmeans_lesson(data.X, k, start=controls.start, seed=controls.seed)
    return _page(
        request,
        "learn/kmeans.html",
        "learn_kmeans",
        state,
        owner,
        controls=controls,
        run=run,
        sample=sample,
        k=k,
        lesson_data=material,
    )


@router.get("/learn/choose-k", response_class=HTMLResponse)
def learn_choose_k(request: Request, controls: Controls, state: State, owner: Owner) -> HTMLResponse:
    run, sample = _sample(state.store, owner, controls.run)
    if sample is not None:
        material = lessons.k_lesson(sample.sweep, sample.recommendation, sample.k)
    else:
        data = blobs(controls.points, controls.separation, controls.clusters, controls.seed)
        table, recommendation = lessons.playground_sweep(data.X, seed=controls.seed)
        material = lessons.k_lesson(table, recommendation)
    return _page(
        request,
        "learn/choose_k.html",
        "learn_choose_k",
        state,
        owner,
        controls=controls,
        run=run,
        sample=sample,
        lesson_data=material,
    )


@router.get("/learn/limits", response_class=HTMLResponse)
def learn_limits(request: Request, controls: Controls, state: State, owner: Owner) -> HTMLResponse:
    run, sample = _sample(state.store, owner, controls.run)
    if sample is not None:
        k = _k_of(controls, request, sample)
        material = lessons.methods_lesson(
            sample.X, k, seed=controls.seed, project=sample.project, titles=sample.titles
        )
        about = f"{len(sample.X)} rows of {sample.name}"
    else:
        data = shaped(controls.shape, seed=controls.seed)
        k = controls.k
        material = lessons.methods_lesson(data.X, k, seed=controls.seed, titles=data.axis_titles)
        about = data.about
    return _page(
        request,
        "learn/limits.html",
        "learn_limits",
        state,
        owner,
        controls=controls,
        run=run,
        sample=sample,
        k=k,
        lesson_data=material,
        about=about,
        methods=METHODS,
    )


@router.get("/learn/people", response_class=HTMLResponse)
def learn_people(request: Request, state: State, owner: Owner) -> HTMLResponse:
    return _page(request, "learn/people.html", "learn_people", state, owner)
