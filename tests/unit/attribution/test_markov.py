import numpy as np
import pandas as pd
import pytest

from social_roi.attribution.markov import markov_attribution, markov_model
from social_roi.attribution.paths import make_path_table

# Three paths (conversions, nulls, value):  A>B (3, 1, 30),  A (1, 1, 10),  B (1, 1, 10)
HAND = make_path_table(
    pd.DataFrame(
        {
            "path": ["A>B", "A", "B"],
            "total_conversions": [3, 1, 1],
            "total_null": [1, 1, 1],
            "total_conversion_value": [30, 10, 10],
        }
    )
)


def test_hand_solved_three_paths():
    result = markov_model(HAND)
    t = result.transitions
    # start: ->A weight 4 (A>B) + 2 (A) = 6, ->B weight 2; total 8 -> 3/4, 1/4
    assert t.loc["(start)", "A"] == pytest.approx(0.75) and t.loc["(start)", "B"] == pytest.approx(0.25)
    # A: ->B 4, ->conv 1, ->null 1; total 6 -> 2/3, 1/6, 1/6
    assert t.loc["A", ["B", "(conversion)", "(null)"]].tolist() == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    # B: ->conv 3 + 1 = 4, ->null 1 + 1 = 2; total 6 -> 2/3, 1/3
    assert t.loc["B", ["(conversion)", "(null)"]].tolist() == pytest.approx([2 / 3, 1 / 3])
    # x_B = 2/3; x_A = 1/6 + 2/3 * 2/3 = 11/18; P = 3/4 * 11/18 + 1/4 * 2/3 = 33/72 + 12/72 = 5/8
    assert result.p_conversion == pytest.approx(5 / 8)
    # without A: start->A goes to null, P = 1/4 * 2/3 = 1/6  -> RE_A = 1 - (1/6)/(5/8) = 11/15
    # without B: A->B goes to null, x_A = 1/6, P = 3/4 * 1/6 = 1/8 -> RE_B = 1 - (1/8)/(5/8) = 4/5
    assert result.p_removed.tolist() == pytest.approx([1 / 6, 1 / 8])
    assert result.removal_effects.tolist() == pytest.approx([11 / 15, 4 / 5])
    # shares 11/23 and 12/23 of 5 conversions and of 50 value
    out = markov_attribution(HAND).set_index("channel")
    assert out["conversions"].tolist() == pytest.approx([55 / 23, 60 / 23], abs=1e-12)
    assert out["value"].tolist() == pytest.approx([550 / 23, 600 / 23], abs=1e-12)


def test_self_loops_do_not_change_conversion_probability():
    # A>A>B instead of A>B adds an A->A self-loop; absorption probabilities are unchanged
    looped = HAND.assign(path=[("A", "A", "B"), ("A",), ("B",)])
    assert markov_model(looped).removal_effects.tolist() == pytest.approx([11 / 15, 4 / 5])


def test_second_order_hand_example():
    result = markov_model(HAND, order=2)
    # states (A), (B), (A,B). (A): ->A>B 4/6, conv 1/6, null 1/6; (A,B): conv 3/4; (B): conv 1/2
    # P = 3/4 * (1/6 + 2/3 * 3/4) + 1/4 * 1/2 = 3/4 * 2/3 + 1/8 = 5/8
    assert result.p_conversion == pytest.approx(5 / 8)
    # without A: 1/4 * 1/2 = 1/8; without B: 3/4 * 1/6 = 1/8 -> both RE = 1 - 1/5 = 4/5
    assert result.removal_effects.tolist() == pytest.approx([0.8, 0.8])
    assert "A>B" in result.transitions.index


def test_no_nulls_is_safe():
    # all journeys convert: P = 1; without A only B (1 of 4 journeys) remains: P = 1/4 -> RE_A = 3/4
    # without B: A>B loses its conversion, A alone keeps it: start->A 3/4, A->conv 1/3 -> P = 1/4, RE_B = 3/4
    table = make_path_table(pd.DataFrame({"path": ["A>B", "A", "B"], "total_conversions": [2, 1, 1]}))
    result = markov_model(table)
    assert result.p_conversion == pytest.approx(1.0)
    assert result.removal_effects.tolist() == pytest.approx([0.75, 0.75])
    assert result.conversions.tolist() == pytest.approx([2.0, 2.0])
    assert np.isnan(result.value).all()


def test_single_channel_and_no_conversions():
    single = make_path_table(pd.DataFrame({"path": ["A", "A>A"], "total_conversions": [2, 1], "total_null": [5, 0]}))
    result = markov_model(single)
    assert result.removal_effects.tolist() == [1.0] and result.conversions.tolist() == [3.0]
    dead = make_path_table(pd.DataFrame({"path": ["A>B"], "total_conversions": [0], "total_null": [4]}))
    result = markov_model(dead)
    assert result.p_conversion == 0.0 and result.conversions.tolist() == [0.0, 0.0]
    empty = markov_model(make_path_table(pd.DataFrame({"path": ["A"], "total_conversions": [0]})))
    assert empty.channels == [] and empty.conversions.size == 0
