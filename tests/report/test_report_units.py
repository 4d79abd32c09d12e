"""The report's pure parts: metric SQL from the semantic layer on hand-made rows, French and English formats,
the maturity stages. Expected values are worked out by hand in each test."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from social_roi.report.i18n import NBSP, NNBSP, Lang
from social_roi.report.maturity import scorecard
from social_roi.report.metrics import load_metrics, metric_query


@pytest.fixture()
def con():
    con = duckdb.connect()
    con.execute(
        "create table fct_channel_roi_daily (date_day date, platform varchar, campaign_id varchar, "
        "attribution_model varchar, currency varchar, spend double, organic_cost double, cost double, "
        "attributed_conversions double, attributed_revenue double, attributed_gross_margin double)"
    )
    # facebook: spend 50 + 30, revenue 200 + 100, margin 80 + 40 -> ROAS 300/80 = 3.75, ROI (120-80)/80 = 0.5
    # x: organic cost 40, no spend, margin 10 -> ROAS null, ROI (10-40)/40 = -0.75
    # youtube: nothing spent, nothing cost -> ROAS and ROI null (never a division by zero)
    con.executemany(
        "insert into fct_channel_roi_daily values (?, ?, ?, 'linear', 'USD', ?, ?, ?, ?, ?, ?)",
        [
            [date(2026, 11, 1), "facebook", "c1", 50, 0, 50, 2, 200, 80],
            [date(2026, 11, 2), "facebook", "c1", 30, 0, 30, 1, 100, 40],
            [date(2026, 11, 2), "x", "(organic)", 0, 40, 40, 0.5, 25, 10],
            [date(2026, 11, 2), "youtube", "(organic)", 0, 0, 0, 0, 0, 0],
        ],
    )
    con.execute(
        "create table fct_platform_reconciliation (date_day date, platform varchar, claimed_conversions double, "
        "attributed_conversions double)"
    )
    # meta claims 12 where orders back 4 -> 3.0; tiktok claims 5, nothing backed -> null
    con.executemany(
        "insert into fct_platform_reconciliation values (?, ?, ?, ?)",
        [
            [date(2026, 11, 1), "facebook", 7, 3],
            [date(2026, 11, 2), "facebook", 5, 1],
            [date(2026, 11, 2), "tiktok", 5, 0],
        ],
    )
    yield con
    con.close()


def test_every_metric_of_the_issue_is_defined_once():
    assert {"revenue", "spend", "cost", "conversions", "roas", "roi", "over_claim_ratio"} <= set(load_metrics())


def test_roas_and_roi_follow_their_definitions(con):
    rows = con.execute(
        metric_query(["spend", "cost", "revenue", "conversions", "roas", "roi"], ["platform"])
    ).fetchall()
    assert rows == [
        ("facebook", 80.0, 80.0, 300.0, 3.0, pytest.approx(3.75), pytest.approx(0.5)),
        ("x", 0.0, 40.0, 25.0, 0.5, None, pytest.approx(-0.75)),
        ("youtube", 0.0, 0.0, 0.0, 0.0, None, None),
    ]


def test_over_claim_ratio_sums_before_dividing(con):
    rows = con.execute(metric_query(["claimed_conversions", "backed_conversions", "over_claim_ratio"], ["platform"]))
    assert rows.fetchall() == [("facebook", 12.0, 4.0, 3.0), ("tiktok", 5.0, 0.0, None)]


def test_metrics_of_two_marts_cannot_be_mixed():
    with pytest.raises(ValueError, match="mixes marts"):
        metric_query(["revenue", "over_claim_ratio"])


def test_french_and_english_formats():
    en, fr = Lang("en"), Lang("fr")
    assert en.number(1234567.891, 2) == "1,234,567.89"
    assert fr.number(1234567.891, 2) == f"1{NNBSP}234{NNBSP}567,89"
    assert en.money(18347.01, "USD") == f"USD{NBSP}18,347"
    assert fr.money(18347.01, "USD") == f"18{NNBSP}347{NBSP}USD"
    assert en.percent(-0.2059, 1, signed=True) == "−20.6%"
    assert fr.percent(0.075, 1, signed=True) == f"+7,5{NBSP}%"
    assert en.day(date(2026, 11, 28)) == "28 Nov 2026"
    assert fr.day(date(2026, 2, 3)) == "3 févr. 2026"
    assert fr.number(float("nan")) == "–"


def test_unknown_language_names_the_setting():
    with pytest.raises(ValueError, match="SOCIAL_ROI_REPORT_LANG"):
        Lang("de")


def test_maturity_stage_is_the_weakest_indicator():
    # identity 0.9 >= 0.80 confirmed; utm 0.96 >= 0.95 confirmed; reps 0.45 in [0.30, 0.60) moderate;
    # crm 0.61 >= 0.60 confirmed -> overall moderate
    indicators, overall = scorecard({"identity": 0.9, "utm": 0.96, "reps": 0.45, "crm": 0.61})
    assert [i.stage for i in indicators] == ["confirmed", "confirmed", "moderate", "confirmed"]
    assert overall == "moderate"
    # nothing measurable on reps -> beginner, and so is the whole team
    indicators, overall = scorecard({"identity": 0.9, "utm": 0.96, "reps": None, "crm": 0.61})
    assert indicators[2].stage == "beginner" and overall == "beginner"


def test_the_trusted_model_comes_from_the_home_else_from_the_project(tmp_path):
    import json

    from social_roi.config import Settings
    from social_roi.report.data import read_evaluation
    from social_roi.report.html import PROJECT_EVALUATION, evaluation_file

    settings = Settings(home=tmp_path, inbox=tmp_path / "inbox")
    assert evaluation_file(settings) == PROJECT_EVALUATION
    assert read_evaluation(PROJECT_EVALUATION)["trusted_model"]  # written by `social-roi evaluate --grid`
    (tmp_path / "evaluation.json").write_text(json.dumps({"trusted_model": "linear", "why": "chosen here"}))
    assert evaluation_file(settings) == tmp_path / "evaluation.json"
    assert read_evaluation(evaluation_file(settings))["trusted_model"] == "linear"
