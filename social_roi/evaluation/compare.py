"""Score every attribution model against the simulator's additive truth.

The truth of a generated world is the Shapley value of its true revenue game (``simulate/truth.py``): each
social channel's share of the world's revenue, plus the baseline share v(empty) / v(all) that no social channel
causes, compared with the models' '(no social touch)' bucket. Both vectors sum to 1, and the distance reported is
the total variation distance TVD = 1/2 * sum over channels |model share - true share| (0 = identical).

The removal effect of each channel (revenue lost when only that channel is taken out) is shown as a second
column: it answers "what would we lose without c", but removal effects overlap, so they sum to more than the
social revenue and cannot be compared with shares that add up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

BASELINE = "(no social touch)"
TRUTH_FILE = "channel_shapley_revenue.csv"


class TruthMissing(FileNotFoundError):
    pass


def read_truth(world: Path) -> pd.DataFrame:
    path = world / "truth" / TRUTH_FILE
    if not path.exists():
        raise TruthMissing(
            f"{path}: no additive truth in this world (written by `social-roi generate` since the "
            "Shapley truth exists); generate the world again"
        )
    return pd.read_csv(path).set_index("channel")


def model_shares(attributed: pd.DataFrame) -> pd.DataFrame:
    """Channel x model share of attributed revenue, from rows (attribution_model, channel, revenue)."""
    table = attributed.pivot_table(
        index="channel", columns="attribution_model", values="revenue", aggfunc="sum", fill_value=0.0
    )
    return table / table.sum()


def tvd(models: pd.DataFrame, truth: pd.Series) -> pd.Series:
    """Total variation distance of each column of ``models`` to ``truth`` (missing channels count as 0)."""
    index = truth.index.union(models.index)
    aligned = models.reindex(index).fillna(0.0)
    return 0.5 * aligned.sub(truth.reindex(index, fill_value=0.0), axis=0).abs().sum()


def compare(truth: pd.DataFrame, models: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The table (truth, removal effect, one column per model) and each model's TVD to the truth, best first."""
    channels = sorted(set(truth.index) | set(models.index), key=lambda c: (c == BASELINE, c))
    table = models.reindex(channels).fillna(0.0)
    table.insert(0, "removal", truth["removal_share"].reindex(channels))
    table.insert(0, "truth", truth["shapley_share"].reindex(channels, fill_value=0.0))
    distance = tvd(table.drop(columns=["truth", "removal"]), table["truth"])
    return table, distance.sort_values()


def format_comparison(table: pd.DataFrame, distance: pd.Series, method: str = "exact") -> str:
    columns = ["truth", "removal", *distance.index]
    widths = {c: max(9, len(c) + 2) for c in columns}
    label = max(len(c) for c in [*table.index, "TVD to truth"]) + 2
    lines = [
        f"share of revenue by channel: additive truth (Shapley value of the simulated revenue game, {method}), "
        "removal effect, and each model",
        f"{'channel':<{label}}" + "".join(f"{c:>{widths[c]}}" for c in columns),
    ]
    for channel, row in table.iterrows():
        cells = "".join(
            "" if c not in row.index else f"{'-' if np.isnan(row[c]) else format(row[c], '.1%'):>{widths[c]}}"
            for c in columns
        )
        lines.append(f"{channel:<{label}}" + cells)
    removal_sum = float(table["removal"].dropna().sum())
    lines.append(
        f"{'TVD to truth':<{label}}"
        + f"{'':>{widths['truth']}}"
        + f"{'':>{widths['removal']}}"
        + "".join(f"{distance[c]:>{widths[c]}.3f}" for c in distance.index)
    )
    lines.append(
        f"closest to truth: {distance.index[0]} (TVD {distance.iloc[0]:.3f}); farthest: "
        f"{distance.index[-1]} (TVD {distance.iloc[-1]:.3f})"
    )
    lines.append(
        f"removal effects overlap: together they claim {removal_sum:.1%} of revenue, the additive truth "
        f"{1 - float(table.loc[BASELINE, 'truth']) if BASELINE in table.index else 1:.1%}"
    )
    return "\n".join(lines)
