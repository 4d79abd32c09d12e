"""Rule-based attribution: first, last, last non-direct, linear, position-based and time-decay.

``touch_weights`` is the reference per-touch implementation (the pipeline does the same in SQL);
``rule_attribution`` applies it to a path table and returns channel totals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from social_roi.attribution.paths import CONV, VALUE, channels_of

RULE_MODELS = ("first", "last", "last_non_direct", "linear", "position_based", "time_decay")
ORDER_COLUMNS = ("touch_index", "timestamp")


def _check_shares(first_share: float, last_share: float) -> None:
    if first_share < 0 or last_share < 0 or first_share + last_share > 1 + 1e-12:
        raise ValueError(
            f"position-based shares must be >= 0 and sum to <= 1, got first={first_share}, last={last_share}"
        )


def _order_key(touches: pd.DataFrame) -> pd.Series:
    for column in ORDER_COLUMNS:
        if column in touches.columns:
            return touches[column]
    if "days_before_conversion" in touches.columns:  # the earliest touch is furthest from conversion
        return -touches["days_before_conversion"].astype(float)
    raise ValueError(f"touches need one of {', '.join(ORDER_COLUMNS)} or days_before_conversion to be ordered")


def touch_weights(
    touches: pd.DataFrame,
    model: str,
    *,
    direct: str = "direct",
    first_share: float = 0.4,
    last_share: float = 0.4,
    half_life_days: float = 7.0,
) -> pd.Series:
    """Per-touch credit weights (a Series named ``weight``, aligned with ``touches``) summing to 1 per
    ``conversion_id``.

    ``touches`` has ``conversion_id``, ``channel``, an order column (``touch_index`` or ``timestamp``;
    else ``days_before_conversion`` descending) and, for ``time_decay``, ``days_before_conversion``.
    Ties in the order column keep the row order.
    """
    if model not in RULE_MODELS:
        raise ValueError(f"unknown rule model '{model}'; expected one of {', '.join(RULE_MODELS)}")
    for column in ("conversion_id", "channel"):
        if column not in touches.columns:
            raise ValueError(f"touches: missing column '{column}'")
    if touches["conversion_id"].isna().any():
        raise ValueError("touches: column 'conversion_id' has missing values")
    if len(touches) == 0:
        return pd.Series(np.zeros(0), index=touches.index, name="weight")

    if model == "time_decay":
        if half_life_days <= 0:
            raise ValueError(f"half_life_days must be > 0, got {half_life_days}")
        if "days_before_conversion" not in touches.columns:
            raise ValueError("time_decay needs column 'days_before_conversion'")
        days = touches["days_before_conversion"].astype(float).to_numpy()
        if not np.isfinite(days).all() or (days < 0).any():
            raise ValueError("touches: 'days_before_conversion' must be finite and >= 0")
        raw = pd.Series(np.exp2(-days / half_life_days), index=touches.index)
        total = raw.groupby(touches["conversion_id"]).transform("sum")
        return (raw / total).rename("weight")

    key = _order_key(touches)
    frame = pd.DataFrame(
        {"cid": touches["conversion_id"], "key": key, "row": np.arange(len(touches))}, index=touches.index
    ).sort_values(["cid", "key", "row"], kind="stable")
    groups = frame.groupby("cid", sort=False)
    rank = groups.cumcount().to_numpy()
    n = groups["row"].transform("size").to_numpy()
    last = rank == n - 1

    if model == "first":
        weight = (rank == 0).astype(float)
    elif model == "last":
        weight = last.astype(float)
    elif model == "linear":
        weight = 1.0 / n
    elif model == "last_non_direct":
        non_direct = (touches["channel"].loc[frame.index] != direct).to_numpy()
        target = pd.Series(np.where(non_direct, rank, -1), index=frame.index).groupby(frame["cid"]).transform("max")
        target = np.where(target.to_numpy() < 0, n - 1, target.to_numpy())  # direct-only: direct keeps it
        weight = (rank == target).astype(float)
    else:  # position_based
        _check_shares(first_share, last_share)
        ends = first_share + last_share
        two_first = first_share / ends if ends > 0 else 0.5
        middle = (1.0 - ends) / np.maximum(n - 2, 1)
        weight = np.where(rank == 0, first_share, np.where(last, last_share, middle))
        weight = np.where(n == 2, np.where(rank == 0, two_first, 1.0 - two_first), weight)
        weight = np.where(n == 1, 1.0, weight)
    return pd.Series(weight, index=frame.index, name="weight").reindex(touches.index)


def explode_paths(table: pd.DataFrame) -> pd.DataFrame:
    """One row per touch: ``conversion_id`` (the table row), ``touch_index`` and ``channel``."""
    lengths = table["path"].map(len).to_numpy(dtype=np.int64)
    row = np.repeat(np.arange(len(table)), lengths)
    start = np.repeat(np.cumsum(lengths) - lengths, lengths)
    channels = [step for path in table["path"] for step in path]
    return pd.DataFrame(
        {"conversion_id": row, "touch_index": np.arange(len(row)) - start, "channel": pd.Series(channels, dtype=object)}
    )


def rule_attribution(table: pd.DataFrame, model: str, **params: float | str) -> pd.DataFrame:
    """Channel totals of a rule model on a path table: columns ``channel, conversions, value``.

    Each path row's conversions (and value) are split across its touches by ``touch_weights``.
    ``time_decay`` needs touch times, which a path table has not, so it is refused here.
    """
    if model == "time_decay":
        raise ValueError("time_decay needs touch times; use touch_weights on a touch table")
    touches = explode_paths(table)
    weight = touch_weights(touches, model, **params).to_numpy()
    row = touches["conversion_id"].to_numpy()
    touches["conversions"] = weight * table[CONV].to_numpy()[row]
    touches["value"] = weight * table[VALUE].to_numpy()[row]
    grouped = touches.groupby("channel")
    out = pd.DataFrame({"conversions": grouped["conversions"].sum(), "value": grouped["value"].sum(min_count=1)})
    out = out.reindex(channels_of(table)).rename_axis("channel").reset_index()
    return out
