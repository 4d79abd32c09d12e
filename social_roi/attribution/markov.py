"""Removal-effect Markov attribution (Anderl et al. 2016), solved exactly as an absorbing chain.

States: ``start``, one transient state per order-k window of steps, and the absorbing states
``conversion`` and ``null``. A path row with c conversions and u nulls adds weight c+u to
start -> first state and to every consecutive state pair, c to last -> conversion and u to
last -> null. Removing a channel redirects every transition into a state containing it to ``null``.
No simulation: P(conversion) is the start entry of x solving (I - Q) x = r.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from social_roi.attribution.paths import CONV, NULL, VALUE, has_value


@dataclass(frozen=True)
class MarkovResult:
    channels: list[str]
    p_conversion: float  # P(reach conversion from start) in the full chain
    p_removed: np.ndarray  # P(conversion) with each channel removed, aligned with channels
    removal_effects: np.ndarray  # 1 - p_removed / p_conversion (0 when p_conversion is 0)
    conversions: np.ndarray  # credited conversions, sums to the table's total conversions
    value: np.ndarray  # credited value (same shares), NaN when the table has no value
    transitions: pd.DataFrame  # row-stochastic transition probabilities, rows = transient states


def _encode_states(table: pd.DataFrame, order: int):
    """Integer state per step: the window of the last ``order`` channel codes (0 pads the start)."""
    paths = table["path"].tolist()
    lengths = np.fromiter(map(len, paths), dtype=np.int64, count=len(paths))
    codes, channels = pd.factorize(pd.Series(list(chain.from_iterable(paths)), dtype=object), sort=True)
    base = len(channels) + 1
    if float(base) ** order >= 2.0**62:
        raise ValueError(f"order {order} with {len(channels)} channels is too large to encode")
    codes = codes.astype(np.int64) + 1
    starts = np.cumsum(lengths) - lengths
    pos = np.arange(len(codes)) - np.repeat(starts, lengths)
    window = np.zeros(len(codes), dtype=np.int64)
    for lag in range(order):
        shifted = np.zeros_like(codes)
        shifted[lag:] = codes[: len(codes) - lag]
        shifted[pos < lag] = 0
        window += shifted * base**lag
    state_codes, state = np.unique(window, return_inverse=True)
    digits = (state_codes[:, None] // base ** np.arange(order)[None, :]) % base  # (states, order)
    return list(channels), lengths, starts, state, digits


def _absorb(q: np.ndarray, r: np.ndarray) -> float:
    """P(conversion) from start (index 0) for transient block q and conversion column r."""
    return float(np.linalg.solve(np.eye(len(q)) - q, r)[0])


def markov_model(table: pd.DataFrame, order: int = 1) -> MarkovResult:
    """Fit the order-``order`` chain on an (aggregated) path table and compute removal effects."""
    if order < 1:
        raise ValueError(f"order must be >= 1, got {order}")
    table = table[(table[CONV] + table[NULL]) > 0]
    total_conv = float(table[CONV].sum())
    total_value = float(table[VALUE].sum()) if has_value(table) else np.nan
    if len(table) == 0:
        empty = np.zeros(0)
        return MarkovResult([], 0.0, empty, empty, empty, empty, pd.DataFrame())
    channels, lengths, starts, state, digits = _encode_states(table, order)
    conv, null = table[CONV].to_numpy(float), table[NULL].to_numpy(float)
    weight = conv + null
    n_states = len(digits) + 1  # transient states: 0 = start, 1.. = windows
    idx = state + 1
    ends = starts + lengths - 1
    step_weight = np.repeat(weight, lengths)
    inner = np.ones(len(idx), dtype=bool)
    inner[ends] = False  # a step followed by another step of the same path
    src = np.concatenate([np.zeros(len(starts), dtype=np.int64), idx[inner]])
    dst = np.concatenate([idx[starts], idx[1:][inner[:-1]]])
    flows = np.bincount(
        src * n_states + dst, weights=np.concatenate([weight, step_weight[inner]]), minlength=n_states * n_states
    ).reshape(n_states, n_states)
    to_conv = np.bincount(idx[ends], weights=conv, minlength=n_states)
    to_null = np.bincount(idx[ends], weights=null, minlength=n_states)
    out_total = flows.sum(axis=1) + to_conv + to_null  # > 0 for every state (each is on a weighted path)
    q, r = flows / out_total[:, None], to_conv / out_total

    p_full = _absorb(q, r)
    p_removed = np.empty(len(channels))
    for c in range(len(channels)):
        contains = np.concatenate([[False], (digits == c + 1).any(axis=1)])
        q_removed = q.copy()
        q_removed[:, contains] = 0.0  # flow into any state with channel c now goes to null
        p_removed[c] = _absorb(q_removed, r)
    effects = 1.0 - p_removed / p_full if p_full > 0 else np.zeros(len(channels))
    effects = np.clip(effects, 0.0, 1.0)  # exact maths gives [0, 1]; clip float noise
    shares = effects / effects.sum() if effects.sum() > 0 else np.zeros(len(channels))

    labels = ["(start)"] + [">".join(channels[d - 1] for d in row[::-1] if d) for row in digits]
    transitions = pd.DataFrame(q, index=labels, columns=labels)
    transitions["(conversion)"], transitions["(null)"] = r, to_null / out_total
    return MarkovResult(channels, p_full, p_removed, effects, shares * total_conv, shares * total_value, transitions)


def markov_attribution(table: pd.DataFrame, order: int = 1) -> pd.DataFrame:
    """Channel totals (``channel, conversions, value``) of the removal-effect Markov model."""
    result = markov_model(table, order)
    return pd.DataFrame({"channel": result.channels, "conversions": result.conversions, "value": result.value})
