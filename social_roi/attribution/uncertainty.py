"""Bootstrap intervals for data-driven channel revenue, one set per lookback window.

The input stacks several path tables (one per attribution lookback, column ``lookback_days``). For
each lookback and model the point estimate is the package's own credit (``attribute_path_table``);
the interval is a percentile bootstrap over JOURNEYS: a path row with c conversions and u nulls is
c + u journeys, and each replicate redraws them with replacement by multinomial draws:

- ``resample="stratified"`` (default): converting and null journeys are drawn separately, so every
  replicate has exactly the observed number of conversions and of nulls;
- ``resample="joint"``: one draw over all journeys (the plain iid journey bootstrap), so the number
  of conversions varies between replicates too.

A row's resampled value is its resampled conversions times its average value per conversion. Both
models are refitted on every replicate (the same replicates for both, so they compare fairly). The
refit is vectorised over replicates: the path -> state / channel-set structure is built once per
lookback and only the counts change. See docs/attribution.md, section "Uncertainty".
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from social_roi.attribution.api import attribute_path_table
from social_roi.attribution.markov import _encode_states
from social_roi.attribution.paths import (
    CONV,
    NULL,
    VALUE,
    channels_of,
    has_value,
    make_path_table,
    prepare_paths,
)
from social_roi.attribution.shapley import group_channels

LOOKBACK = "lookback_days"
BOOTSTRAP_MODELS = ("markov", "shapley")
RESAMPLING = ("stratified", "joint")
OUTPUT_COLUMNS = [
    "lookback_days",
    "attribution_model",
    "channel",
    "revenue",
    "conversions",
    "revenue_ci_low",
    "revenue_ci_high",
    "n_boot",
]
REPLICATE_COLUMNS = ["lookback_days", "attribution_model", "replicate", "channel", "conversions", "revenue"]
_BATCH_FLOATS = 2_000_000  # bound on the floats of one vectorised batch of replicates


# --- resampling ---------------------------------------------------------------------------------------


def _multinomial(rng: np.random.Generator, counts: np.ndarray, n_boot: int) -> np.ndarray:
    """(n_boot, len(counts)) draws of round(total) items with probabilities counts / total.

    Integer counts keep their total exactly; non-integer counts (weighted journeys) are drawn as
    round(total) items (at least 1) and scaled back to the total.
    """
    total = float(counts.sum())
    if n_boot == 0 or total <= 0:
        return np.zeros((n_boot, len(counts)))
    n = max(1, round(total))
    draws = rng.multinomial(n, counts / total, size=n_boot).astype(float)
    return draws if n == total else draws * (total / n)


def _draw(table: pd.DataFrame, n_boot: int, rng: np.random.Generator, resample: str):
    """Resampled (conversions, nulls, value) per replicate and row, each of shape (n_boot, rows)."""
    conv, null = table[CONV].to_numpy(float), table[NULL].to_numpy(float)
    if resample == "joint":
        draws = _multinomial(rng, np.concatenate([conv, null]), n_boot)
        conv_b, null_b = draws[:, : len(conv)], draws[:, len(conv) :]
    else:
        conv_b, null_b = _multinomial(rng, conv, n_boot), _multinomial(rng, null, n_boot)
    if has_value(table):
        value = table[VALUE].to_numpy(float)
        per_conversion = np.divide(value, conv, out=np.zeros(len(conv)), where=conv > 0)
        value_b = conv_b * per_conversion
    else:
        value_b = np.full(conv_b.shape, np.nan)
    return conv_b, null_b, value_b


def _rng(seed: int, lookback: int) -> np.random.Generator:
    """One stream per (seed, lookback): a lookback's replicates do not depend on the other lookbacks."""
    return np.random.default_rng([seed, lookback])


