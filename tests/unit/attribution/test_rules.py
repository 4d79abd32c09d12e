import pandas as pd
import pytest

from social_roi.attribution.paths import make_path_table
from social_roi.attribution.rules import rule_attribution, touch_weights


def touches(channels, days=None):
    frame = pd.DataFrame({"conversion_id": 1, "touch_index": range(len(channels)), "channel": channels})
    if days is not None:
        frame["days_before_conversion"] = days
    return frame


def weights(channels, model, **params):
    return touch_weights(touches(channels), model, **params).tolist()


def test_position_based_one_two_many_touches():
    assert weights(["A"], "position_based") == [1.0]
    assert weights(["A", "B"], "position_based") == [0.5, 0.5]
    assert weights(["A", "B", "C"], "position_based") == pytest.approx([0.4, 0.2, 0.4])
    # 5 touches: middle 20% split over 3 touches = 0.2/3 each
    assert weights(list("ABCDE"), "position_based") == pytest.approx([0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4])


def test_position_based_custom_shares():
    # first 30%, last 50%, middle 20% over 2 touches; two touches: 30/(30+50), 50/(30+50)
    assert weights(list("ABCD"), "position_based", first_share=0.3, last_share=0.5) == pytest.approx(
        [0.3, 0.1, 0.1, 0.5]
    )
    assert weights(["A", "B"], "position_based", first_share=0.3, last_share=0.5) == pytest.approx([0.375, 0.625])
    with pytest.raises(ValueError):
        weights(["A"], "position_based", first_share=0.7, last_share=0.5)


def test_first_last_linear():
    assert weights(["A", "B", "C"], "first") == [1.0, 0.0, 0.0]
    assert weights(["A", "B", "C"], "last") == [0.0, 0.0, 1.0]
    assert weights(["A", "B", "C", "D"], "linear") == [0.25] * 4


def test_last_non_direct():
    assert weights(["A", "B", "direct"], "last_non_direct") == [0.0, 1.0, 0.0]
    assert weights(["direct", "direct"], "last_non_direct") == [0.0, 1.0]
    assert weights(["A", "web"], "last_non_direct", direct="web") == [1.0, 0.0]


def test_time_decay_half_life():
    # half-life 7 days: raw weights 2^(-14/7)=0.25, 2^(-7/7)=0.5, 2^0=1; total 1.75
    frame = touches(["A", "B", "C"], days=[14.0, 7.0, 0.0])
    got = touch_weights(frame, "time_decay", half_life_days=7).tolist()
    assert got == pytest.approx([0.25 / 1.75, 0.5 / 1.75, 1 / 1.75])
    # half-life 1 day, touches 1 and 3 days before: 0.5 and 0.125 -> 0.8 and 0.2
    frame = touches(["A", "B"], days=[1.0, 3.0])
    assert touch_weights(frame, "time_decay", half_life_days=1).tolist() == pytest.approx([0.8, 0.2])


def test_order_by_timestamp_and_unsorted_rows_sum_to_one_per_conversion():
    frame = pd.DataFrame(
        {
            "conversion_id": ["x", "y", "x", "y", "x"],
            "timestamp": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-01", "2024-01-05", "2024-01-02"]),
            "channel": ["C", "P", "A", "Q", "B"],
        }
    )
    got = touch_weights(frame, "position_based")
    # x ordered A, B, C -> 0.4, 0.2, 0.4; y ordered P, Q -> 0.5, 0.5
    assert got.tolist() == pytest.approx([0.4, 0.5, 0.4, 0.5, 0.2])
    assert touch_weights(frame, "first").tolist() == [0.0, 1.0, 1.0, 0.0, 0.0]


def test_rule_attribution_on_path_table():
    table = make_path_table(
        pd.DataFrame({"path": ["A>B>C", "B"], "total_conversions": [10, 2], "total_conversion_value": [100, 50]})
    )
    out = rule_attribution(table, "position_based").set_index("channel")
    # A>B>C: A 4, B 2, C 4 (value 40, 20, 40); B alone: B 2 (value 50)
    assert out["conversions"].to_dict() == pytest.approx({"A": 4.0, "B": 4.0, "C": 4.0})
    assert out["value"].to_dict() == pytest.approx({"A": 40.0, "B": 70.0, "C": 40.0})
    with pytest.raises(ValueError, match="touch times"):
        rule_attribution(table, "time_decay")
