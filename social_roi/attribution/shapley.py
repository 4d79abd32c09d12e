"""Exact Shapley-value attribution on a conversion-rate characteristic function.

For a coalition S of channels, v(S) is the conversion rate of the journeys whose channel SET is a
subset of S (journeys = conversions + nulls; v(S) = 0 when no journey qualifies, e.g. v({}) = 0):

    v(S) = sum_{T subset of S} conv(T) / sum_{T subset of S} (conv(T) + null(T))

Shapley values are computed exactly over all 2^n coalitions with bitmask arithmetic; they sum to
v(all channels) = the overall conversion rate, and are then scaled to total conversions (and value).
A channel whose journeys convert worse than those without it gets a negative value.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from social_roi.attribution.paths import CONV, NULL, VALUE, has_value

OTHER = "(other)"


def _touch_counts(table: pd.DataFrame) -> pd.Series:
    weight = (table[CONV] + table[NULL]).to_numpy()
    counts: dict[str, float] = {}
    for path, w in zip(table["path"], weight):
        for step in path:
            counts[step] = counts.get(step, 0.0) + w
    return pd.Series(counts, dtype=float)


def group_channels(table: pd.DataFrame, max_channels: int = 15) -> dict[str, str]:
    """Map each channel to itself, or to ``(other)`` when there are more than ``max_channels``.

    The top ``max_channels - 1`` channels by touches (touches weighted by journeys; ties by name)
    keep their name and the rest become ``(other)``, so at most ``max_channels`` players remain.
    """
    if max_channels < 2:
        raise ValueError(f"max_channels must be >= 2, got {max_channels}")
    touches = _touch_counts(table)
    if len(touches) <= max_channels:
        return {c: c for c in touches.index}
    ranked = sorted(touches.items(), key=lambda item: (-item[1], item[0]))
    keep = {c for c, _ in ranked[: max_channels - 1]}
    warnings.warn(
        f"Shapley: {len(touches)} channels exceed max_channels={max_channels}; "
        f"{len(touches) - len(keep)} least-touched channels are grouped as '{OTHER}'",
        stacklevel=3,
    )
    return {c: (c if c in keep else OTHER) for c in touches.index}


def coalition_values(masks: np.ndarray, conv: np.ndarray, journeys: np.ndarray, n: int) -> np.ndarray:
    """v(S) for every bitmask S in 0..2^n-1, from each journey group's channel-set mask."""
    size = 1 << n
    c = np.bincount(masks, weights=conv, minlength=size)
    j = np.bincount(masks, weights=journeys, minlength=size)
    for bit in range(n):  # subset sums (zeta transform): add every S without `bit` into S | bit
        c.reshape(-1, 2, 1 << bit)[:, 1, :] += c.reshape(-1, 2, 1 << bit)[:, 0, :]
        j.reshape(-1, 2, 1 << bit)[:, 1, :] += j.reshape(-1, 2, 1 << bit)[:, 0, :]
    return np.divide(c, j, out=np.zeros(size), where=j > 0)


def shapley_from_values(v: np.ndarray, n: int) -> np.ndarray:
    """Exact Shapley values: phi_i = sum_{S without i} |S|!(n-|S|-1)!/n! * (v(S | i) - v(S))."""
    size = 1 << n
    popcount = np.zeros(size, dtype=np.int64)
    for bit in range(n):
        popcount += (np.arange(size) >> bit) & 1
    fact = [math.factorial(k) for k in range(n + 1)]
    w = np.array([fact[s] * fact[n - s - 1] / fact[n] for s in range(n)])
    phi = np.empty(n)
    for bit in range(n):
        with_i = v.reshape(-1, 2, 1 << bit)[:, 1, :].ravel()
        without_i = v.reshape(-1, 2, 1 << bit)[:, 0, :].ravel()
        sizes = popcount.reshape(-1, 2, 1 << bit)[:, 0, :].ravel()
        phi[bit] = float(np.dot(w[sizes], with_i - without_i))
    return phi


def shapley_values(table: pd.DataFrame, max_channels: int = 15) -> pd.Series:
    """Raw Shapley values per channel (after grouping); they sum to the overall conversion rate."""
    table = table[(table[CONV] + table[NULL]) > 0]
    mapping = group_channels(table, max_channels)
    players = sorted(set(mapping.values()))
    bit_of = {p: 1 << i for i, p in enumerate(players)}
    masks = np.array([_mask(path, mapping, bit_of) for path in table["path"]], dtype=np.int64)
    conv, journeys = table[CONV].to_numpy(float), (table[CONV] + table[NULL]).to_numpy(float)
    v = coalition_values(masks, conv, journeys, len(players))
    return pd.Series(shapley_from_values(v, len(players)), index=players, dtype=float)


def _mask(path: tuple[str, ...], mapping: dict[str, str], bit_of: dict[str, int]) -> int:
    mask = 0
    for step in path:
        mask |= bit_of[mapping[step]]
    return mask


def shapley_attribution(table: pd.DataFrame, max_channels: int = 15) -> pd.DataFrame:
    """Channel totals (``channel, conversions, value``): Shapley values scaled to the table's totals."""
    phi = shapley_values(table, max_channels)
    total = phi.sum()
    shares = phi / total if total > 0 else phi * 0.0  # total is 0 only when nothing converted
    total_value = float(table[VALUE].sum()) if has_value(table) else np.nan
    return pd.DataFrame(
        {
            "channel": phi.index,
            "conversions": shares.to_numpy() * float(table[CONV].sum()),
            "value": shares.to_numpy() * total_value,
        }
    )
