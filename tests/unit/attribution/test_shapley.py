import pandas as pd
import pytest

from social_roi.attribution.paths import make_path_table
from social_roi.attribution.shapley import OTHER, group_channels, shapley_attribution, shapley_values


def table(rows):
    return make_path_table(
        pd.DataFrame(rows, columns=["path", "total_conversions", "total_null", "total_conversion_value"])
    )


def test_two_channel_hand_example():
    t = table([["A", 1, 3, 10], ["B", 1, 1, 10], ["A>B>A", 2, 1, 20], ["B>A", 1, 0, 10]])
    # channel sets: {A}: 1 conv / 4 journeys, {B}: 1 / 2, {A,B}: 3 / 4
    # v(A) = 1/4, v(B) = 1/2, v(AB) = (1 + 1 + 3) / (4 + 2 + 4) = 1/2
    # phi_A = 1/2 (v(A) - 0) + 1/2 (v(AB) - v(B)) = 1/8 + 0 = 1/8
    # phi_B = 1/2 (v(B) - 0) + 1/2 (v(AB) - v(A)) = 1/4 + 1/8 = 3/8
    assert shapley_values(t).to_dict() == pytest.approx({"A": 0.125, "B": 0.375})
    # scaled to 5 conversions and 50 value: A 1/4 share, B 3/4
    out = shapley_attribution(t).set_index("channel")
    assert out["conversions"].to_dict() == pytest.approx({"A": 1.25, "B": 3.75})
    assert out["value"].to_dict() == pytest.approx({"A": 12.5, "B": 37.5})


def test_negative_value_when_channel_lowers_conversion_rate():
    t = table([["A", 1, 0, 5], ["A>B", 0, 1, 0]])
    # v(A) = 1, v(B) = 0 (no journey within {B}), v(AB) = 1/2
    # phi_A = 1/2 (1) + 1/2 (1/2 - 0) = 3/4 ; phi_B = 1/2 (0) + 1/2 (1/2 - 1) = -1/4 ; sum 1/2
    assert shapley_values(t).to_dict() == pytest.approx({"A": 0.75, "B": -0.25})
    out = shapley_attribution(t).set_index("channel")["conversions"]
    assert out.to_dict() == pytest.approx({"A": 1.5, "B": -0.5})


def test_three_channels_symmetric_gets_equal_shares():
    t = table([["A>B>C", 3, 3, 0]])
    # only coalition with a journey is {A,B,C}: v = 1/2 there, 0 elsewhere -> 1/6 each
    assert shapley_values(t).tolist() == pytest.approx([1 / 6] * 3)


def test_grouping_beyond_max_channels_warns():
    rows = [[f"c{i}", 1, 1, 0] for i in range(5)] + [["c0>c1", 5, 0, 0]]
    t = table(rows)
    with pytest.warns(UserWarning, match="grouped as"):
        mapping = group_channels(t, max_channels=3)
    # touches weighted by journeys: c0 and c1 have 2 + 5 = 7, the others 2 -> c0, c1 kept
    assert mapping == {"c0": "c0", "c1": "c1", "c2": OTHER, "c3": OTHER, "c4": OTHER}
    with pytest.warns(UserWarning):
        out = shapley_attribution(t, max_channels=3)
    assert sorted(out["channel"]) == [OTHER, "c0", "c1"]
    assert out["conversions"].sum() == pytest.approx(10.0)
