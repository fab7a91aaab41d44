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


# Document categorization: each topic has its own vocabulary (its first two words are its anchors, which
# most of its reviews use); every review also draws shared filler words and, now and then, a word of
# another topic (noise), so the topics overlap as real reviews do. Stars lean by topic, loosely.
TOPICS = {
    "battery": ("battery charge charging charger hours drains lasts power overnight", (2, 3, 3, 4, 4)),
    "screen": ("screen display bright brightness pixels colours resolution glare touch", (3, 4, 4, 5, 5)),
    "delivery": ("delivery parcel arrived courier package shipping late days tracking", (1, 2, 3, 4, 5)),
    "price": ("price money value cheap expensive cost worth deal paid", (2, 3, 4, 5, 5)),
    "support": ("support service helpdesk agent refund call email replied warranty", (1, 1, 2, 2, 4)),
}
FILLER = [
    "phone",
    "really",
    "good",
    "bad",
    "great",
    "okay",
    "product",
    "bought",
    "would",
    "again",
    "use",
    "week",
    "month",
    "just",
    "bit",
    "quite",
    "overall",
    "happy",
    "disappointed",
    "expected",
    "recommend",
]
OPENERS = ("The {0} is {1}.", "Honestly the {0} {1}.", "{0}: {1}.", "My {0} {1}.", "About the {0}, {1}.")


def reviews(seed: int = 15, per_topic: int = 60) -> pd.DataFrame:
    """300 product reviews (review_id, review, stars; topic is the truth, for evaluation only)."""
    rng = np.random.default_rng(seed)
    rows = []
    for topic, (vocabulary, stars) in TOPICS.items():
        own = vocabulary.split()
        others = [w for t, (v, _) in TOPICS.items() if t != topic for w in v.split()]
        for _ in range(per_topic):
            anchors = [w for w in own[:2] if rng.random() < 0.7] or [own[int(rng.integers(0, 2))]]
            topic_words = anchors + list(rng.choice(own[2:], rng.integers(2, 5), replace=False))
            filler = list(rng.choice(FILLER, rng.integers(2, 5)))
            if rng.random() < 0.3:  # a word from another topic: reviews wander
                filler.append(str(rng.choice(others)))
            rest = topic_words[1:] + filler
            rng.shuffle(rest)
            opener = str(rng.choice(OPENERS)).format(topic_words[0], " ".join(rest[:3]))
            body = " ".join(rest[3:])
            text = f"{opener} {body}".strip() + ("." if body else "")
            rows.append(
                {"review": text[:1].upper() + text[1:], "stars": int(rng.choice(stars)), "topic": topic}
            )
    frame = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame.insert(0, "review_id", [f"R{i:04d}" for i in range(1, len(frame) + 1)])
    return frame


# Anomaly detection: one machine's sensor readings in one regime, with planted faults, each unusual in
# one or two readings. The truth is not in the file (it would be clustered on): it is PLANTED below.
PLANTED = {
    "S0041": {"temperature_c": 96.0},  # overheating
    "S0087": {"vibration_mm_s": 14.5},  # a loose bearing
    "S0133": {"pressure_bar": 1.1, "flow_l_min": 22.0},  # a leak: pressure and flow drop together
    "S0178": {"rpm": 600.0},  # stalled
    "S0215": {"power_kw": 31.0, "temperature_c": 82.0},  # overload
    "S0264": {"vibration_mm_s": 11.0, "rpm": 2900.0},  # overspeed
    "S0301": {"flow_l_min": 140.0},  # a stuck valve
    "S0352": {"pressure_bar": 9.8},  # a blocked outlet
}


def sensors(seed: int = 15, n: int = 400) -> pd.DataFrame:
    """400 readings of one pump (normal operation) with the 8 faults of PLANTED."""
    rng = np.random.default_rng(seed)
    rpm = rng.normal(1800, 60, n)
    frame = pd.DataFrame(
        {
            "reading_id": [f"S{i:04d}" for i in range(1, n + 1)],
            "temperature_c": rng.normal(61, 2.5, n).round(1),
            "vibration_mm_s": np.abs(rng.normal(2.8, 0.5, n)).round(2),
            "pressure_bar": rng.normal(4.6, 0.25, n).round(2),
            "flow_l_min": (rpm / 1800 * 78 + rng.normal(0, 3, n)).round(1),
            "rpm": rpm.round(0),
            "power_kw": (rpm / 1800 * 15 + rng.normal(0, 0.8, n)).round(2),
        }
    )
    for reading, values in PLANTED.items():
        for column, value in values.items():
            frame.loc[frame["reading_id"] == reading, column] = value
    return frame


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    customers().to_csv(OUT / "customers.csv", index=False)
    reviews().to_csv(OUT / "reviews.csv", index=False)
    sensors().to_csv(OUT / "sensors.csv", index=False)
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
