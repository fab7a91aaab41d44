"""Regenerate the bundled sample files in src/clusterlab/samples/ (deterministic).

python scripts/make_samples.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_iris, load_wine

OUT = Path(__file__).resolve().parents[1] / "src" / "clusterlab" / "samples"

# Four customer segments with known traits; "segment" is the truth, for evaluation only.
SEGMENTS = {
    "Young digital": dict(
        n=350,
        age=(27, 4),
        income=(38_000, 7_000),
        visits=(8, 1.5),
        basket=(28, 8),
        plan=[0.6, 0.35, 0.05],
        channel=[0.85, 0.05, 0.10],
        newsletter=0.75,
    ),
    "Family shoppers": dict(
        n=300,
        age=(41, 5),
        income=(64_000, 9_000),
        visits=(5, 1.5),
        basket=(95, 20),
        plan=[0.2, 0.65, 0.15],
        channel=[0.15, 0.45, 0.40],
        newsletter=0.5,
    ),
    "Affluent": dict(
        n=200,
        age=(52, 6),
        income=(125_000, 20_000),
        visits=(3, 1),
        basket=(230, 50),
        plan=[0.02, 0.18, 0.80],
        channel=[0.25, 0.15, 0.60],
        newsletter=0.3,
    ),
    "Occasional": dict(
        n=150,
        age=(63, 6),
        income=(42_000, 8_000),
        visits=(1.2, 0.5),
        basket=(42, 15),
        plan=[0.85, 0.13, 0.02],
        channel=[0.10, 0.80, 0.10],
        newsletter=0.15,
    ),
}


def customers(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for name, s in SEGMENTS.items():
        n = s["n"]
        parts.append(
            pd.DataFrame(
                {
                    "age": np.clip(rng.normal(*s["age"], n), 18, 85).round().astype(int),
                    "annual_income": np.clip(rng.normal(*s["income"], n), 12_000, None).round(-2),
                    "visits_per_month": np.clip(rng.normal(*s["visits"], n), 0.2, None).round(1),
                    "avg_basket": np.clip(rng.normal(*s["basket"], n), 5, None).round(2),
                    "plan": rng.choice(["Basic", "Plus", "Premium"], n, p=s["plan"]),
                    "channel": rng.choice(["Online", "Store", "Both"], n, p=s["channel"]),
                    "region": rng.choice(["North", "South", "East", "West"], n),
                    "newsletter": np.where(rng.random(n) < s["newsletter"], "Yes", "No"),
                    "signup_date": pd.Timestamp("2019-01-01")
                    + pd.to_timedelta(rng.integers(0, 6 * 365, n), unit="D"),
                    "segment": name,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame.insert(0, "customer_id", [f"C{i:05d}" for i in range(1, len(frame) + 1)])
    # Income as people type it ("52,300"), and a few gaps, as real exports have.
    frame["annual_income"] = frame["annual_income"].map(lambda v: f"{v:,.0f}")
    for column, share in (("annual_income", 0.03), ("channel", 0.02), ("age", 0.01)):
        frame.loc[rng.random(len(frame)) < share, column] = None
    frame["age"] = frame["age"].astype("Int64")
    frame["signup_date"] = frame["signup_date"].dt.strftime("%Y-%m-%d")
    return frame


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    customers().to_csv(OUT / "customers.csv", index=False)
    iris = load_iris(as_frame=True)
    frame = iris.frame.rename(columns=lambda c: c.replace(" (cm)", "_cm").replace(" ", "_"))
    frame["species"] = frame.pop("target").map(dict(enumerate(iris.target_names)))
    frame.to_csv(OUT / "iris.csv", index=False)
    wine = load_wine(as_frame=True)
    frame = wine.frame.copy()
    frame["cultivar"] = frame.pop("target").map(lambda t: f"cultivar_{t + 1}")
    frame.to_csv(OUT / "wine.csv", index=False)
    print(f"wrote samples to {OUT}")


if __name__ == "__main__":
    main()