# --- vectorised models ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MarkovPlan:
    channels: list[str]
    n_states: int  # transient states, 0 = start
    pair: np.ndarray  # src * n_states + dst of every transition entry
    pair_row: np.ndarray  # path row each transition entry comes from
    end: np.ndarray  # state of each row's last step
    removed: list[np.ndarray]  # per channel: the transient states containing it


def _markov_plan(table: pd.DataFrame, order: int) -> _MarkovPlan:
    """The transition structure of ``markov.markov_model`` with the counts left out."""
    channels, lengths, starts, state, digits = _encode_states(table, order)
    n_states = len(digits) + 1
    idx = state + 1
    ends = starts + lengths - 1
    rows = np.arange(len(table))
    inner = np.ones(len(idx), dtype=bool)
    inner[ends] = False
    src = np.concatenate([np.zeros(len(starts), dtype=np.int64), idx[inner]])
    dst = np.concatenate([idx[starts], idx[1:][inner[:-1]]])
    pair_row = np.concatenate([rows, np.repeat(rows, lengths)[inner]])
    removed = [1 + np.flatnonzero((digits == c + 1).any(axis=1)) for c in range(len(channels))]
    return _MarkovPlan(list(channels), n_states, src * n_states + dst, pair_row, idx[ends], removed)


def _markov_shares(plan: _MarkovPlan, conv: np.ndarray, null: np.ndarray) -> np.ndarray:
    """(replicates, channels) credit shares RE_c / sum RE, as ``markov_model`` computes them.

    One inverse per replicate instead of one solve per removed channel: with M = I - Q, N = M^-1,
    x = N r and K the states containing c, zeroing Q's columns K leaves the chain on the other states,
    and by the block inverse (Schur complement) P_-c(conv) = x_0 - N_0K N_KK^-1 x_K.
    A state without resampled journeys gets an identity row (nothing flows into it), so it changes
    no absorption probability, and its channel's removal effect is 0.
    """
    b, s = conv.shape[0], plan.n_states
    offset = np.arange(b)[:, None]
    weight = conv + null
    flows = np.bincount(
        (plan.pair[None, :] + offset * s * s).ravel(), weights=weight[:, plan.pair_row].ravel(), minlength=b * s * s
    ).reshape(b, s, s)
    end = (plan.end[None, :] + offset * s).ravel()
    to_conv = np.bincount(end, weights=conv.ravel(), minlength=b * s).reshape(b, s)
    to_null = np.bincount(end, weights=null.ravel(), minlength=b * s).reshape(b, s)
    out_total = flows.sum(axis=2) + to_conv + to_null
    out_total = np.where(out_total > 0, out_total, 1.0)
    q, r = flows / out_total[:, :, None], to_conv / out_total
    inverse = np.linalg.inv(np.eye(s) - q)
    x = (inverse @ r[:, :, None])[:, :, 0]
    p_full = x[:, :1]
    p_removed = np.empty((b, len(plan.channels)))
    for c, k in enumerate(plan.removed):
        z = np.linalg.solve(inverse[:, k[:, None], k[None, :]], x[:, k, None])  # N_KK^-1 x_K
        p_removed[:, c] = x[:, 0] - (inverse[:, 0, k][:, None, :] @ z)[:, 0, 0]
    effects = np.where(p_full > 0, 1.0 - p_removed / np.where(p_full > 0, p_full, 1.0), 0.0)
    effects = np.clip(effects, 0.0, 1.0)
    total = effects.sum(axis=1, keepdims=True)
    return np.where(total > 0, effects / np.where(total > 0, total, 1.0), 0.0)


@dataclass(frozen=True)
class _ShapleyPlan:
    channels: list[str]  # players, after grouping into (other)
    masks: np.ndarray  # channel-set bitmask of each row
    weights: np.ndarray  # (2^n, n): phi = v @ weights


