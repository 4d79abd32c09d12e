import numpy as np
import pandas as pd
import pytest

from social_roi.attribution.api import attribute_path_table
from social_roi.attribution.markov import markov_attribution
from social_roi.attribution.paths import make_path_table, prepare_paths
from social_roi.attribution.shapley import shapley_attribution
from social_roi.attribution.uncertainty import (
    OUTPUT_COLUMNS,
    REPLICATE_COLUMNS,
    _replicate_shares,
    _replicate_tables,
    bootstrap_channel_revenue,
)


def stacked_tables(seed, lookbacks=(7, 30), n_rows=80, channels="ABCDE", scale=1):
    """Random path tables (string paths joined by ' > '), one per lookback, stacked."""
    rng = np.random.default_rng(seed)
    frames = []
    for lookback in lookbacks:
        paths = [" > ".join(rng.choice(list(channels), size=rng.integers(1, 5))) for _ in range(n_rows)]
        conv = rng.integers(0, 20, n_rows)
        frames.append(
            pd.DataFrame(
                {
                    "path": paths,
                    "total_conversions": conv * scale,
                    "total_null": rng.integers(0, 60, n_rows) * scale,
                    "total_conversion_value": np.round(conv * rng.gamma(2, 25, n_rows), 2) * scale,
                    "lookback_days": lookback,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_columns_row_counts_and_point_estimates():
    frame = stacked_tables(1, lookbacks=(7, 14, 30, 90))
    out = bootstrap_channel_revenue(frame, n_boot=30)
    assert list(out.columns) == OUTPUT_COLUMNS
    assert len(out) == 4 * 2 * 5
    assert out.groupby(["lookback_days", "attribution_model"]).size().eq(5).all()
    assert (out["n_boot"] == 30).all() and out["lookback_days"].dtype == np.int64
    # point estimates are the package's own models on each lookback's table
    for lookback, rows in out.groupby("lookback_days"):
        table = frame[frame["lookback_days"] == lookback].drop(columns="lookback_days")
        ref = attribute_path_table(table, ["markov", "shapley"]).set_index(["model", "channel"])
        got = rows.set_index(["attribution_model", "channel"])
        np.testing.assert_allclose(got["revenue"], ref.loc[got.index, "value"], rtol=1e-12)
        np.testing.assert_allclose(got["conversions"], ref.loc[got.index, "conversions"], rtol=1e-12)
        totals = rows.groupby("attribution_model")["revenue"].sum()
        np.testing.assert_allclose(totals, table["total_conversion_value"].sum(), rtol=1e-12)


def test_same_seed_identical_different_seed_different():
    frame = stacked_tables(2)
    first = bootstrap_channel_revenue(frame, n_boot=40)
    again = bootstrap_channel_revenue(frame.copy(), n_boot=40)
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    other = bootstrap_channel_revenue(frame, n_boot=40, seed=7)
    pd.testing.assert_frame_equal(
        first.drop(columns=["revenue_ci_low", "revenue_ci_high"]),
        other.drop(columns=["revenue_ci_low", "revenue_ci_high"]),
    )
    assert not np.array_equal(first["revenue_ci_low"], other["revenue_ci_low"])
    assert not np.array_equal(first["revenue_ci_high"], other["revenue_ci_high"])


def test_a_lookback_does_not_depend_on_the_others():
    frame = stacked_tables(3, lookbacks=(7, 30, 90))
    alone = bootstrap_channel_revenue(frame[frame["lookback_days"] == 30], n_boot=25)
    together = bootstrap_channel_revenue(frame, n_boot=25)
    pd.testing.assert_frame_equal(alone, together[together["lookback_days"] == 30].reset_index(drop=True))


@pytest.mark.parametrize("resample", ["stratified", "joint"])
def test_interval_contains_point_estimate(resample):
    frame = stacked_tables(4, n_rows=200)
    out = bootstrap_channel_revenue(frame, n_boot=200, resample=resample)
    assert (out["revenue_ci_low"] <= out["revenue"]).all()
    assert (out["revenue"] <= out["revenue_ci_high"]).all()
    assert (out["revenue_ci_low"] < out["revenue_ci_high"]).all()


def test_single_channel_gets_all_revenue_with_zero_width_interval():
    # same average value per conversion (10) in every converting row: the stratified replicates all
    # have 5 conversions worth 50, and a single channel gets all of it
    frame = pd.DataFrame(
        {
            "path": ["A", "A > A", "A > A > A", "A"],
            "total_conversions": [3, 1, 1, 0],
            "total_null": [2, 0, 7, 4],
            "total_conversion_value": [30.0, 10.0, 10.0, 0.0],
            "lookback_days": 30,
        }
    )
    out = bootstrap_channel_revenue(frame, n_boot=100)
    assert out["channel"].tolist() == ["A", "A"]
    assert out["revenue"].tolist() == pytest.approx([50.0, 50.0])
    assert out["conversions"].tolist() == pytest.approx([5.0, 5.0])
    assert out["revenue_ci_low"].tolist() == pytest.approx([50.0, 50.0])
    assert out["revenue_ci_high"].tolist() == pytest.approx([50.0, 50.0])


def test_single_channel_joint_interval_is_the_total_revenue_interval():
    # with joint resampling the number of conversions varies, so the single channel's interval is the
    # sampling interval of the total value: not zero-width, but every replicate is fully credited
    frame = pd.DataFrame(
        {
            "path": ["A", "A > A"],
            "total_conversions": [3, 2],
            "total_null": [20, 10],
            "total_conversion_value": [30.0, 20.0],
            "lookback_days": 7,
        }
    )
    out, reps = bootstrap_channel_revenue(frame, n_boot=200, resample="joint", return_replicates=True)
    tables = _replicate_tables(frame, n_boot=200, resample="joint")[7]
    totals = np.array([t["total_conversion_value"].sum() for t in tables])
    for model in ("markov", "shapley"):
        np.testing.assert_allclose(reps[reps["attribution_model"] == model]["revenue"], totals, rtol=1e-12)
    assert (out["revenue_ci_low"] < 50).all() and (out["revenue_ci_high"] > 50).all()


def test_intervals_narrow_with_100_times_the_journeys():
    small = bootstrap_channel_revenue(stacked_tables(5), n_boot=200)
    large = bootstrap_channel_revenue(stacked_tables(5, scale=100), n_boot=200)
    np.testing.assert_allclose(large["revenue"], 100 * small["revenue"], rtol=1e-9)
    relative_small = (small["revenue_ci_high"] - small["revenue_ci_low"]) / small["revenue"].abs()
    relative_large = (large["revenue_ci_high"] - large["revenue_ci_low"]) / large["revenue"].abs()
    # the standard error shrinks like 1/sqrt(100) = 0.1
    assert (relative_large < 0.3 * relative_small).all()
    assert relative_large.median() == pytest.approx(0.1 * relative_small.median(), rel=0.5)


@pytest.mark.parametrize("resample", ["stratified", "joint"])
def test_replicates_conserve_resampled_revenue_and_match_the_package_models(resample):
    frame = stacked_tables(6)
    out, reps = bootstrap_channel_revenue(frame, n_boot=20, resample=resample, return_replicates=True)
    assert list(reps.columns) == REPLICATE_COLUMNS
    assert len(reps) == 20 * len(out)
    tables = _replicate_tables(frame, n_boot=20, resample=resample)
    assert sorted(tables) == [7, 30]
    sums = reps.groupby(["lookback_days", "attribution_model", "replicate"])[["revenue", "conversions"]].sum()
    for lookback, replicate_tables in tables.items():
        for i, table in enumerate(replicate_tables):
            for model, reference in (("markov", markov_attribution), ("shapley", shapley_attribution)):
                total = sums.loc[(lookback, model, i)]
                assert total["revenue"] == pytest.approx(table["total_conversion_value"].sum(), rel=1e-12)
                assert total["conversions"] == pytest.approx(table["total_conversions"].sum(), rel=1e-12)
                if i % 5 == 0:  # the vectorised refit is the package model on the replicate table
                    got = reps[
                        (reps["lookback_days"] == lookback)
                        & (reps["attribution_model"] == model)
                        & (reps["replicate"] == i)
                    ].set_index("channel")["revenue"]
                    ref = reference(table).set_index("channel")["value"].reindex(got.index).fillna(0.0)
                    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-7)
    if resample == "stratified":  # every replicate keeps the observed conversions and nulls
        for lookback, replicate_tables in tables.items():
            observed = frame[frame["lookback_days"] == lookback]
            for table in replicate_tables:
                assert table["total_conversions"].sum() == observed["total_conversions"].sum()
                assert table["total_null"].sum() == observed["total_null"].sum()


@pytest.mark.parametrize("order", [1, 2, 3])
def test_vectorised_markov_matches_markov_model_at_the_observed_counts(order):
    table = prepare_paths(make_path_table(stacked_tables(7, lookbacks=(7,)).drop(columns="lookback_days")))
    conv, null = table["total_conversions"].to_numpy(float)[None], table["total_null"].to_numpy(float)[None]
    channels, shares = _replicate_shares("markov", table, conv, null, order=order, max_channels=15)
    ref = markov_attribution(table, order).set_index("channel")["conversions"] / conv.sum()
    np.testing.assert_allclose(shares[0], ref.loc[channels], rtol=1e-9, atol=1e-12)


def test_shapley_grouping_is_fixed_from_the_full_table():
    frame = stacked_tables(8, lookbacks=(14,), channels="ABCDEFGH")
    with pytest.warns(UserWarning, match="grouped"):
        out, reps = bootstrap_channel_revenue(frame, ["shapley"], n_boot=10, max_channels=4, return_replicates=True)
    assert len(out) == 4 and "(other)" in out["channel"].tolist()
    assert set(reps["channel"]) == set(out["channel"])


def test_n_boot_zero_gives_point_estimates_with_nan_intervals():
    frame = stacked_tables(9)
    out = bootstrap_channel_revenue(frame, n_boot=0)
    point = bootstrap_channel_revenue(frame, n_boot=5)
    assert out["revenue_ci_low"].isna().all() and out["revenue_ci_high"].isna().all()
    assert (out["n_boot"] == 0).all()
    np.testing.assert_array_equal(out["revenue"], point["revenue"])
    _, reps = bootstrap_channel_revenue(frame, n_boot=0, return_replicates=True)
    assert reps.empty and list(reps.columns) == REPLICATE_COLUMNS


def test_empty_table_gives_empty_frame():
    columns = ["path", "total_conversions", "total_null", "total_conversion_value", "lookback_days"]
    out = bootstrap_channel_revenue(pd.DataFrame(columns=columns))
    assert out.empty and list(out.columns) == OUTPUT_COLUMNS
    assert bootstrap_channel_revenue(pd.DataFrame()).empty


def test_lookback_without_conversions_gives_zero_rows():
    frame = pd.concat(
        [
            stacked_tables(10, lookbacks=(30,)),
            pd.DataFrame(
                {
                    "path": ["A > B", "C"],
                    "total_conversions": 0,
                    "total_null": [4, 2],
                    "total_conversion_value": 0.0,
                    "lookback_days": 7,
                }
            ),
            pd.DataFrame(
                {
                    "path": ["A"],
                    "total_conversions": 0,
                    "total_null": 0,
                    "total_conversion_value": 0.0,
                    "lookback_days": 1,
                }
            ),
        ],
        ignore_index=True,
    )
    out = bootstrap_channel_revenue(frame, n_boot=20)
    for lookback, channels in ((7, ["A", "B", "C"]), (1, ["A"])):
        rows = out[out["lookback_days"] == lookback]
        assert len(rows) == 2 * len(channels) and sorted(set(rows["channel"])) == channels
        values = rows[["revenue", "conversions", "revenue_ci_low", "revenue_ci_high"]].to_numpy()
        assert (values == 0).all()
    assert out["lookback_days"].drop_duplicates().tolist() == [1, 7, 30]


def test_without_value_column_revenue_is_nan():
    frame = stacked_tables(11).drop(columns="total_conversion_value")
    out = bootstrap_channel_revenue(frame, n_boot=10)
    assert out[["revenue", "revenue_ci_low", "revenue_ci_high"]].isna().all().all()
    assert out["conversions"].notna().all()


def test_tuple_paths_and_non_integer_counts():
    frame = stacked_tables(12)
    tuples = frame.assign(path=[tuple(s.strip() for s in p.split(">")) for p in frame["path"]])
    pd.testing.assert_frame_equal(
        bootstrap_channel_revenue(frame, n_boot=10), bootstrap_channel_revenue(tuples, n_boot=10)
    )
    weighted = frame.assign(total_conversions=frame["total_conversions"] * 0.37, total_null=frame["total_null"] * 0.37)
    _, reps = bootstrap_channel_revenue(weighted, n_boot=10, return_replicates=True)
    totals = reps.groupby(["lookback_days", "attribution_model", "replicate"])["conversions"].sum()
    expected = weighted.groupby("lookback_days")["total_conversions"].sum()
    np.testing.assert_allclose(totals.to_numpy(), expected.reindex(totals.index.get_level_values(0)), rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"models": ["linear"]}, "not supported"),
        ({"n_boot": -1}, "n_boot"),
        ({"level": 1.0}, "level"),
        ({"seed": -3}, "seed"),
        ({"resample": "paths"}, "resample"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_channel_revenue(stacked_tables(13), **kwargs)


def test_bad_lookback_column():
    frame = stacked_tables(14)
    with pytest.raises(ValueError, match="missing column 'lookback_days'"):
        bootstrap_channel_revenue(frame.drop(columns="lookback_days"))
    with pytest.raises(ValueError, match="row 3, column 'lookback_days'"):
        bootstrap_channel_revenue(frame.assign(lookback_days=[7, 7, 7.5] + [7] * (len(frame) - 3)))
