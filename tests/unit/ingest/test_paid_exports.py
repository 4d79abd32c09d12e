"""Paid exports at any level, period and delivery breakdown (Meta Ads Manager, TikTok Ads, LinkedIn Campaign
Manager): parsing, the raw gate's key, and — through a real ingest and a real ``dbt build`` — that spend,
impressions, clicks, purchases and results reach the marts equal to the file's own totals, to the cent.

Expected figures are read from the fixture files with the csv module and summed here, never through the parsers.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from social_roi.ingest import parse_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"
TODAY = date(2026, 12, 1)
RUN_DAY = date(2026, 11, 30)

# file -> (format, spend column, impressions, clicks, purchases, value, results, delimiter, preamble lines)
PAID = {
    "meta_ads_en_daily.csv": (
        "meta_ads",
        "Amount spent (USD)",
        "Impressions",
        "Link clicks",
        "Purchases",
        "Purchases conversion value",
        "Results",
        ",",
        0,
    ),
    "meta_ads_lifetime_no_ids.csv": (
        "meta_ads",
        "Amount spent (USD)",
        "Impressions",
        "Link clicks",
        None,
        None,
        "Results",
        ",",
        0,
    ),
    "meta_ads_day_age_gender.csv": (
        "meta_ads",
        "Amount spent (USD)",
        "Impressions",
        "Link clicks",
        "Purchases",
        "Purchases conversion value",
        "Results",
        ",",
        0,
    ),
    "meta_ads_monthly_ad_set.csv": (
        "meta_ads",
        "Amount spent (USD)",
        "Impressions",
        "Link clicks",
        None,
        None,
        "Results",
        ",",
        0,
    ),
    "meta_ads_fr_weekly_country.csv": (
        "meta_ads",
        "Montant dépensé (EUR)",
        "Impressions",
        "Clics sur un lien",
        None,
        None,
        "Résultats",
        ";",
        0,
    ),
    "tiktok_ads_adgroup_placement.csv": (
        "tiktok_ads",
        "Cost",
        "Impressions",
        "Clicks (destination)",
        "Complete payment",
        "Total complete payment value",
        None,
        ",",
        0,
    ),
    "linkedin_ads_monthly_no_ids.csv": (
        "linkedin_ads",
        "Total Spent",
        "Impressions",
        "Clicks",
        "Conversions",
        None,
        None,
        ",",
        5,
    ),
    "linkedin_campaign_manager.csv": (
        "linkedin_ads",
        "Total Spent",
        "Impressions",
        "Clicks",
        "Conversions",
        None,
        None,
        ",",
        5,
    ),
}


def _number(text: str, decimal_comma: bool) -> Decimal:
    text = (text or "").strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if text in ("", "-"):
        return Decimal(0)
    text = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(",", "")
    return Decimal(text)


def file_totals(name: str) -> dict[str, Decimal]:
    """The file's own totals, summed from its rows with the csv module."""
    _, spend, imps, clicks, purchases, value, results, delimiter, skip = PAID[name]
    text = (FIXTURES / name).read_text(encoding="utf-8-sig")
    lines = text.splitlines()[skip:]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    comma = delimiter == ";"
    out = {}
    for key, column in (
        ("spend", spend),
        ("impressions", imps),
        ("clicks", clicks),
        ("purchases", purchases),
        ("value", value),
        ("results", results),
    ):
        out[key] = sum((_number(r[column], comma) for r in rows), Decimal(0)) if column else Decimal(0)
    return out


def _parse(name: str):
    return parse_file(FIXTURES / name, salt="test-salt", today=TODAY)


@pytest.mark.parametrize("name", sorted(PAID))
def test_every_layout_parses_every_row(name):
    result = _parse(name)
    fmt = PAID[name][0]
    assert result.format == fmt and result.problems == []
    frame = result.tables[fmt]
    totals = file_totals(name)
    assert round(Decimal(str(round(frame["amount_spent"].sum(), 2))), 2) == totals["spend"]
    assert int(frame["impressions"].sum()) == totals["impressions"]
    assert frame["entity_key"].notna().all() and frame["period_start"].notna().all()


def test_without_ids_the_key_is_the_names_path():
    frame = _parse("meta_ads_lifetime_no_ids.csv").tables["meta_ads"]
    # the same ad name runs in three ad sets of two campaigns: three entities, not one
    video = frame[frame["ad_name"] == "Video 1"]
    assert sorted(video["entity_key"]) == [
        "Black Friday › Broad › Video 1",
        "Black Friday › Lookalike 1% › Video 1",
        "Retargeting › Visitors 30d › Video 1",
    ]
    assert {str(d) for d in frame["period_start"]} == {"2026-11-01"}
    assert {str(d) for d in frame["period_end"]} == {"2026-11-03"}


def test_ids_win_over_names_in_the_path():
    frame = _parse("meta_ads_en_daily.csv").tables["meta_ads"]
    assert set(frame["entity_key"]) == {"120243641616090734 › 120243641616090800 › 120243641616090901"}


