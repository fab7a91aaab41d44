"""Numbers and lists for people: "52,300", "0.62", "1.2 million", "'a', 'b' and 3 more"."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["distinct_labels", "format_number", "format_share", "quoted_list", "shorten"]


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
    """0.2347 -> '23%'; shares under 1% keep one decimal, and a share that is not nothing never
    reads as nothing (1 row in 3,109: '<0.1%', not '0.0%').

    >>> format_share(0.2347), format_share(0.0029), format_share(0.0003), format_share(0.0)
    ('23%', '0.3%', '<0.1%', '0%')
    """
    pct = 100 * share
    if 0 < pct < 0.05:
        return "<0.1%"
    return f"{pct:.1f}%" if 0 < pct < 1 else f"{pct:.0f}%"


def quoted_list(items: Sequence[object], limit: int = 5) -> str:
    """'a', 'b' and 'c' — at most ``limit`` items, then "and N more"."""
    shown = [f"'{item}'" for item in items[:limit]]
    if len(items) > limit:
        return ", ".join(shown) + f" and {len(items) - limit} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def shorten(text: str, limit: int = 28) -> str:
    """At most ``limit`` characters, an ellipsis marking the cut.

    >>> shorten("annual income thousands", 12)
    'annual inco…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def distinct_labels(names: list[str], limit: int = 28) -> list[str]:
    """Short labels that stay apart: names that :func:`shorten` would make equal ("Average monthly
    spend on product category number 1 during ..." and "... number 2 ...") show the words where they
    differ instead, with what they share elided: "…number 1 during…".

    >>> distinct_labels(["spend on item 1 this year", "spend on item 2 this year", "age"], 12)
    ['…item 1 this…', '…item 2 this…', 'age']
    """
    short = [shorten(n, limit) for n in names]
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(short):
        groups.setdefault(label, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        words = [str(names[i]).split(" ") for i in members]
        head = 0  # words every name of the group starts with
        while all(len(w) > head + 1 for w in words) and len({w[head] for w in words}) == 1:
            head += 1
        tail = 0  # and ends with
        while all(len(w) > head + tail + 1 for w in words) and len({w[-1 - tail] for w in words}) == 1:
            tail += 1
        for i, w in zip(members, words, strict=True):
            # One shared word on each side keeps the differing part readable: "…number 17 during…".
            middle = w[max(head - 1, 0) : len(w) - max(tail - 1, 0)]
            text = " ".join(middle)
            label = ("…" if head > 1 else "") + text + ("…" if tail > 1 else "")
            short[i] = label if len(label) <= limit + 2 else "…" + text[: limit - 1].rstrip() + "…"
    return short
