"""The additive truth: Shapley values of the true revenue game, on a hand-computed world and on a simulated one."""

from __future__ import annotations

import math

import numpy as np
import pytest

from social_roi.simulate.truth import BASELINE, additive_truth, coalition_revenue
from social_roi.simulate.world import TouchEffects, WorldConfig, build_world, touch_effects


def hand_world() -> tuple[TouchEffects, np.ndarray, np.ndarray]:
    """Four sessions, two social channels A and B (log(1 - P) = base + effects of the channels present):
    s0 (search)  P = 0.5, 0.75 with A;                          u 0.6  -> buys 100 only when A exists
    s1 (email)   P = 0, 0.5 with A, 0.5 with B, 0.75 with both; u 0.7  -> buys 40 only when A and B exist
    s2 (A's own session) P = 0.9;                                 u 0.2  -> buys 10 when A exists (else no session)
    s3 (direct)  P = 0.9;                                         u 0.1  -> buys 30 in every world
    v({}) = 30, v({A}) = 140, v({B}) = 30, v({A, B}) = 180.
    Shapley: A = (110 + 150) / 2 = 130, B = (0 + 40) / 2 = 20; removal effects: A 180 - 30 = 150, B 180 - 140 = 40.
    """
    half = math.log(0.5)
    effects = TouchEffects(
        players=("A", "B"),
        base_log=np.array([half, 0.0, math.log(0.1), math.log(0.1)]),
        effect=np.array([[half, 0.0], [half, half], [0.0, 0.0], [0.0, 0.0]]),
        player=np.array([-1, -1, 0, -1]),
    )
    return effects, np.array([0.6, 0.7, 0.2, 0.1]), np.array([100.0, 40.0, 10.0, 30.0])


def test_coalition_values_of_the_hand_world():
    effects, u, revenue = hand_world()
    assert coalition_revenue(effects, u, revenue, np.array([0, 1, 2, 3])) == pytest.approx([30, 140, 30, 180])


def test_exact_shapley_truth_of_the_hand_world():
    effects, u, revenue = hand_world()
    truth = additive_truth(effects, u, revenue).set_index("channel")
    assert truth["shapley_revenue"].to_dict() == pytest.approx({"A": 130.0, "B": 20.0, BASELINE: 30.0})
    assert truth["shapley_share"].sum() == pytest.approx(1.0)
    assert truth.loc["A", "shapley_share"] == pytest.approx(130 / 180)
    assert truth.loc[["A", "B"], "removal_revenue"].tolist() == pytest.approx([150.0, 40.0])
    assert truth.attrs["method"] == "exact" and truth.attrs["total_revenue"] == pytest.approx(180.0)


def test_sampled_shapley_of_two_players_is_exact_with_its_error():
    # with two players each permutation gives A either 110 or 150: the mean is 130 up to sampling error
    effects, u, revenue = hand_world()
    truth = additive_truth(effects, u, revenue, exact_max_players=1, permutations=400, seed=3).set_index("channel")
    a, err = truth.loc["A", "shapley_revenue"], truth.loc["A", "shapley_stderr_share"] * 180
    assert 0 < err < 2.0  # sd of a 110/150 coin is 20; 20 / sqrt(400) = 1
    assert abs(a - 130.0) < 4 * err
    assert truth["shapley_revenue"].sum() == pytest.approx(180.0)  # every permutation adds up exactly
    assert truth.attrs["method"].startswith("sampled")


@pytest.fixture(scope="module")
def world():
    return build_world(WorldConfig(scale=0.02, days=30, seed=5))


def test_world_truth_adds_up_to_its_revenue(world):
    truth = world.additive_truth
    orders = float(world.sessions.loc[world.sessions["converted"], "net_revenue"].sum())
    assert truth["shapley_revenue"].sum() == pytest.approx(orders, abs=0.01 * len(truth))
    assert (truth["shapley_revenue"] >= 0).all()
    assert truth.set_index("channel").loc[BASELINE, "shapley_revenue"] > 0


def test_world_removal_effects_match_the_removal_truth(world):
    removal = world.additive_truth.set_index("channel")["removal_revenue"].dropna()
    reference = world.truth.set_index("channel")["incremental_revenue"]
    assert removal.to_dict() == pytest.approx(reference.reindex(removal.index).to_dict(), abs=0.02)


def test_world_sampled_truth_agrees_with_the_exact_one(world):
    sessions = world.sessions
    effects = touch_effects(sessions, world.exposures)
    u, revenue = sessions["u"].to_numpy(), sessions["net_revenue"].to_numpy()
    exact = additive_truth(effects, u, revenue).set_index("channel")
    sampled = additive_truth(effects, u, revenue, exact_max_players=4, permutations=300, seed=1).set_index("channel")
    gap = (sampled["shapley_share"] - exact["shapley_share"]).abs()
    err = sampled["shapley_stderr_share"].drop(BASELINE)
    assert (gap.drop(BASELINE) <= 5 * err + 1e-9).all(), (gap, err)
