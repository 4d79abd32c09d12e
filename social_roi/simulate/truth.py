"""The additive ground truth of a simulated world: the Shapley value of its true revenue game.

v(S) is the net revenue of the world in which only the social channels in S exist: the sessions of the other
social channels are removed, their touches lift nothing, and every remaining session keeps its own random draw
(common random numbers), so v is computed exactly from the world, not estimated from data.

    phi_c = sum_{S not containing c} |S|! (n - |S| - 1)! / n! * (v(S + c) - v(S))

The values add up: v(empty) + sum_c phi_c = v(all channels) = the world's revenue, so v(empty), the revenue
that happens with no social channel at all, is the baseline compared with the models' '(no social touch)'.
With n players the exact value needs 2^n coalitions; beyond ``exact_max_players`` the Shapley value is the mean
marginal contribution over random permutations, and its standard error is reported per channel.

The removal effect of a channel, v(all) - v(all without c), is kept beside it: removal effects overlap (two
channels that both lift the same order each claim it), so they do not add up to the revenue they explain.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from social_roi.attribution.shapley import shapley_from_values

BASELINE = "(no social touch)"
MEMORY_CELLS = 5_000_000  # sessions x coalitions evaluated at once (a few float arrays of this size)


def coalition_revenue(effects, u: np.ndarray, revenue: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """v(S) for every bitmask S in ``masks`` (bit i = ``effects.players[i]``), from a world's touch effects."""
    n_players = len(effects.players)
    masks = np.asarray(masks, dtype=np.int64)
    # lifts only add purchase probability, so an order missing from the full world is missing from every coalition
    pairs = getattr(effects, "pairs", ())
    monotone = bool((effects.effect <= 0).all()) and all((pair <= 0).all() for _a, _b, pair in pairs)
    full_log = effects.base_log + effects.effect.sum(axis=1) + sum((pair for _a, _b, pair in pairs), 0.0)
    rows = np.flatnonzero(u < -np.expm1(full_log)) if monotone else None
    if rows is None:
        rows = np.arange(len(u))
    base_log, effect, player = effects.base_log[rows], effects.effect[rows], effects.player[rows]
    pair_terms = [(a, b, pair[rows]) for a, b, pair in pairs]
    draw, money = u[rows], revenue[rows]
    social = player >= 0
    out = np.empty(len(masks))
    chunk = max(1, MEMORY_CELLS // max(len(rows), 1))
    for start in range(0, len(masks), chunk):
        part = masks[start : start + chunk]
        present = ((part[None, :] >> np.arange(n_players)[:, None]) & 1).astype(float)  # players x coalitions
        log_no = base_log[:, None] + effect @ present
        for a, b, pair in pair_terms:
            log_no += pair[:, None] * (present[a] * present[b])[None, :]
        probability = -np.expm1(log_no)
        exists = ~social[:, None] | (present[np.clip(player, 0, None), :] > 0)
        out[start : start + len(part)] = money @ (exists & (draw[:, None] < probability))
    return out


def shapley_exact(value: Callable[[np.ndarray], np.ndarray], n_players: int) -> tuple[np.ndarray, float, float]:
    """Exact Shapley values of the game ``value`` (a batch function of bitmasks): phi, v(empty), v(all)."""
    v = value(np.arange(1 << n_players))
    return shapley_from_values(v, n_players), float(v[0]), float(v[-1])


def shapley_sampled(
    value: Callable[[np.ndarray], np.ndarray], n_players: int, permutations: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Shapley values as mean marginal contributions over random orders: phi, standard error, v(empty), v(all)."""
    rng = np.random.default_rng(seed)
    orders = np.array([rng.permutation(n_players) for _ in range(permutations)])
    prefix = np.zeros((permutations, n_players + 1), dtype=np.int64)
    for step in range(n_players):
        prefix[:, step + 1] = prefix[:, step] | (np.int64(1) << orders[:, step])
    v = value(prefix.ravel()).reshape(permutations, n_players + 1)
    marginal = np.zeros((permutations, n_players))
    np.put_along_axis(marginal, orders, np.diff(v, axis=1), axis=1)
    stderr = marginal.std(axis=0, ddof=1) / np.sqrt(permutations) if permutations > 1 else np.full(n_players, np.nan)
    return marginal.mean(axis=0), stderr, float(v[0, 0]), float(v[0, -1])


def additive_truth(
    effects,
    u: np.ndarray,
    revenue: np.ndarray,
    platforms: dict[str, str] | None = None,
    exact_max_players: int = 14,
    permutations: int = 400,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per social channel and one for the baseline: Shapley revenue and share of the true revenue game,
    its standard error (0 when exact), and the channel's removal effect (revenue and share) beside it."""
    players = list(effects.players)
    n = len(players)

    def value(masks: np.ndarray) -> np.ndarray:
        return coalition_revenue(effects, u, revenue, masks)

    if n <= exact_max_players:
        phi, v_empty, v_all = shapley_exact(value, n)
        stderr, method = np.zeros(n), "exact"
    else:
        phi, stderr, v_empty, v_all = shapley_sampled(value, n, permutations, seed)
        method = f"sampled ({permutations} permutations)"
    full = (1 << n) - 1
    without = value(np.array([full & ~(1 << i) for i in range(n)], dtype=np.int64))
    removal = v_all - without
    platforms = platforms or {}
    truth = pd.DataFrame(
        {
            "channel": players + [BASELINE],
            "platform": [platforms.get(p, "") for p in players] + ["(none)"],
            "shapley_revenue": np.round(np.append(phi, v_empty), 2),
            "shapley_share": np.append(phi, v_empty) / v_all if v_all else 0.0,
            "shapley_stderr_share": np.append(stderr, 0.0) / v_all if v_all else 0.0,
            "removal_revenue": np.round(np.append(removal, np.nan), 2),
            "removal_share": np.append(removal, np.nan) / v_all if v_all else 0.0,
        }
    )
    truth.attrs.update(total_revenue=v_all, baseline_revenue=v_empty, method=method)
    return truth
