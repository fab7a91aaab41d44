"""Numbers of a column with one set of decimals, chosen from the column's typical size ("13.0" beside
"12.3", "3.00" beside "2.03"): as text for the cluster cards, the heatmap and the outlier table of
report.html and the web app, and as an Excel number format for the workbook's profiles. Here, below
the report, so the workbook and the report share the one rule."""

from __future__ import annotations

import math

from ..core.clustering import Clustering
from ..core.explain.profiles import ALL, format_year

__all__ = ["WHOLE", "NumberFormat", "column_formats"]

WHOLE = 10_000  # numbers this large are shown without decimals, whatever their column's magnitude


class NumberFormat:
    """One data column's numbers, all with the same decimals, chosen from the column's magnitude
    (its all-rows quartiles, so one far-out value does not decide): three significant digits at
    that magnitude, "13.0" beside "12.3", "3.00" beside "2.03", "1,097" beside "750". Numbers of
    10,000 or more get no decimals (a typo of 9,899,999 is not "9,899,999.00"). Dates are years.

    >>> f = NumberFormat(2.36)
    >>> f(3), f(2.034), f(-0.001), f(12_345.6), f(float("nan"))
    ('3.00', '2.03', '0.00', '12,346', '–')
    """

    def __init__(self, magnitude: float, *, year: bool = False) -> None:
        self.year = year
        m = abs(magnitude) if math.isfinite(magnitude) else 0.0
        self.decimals = 2 if m == 0 else min(max(0, 2 - math.floor(math.log10(m))), 4)

    def __call__(self, value: float | None) -> str:
        if value is None or not math.isfinite(float(value)):
            return "–"
        if self.year:
            return format_year(float(value))
        decimals = 0 if abs(value) >= WHOLE else self.decimals
        text = f"{float(value):,.{decimals}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0.00"

    @property
    def excel(self) -> str:
        """The same decimals as an Excel number format, with thousands separators ("#,##0.00").
        A year stays a plain number with a fraction ("2021.50"): a cell holds the number, not the
        "2021-07" a page shows. (One format per cell: Excel cannot also drop the decimals of a
        far-out 9,899,999 as the pages do.)

        >>> NumberFormat(2.36).excel, NumberFormat(750).excel, NumberFormat(2021, year=True).excel
        ('#,##0.00', '#,##0', '0.00')
        """
        if self.year:
            return "0.00"
        return "#,##0" + ("." + "0" * self.decimals if self.decimals else "")


def column_formats(result: Clustering) -> dict[str, NumberFormat]:
    """A :class:`NumberFormat` per numeric (and date) column of the profiles, from its all-rows
    statistics: every table and chart writes a column's numbers with the same decimals."""
    numeric = result.profiles.numeric
    out: dict[str, NumberFormat] = {}
    if numeric.empty:
        return out
    whole = numeric[numeric["Cluster"].astype(str) == ALL]
    dates = set(result.profiles.date_columns)
    for column, quartiles, mean in zip(
        whole["column"], whole[["25%", "50%", "75%"]].to_numpy(dtype=float), whole["mean"], strict=True
    ):
        finite = [abs(v) for v in quartiles if math.isfinite(v) and v != 0]
        magnitude = max(finite) if finite else abs(float(mean))
        out[str(column)] = NumberFormat(magnitude, year=column in dates)
    return out