def _shapley_plan(table: pd.DataFrame, max_channels: int) -> _ShapleyPlan:
    """Players and masks of ``shapley.shapley_values``; the grouping is fixed from the full table."""
    with warnings.catch_warnings():  # the point estimate already warned about grouping
        warnings.simplefilter("ignore")
        mapping = group_channels(table, max_channels)
    players = sorted(set(mapping.values()))
    bit = {p: 1 << i for i, p in enumerate(players)}
    masks = np.array([_mask(path, mapping, bit) for path in table["path"]], dtype=np.int64)
    n = len(players)
    member = ((np.arange(1 << n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
    size = member.sum(axis=1)
    fact = [math.factorial(k) for k in range(n + 1)]
    w = np.array([fact[k] * fact[n - k - 1] / fact[n] for k in range(n)])
    # phi_i = sum_{T with i} w(|T|-1) v(T) - sum_{S without i} w(|S|) v(S): linear in v
    w_in = w[np.maximum(size - 1, 0)][:, None]
    w_out = w[np.minimum(size, n - 1)][:, None]
    return _ShapleyPlan(players, masks, np.where(member, w_in, -w_out))


def _mask(path: tuple[str, ...], mapping: dict[str, str], bit: dict[str, int]) -> int:
    mask = 0
    for step in path:
        mask |= bit[mapping[step]]
    return mask


def _shapley_shares(plan: _ShapleyPlan, conv: np.ndarray, null: np.ndarray) -> np.ndarray:
    """(replicates, players) shares phi_i / sum phi, as ``shapley_attribution`` computes them."""
    b, n = conv.shape[0], len(plan.channels)
    size = 1 << n
    idx = (plan.masks[None, :] + np.arange(b)[:, None] * size).ravel()
    c = np.bincount(idx, weights=conv.ravel(), minlength=b * size).reshape(b, size)
    j = np.bincount(idx, weights=(conv + null).ravel(), minlength=b * size).reshape(b, size)
    for k in range(n):  # subset sums (zeta transform) along the coalition axis
        for a in (c, j):
            view = a.reshape(b, -1, 2, 1 << k)
            view[:, :, 1, :] += view[:, :, 0, :]
    v = np.divide(c, j, out=np.zeros_like(c), where=j > 0)
    phi = v @ plan.weights
    total = phi.sum(axis=1, keepdims=True)
    return np.where(total > 0, phi / np.where(total > 0, total, 1.0), 0.0)


def _replicate_shares(
    model: str, table: pd.DataFrame, conv_b: np.ndarray, null_b: np.ndarray, *, order: int, max_channels: int
) -> tuple[list[str], np.ndarray]:
    """Channels and (replicates, channels) credit shares of ``model``, in batches bounding memory."""
    if model == "markov":
        plan = _markov_plan(table, order)
        per_replicate, shares = 4 * plan.n_states**2 + len(plan.pair), _markov_shares
    else:
        plan = _shapley_plan(table, max_channels)
        per_replicate, shares = 3 * (1 << len(plan.channels)) + 2 * len(table), _shapley_shares
    batch = max(1, _BATCH_FLOATS // per_replicate)
    parts = [shares(plan, conv_b[i : i + batch], null_b[i : i + batch]) for i in range(0, len(conv_b), batch)]
    out = np.vstack(parts) if parts else np.zeros((0, len(plan.channels)))
    return plan.channels, out


# --- public entry point ---------------------------------------------------------------------------------


def _empty(columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype=float) for c in columns})
    for c in ("lookback_days", "n_boot", "replicate"):
        if c in out:
            out[c] = out[c].astype(np.int64)
    for c in ("attribution_model", "channel"):
        if c in out:
            out[c] = out[c].astype(object)
    return out


def _check_arguments(models: Sequence[str], n_boot: int, seed: int, level: float, resample: str) -> list[str]:
    if isinstance(models, str):
        models = [models]
    unknown = [m for m in models if m not in BOOTSTRAP_MODELS]
    if unknown:
        raise ValueError(
            f"bootstrap model(s) {', '.join(map(str, unknown))} not supported; "
            f"expected some of {', '.join(BOOTSTRAP_MODELS)}"
        )
    if not isinstance(n_boot, numbers.Integral) or n_boot < 0:
        raise ValueError(f"n_boot must be an integer >= 0, got {n_boot!r}")
    if not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    if resample not in RESAMPLING:
        raise ValueError(f"resample must be one of {', '.join(RESAMPLING)}, got {resample!r}")
    return list(dict.fromkeys(models))


def _lookback_tables(path_tables: pd.DataFrame) -> Iterator[tuple[int, pd.DataFrame, pd.DataFrame]]:
    """(lookback, raw canonical table, prepared table) per lookback, ascending."""
    if LOOKBACK not in path_tables.columns:
        found = ", ".join(map(str, path_tables.columns)) or "none"
        raise ValueError(f"path tables: missing column '{LOOKBACK}' (columns found: {found})")
    days = pd.to_numeric(path_tables[LOOKBACK], errors="coerce").to_numpy(float)
    bad = ~np.isfinite(days) | (days < 0) | (days != np.round(days))
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(
            f"path tables, row {row + 1}, column '{LOOKBACK}': value "
            f"'{path_tables[LOOKBACK].iloc[row]}': expected a whole number of days >= 0"
        )
    days = days.astype(np.int64)
    table = make_path_table(path_tables, source="path tables")
    for lookback in np.unique(days):
        raw = table[days == lookback].reset_index(drop=True)
        yield int(lookback), raw, prepare_paths(raw)


def bootstrap_channel_revenue(
    path_tables: pd.DataFrame,
    models: Sequence[str] = BOOTSTRAP_MODELS,
    *,
    n_boot: int = 200,
    seed: int = 20261201,
    level: float = 0.95,
    resample: str = "stratified",
    order: int = 1,
    max_channels: int = 15,
    return_replicates: bool = False,
):
    """Channel revenue per lookback and model, with percentile bootstrap intervals over journeys.

    ``path_tables``: path-table rows (``path``, ``total_conversions``, optional ``total_null`` and
    ``total_conversion_value``) with a ``lookback_days`` column; each lookback is modelled separately.
    Returns ``lookback_days, attribution_model, channel, revenue, conversions, revenue_ci_low,
    revenue_ci_high, n_boot``: one row per lookback x model x channel. ``revenue`` and ``conversions``
    are the point estimates of ``attribute_path_table`` on the full table; the interval is the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the revenue credited over ``n_boot``
    replicates (NaN when ``n_boot`` is 0, and revenue is NaN without a value column).
    ``resample``: ``stratified`` or ``joint``, see the module docstring. ``order`` and
    ``max_channels`` are passed to the Markov and Shapley models.

    With ``return_replicates=True`` returns ``(summary, replicates)``; ``replicates`` has
    ``lookback_days, attribution_model, replicate, channel, conversions, revenue`` per replicate.
    Identical input and seed give identical output.
    """
    models = _check_arguments(models, n_boot, seed, level, resample)
    summaries, replicates = [], []
    if len(path_tables) and models:
        for lookback, raw, table in _lookback_tables(path_tables):
            summary, reps = _one_lookback(
                lookback,
                raw,
                table,
                models,
                n_boot=n_boot,
                seed=seed,
                level=level,
                resample=resample,
                order=order,
                max_channels=max_channels,
                keep_replicates=return_replicates,
            )
            summaries.append(summary)
            replicates.extend(reps)
    summary = pd.concat(summaries, ignore_index=True) if summaries else _empty(OUTPUT_COLUMNS)
    if not return_replicates:
        return summary
    replicates = pd.concat(replicates, ignore_index=True) if replicates else _empty(REPLICATE_COLUMNS)
    return summary, replicates


def _one_lookback(
    lookback: int,
    raw: pd.DataFrame,
    table: pd.DataFrame,
    models: list[str],
    *,
    n_boot: int,
    seed: int,
    level: float,
    resample: str,
    order: int,
    max_channels: int,
    keep_replicates: bool,
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    frames, replicate_frames = [], []
    if len(table) == 0:  # paths but no journeys at all: every channel gets 0
        channels = channels_of(raw)
        zero = 0.0 if has_value(raw) else np.nan
        ci = zero if n_boot > 0 else np.nan
        for model in models:
            frames.append(
                pd.DataFrame(
                    {
                        "lookback_days": lookback,
                        "attribution_model": model,
                        "channel": channels,
                        "revenue": zero,
                        "conversions": 0.0,
                        "revenue_ci_low": ci,
                        "revenue_ci_high": ci,
                        "n_boot": n_boot,
                    }
                )
            )
        return _typed(pd.concat(frames, ignore_index=True)), []

    point = attribute_path_table(table, models, order=order, max_channels=max_channels)
    conv_b, null_b, value_b = _draw(table, n_boot, _rng(seed, lookback), resample)
    total_conv, total_value = conv_b.sum(axis=1), value_b.sum(axis=1)
    quantiles = [(1.0 - level) / 2.0, (1.0 + level) / 2.0]
    for model in models:
        estimate = point[point["model"] == model].set_index("channel")
        channels, shares = _replicate_shares(model, table, conv_b, null_b, order=order, max_channels=max_channels)
        revenue_b = shares * total_value[:, None]
        if n_boot > 0 and has_value(table):
            low, high = np.quantile(revenue_b, quantiles, axis=0)
        else:
            low = high = np.full(len(channels), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "lookback_days": lookback,
                    "attribution_model": model,
                    "channel": channels,
                    "revenue": estimate["value"].reindex(channels).to_numpy(float),
                    "conversions": estimate["conversions"].reindex(channels).to_numpy(float),
                    "revenue_ci_low": low,
                    "revenue_ci_high": high,
                    "n_boot": n_boot,
                }
            )
        )
        if keep_replicates and n_boot > 0:
            replicate_frames.append(
                pd.DataFrame(
                    {
                        "lookback_days": lookback,
                        "attribution_model": model,
                        "replicate": np.repeat(np.arange(n_boot), len(channels)),
                        "channel": np.tile(np.array(channels, dtype=object), n_boot),
                        "conversions": (shares * total_conv[:, None]).ravel(),
                        "revenue": revenue_b.ravel(),
                    }
                )
            )
    return _typed(pd.concat(frames, ignore_index=True)), replicate_frames


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[OUTPUT_COLUMNS].astype(
        {
            "lookback_days": np.int64,
            "n_boot": np.int64,
            "revenue": float,
            "conversions": float,
            "revenue_ci_low": float,
            "revenue_ci_high": float,
        }
    )
    return frame.astype({"attribution_model": object, "channel": object})


def _replicate_tables(
    path_tables: pd.DataFrame, *, n_boot: int = 200, seed: int = 20261201, resample: str = "stratified"
) -> dict[int, list[pd.DataFrame]]:
    """The resampled path tables behind ``bootstrap_channel_revenue`` (same seed, same draws).

    Per lookback, ``n_boot`` canonical path tables (tuple ``path``, counts, value) over the rows of the
    prepared table; rows a replicate did not draw keep count 0. For tests and inspection: the fast
    vectorised refit must agree with the package models run on these tables.
    """
    _check_arguments(BOOTSTRAP_MODELS, n_boot, seed, 0.5, resample)
    out: dict[int, list[pd.DataFrame]] = {}
    if not len(path_tables):
        return out
    for lookback, _, table in _lookback_tables(path_tables):
        conv_b, null_b, value_b = _draw(table, n_boot, _rng(seed, lookback), resample)
        out[lookback] = [
            pd.DataFrame({"path": table["path"], CONV: conv_b[i], NULL: null_b[i], VALUE: value_b[i]})
            for i in range(n_boot)
        ]
    return out
