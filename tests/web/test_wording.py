"""The web's two faces of the controls a core message names: the pages' labels and the API's fields."""

from __future__ import annotations

import pytest

from clusterlab.core.errors import Control
from clusterlab.web.wording import api_text, page_text


@pytest.mark.parametrize(
    ("control", "page", "api"),
    [
        (
            Control("heavy_tails", "keep"),
            "'Long-tailed amounts' set to 'keep them as they are' in Options",
            "heavy_tails=keep",
        ),
        (Control("k_max"), "'Most clusters' in Options", "k_max"),
        (Control("k_max", 15), "'Most clusters' set to '15' in Options", "k_max=15"),
        (
            Control("roles", {"Region": "numeric"}),
            "'Number' under 'Use as' in Your data for column 'Region'",
            'roles={"Region": "numeric"}',
        ),
        (
            Control("exclude", ["notes"]),
            "'Leave out' under 'Use as' in Your data for column 'notes'",
            'exclude=["notes"]',
        ),
        (
            Control("label", "truth"),
            "'Known groups' under 'Use as' in Your data for column 'truth'",
            "label=truth",
        ),
        (
            Control("ordinal", {"Size": ["S", "M", "L"]}),
            "an order for column 'Size' in Order categories (S, M, L)",
            'ordinal={"Size": ["S", "M", "L"]}',
        ),
        (Control("sheet"), "the Sheet menu in Your data", "sheet"),
        (
            Control("engine", "dask"),
            "the command line's 'Where the work runs' set to 'a Dask cluster' (not offered in the web app)",
            "--engine dask of the command line (not offered in the web app)",
        ),
    ],
)
def test_each_control_in_the_pages_and_the_apis_words(control: Control, page: str, api: str) -> None:
    template = f"Change it with {control}."
    assert page_text(template) == f"Change it with {page}."
    assert api_text(template) == f"Change it with {api}."


def test_text_that_only_looks_like_a_control_is_left_alone() -> None:
    assert page_text("Column '{x}' and {nope=1} and {k_max=") == "Column '{x}' and {nope=1} and {k_max="
