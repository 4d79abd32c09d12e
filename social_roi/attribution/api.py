"""One entry point for every model on a path table, and channel weights for the pipeline's SQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from social_roi.attribution.causal import causal_attribution, causal_weights
from social_roi.attribution.markov import markov_model
from social_roi.attribution.paths import make_path_table, prepare_paths
from social_roi.attribution.rules import rule_attribution
from social_roi.attribution.shapley import shapley_attribution, shapley_values

DEFAULT_MODELS = ("first", "last", "linear", "position_based", "markov", "shapley")
PATH_MODELS = DEFAULT_MODELS + ("last_non_direct", "causal")
DATA_DRIVEN = ("markov", "shapley", "causal")
OUTPUT_COLUMNS = ["channel", "model", "conversions", "value"]


def _canonical(paths_df: pd.DataFrame) -> pd.DataFrame:
    if len(paths_df) and all(isinstance(p, tuple) for p in paths_df["path"]):
        required = {"total_conversions", "total_null", "total_conversion_value"}
        if required <= set(paths_df.columns):
            return paths_df
    return make_path_table(paths_df)


def attribute_path_table(
    paths_df: pd.DataFrame,
    models: Sequence[str] = DEFAULT_MODELS,
    *,
    direct: str = "direct",
    first_share: float = 0.4,
    last_share: float = 0.4,
    order: int = 1,
    max_channels: int = 15,
    transform: str | None = None,
    transform_channels: Iterable[str] = (),
    max_path_length: int | None = None,
    causal_l2: float = 1.0,
    causal_touch_cap: int = 3,
) -> pd.DataFrame:
    """Run ``models`` on a path table; one row per (channel, model) with ``conversions`` and ``value``.

    ``paths_df`` may be raw (string paths) or canonical (tuple paths, see ``paths.make_path_table``).
    Paths are transformed, truncated (last ``max_path_length`` steps) and aggregated first.
    ``value`` is NaN when the table has no conversion value column. Every model's conversions sum
    to the table's total conversions and its values to the total value.
    """
    unknown = [m for m in models if m not in PATH_MODELS]
    if unknown:
        raise ValueError(f"unknown model(s) {', '.join(unknown)}; expected some of {', '.join(PATH_MODELS)}")
    table = prepare_paths(_canonical(paths_df), transform, transform_channels, max_path_length)
    frames = []
    for model in models:
        if model == "markov":
            result = markov_model(table, order)
            frame = pd.DataFrame({"channel": result.channels, "conversions": result.conversions, "value": result.value})
        elif model == "shapley":
            frame = shapley_attribution(table, max_channels)
        elif model == "causal":
            frame = causal_attribution(table, causal_l2, causal_touch_cap)
        else:
            frame = rule_attribution(table, model, direct=direct, first_share=first_share, last_share=last_share)
        frames.append(frame.assign(model=model))
    if not frames:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[OUTPUT_COLUMNS]
    return out.astype({"conversions": float, "value": float})


def channel_weights(
    path_summary_df: pd.DataFrame,
    model: str,
    *,
    order: int = 1,
    max_channels: int = 15,
    causal_l2: float = 1.0,
    causal_touch_cap: int = 3,
) -> pd.DataFrame:
    """Per-channel weights of a data-driven model for per-conversion splitting in SQL.

    ``markov``: the removal effect RE_c (in [0, 1]). ``shapley``: max(phi_c, 0) / sum phi: a channel whose
    journeys convert worse than those without it has a negative Shapley value, which cannot split revenue, so
    its weight is 0; ``raw_share`` keeps the signed phi_c / sum phi (for Markov, the weight itself) so that the
    floor is reported, never silent. ``causal``: the weights whose split reproduces the causal model's channel
    totals (``causal.causal_weights``). See ``split_by_channel_weights`` for how the weights are applied.
    """
    if model not in DATA_DRIVEN:
        raise ValueError(f"channel weights exist for {', '.join(DATA_DRIVEN)}, not '{model}'")
    table = prepare_paths(_canonical(path_summary_df))
    if model == "causal":
        return causal_weights(table, causal_l2, causal_touch_cap)
    if model == "markov":
        result = markov_model(table, order)
        channels, weight = result.channels, np.asarray(result.removal_effects, dtype=float)
        raw = weight
    else:
        phi = shapley_values(table, max_channels)
        total = phi.sum()
        raw = phi.to_numpy() / (total if total > 0 else 1.0)
        channels, weight = list(phi.index), np.clip(raw, 0.0, None)
    return pd.DataFrame(
        {"channel": channels, "weight": np.asarray(weight, dtype=float), "raw_share": np.asarray(raw, dtype=float)}
    )


def split_by_channel_weights(touches: pd.DataFrame, weights: pd.DataFrame) -> pd.Series:
    """Reference for the SQL: per-touch credit shares (summing to 1 per ``conversion_id``).

    credit(conversion, channel) = w_c / sum of w over the conversion's distinct channels, split equally
    across that channel's touches. If those weights sum to 0 (or a channel has no weight), the
    conversion is split equally across its distinct channels, so every conversion is fully credited.
    """
    w = touches["channel"].map(weights.set_index("channel")["weight"]).fillna(0.0).astype(float)
    frame = pd.DataFrame({"cid": touches["conversion_id"], "channel": touches["channel"], "w": w})
    per_channel = frame.drop_duplicates(["cid", "channel"])
    total = per_channel.groupby("cid")["w"].sum()
    distinct = per_channel.groupby("cid")["channel"].size()
    conv_total, conv_distinct = frame["cid"].map(total), frame["cid"].map(distinct)
    touches_of_channel = frame.groupby(["cid", "channel"])["w"].transform("size")
    channel_share = np.where(conv_total > 0, frame["w"] / conv_total.where(conv_total > 0, 1.0), 1.0 / conv_distinct)
    return pd.Series(channel_share / touches_of_channel, index=touches.index, name="weight")
