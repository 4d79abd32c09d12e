import numpy as np
import pandas as pd
import pytest

from social_roi.attribution.api import (
    PATH_MODELS,
    attribute_path_table,
    channel_weights,
    split_by_channel_weights,
)
from social_roi.attribution.paths import make_path_table


def random_table(seed, n_rows=60, channels="ABCDEF", with_value=True):
    rng = np.random.default_rng(seed)
    paths = [">".join(rng.choice(list(channels), size=rng.integers(1, 7))) for _ in range(n_rows)]
    frame = pd.DataFrame(
        {"path": paths, "total_conversions": rng.integers(0, 20, n_rows), "total_null": rng.integers(0, 50, n_rows)}
    )
    if with_value:
        frame["total_conversion_value"] = np.round(rng.gamma(2, 30, n_rows), 2) * (frame.total_conversions > 0)
    return make_path_table(frame)


@pytest.mark.parametrize("seed", range(8))
def test_every_model_conserves_conversions_and_value(seed):
    table = random_table(seed)
    out = attribute_path_table(table, PATH_MODELS)
    sums = out.groupby("model")[["conversions", "value"]].sum()
    assert set(sums.index) == set(PATH_MODELS)
    np.testing.assert_allclose(sums["conversions"], table.total_conversions.sum(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(sums["value"], table.total_conversion_value.sum(), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("transform", ["unique", "exposure", "frequency"])
def test_conservation_holds_after_transforms_and_truncation(transform):
    table = random_table(99)
    out = attribute_path_table(table, transform=transform, max_path_length=3, order=2)
    sums = out.groupby("model")["conversions"].sum()
    np.testing.assert_allclose(sums, table.total_conversions.sum(), atol=1e-9)


def test_without_value_column_value_is_nan():
    out = attribute_path_table(random_table(3, with_value=False))
    assert out["value"].isna().all()
    assert list(out.columns) == ["channel", "model", "conversions", "value"]


def test_single_channel_gets_full_credit_in_every_model():
    table = make_path_table(
        pd.DataFrame(
            {
                "path": ["A", "A>A>A", "A>A"],
                "total_conversions": [3, 1, 0],
                "total_null": [2, 0, 7],
                "total_conversion_value": [30, 5, 0],
            }
        )
    )
    out = attribute_path_table(table, PATH_MODELS)
    assert (out["channel"] == "A").all() and len(out) == len(PATH_MODELS)
    assert out["conversions"].tolist() == pytest.approx([4.0] * len(PATH_MODELS))
    assert out["value"].tolist() == pytest.approx([35.0] * len(PATH_MODELS))


def test_reruns_are_identical_and_row_order_does_not_matter():
    table = random_table(5)
    first = attribute_path_table(table, PATH_MODELS)
    again = attribute_path_table(table, PATH_MODELS)
    shuffled = attribute_path_table(table.sample(frac=1, random_state=1), PATH_MODELS)
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, shuffled, check_exact=False, rtol=1e-12)


def test_raw_string_paths_accepted_and_unknown_model_rejected():
    raw = pd.DataFrame({"path": ["A > B", "B"], "total_conversions": [1, 1]})
    out = attribute_path_table(raw, ["last"]).set_index("channel")
    assert out["conversions"].to_dict() == {"A": 0.0, "B": 2.0}
    with pytest.raises(ValueError, match="unknown model"):
        attribute_path_table(raw, ["time_decay"])


def test_channel_weights_markov_are_removal_effects():
    # same table as the hand example in test_markov: RE_A = 11/15, RE_B = 4/5
    table = pd.DataFrame({"path": ["A>B", "A", "B"], "total_conversions": [3, 1, 1], "total_null": [1, 1, 1]})
    w = channel_weights(table, "markov").set_index("channel")["weight"]
    assert w.to_dict() == pytest.approx({"A": 11 / 15, "B": 0.8})
    with pytest.raises(ValueError):
        channel_weights(table, "linear")


def test_channel_weights_shapley_clip_negative():
    # from test_shapley: phi_A = 3/4, phi_B = -1/4, sum 1/2 -> weights 3/2 and 0
    table = pd.DataFrame({"path": ["A", "A>B"], "total_conversions": [1, 0], "total_null": [0, 1]})
    w = channel_weights(table, "shapley").set_index("channel")["weight"]
    assert w.to_dict() == pytest.approx({"A": 1.5, "B": 0.0})


def test_channel_weights_shapley_keep_the_signed_share():
    # the floor is reported: raw_share is phi / sum phi = 3/4 / 1/2 and -1/4 / 1/2
    table = pd.DataFrame({"path": ["A", "A>B"], "total_conversions": [1, 0], "total_null": [0, 1]})
    raw = channel_weights(table, "shapley").set_index("channel")["raw_share"]
    assert raw.to_dict() == pytest.approx({"A": 1.5, "B": -0.5})


def test_split_by_channel_weights_conserves_each_conversion():
    touches = pd.DataFrame({"conversion_id": [1, 1, 1, 2, 2, 3], "channel": ["A", "B", "A", "B", "C", "C"]})
    weights = pd.DataFrame({"channel": ["A", "B", "C"], "weight": [0.6, 0.2, 0.0]})
    got = split_by_channel_weights(touches, weights)
    # conversion 1: A 0.6/0.8 = 3/4 over 2 touches -> 3/8 each; B 1/4
    # conversion 2: B 0.2/0.2 = 1, C 0; conversion 3: only C with weight 0 -> equal split -> 1
    assert got.tolist() == pytest.approx([3 / 8, 1 / 4, 3 / 8, 1.0, 0.0, 1.0])
    assert got.groupby(touches["conversion_id"]).sum().tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_table_without_journeys_gives_empty_output():
    table = make_path_table(pd.DataFrame({"path": ["A"], "total_conversions": [0], "total_null": [0]}))
    out = attribute_path_table(table, PATH_MODELS)
    assert out.empty and list(out.columns) == ["channel", "model", "conversions", "value"]
