"""Sample tables that ship with ClusterLab, one click (or one command) away.

Each sample carries the column choices that make sense for it (a label column to score against,
an order for an ordered category), which the CLI demo and the web app apply by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SAMPLES", "Sample", "sample_path"]

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sample:
    name: str
    title: str
    description: str
    file: str
    label: str | None = None
    ordinal: dict[str, list[str]] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return _HERE / self.file


SAMPLES: dict[str, Sample] = {
    s.name: s
    for s in (
        Sample(
            "customers",
            "Retail customers",
            "1,000 customers of a shop: age, income (typed as text), visits, basket size, plan, channel, "
            "region, newsletter and sign-up date; four hidden segments.",
            "customers.csv",
            label="segment",
            ordinal={"plan": ["Basic", "Plus", "Premium"]},
        ),
        Sample(
            "iris",
            "Iris flowers",
            "Fisher's 150 iris flowers: four measurements, three species.",
            "iris.csv",
            label="species",
        ),
        Sample(
            "wine",
            "Wine chemistry",
            "178 Italian wines: 13 chemical measurements, three cultivars.",
            "wine.csv",
            label="cultivar",
        ),
    )
}


def sample_path(name: str) -> Path:
    """The path of a bundled sample file ('customers', 'iris' or 'wine')."""
    try:
        return SAMPLES[name].path
    except KeyError:
        raise KeyError(f"No sample named {name!r}; samples: {', '.join(SAMPLES)}") from None
