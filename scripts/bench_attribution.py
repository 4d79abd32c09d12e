"""Benchmark: 1M seeded synthetic journeys over 12 channels -> aggregation, Markov, Shapley timings.

Run: ``.venv/bin/python scripts/bench_attribution.py [--journeys N] [--seed S]``.
ChannelAttribution (GPL) is timed only if it is already importable; it is never installed here.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from social_roi.attribution.markov import markov_model
from social_roi.attribution.paths import aggregate_paths
from social_roi.attribution.shapley import shapley_attribution

CHANNELS = [
    "direct",
    "email",
    "facebook",
    "instagram",
    "tiktok",
    "youtube",
    "linkedin",
    "x",
    "pinterest",
    "search_paid",
    "search_organic",
    "display",
]


def synthetic_journeys(n: int, seed: int, max_length: int = 8) -> pd.DataFrame:
    """Vectorised journeys: geometric lengths, Zipf-like channel popularity, channel-driven conversion."""
    rng = np.random.default_rng(seed)
    k = len(CHANNELS)
    popularity = 1.0 / np.arange(1, k + 1) ** 0.8
    lengths = np.minimum(rng.geometric(0.35, size=n), max_length)
    steps = rng.choice(k, size=int(lengths.sum()), p=popularity / popularity.sum())
    lift = rng.normal(0.0, 0.4, size=k)
    journey = np.repeat(np.arange(n), lengths)
    score = -3.0 + 0.25 * lengths + np.bincount(journey, weights=lift[steps], minlength=n) / lengths
    converted = rng.random(n) < 1.0 / (1.0 + np.exp(-score))
    value = np.where(converted, rng.gamma(2.0, 40.0, size=n), 0.0)
    names = np.array(CHANNELS, dtype=object)[steps]
    bounds = np.cumsum(lengths)
    paths = [tuple(names[a:b]) for a, b in zip(bounds - lengths, bounds)]
    return pd.DataFrame(
        {
            "path": paths,
            "total_conversions": converted.astype(float),
            "total_null": (~converted).astype(float),
            "total_conversion_value": value,
        }
    )


def timed(label: str, func, *args):
    start = time.perf_counter()
    result = func(*args)
    print(f"{label:<34}{time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    journeys = timed(f"generate {args.journeys:,} journeys", synthetic_journeys, args.journeys, args.seed)
    table = timed("aggregate identical paths", aggregate_paths, journeys)
    print(f"{'unique paths':<34}{len(table):8,d}")
    print(f"{'conversions':<34}{table['total_conversions'].sum():8,.0f}")
    markov = timed("markov (order 1, exact)", markov_model, table)
    timed("markov (order 2, exact)", markov_model, table, 2)
    shapley = timed("shapley (12 channels, 4096 sets)", shapley_attribution, table)
    summary = pd.DataFrame({"markov": markov.conversions}, index=markov.channels)
    summary["shapley"] = shapley.set_index("channel")["conversions"]
    print(summary.round(1).to_string())

    try:
        from ChannelAttribution import markov_model as ca_markov  # optional, GPL: never installed by us
    except ImportError:
        print("ChannelAttribution: not installed (skipped)")
        return
    frame = table.assign(path=[" > ".join(p) for p in table["path"]])
    timed(
        "ChannelAttribution markov_model",
        ca_markov,
        frame,
        "path",
        "total_conversions",
        "total_conversion_value",
        "total_null",
    )


if __name__ == "__main__":
    main()