def test_breakdowns_are_kept_under_the_users_headers():
    meta = _parse("meta_ads_day_age_gender.csv").tables["meta_ads"]
    assert meta["breakdown"].iloc[0] == "Age=18-24 | Gender=female"
    french = _parse("meta_ads_fr_weekly_country.csv").tables["meta_ads"]
    assert set(french["breakdown"]) == {"Pays=FR", "Pays=BE"}
    assert [(str(a), str(b)) for a, b in zip(french["period_start"], french["period_end"])][:3] == [
        ("2026-11-02", "2026-11-08"),
        ("2026-11-02", "2026-11-08"),
        ("2026-11-09", "2026-11-15"),
    ]
    linkedin = _parse("linkedin_ads_monthly_no_ids.csv").tables["linkedin_ads"]
    assert linkedin["entity_key"].tolist()[-1] == "Launch › Decision makers"
    assert str(linkedin["period_end"].iloc[0]) == "2026-10-31"


def test_a_period_ending_before_it_starts_is_rejected_with_the_users_column(write):
    path = write(
        "meta_bad_period.csv",
        "Reporting starts,Reporting ends,Campaign name,Amount spent (USD),Impressions\n"
        "2026-11-05,2026-11-01,Winter,10.00,100\n"
        "2026-11-01,2026-11-05,Winter,20.00,200\n",
    )
    result = parse_file(path, salt="s", today=TODAY)
    assert len(result.tables["meta_ads"]) == 1
    [problem] = result.problems
    assert (problem.row, problem.column, problem.code) == (2, "Reporting ends", "bad_period")


def test_the_raw_gate_names_the_users_columns_on_a_repeated_row(write):
    from social_roi.quality.gate import run_raw_gate

    header = (
        "Day,Reporting starts,Reporting ends,Campaign name,Ad set name,Ad name,Age,Amount spent (USD),Impressions\n"
    )
    row = "2026-11-10,2026-11-10,2026-11-10,Winter,Broad,Video 1,18-24,1.00,10\n"
    path = write("meta_twice.csv", header + row + row + row.replace("18-24", "25-34"))
    result = parse_file(path, salt="s", today=TODAY)
    outcomes = run_raw_gate(
        result.tables["meta_ads"], fmt="meta_ads", file_name="meta_twice.csv", run_id="t", today=TODAY
    )
    [bad] = [o for o in outcomes if not o.success]
    assert bad.expectation == "expect_compound_columns_to_be_unique"
    assert "Campaign name › Ad set name › Ad name" in bad.column and "Age" in bad.column and "Day" in bad.column
    assert "entity_key" not in bad.column and "spend_day" not in bad.column and "period_start" not in bad.column
    assert "source_row=2" in bad.observed and "source_row=3" in bad.observed and "source_row=4" not in bad.observed
    clean = parse_file(write("meta_once.csv", header + row + row.replace("18-24", "25-34")), salt="s", today=TODAY)
    assert all(
        o.success
        for o in run_raw_gate(
            clean.tables["meta_ads"], fmt="meta_ads", file_name="meta_once.csv", run_id="t", today=TODAY
        )
    )


# ----------------------------------------------------------------------------------------------------------------
# Through a real ingest and a real dbt build


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from social_roi import pipeline
    from social_roi.config import Settings, write_demo_salt

    home = tmp_path_factory.mktemp("paid_home")
    inbox = home / "inbox" / TODAY.isoformat()
    inbox.mkdir(parents=True)
    for name in [*PAID, "ga4_events_flat.csv"]:  # web sessions: which platform a Meta campaign's clicks land on
        shutil.copy(FIXTURES / name, inbox / name)
    settings = Settings(home=home, inbox=home / "inbox")
    write_demo_salt(home)  # a throwaway home gets its own random salt
    saved = dict(os.environ)  # the in-process dbt run sets its variables: leave the session as found
    try:
        summary = pipeline.ingest(TODAY, "paid-test", settings)
        assert summary["quarantined_files"] == [], summary["quarantined_files"]
        pipeline.dbt(["build", "--select", "+int_ad_spend_daily"], RUN_DAY, settings)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return settings.work_db


def _query(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db))  # dbt (in-process) may still hold the file open read-write
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


SOURCES = {"meta_ads": "meta_ads", "tiktok_ads": "tiktok_ads", "linkedin_ads": "linkedin_campaign_manager"}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(SOURCES))
def test_marts_totals_equal_the_files_totals_to_the_cent(warehouse, fmt):
    expected = {k: Decimal(0) for k in ("spend", "impressions", "clicks", "purchases", "value", "results")}
    for name, spec in PAID.items():
        if spec[0] == fmt:
            for key, value in file_totals(name).items():
                expected[key] += value
    [(spend, impressions, clicks, purchases, results)] = _query(
        warehouse,
        "select sum(original_spend), sum(impressions), sum(link_clicks), sum(claimed_purchases), "
        "coalesce(sum(results), 0) from audit.int_ad_spend_daily where ad_source = ?",
        [SOURCES[fmt]],
    )
    assert Decimal(str(spend)).quantize(Decimal("0.01")) == expected["spend"]
    assert impressions == expected["impressions"] and clicks == expected["clicks"]
    assert Decimal(str(purchases)).quantize(Decimal("0.01")) == expected["purchases"]
    assert Decimal(str(results)).quantize(Decimal("0.01")) == expected["results"]


