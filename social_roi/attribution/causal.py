"""Causal data-driven attribution: a conversion model fitted on converting and non-converting journeys, and each
conversion's credit split by Shapley values of the model's counterfactual conversion probabilities.

Model (weighted, L2-regularised logistic regression over journeys; journeys with the same path share a row):

    P(convert | x) = sigmoid(b0 + sum_c b_c * x_c),   x_c = min(touches of channel c in the journey, cap)

fitted by Newton's method on the penalised log-likelihood (penalty l2/2 * sum_c b_c^2, intercept free), with
b_c >= 0: a touch may not lower the chance to buy, so a channel whose coefficient would be negative is held at
0 (active set) and gets no credit.

Credit of one journey with channels K: the counterfactual game is v(S) = P(x restricted to S) - P(nothing) for
S within K, and channel c receives phi_c / sum_{k in K} phi_k of the journey's conversions and value, phi the
exact Shapley values of v (when every phi is 0 the journey is split equally). Its baseline P(nothing) is the
conversion rate without any social touch; conversions without a social touch keep the '(no social touch)'
bucket, as in every model.

For the pipeline's SQL, which splits each conversion over its channels in proportion to one weight per channel,
the weights are solved so that this split reproduces the model's channel totals (iterative proportional
fitting: w_c <- w_c * target_c / current_c).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from social_roi.attribution.paths import CONV, NULL, VALUE, has_value


def design(table: pd.DataFrame, cap: int) -> tuple[list[str], np.ndarray]:
    """Channels (sorted) and the capped touch-count matrix of every path of a canonical path table."""
    channels = sorted({step for path in table["path"] for step in path})
    column = {c: i for i, c in enumerate(channels)}
    x = np.zeros((len(table), len(channels)))
    for row, path in enumerate(table["path"]):
        for step in path:
            x[row, column[step]] += 1
    return channels, np.minimum(x, cap)


def fit_logistic(
    x: np.ndarray,
    positives: np.ndarray,
    negatives: np.ndarray,
    l2: float = 1.0,
    nonnegative: bool = True,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> np.ndarray:
    """Coefficients (intercept first) of a logistic model of grouped outcomes: ``positives[i]`` conversions and
    ``negatives[i]`` non-conversions share the features ``x[i]``. Penalty ``l2/2 * |b|^2`` on the slopes only."""
    n, k = x.shape
    design_matrix = np.hstack([np.ones((n, 1)), x])
    trials = positives + negatives
    penalty = np.full(k + 1, float(l2))
    penalty[0] = 0.0
    active = np.ones(k + 1, dtype=bool)
    beta = np.zeros(k + 1)
    rate = positives.sum() / trials.sum() if trials.sum() > 0 else 0.5
    beta[0] = math.log(max(rate, 1e-9) / max(1 - rate, 1e-9))
    for _round in range(k + 1):
        for _ in range(max_iter):
            a = design_matrix[:, active]
            p = 1.0 / (1.0 + np.exp(-(a @ beta[active])))
            gradient = a.T @ (positives - trials * p) - penalty[active] * beta[active]
            curvature = (a * (trials * p * (1 - p))[:, None]).T @ a
            hessian = curvature + np.diag(penalty[active]) + 1e-12 * np.eye(a.shape[1])
            step = np.linalg.solve(hessian, gradient)
            beta[active] += step
            if np.max(np.abs(step)) < tol:
                break
        negative = active & (beta < 0)
        negative[0] = False
        if not nonnegative or not negative.any():
            break
        beta[negative] = 0.0
        active &= ~negative
    return beta


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def journey_shapley(beta: np.ndarray, x_row: np.ndarray) -> np.ndarray:
    """Shapley values of v(S) = P(x on S) - P(0) over the channels present in ``x_row`` (zeros elsewhere)."""
    present = np.flatnonzero(x_row > 0)
    phi = np.zeros(len(x_row))
    k = len(present)
    if k == 0:
        return phi
    contribution = beta[1:][present] * x_row[present]
    base = _sigmoid(beta[0])
    masks = np.array(list(itertools.product((0, 1), repeat=k)), dtype=float)  # 2^k x k
    v = _sigmoid(beta[0] + masks @ contribution) - base
    index = {tuple(m.astype(int)): i for i, m in enumerate(masks)}
    fact = [math.factorial(s) for s in range(k + 1)]
    for j in range(k):
        total = 0.0
        for m, i in index.items():
            if m[j]:
                continue
            with_j = list(m)
            with_j[j] = 1
            size = sum(m)
            total += fact[size] * fact[k - size - 1] / fact[k] * (v[index[tuple(with_j)]] - v[i])
        phi[present[j]] = total
    return phi


def causal_credits(table: pd.DataFrame, l2: float = 1.0, cap: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    """Per path, each channel's share of the path's conversions (rows sum to 1), and the fitted coefficients."""
    channels, x = design(table, cap)
    beta = fit_logistic(x, table[CONV].to_numpy(float), table[NULL].to_numpy(float), l2=l2)
    shares = np.zeros_like(x)
    cache: dict[bytes, np.ndarray] = {}
    for row in range(len(x)):
        key = x[row].tobytes()
        if key not in cache:
            phi = journey_shapley(beta, x[row])
            present = x[row] > 0
            total = phi[present].sum()
            share = np.zeros(len(channels))
            share[present] = phi[present] / total if total > 0 else 1.0 / present.sum()
            cache[key] = share
        shares[row] = cache[key]
    coefficients = pd.Series(beta, index=["(intercept)", *channels])
    return pd.DataFrame(shares, columns=channels, index=table.index), coefficients


def causal_attribution(table: pd.DataFrame, l2: float = 1.0, cap: int = 3) -> pd.DataFrame:
    """Channel totals (``channel, conversions, value``) of the causal model on a canonical path table."""
    table = table[(table[CONV] + table[NULL]) > 0]
    shares, _ = causal_credits(table, l2, cap)
    conversions = shares.mul(table[CONV].to_numpy(float), axis=0).sum()
    value = shares.mul(table[VALUE].to_numpy(float), axis=0).sum() if has_value(table) else conversions * np.nan
    return pd.DataFrame({"channel": shares.columns, "conversions": conversions.to_numpy(), "value": value.to_numpy()})


def proportional_weights(
    table: pd.DataFrame, target: pd.Series, iterations: int = 500, tol: float = 1e-10
) -> pd.Series:
    """Channel weights w such that splitting each path's amount over its distinct channels in proportion to w
    gives every channel its ``target`` total (``table`` has canonical paths and an ``amount`` column)."""
    channels = list(target.index)
    column = {c: i for i, c in enumerate(channels)}
    member = np.zeros((len(table), len(channels)))
    for row, path in enumerate(table["path"]):
        for step in set(path):
            member[row, column[step]] = 1.0
    amount = table["amount"].to_numpy(float)
    goal = target.to_numpy(float)
    w = np.where(goal > 0, 1.0, 0.0)
    for _ in range(iterations):
        path_weight = member @ w
        split = np.divide(amount, path_weight, out=np.zeros_like(amount), where=path_weight > 0)
        current = w * (member.T @ split)
        ratio = np.divide(goal, current, out=np.zeros_like(goal), where=current > 0)
        w = w * ratio
        w = w / w.max() if w.max() > 0 else w
        if np.max(np.abs(current - goal)) <= tol * max(goal.sum(), 1.0):
            break
    return pd.Series(w, index=channels)


def causal_weights(table: pd.DataFrame, l2: float = 1.0, cap: int = 3) -> pd.DataFrame:
    """Channel weights for the SQL split that reproduce the causal model's channel value (or conversions)."""
    table = table[(table[CONV] + table[NULL]) > 0]
    totals = causal_attribution(table, l2, cap).set_index("channel")
    use_value = has_value(table) and float(table[VALUE].sum()) > 0
    target = totals["value"] if use_value else totals["conversions"]
    converting = table[table[CONV] > 0].assign(amount=lambda t: t[VALUE] if use_value else t[CONV])
    weights = proportional_weights(converting, target.fillna(0.0))
    return pd.DataFrame({"channel": weights.index, "weight": weights.to_numpy(), "raw_share": weights.to_numpy()})
