"""The causal data-driven model: logistic fit, Shapley split of counterfactual probabilities, SQL weights."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from social_roi.attribution.api import attribute_path_table, channel_weights, split_by_channel_weights
from social_roi.attribution.causal import fit_logistic, journey_shapley


def simulated_paths(beta, n=200_000, seed=1, rates=(0.6, 0.9, 1.2)):
    """Journeys with Poisson touch counts of A, B, C converting with P = sigmoid(b0 + sum b_c min(n_c, 3)),
    as a path table (touch order within a journey does not matter to the model) with 25 per order."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rates, (n, len(rates)))
    x = np.minimum(counts, 3)
    converted = rng.random(n) < 1 / (1 + np.exp(-(beta[0] + x @ np.asarray(beta[1:]))))
    frame = pd.DataFrame(counts, columns=list("ABC")).assign(converted=converted)
    frame = frame[counts.sum(axis=1) > 0]
    grouped = frame.groupby(list("ABC"))["converted"].agg(["sum", "size"]).reset_index()
    paths = [">".join(["A"] * a + ["B"] * b + ["C"] * c) for a, b, c in grouped[list("ABC")].to_numpy()]
    return pd.DataFrame(
        {
            "path": paths,
            "total_conversions": grouped["sum"].astype(float),
            "total_null": (grouped["size"] - grouped["sum"]).astype(float),
            "total_conversion_value": 25.0 * grouped["sum"],
        }
    )


def test_fit_recovers_known_parameters():
    rng = np.random.default_rng(4)
    x = np.minimum(rng.poisson([0.6, 0.9, 1.2], (300_000, 3)), 3).astype(float)
    truth = np.array([-3.0, 0.8, 0.3, 0.0])
    y = rng.random(len(x)) < 1 / (1 + np.exp(-(truth[0] + x @ truth[1:])))
    beta = fit_logistic(x, y.astype(float), (~y).astype(float), l2=0.0)
    assert beta[:3] == pytest.approx(truth[:3], abs=0.05)
    assert 0.0 <= beta[3] < 0.03  # the zero-lift channel: held at 0 when its estimate is negative


def test_a_negative_coefficient_is_held_at_zero():
    # B's journeys convert worse: unconstrained its slope is negative; the model keeps it at exactly 0
    x = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]])
    beta = fit_logistic(x, np.array([40.0, 10.0, 5.0, 10.0]), np.array([60.0, 90.0, 95.0, 90.0]), l2=0.0)
    assert beta[2] == 0.0 and beta[1] > 0


def test_journey_shapley_by_hand():
    # b0 = 0, A adds log 3, B adds log 2: P = 1/2, 3/4, 2/3, 6/7 for {}, {A}, {B}, {A, B}
    # v = 0, 1/4, 1/6, 5/14; phi_A = (1/4 + 5/14 - 1/6) / 2, phi_B = (1/6 + 5/14 - 1/4) / 2
    phi = journey_shapley(np.array([0.0, math.log(3), math.log(2), 5.0]), np.array([1.0, 1.0, 0.0]))
    assert phi == pytest.approx([(1 / 4 + 5 / 14 - 1 / 6) / 2, (1 / 6 + 5 / 14 - 1 / 4) / 2, 0.0])
    assert phi.sum() == pytest.approx(5 / 14)


def test_credit_goes_to_causal_channels_and_revenue_is_conserved_to_the_cent():
    table = simulated_paths([-3.0, 0.8, 0.3, 0.0])
    result = attribute_path_table(table, ["causal"]).set_index("channel")
    assert result["conversions"].sum() == pytest.approx(table["total_conversions"].sum(), abs=1e-6)
    assert round(result["value"].sum(), 2) == round(table["total_conversion_value"].sum(), 2)
    share = result["value"] / result["value"].sum()
    assert share["A"] > share["B"] > share["C"]
    # C lifts nothing (its coefficient is 0): it earns nothing where A or B is present, and only the conversions
    # of journeys that touched C alone, which must go to some touch of theirs
    only_c = table[~table["path"].str.contains("A|B")]
    assert result.loc["C", "value"] == pytest.approx(only_c["total_conversion_value"].sum(), abs=0.01)


def test_sql_weights_reproduce_the_model_totals_per_conversion_split():
    table = simulated_paths([-3.0, 0.8, 0.3, 0.1], n=50_000, seed=2)
    model = attribute_path_table(table, ["causal"]).set_index("channel")["value"]
    weights = channel_weights(table, "causal")
    assert (weights["weight"] >= 0).all()
    # one conversion per converting path, valued at the path's whole value, split the way the SQL does
    converting = table[table["total_conversions"] > 0].reset_index(drop=True)
    touches = pd.DataFrame(
        [(i, step) for i, path in enumerate(converting["path"]) for step in path.split(">")],
        columns=["conversion_id", "channel"],
    )
    credit = split_by_channel_weights(touches, weights)
    value = credit * touches["conversion_id"].map(converting["total_conversion_value"])
    by_channel = value.groupby(touches["channel"]).sum()
    assert by_channel.to_dict() == pytest.approx(model.to_dict(), abs=0.01)
    assert round(by_channel.sum(), 2) == round(converting["total_conversion_value"].sum(), 2)
