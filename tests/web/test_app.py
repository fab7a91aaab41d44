"""The page helpers of app.py: text with `code`, long names shortened apart, chart grids without a lone chart."""

from __future__ import annotations

import pytest

from clusterlab.web.app import _templates, grid_columns, inline_code


def test_backticks_become_code_and_everything_else_is_escaped() -> None:
    assert str(inline_code("Labels new rows with `clusterlab assign`.")) == (
        "Labels new rows with <code>clusterlab assign</code>."
    )
    assert str(inline_code("<b>`a<b>`</b>")) == "&lt;b&gt;<code>a&lt;b&gt;</code>&lt;/b&gt;"
    assert str(inline_code("one ` alone")) == "one ` alone"  # unpaired: just a character


def test_the_distinct_filter_shows_where_long_names_differ() -> None:
    names = [
        f"Average monthly spend on product category number {i} during the last fiscal year" for i in (1, 5)
    ]
    render = _templates().env.from_string("{{ (names + ['age'])|distinct(28)|join(' | ') }}").render
    assert render(names=names) == "…number 1 during… | …number 5 during… | age"


@pytest.mark.parametrize("count", range(1, 13))
def test_a_chart_grid_leaves_no_chart_alone_under_a_full_row(count: int) -> None:
    columns = int(grid_columns(count).removeprefix("cols-"))
    last_row = count % columns or columns
    assert last_row > 1 or count == 1 or all(count % c == 1 for c in (2, 3, 4)), (count, columns)
    assert columns <= 4
