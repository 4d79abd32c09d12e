"""Scoring of the evaluation grid: TVD, its bootstrap interval and the target verdicts, on hand-made numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from social_roi.evaluation.compare import BASELINE, compare, format_comparison, tvd
from social_roi.evaluation.grid import bootstrap_tvd, verdicts


def test_tvd_by_hand():
    truth = pd.Series({"A": 0.5, "B": 0.3, BASELINE: 0.2})
    models = pd.DataFrame({"m": {"A": 0.6, "B": 0.2, BASELINE: 0.2}, "n": {"A": 0.2, "C": 0.6, BASELINE: 0.2}})
    # m: (0.1 + 0.1 + 0) / 2; n: (0.3 + 0.3 + 0.6 + 0) / 2 (C is not in the truth, B not in n)
    assert tvd(models, truth).to_dict() == pytest.approx({"m": 0.1, "n": 0.6})


def test_bootstrap_interval_holds_the_observed_tvd_and_is_zero_when_every_conversion_is_alike():
    truth = pd.Series({"A": 0.5, "B": 0.5})
    same = pd.DataFrame(
        {
            "conversion_id": [1, 1, 2, 2],
            "attribution_model": "m",
            "channel": ["A", "B"] * 2,
            "revenue": [10.0, 10.0, 30.0, 30.0],
        }
    )
    interval = bootstrap_tvd(same, truth)
    assert interval.loc["m"].tolist() == pytest.approx([0.0, 0.0])
    # two conversions, all to A or all to B: resampled shares vary, the observed TVD (0) lies inside
    split = pd.DataFrame(
        {"conversion_id": [1, 2], "attribution_model": "m", "channel": ["A", "B"], "revenue": [10.0, 10.0]}
    )
    low, high = bootstrap_tvd(split, truth, replicates=400).loc["m"]
    assert low == 0.0 and high == pytest.approx(0.5)


def test_verdicts_say_how_much_a_target_is_missed():
    result = {
        "name": "retargeting-x",
        "scenario": "retargeting",
        "retargeting_channel": "facebook_paid",
        "models": [{"model": "markov", "tvd": 0.13, "tvd_low": 0.1, "tvd_high": 0.15}],
        "truth": {"facebook_paid": 0.0},
        "bias": {"causal": {"facebook_paid": 0.035}},
    }
    lines = verdicts([result])
    assert lines[0].endswith("MISSED by 0.030")
    assert "gets 3.5 points" in lines[1] and lines[1].endswith("MISSED by 1.5 points")


def test_comparison_header_keeps_long_model_names_apart():
    truth = pd.DataFrame({"shapley_share": {"A": 0.8, BASELINE: 0.2}, "removal_share": {"A": 0.9, BASELINE: None}})
    models = pd.DataFrame({"last_non_direct": {"A": 0.8, BASELINE: 0.2}, "position_based": {"A": 0.7, BASELINE: 0.3}})
    table, distance = compare(truth, models)
    header = format_comparison(table, distance).splitlines()[1].split()
    assert header == ["channel", "truth", "removal", "last_non_direct", "position_based"]


def test_trusted_model_is_the_lowest_mean_tvd_over_every_world():
    from social_roi.evaluation.grid import trusted_model

    results = [
        {"models": [{"model": "a", "tvd": 0.10}, {"model": "b", "tvd": 0.02}, {"model": "c", "tvd": 0.01}]},
        {"models": [{"model": "a", "tvd": 0.02}, {"model": "b", "tvd": 0.06}]},  # c missing: not ranked
    ]
    trusted = trusted_model(results)
    # means by hand: a (0.10 + 0.02) / 2 = 0.06, b (0.02 + 0.06) / 2 = 0.04
    assert trusted["trusted_model"] == "b"
    assert "over 2 worlds (TVD 0.040; next a 0.060)" in trusted["why"]
    assert set(trusted["mean_tvd"]) == {"a", "b"}
