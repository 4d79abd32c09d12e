"""Harder worlds: decaying and saturating touches, an interaction, zero-lift retargeting, a long cycle."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from social_roi.simulate.truth import coalition_revenue
from social_roi.simulate.world import (
    DAY_S,
    SCENARIOS,
    Scenario,
    TouchEffects,
    WorldConfig,
    _touch_weight,
    build_world,
    touch_effects,
)


def test_decayed_and_saturated_touch_weight_by_hand():
    # one customer; touches 0.2 and 5.2 days before the session: whole-day ages 0 and 5, half-life 5 days
    session = np.array([100 * DAY_S])
    touches = np.sort(session - np.array([0.2, 5.2]) * DAY_S).astype(np.int64)
    decayed = 2 ** (-0.5 / 5) + 2 ** (-5.5 / 5)
    assert _touch_weight(touches, session, 30, Scenario(half_life_days=5.0)) == pytest.approx([decayed])
    saturated = 3 * (1 - math.exp(-decayed / 3))
    assert _touch_weight(touches, session, 30, Scenario(half_life_days=5.0, saturation=True)) == pytest.approx(
        [saturated]
    )
    # the plain count: 2 touches; a touch 31 days back is outside the default 30-day lookback
    old = np.sort(np.append(touches, session - 31 * DAY_S))
    assert _touch_weight(old, session, 30, Scenario()) == pytest.approx([2.0])
    assert _touch_weight(old, session, 90, Scenario()) == pytest.approx([3.0])


def test_interaction_lifts_only_the_coalition_with_both_channels():
    # one email session, P = 0 without social; A and B alone lift nothing here; together log(1 - P) = log 0.5
    effects = TouchEffects(
        players=("A", "B"),
        base_log=np.array([0.0]),
        effect=np.zeros((1, 2)),
        player=np.array([-1]),
        pairs=((0, 1, np.array([math.log(0.5)])),),
    )
    v = coalition_revenue(effects, np.array([0.4]), np.array([100.0]), np.array([0, 1, 2, 3]))
    assert v.tolist() == [0.0, 0.0, 0.0, 100.0]  # Shapley then splits it 50/50, removal gives each all 100


@pytest.fixture(scope="module")
def retargeting():
    return build_world(WorldConfig(scale=0.02, days=30, seed=3, scenario="retargeting"))


def test_retargeting_channel_has_zero_causal_revenue(retargeting):
    channel = SCENARIOS["retargeting"].retargeting
    truth = retargeting.additive_truth.set_index("channel")
    assert truth.loc[channel, "shapley_revenue"] == 0.0
    assert truth.loc[channel, "removal_revenue"] == 0.0
    removal = retargeting.truth.set_index("channel").loc[channel, "incremental_revenue"]
    assert removal == 0.0
    sessions = retargeting.sessions
    assert not sessions.loc[sessions["channel"] == channel, "converted"].any()


def test_retargeting_clicks_come_shortly_before_another_session_of_their_customer(retargeting):
    s = retargeting.sessions
    channel = SCENARIOS["retargeting"].retargeting
    assert (np.diff(s["customer_index"].to_numpy()) >= 0).all()  # still sorted by customer, time
    nxt = s.groupby("customer_index")["ts"].shift(-1)
    gap = (nxt - s["ts"])[(s["channel"] == channel).to_numpy()]
    # each click precedes its target session by at most 48 hours (other sessions may fall in between)
    assert (gap.dropna() <= 48 * 3600).mean() > 0.95


def test_retargeting_clicks_precede_more_orders_than_other_channels(retargeting):
    s = retargeting.sessions
    orders = s[s["converted"]]
    by_customer = orders.groupby("customer_index")["ts"].apply(np.sort)

    def share_before_order(channel):
        clicks = s[s["channel"] == channel]
        hits = [
            np.any((t < o) & (o - t <= 2 * DAY_S))
            for c, t in zip(clicks["customer_index"], clicks["ts"])
            for o in [by_customer.get(c, np.array([]))]
        ]
        return float(np.mean(hits))

    assert share_before_order(SCENARIOS["retargeting"].retargeting) > 2 * share_before_order("facebook_organic")


def test_long_cycle_counts_video_touches_up_to_ninety_days_back():
    sessions = pd.DataFrame(
        {
            "customer_index": [0, 0],
            "ts": [0, 60 * DAY_S],
            "channel_index": [12, 7],  # youtube_organic, then direct 60 days later
        }
    )
    default = touch_effects(sessions, pd.DataFrame({"customer_index": [], "ts": []}), "default")
    long_cycle = touch_effects(sessions, pd.DataFrame({"customer_index": [], "ts": []}), "long_cycle")
    youtube = default.players.index("youtube_organic")
    assert default.effect[1, youtube] == 0.0
    assert long_cycle.effect[1, youtube] == pytest.approx(2 ** (-60.5 / 30) * math.log(1 - 0.09))


def test_generate_offers_every_scenario():
    from social_roi.cli import build_parser

    parser = build_parser()
    generate = parser._subparsers._group_actions[0].choices["generate"]
    choices = next(a.choices for a in generate._actions if a.dest == "scenario")
    assert tuple(choices) == tuple(SCENARIOS)
