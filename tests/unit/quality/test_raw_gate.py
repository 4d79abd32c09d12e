"""The raw gate on parsed frames: a clean file passes; each fault fails the expectation meant for it."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from social_roi.quality.gate import run_raw_gate

TODAY = date(2026, 3, 10)
# The Meta key columns are named as the user sees them in Ads Manager (see expectations/raw__meta_ads.py).
KEY_COLUMNS = (
    "Campaign name › Ad set name › Ad name (or their IDs),Day (else Week / Month start, else Reporting "
    "starts),Day (else Week / Month end, else Reporting ends),breakdown (Age / Gender / Country / Region / "
    "Placement / Platform / Device platform / Impression device)"
)


def meta_ads(**changes) -> pd.DataFrame:
    """A Meta Ads daily export as the parser hands it over (typed columns, source_row)."""
    frame = pd.DataFrame(
        {
            "day": pd.Series(
                pd.array(
                    pa.array([date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 9)]), dtype=pd.ArrowDtype(pa.date32())
                )
            ),
            "campaign_id": pd.Series(["120200000000000001"] * 3, dtype="str"),
            "ad_id": pd.Series(["120200000000000011", "120200000000000011", "120200000000000012"], dtype="str"),
            "ad_name": pd.Series(["Spring A", "Spring A", "Spring B"], dtype="str"),
            "amount_spent": [12.5, 14.0, 3.25],
            "impressions": pd.array([1000, 1200, 300], dtype="Int64"),
            "link_clicks": pd.array([10, 12, None], dtype="Int64"),
            "currency": pd.Series(["EUR"] * 3, dtype="str"),
            "source_row": [2, 3, 4],
        }
    )
    for column, values in changes.items():
        frame[column] = values
    return frame


def gate(frame, fmt="meta_ads", **kwargs):
    return run_raw_gate(frame, fmt=fmt, file_name="meta_2026-03-10.csv", run_id="test-run", today=TODAY, **kwargs)


def failed(outcomes):
    return [o for o in outcomes if not o.success]


def only_failure(outcomes, column):
    bad = failed(outcomes)
    assert [o.column for o in bad] == [column], [(o.expectation, o.column, o.observed) for o in bad]
    return bad[0]


def test_clean_file_passes():
    outcomes = gate(meta_ads())
    assert outcomes and failed(outcomes) == []
    assert {o.suite for o in outcomes} == {"raw__meta_ads"}
    kinds = {o.expectation for o in outcomes}
    assert {
        "expect_column_to_exist",
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_between",
        "expect_column_values_to_match_regex",
        "expect_column_distinct_values_to_be_in_set",
    } <= kinds


def test_negative_spend():
    outcome = only_failure(gate(meta_ads(amount_spent=[12.5, -14.0, 3.25])), "amount_spent")
    assert outcome.expectation == "expect_column_values_to_be_between"
    assert "-14 at source_row=3" in outcome.observed and outcome.expected == "every value >= 0"


def test_bad_currency_code():
    outcome = only_failure(gate(meta_ads(currency=pd.Series(["EUR", "eur", "EURO"], dtype="str"))), "currency")
    assert outcome.expectation == "expect_column_values_to_match_regex"
    assert "eur at source_row=3" in outcome.observed and "EURO at source_row=4" in outcome.observed
    assert "2 of 3 row(s)" in outcome.observed and "[A-Z]{3}" in outcome.expected


def test_duplicate_keys():
    outcome = only_failure(gate(meta_ads(ad_id=pd.Series(["a1", "a2", "a2"], dtype="str"))), KEY_COLUMNS)
    assert outcome.expectation == "expect_compound_columns_to_be_unique"
    assert "source_row=3" in outcome.observed and "source_row=4" in outcome.observed


def test_future_dates():
    days = pd.Series(
        pd.array(pa.array([date(2026, 3, 8), date(2026, 3, 11), date(2026, 3, 12)]), dtype=pd.ArrowDtype(pa.date32()))
    )
    outcome = only_failure(gate(meta_ads(day=days)), "day")  # today + 1 day of slack is fine, + 2 is not
    assert "2026-03-12" in outcome.observed and "source_row=4" in outcome.observed
    assert "2026-03-11" in outcome.expected


def test_timestamps_with_time_zones_and_old_dates():
    orders = pd.DataFrame(
        {
            "order_name": pd.Series(["#1001", "#1001", "#1002"], dtype="str"),
            "line_number": pd.array([1, 2, 1], dtype="Int64"),
            "created_at": pd.to_datetime(
                ["2026-03-09 10:00:00+00:00", "2026-03-09 10:00:00+00:00", "1999-12-31 23:00:00+00:00"], utc=True
            ).astype("datetime64[us, UTC]"),
            "currency": pd.Series(["USD"] * 3, dtype="str"),
            "total": [10.0, None, 5.0],
            "source_row": [2, 3, 4],
        }
    )
    outcome = only_failure(gate(orders, fmt="shopify_orders"), "created_at")
    assert "1999-12-31" in outcome.observed and "between 2000-01-01" in outcome.expected


def test_missing_required_column_and_wrong_type():
    frame = meta_ads().drop(columns=["currency"])
    frame["amount_spent"] = pd.Series(["12.5", "14", "x"], dtype="str")
    bad = {(o.expectation, o.column): o for o in failed(gate(frame))}
    assert ("expect_column_to_exist", "currency") in bad
    kind = bad[("expect_column_distinct_values_to_be_in_set", "amount_spent__kind")]
    assert kind.observed == "[text]" and kind.expected == "amount_spent of kind number"
    assert not any(o.observed.startswith("error:") for o in bad.values())


def test_a_file_without_currency_is_quarantined():
    outcome = only_failure(gate(meta_ads(currency=pd.Series([None] * 3, dtype="str"))), "currency")
    assert outcome.expectation == "expect_column_unique_value_count_to_be_between"
    assert outcome.observed == "0" and outcome.expected == "currency holds at least one value"


def test_campaign_level_meta_export_is_keyed_on_campaign_and_day():
    frame = meta_ads(
        ad_id=pd.Series([None] * 3, dtype="str"),
        ad_name=pd.Series([None] * 3, dtype="str"),
        campaign_id=pd.Series(["c1", "c1", "c2"], dtype="str"),
    )
    assert failed(gate(frame)) == []
    frame["campaign_id"] = pd.Series(["c1"] * 3, dtype="str")  # c1 twice on 2026-03-09
    assert only_failure(gate(frame), KEY_COLUMNS).expectation == "expect_compound_columns_to_be_unique"


def test_planned_dates_may_be_in_the_future():
    deals = pd.DataFrame(
        {
            "deal_name": ["Globex"],
            "close_date": pd.to_datetime(["2027-06-30"]),
            "create_date": pd.to_datetime(["2026-03-01"]),
            "amount": [1200.0],
            "source_row": [2],
        }
    )
    assert failed(gate(deals, fmt="hubspot_deals")) == []


def test_every_fixture_export_passes_once_parsed():
    ingest = pytest.importorskip("social_roi.ingest")
    parse_file, IngestError = ingest.parse_file, pytest.importorskip("social_roi.ingest.base").IngestError
    fixtures = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "exports").glob("*"))
    checked = 0
    for path in fixtures:
        try:
            parsed = parse_file(path, salt="test-salt", today=date(2026, 12, 1))
        except IngestError:  # files the parser rejects never reach the raw gate
            continue
        for table, frame in parsed.tables.items():
            outcomes = run_raw_gate(frame, fmt=table, file_name=path.name, run_id="fixtures", today=date(2026, 12, 1))
            assert failed(outcomes) == [], (path.name, table, [o.line() for o in failed(outcomes)])
            checked += 1
    assert checked >= 10 or not fixtures


def test_unknown_format_gets_generic_checks():
    frame = pd.DataFrame(
        {
            "video_id": ["v1", "v2"],
            "published_at": pd.to_datetime(["2026-03-01", "2030-01-01"]),
            "views": [10, -1],
            "currency": ["USD", "usd"],
            "source_row": [2, 3],
        }
    )
    bad = {o.column for o in failed(gate(frame, fmt="youtube_studio"))}
    assert bad == {"published_at", "views", "currency"}


def test_docs_and_reuse_are_cheap(tmp_path):
    gate(meta_ads())  # warm: GX imported, suite registered
    started = time.perf_counter()
    for _ in range(5):
        gate(meta_ads())
    assert (time.perf_counter() - started) / 5 < 1.0
    gate(meta_ads(amount_spent=[1.0, -1.0, 2.0]), docs_dir=tmp_path / "docs")
    assert (tmp_path / "docs" / "index.html").exists()


@pytest.mark.parametrize(
    "fmt",
    [
        "shopify_orders",
        "ga4_events",
        "meta_ads",
        "instagram_posts",
        "facebook_posts",
        "linkedin_page_posts",
        "x_tweets",
    ],
)
def test_every_format_has_a_suite_that_builds(fmt):
    from social_roi.quality.registry import load_suite_module, raw_suite_name

    module = load_suite_module(raw_suite_name(fmt))
    assert fmt in module.FORMATS and module.SEVERITY in ("blocking", "warning")
    assert len(module.build_suite().expectations) > 0
