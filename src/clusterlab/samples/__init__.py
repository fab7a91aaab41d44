"""Sample tables that ship with ClusterLab, one click (or one command) away.

Each sample carries the column choices that make sense for it (a label column to score against,
an order for an ordered category) and the settings it is shown with (``k=1`` for anomaly detection),
which the CLI demo and the web app apply by default, and says which use case of clustering it
demonstrates (``use_case``: segmentation, anomalies, documents, or benchmark for the classic sets).
The generated ones come from ``scripts/make_samples.py`` (seeded, so they are the same every time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SAMPLES", "USE_CASES", "Sample", "sample_path"]

_HERE = Path(__file__).resolve().parent

# What each use case of clustering is, in a line (the Learn pages and the samples' buttons say it).
USE_CASES = {
    "segmentation": "Customer segmentation: groups of similar customers, named and described.",
    "anomalies": "Anomaly detection: one cluster, and the rows far from its centre flagged as unusual.",
    "documents": "Document categorization: free text grouped by topic, each group described by its words.",
    "benchmark": "A classic data set with known groups, to see how well clustering finds them.",
}


@dataclass(frozen=True)
class Sample:
    name: str
    title: str
    description: str
    file: str
    label: str | None = None
    ordinal: dict[str, list[str]] = field(default_factory=dict)
    use_case: str = "benchmark"  # a key of USE_CASES
    settings: dict[str, Any] = field(default_factory=dict)  # run settings it is shown with

    @property
    def use_case_title(self) -> str:
        """The use case in two words: "Anomaly detection"."""
        return USE_CASES[self.use_case].split(":")[0]

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
            use_case="segmentation",
        ),
        Sample(
            "reviews",
            "Product reviews",
            "300 product reviews (free text and stars) about five topics: battery, screen, delivery, "
            "price and support; each cluster is described by its words and example reviews (shown with k = 5, "
            "one per topic).",
            "reviews.csv",
            label="topic",
            use_case="documents",
            settings={"k": 5},
        ),
        Sample(
            "sensors",
            "Pump sensor readings",
            "400 readings of one pump (temperature, vibration, pressure, flow, rpm, power) with 8 planted "
            "faults; clustered as one cluster (k = 1), the rows far from its centre are the anomalies.",
            "sensors.csv",
            use_case="anomalies",
            settings={"k": 1},
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
    """The path of a bundled sample file (a key of :data:`SAMPLES`: 'customers', 'reviews'...)."""
    try:
        return SAMPLES[name].path
    except KeyError:
        raise KeyError(f"No sample named {name!r}; samples: {', '.join(SAMPLES)}") from None
