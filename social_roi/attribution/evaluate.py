"""Score every attribution model against the simulator's truth.

The truth of a generated world is each social channel's causal incremental revenue (the world re-simulated
without that channel, same random draws). Its share of total revenue is compared with each model's share of
attributed revenue per channel. Revenue that no social channel causes (the baseline: 1 - the sum of the
incremental shares, floored at 0) is compared with the models' '(no social touch)' bucket. Both share vectors
are normalised to sum to 1, and the distance reported is the total variation distance
TVD = 1/2 * sum over channels of |model share - true share| (0 = identical, 1 = disjoint).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

BASELINE = "(no social touch)"


def truth_shares(world: Path) -> pd.Series:
    truth = pd.read_csv(world / "truth" / "channel_incremental_revenue.csv")
    total = json.loads((world / "truth" / "world.json").read_text())["net_revenue"]
    shares = truth.set_index("channel")["incremental_revenue"].clip(lower=0) / total
    shares[BASELINE] = max(0.0, 1.0 - shares.sum())
    return shares / shares.sum()


def model_shares(attributed: pd.DataFrame) -> pd.DataFrame:
    """Channel x model share of attributed revenue, from rows (attribution_model, channel, revenue)."""
    table = attributed.pivot_table(index="channel", columns="attribution_model", values="revenue",
                                   aggfunc="sum", fill_value=0.0)
    return table / table.sum()


def compare(truth: pd.Series, models: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    channels = sorted(set(truth.index) | set(models.index), key=lambda c: (c == BASELINE, c))
    table = models.reindex(channels, fill_value=0.0)
    table.insert(0, "truth", truth.reindex(channels, fill_value=0.0))
    tvd = 0.5 * table.drop(columns="truth").sub(table["truth"], axis=0).abs().sum()
    return table, tvd.sort_values()


def format_comparison(table: pd.DataFrame, tvd: pd.Series) -> str:
    columns = ["truth", *tvd.index]
    width = max(len(c) for c in table.index) + 2
    lines = ["share of revenue by channel: truth (incremental, simulated) vs each model",
             f"{'channel':<{width}}" + "".join(f"{c:>15}" for c in columns)]
    for channel, row in table.iterrows():
        lines.append(f"{channel:<{width}}" + "".join(f"{row[c]:>15.1%}" for c in columns))
    lines.append(f"{'TVD to truth':<{width}}" + f"{'':>15}" + "".join(f"{tvd[c]:>15.3f}" for c in tvd.index))
    lines.append(f"closest to truth: {tvd.index[0]} (TVD {tvd.iloc[0]:.3f}); farthest: {tvd.index[-1]} "
                 f"(TVD {tvd.iloc[-1]:.3f})")
    return "\n".join(lines)
