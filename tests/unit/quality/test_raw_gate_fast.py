"""What keeps the raw gate fast on a full year of files, without changing what it finds.

Dates reach GX as ``datetime64[ns]`` (compared vectorised) when they fit and stay ``datetime64[us]`` when not, with
the same values as the general conversion; GX sees only the columns a suite reads; suites are built once.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pytest
from test_raw_gate import TODAY, failed, gate, meta_ads, only_failure

from social_roi.quality import _gx, kit
from social_roi.quality import gate as gate_module
from social_roi.quality.registry import load_suite_module


def arrow(values, type_):
    return pd.Series(pd.array(pa.array(values, type=type_), dtype=pd.ArrowDtype(type_)))


def general_path(s: pd.Series) -> pd.Series:
    """The conversion every column took before the arrow fast path (the reference for its values)."""
    if isinstance(s.dtype, pd.ArrowDtype) or not pd.api.types.is_datetime64_any_dtype(s.dtype):
        s = pd.to_datetime(s.astype("object"), errors="coerce", utc=True, format="mixed")
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    return s.astype("datetime64[us]")


@pytest.mark.parametrize(
    "series",
    [
        arrow([date(2026, 3, 8), None, date(1999, 12, 31)], pa.date32()),
        arrow([date(2026, 3, 8), None], pa.date64()),
        arrow([datetime(2026, 3, 8, 23, 30), None], pa.timestamp("us", tz="Europe/Berlin")),
        arrow([datetime(2026, 3, 8, 23, 30, 1, 123000), None], pa.timestamp("ms")),
        arrow([datetime(2026, 3, 8, 23, 30, 1, 123456), None], pa.timestamp("ns")),
        arrow([None, None], pa.date32()),
        arrow([], pa.date32()),
        pd.Series(pd.to_datetime(["2026-03-09 10:00:00+01:00", None], utc=True).astype("datetime64[us, UTC]")),
        pd.Series(pd.to_datetime(["2026-03-09 10:00:00.123456789", None])),
        pd.Series(["2026-03-01", "not a date", None], dtype="str"),
        pd.Series([date(2026, 1, 1), None], dtype=object),
    ],
    ids=[
        "date32",
        "date64",
        "ts-berlin",
        "ts-ms",
        "ts-ns",
        "all-null",
        "empty",
        "utc-us",
        "naive-ns",
        "text",
        "date-objects",
    ],
)
def test_dates_convert_to_the_same_values_in_nanoseconds(series):
    converted = kit._naive_utc(series)
    assert converted.dtype == "datetime64[ns]"
    assert converted.astype("datetime64[us]").equals(general_path(series))


@pytest.mark.parametrize("bad", [date(1, 1, 1), date(1600, 1, 1), date(9999, 12, 31)])
def test_dates_outside_the_nanosecond_range_stay_microseconds_and_still_fail(bad):
    days = arrow([date(2026, 3, 8), bad, date(2026, 3, 9)], pa.date32())
    converted = kit._naive_utc(days)
    assert converted.dtype == "datetime64[us]" and converted.equals(general_path(days))
    outcome = only_failure(gate(meta_ads(day=days)), "day")
    assert f"{bad.isoformat()} 00:00:00 at source_row=3" in outcome.observed
    assert outcome.observed.endswith("1 of 3 row(s)")


def test_a_date_beyond_python_dates_is_left_to_the_general_path():
    days = pd.Series(pd.array(pa.array([10**7], type=pa.int32()).cast(pa.date32()), dtype=pd.ArrowDtype(pa.date32())))
    assert kit._arrow_naive_utc(days) is None
    with pytest.raises(OverflowError):  # as before: the suite's validation fails, the file is quarantined
        kit._naive_utc(days)


def test_prepared_frame_types():
    prepared = load_suite_module("raw__meta_ads").frame(meta_ads(), today=TODAY)
    assert prepared["day"].dtype == "datetime64[ns]"
    kinds = prepared["day__kind"]
    assert isinstance(kinds.dtype, pd.CategoricalDtype) and kinds.tolist() == ["datetime"] * 3
    empty = load_suite_module("raw__meta_ads").frame(meta_ads().iloc[0:0], today=TODAY)
    assert not isinstance(empty["day__kind"].dtype, pd.CategoricalDtype)  # an empty categorical keeps its category


def test_gx_sees_only_the_columns_the_suite_reads():
    module = load_suite_module("raw__meta_ads")
    prepared = module.frame(meta_ads(notes=["a", "b", "c"]), today=TODAY)
    suite = module.build_suite(columns=list(prepared.columns), today=TODAY)
    seen = _gx.columns_for(suite, prepared, ["source_row"])
    assert "notes" not in seen.columns and "ad_name" not in seen.columns
    assert {
        "source_row",
        "amount_spent",
        "amount_spent__kind",
        "Day (else Week / Month start, else Reporting starts)",
        "currency",
    } <= set(seen)
    assert list(seen.columns) == [c for c in prepared.columns if c in seen.columns]

    gxe = _gx.gx().expectations
    table_level = kit.suite(
        "t", [gxe.ExpectColumnToExist(column="day"), gxe.ExpectTableRowCountToBeBetween(min_value=1)]
    )
    assert _gx.columns_for(table_level, prepared) is prepared
    from great_expectations.expectations.row_conditions import Column

    conditional = kit.suite(
        "c", [gxe.ExpectColumnValuesToNotBeNull(column="day", row_condition=Column("notes") == "a")]
    )
    assert _gx.columns_for(conditional, prepared) is prepared


def test_a_missing_required_column_is_still_missing_for_gx():
    frame = meta_ads().drop(columns=["currency"])
    bad = {(o.expectation, o.column) for o in failed(gate(frame))}
    assert ("expect_column_to_exist", "currency") in bad


def test_suites_are_built_once_per_columns_thresholds_and_day():
    from social_roi.quality.thresholds import load_thresholds

    module = load_suite_module("raw__meta_ads")
    thresholds = load_thresholds()
    columns = list(module.frame(meta_ads(), today=TODAY).columns)
    first = gate_module._raw_suite(module, columns, thresholds, TODAY)
    assert gate_module._raw_suite(module, list(columns), load_thresholds(), TODAY) is first
    assert gate_module._raw_suite(module, columns, thresholds, date(2026, 3, 11)) is not first
    assert gate_module._raw_suite(module, columns[:-1], thresholds, TODAY) is not first


def test_alternating_files_of_one_format_keep_validating():
    with_clicks, without = meta_ads(), meta_ads().drop(columns=["link_clicks"])
    counts = []
    for frame in (with_clicks, without, with_clicks, without):
        outcomes = gate(frame)
        assert failed(outcomes) == []
        counts.append(len(outcomes))
    assert counts[0] == counts[2] > counts[1] == counts[3]


def test_a_fault_in_a_large_batch_is_found_with_its_row():
    n = 200_000
    events = pd.DataFrame(
        {
            "event_date": arrow([date(2026, 3, 1)] * n, pa.date32()),
            "event_timestamp": pd.Series(pd.Timestamp("2026-03-01 10:00", tz="UTC"), index=range(n)).astype(
                "datetime64[us, UTC]"
            ),
            "event_name": pd.Series(["page_view"] * n, dtype="str"),
            "user_pseudo_id": pd.Series([f"u{i % 5000}" for i in range(n)], dtype="str"),
            "ga_session_id": pd.Series([f"s{i % 20000}" for i in range(n)], dtype="str"),
            "page_location": pd.Series(["https://shop.example/"] * n, dtype="str"),
            "source_row": range(2, n + 2),
            "_batch_file": pd.Series([f"2026-03-{1 + i // 20000:02d}/events.csv" for i in range(n)], dtype="str"),
        }
    )
    assert failed(gate(events, fmt="ga4_events")) == []
    events.loc[123_456, "event_date"] = date(2026, 3, 20)
    outcome = only_failure(gate(events, fmt="ga4_events"), "event_date")
    assert outcome.observed == "2026-03-20 00:00:00 at source_row=123458 — 1 of 200000 row(s)"