@pytest.mark.slow
def test_a_lifetime_row_is_spread_evenly_and_reconciled_to_the_cent(warehouse):
    rows = _query(
        warehouse,
        "select spend_date, original_spend, impressions, is_spread from audit.int_ad_spend_daily "
        "where entity_key = 'Black Friday › Broad › Video 1' order by spend_date",
    )
    # 50.01 over 3 days: 5001 cents = 1667 × 3, no remainder; 990 impressions = 330 × 3
    assert [(str(d), Decimal(str(s)).quantize(Decimal("0.01")), i, sp) for d, s, i, sp in rows] == [
        ("2026-11-01", Decimal("16.67"), 330, True),
        ("2026-11-02", Decimal("16.67"), 330, True),
        ("2026-11-03", Decimal("16.67"), 330, True),
    ]
    rows = _query(
        warehouse,
        "select spend_date, original_spend, impressions from audit.int_ad_spend_daily "
        "where entity_key = 'Black Friday › Lookalike 1% › Video 1' order by spend_date",
    )
    # 100.00 over 3 days: 10000 cents = 3333 × 3 + 1, the first day takes the cent; 5002 = 1667 × 3 + 1
    assert [(Decimal(str(s)).quantize(Decimal("0.01")), i) for _, s, i in rows] == [
        (Decimal("33.34"), 1668),
        (Decimal("33.33"), 1667),
        (Decimal("33.33"), 1667),
    ]


@pytest.mark.slow
def test_breakdown_rows_are_summed_per_entity_and_day(warehouse):
    rows = _query(
        warehouse,
        "select spend_date, original_spend, is_spread from audit.int_ad_spend_daily "
        "where entity_key = 'Winter Sale › Broad › Video 1' order by spend_date",
    )
    # 2026-11-10: 12.34 + 3.21 + 20.05 + 7.77 = 43.37; 2026-11-11: 9.99 + 15.01 = 25.00
    assert [(str(d), Decimal(str(s)).quantize(Decimal("0.01")), sp) for d, s, sp in rows] == [
        ("2026-11-10", Decimal("43.37"), False),
        ("2026-11-11", Decimal("25.00"), False),
    ]


@pytest.mark.parametrize("name", sorted(PAID))
def test_every_layout_passes_its_raw_gate(name):
    from social_roi.quality.gate import run_raw_gate

    fmt = PAID[name][0]
    outcomes = run_raw_gate(_parse(name).tables[fmt], fmt=fmt, file_name=name, run_id="t", today=TODAY)
    assert outcomes and [o for o in outcomes if not o.success] == []
    assert {o.suite for o in outcomes} == {f"raw__{fmt}"}


def test_a_repeated_tiktok_row_fails_naming_the_tiktok_columns(write):
    from social_roi.quality.gate import run_raw_gate

    lines = (FIXTURES / "tiktok_ads_adgroup_placement.csv").read_text(encoding="utf-8").splitlines()
    path = write("tiktok_twice.csv", "\n".join([*lines, lines[1]]) + "\n")
    frame = parse_file(path, salt="s", today=TODAY).tables["tiktok_ads"]
    [bad] = [
        o for o in run_raw_gate(frame, fmt="tiktok_ads", file_name="t.csv", run_id="t", today=TODAY) if not o.success
    ]
    assert "Campaign name › Ad group name › Ad name" in bad.column and "Placement" in bad.column
    assert "source_row=2" in bad.observed and f"source_row={len(lines) + 1}" in bad.observed


@pytest.mark.slow
def test_a_month_column_spreads_each_month_over_its_own_days(warehouse):
    rows = _query(
        warehouse,
        "select cast(spend_date as varchar), original_spend from audit.int_ad_spend_daily "
        "where entity_key = 'Autumn Launch › Broad' and spend_date >= date '2026-11-01' order by spend_date",
    )
    # November's 100.01 over 30 days: 10001 cents = 333 × 30 + 11, the first 11 days take a cent more
    spend = [Decimal(str(s)).quantize(Decimal("0.01")) for _, s in rows]
    assert len(rows) == 30 and rows[0][0] == "2026-11-01" and rows[-1][0] == "2026-11-30"
    assert spend == [Decimal("3.34")] * 11 + [Decimal("3.33")] * 19 and sum(spend) == Decimal("100.01")
    [(days, total)] = _query(
        warehouse,
        "select count(*), sum(original_spend) from audit.int_ad_spend_daily "
        "where entity_key = 'Autumn Launch › Lookalike 1%'",
    )
    assert (days, Decimal(str(total)).quantize(Decimal("0.01"))) == (31, Decimal("0.31"))  # a cent a day
