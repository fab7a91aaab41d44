"""Numbers and lists for people: "52,300", "0.62", "1.2 million", "'a', 'b' and 3 more"."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["format_number", "format_share", "quoted_list"]


def format_number(value: float | None, digits: int = 3) -> str:
    """Round for reading: 52300.4 -> '52,300'; 0.61834 -> '0.618'; 1234567 -> '1,234,567'.

    >>> format_number(64531.0), format_number(0.61834), format_number(-2.5), format_number(None)
    ('64,531', '0.618', '-2.5', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    decimals = max(0, digits - 1 - math.floor(math.log10(magnitude)))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_share(share: float) -> str:
    """0.2347 -> '23%'; shares under 1% keep one decimal."""
    pct = 100 * share
    return f"{pct:.1f}%" if 0 < pct < 1 else f"{pct:.0f}%"


def quoted_list(items: Sequence[object], limit: int = 5) -> str:
    """'a', 'b' and 'c' — at most ``limit`` items, then "and N more"."""
    shown = [f"'{item}'" for item in items[:limit]]
    if len(items) > limit:
        return ", ".join(shown) + f" and {len(items) - limit} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
