"""GA4 as users have it: web-interface report exports (``#`` preamble, several tables in one CSV, dates as
YYYYMMDD) load as daily aggregate traffic; BigQuery exports load with the standard flattened names or common
alternatives; through a real ingest and dbt build, traffic says whether it is session-level or aggregate.

Expected figures are read from the fixture files with the csv module here, never through the parsers.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from social_roi.ingest import IngestError, parse_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"
TODAY = date(2026, 12, 1)
REPORT = "ga4_ui_traffic_acquisition.csv"
BIGQUERY = "ga4_bigquery_alternatives.csv"


def first_dated_table(name: str) -> list[dict[str, str]]:
    """The rows of the report's first table (the lines between its header and the next ``#`` line)."""
    lines = (FIXTURES / name).read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    rows = list(csv.DictReader([line for line in lines[start:end] if line.strip()]))
    return [r for r in rows if r["Date"]]  # the undated line is the table's total


def test_report_with_preamble_and_two_tables_loads_the_dated_table():
    result = parse_file(FIXTURES / REPORT, salt="s", today=TODAY)
    assert result.format == "ga4_report" and result.problems == []
    frame = result.tables["ga4_traffic"]
    expected = first_dated_table(REPORT)
    assert len(frame) == len(expected) == 7
    assert int(frame["sessions"].sum()) == sum(int(r["Sessions"]) for r in expected)
    assert round(float(frame["revenue"].sum()), 2) == round(sum(float(r["Total revenue"]) for r in expected), 2)
    assert set(frame["scope"]) == {"session"}
    first = frame.iloc[0]
    assert (first["source"], first["medium"], first["campaign"], str(first["date"])) == (
        "facebook",
        "paid_social",
        "Black Friday",
        "2026-11-01",
    )
    assert (result.period_start, result.period_end) == (date(2026, 11, 1), date(2026, 11, 3))  # the preamble's


def test_user_acquisition_whose_dated_table_comes_second(write):
    text = (
        "# ----------------------------------------\n# User acquisition: First user source / medium\n"
        "# Start date: 20261101\n# End date: 20261102\n# ----------------------------------------\n"
        "First user primary channel group (Default channel group),Total users\nPaid Social,40\nDirect,12\n\n"
        "# ----------------------------------------\n"
        "First user source / medium,Date,Total users,New users\n"
        "facebook / paid_social,20261101,25,20\nfacebook / paid_social,20261102,15,11\n"
        "(direct) / (none),20261102,12,12\n"
    )
    result = parse_file(write("User_acquisition.csv", text), salt="s", today=TODAY)
    frame = result.tables["ga4_traffic"]
    assert result.problems == [] and set(frame["scope"]) == {"first_user"}
    assert frame["users"].tolist() == [25, 15, 12] and frame["sessions"].isna().all()


def test_a_report_without_traffic_metrics_says_what_to_add(write):
    path = write(
        "report.csv",
        "# Start date: 20261101\nSession source / medium,Date,Engagement rate\ngoogle / organic,20261101,0.5\n",
    )
    with pytest.raises(IngestError) as info:
        parse_file(path, salt="s", today=TODAY)
    problem = info.value.problems[0]
    assert problem.code == "ga4_report_without_traffic" and "'Sessions'" in problem.expected


def test_bigquery_alternatives_no_event_name_timestamp_as_text_last_click_source():
    result = parse_file(FIXTURES / BIGQUERY, salt="s", today=TODAY)
    assert result.format == "ga4_events" and result.problems == []
    frame = result.tables["ga4_events"]
    with (FIXTURES / BIGQUERY).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(frame) == len(rows) == 3
    assert [str(d) for d in frame["event_date"]] == [r["event_timestamp"][:10] for r in rows]
    assert frame["event_timestamp"].iloc[0].isoformat() == "2026-11-01T09:15:02.123456+00:00"
    assert frame["session_source"].tolist()[:2] == ["facebook", "facebook"]
    assert frame["utm_source"].tolist()[2] == "tiktok"


@pytest.mark.parametrize(
    "header",
    [
        "event_date,event_timestamp,event_name,user_pseudo_id,event_params.ga_session_id,traffic_source.source,"
        "collected_traffic_source.manual_source,session_traffic_source_last_click.manual_campaign.source",
        "event_date,event_timestamp,user_pseudo_id,event_params_ga_session_id,traffic_source_source,"
        "collected_traffic_source_manual_source,session_traffic_source_last_click_cross_channel_campaign_source",
    ],
)
def test_dotted_and_underscored_names(write, header):
    cells = {
        "event_date": "20261101",
        "event_timestamp": "1793523600000000",
        "event_name": "page_view",
        "user_pseudo_id": "1.2",
    }
    row = ",".join(cells.get(h, "x") for h in header.split(","))
    result = parse_file(write("events.csv", header + "\n" + row + "\n"), salt="s", today=TODAY)
    frame = result.tables["ga4_events"]
    assert result.problems == [] and frame["session_source"].tolist() == ["x"]
    assert frame["manual_source"].tolist() == ["x"] and frame["traffic_source_source"].tolist() == ["x"]


def test_an_event_table_without_any_date_is_rejected_naming_the_columns(write):
    with pytest.raises(IngestError) as info:
        parse_file(write("events.csv", "user_pseudo_id,ga_session_id\n1.2,3\n"), salt="s", today=TODAY)
    assert "'event_date' or 'event_timestamp'" in info.value.problems[0].expected


# ----------------------------------------------------------------------------------------------------------------
# Through a real ingest and a real dbt build


def _build(tmp_path_factory, names: list[str], select: str):
    from social_roi import pipeline
    from social_roi.config import Settings, write_demo_salt

    home = tmp_path_factory.mktemp("ga4_home")
    inbox = home / "inbox" / TODAY.isoformat()
    inbox.mkdir(parents=True)
    for name in names:
        shutil.copy(FIXTURES / name, inbox / name)
    settings = Settings(home=home, inbox=home / "inbox")
    write_demo_salt(home)  # a throwaway home gets its own random salt
    saved = dict(os.environ)  # the in-process dbt run sets its variables: leave the session as found
    try:
        summary = pipeline.ingest(TODAY, "ga4-test", settings)
        assert summary["quarantined_files"] == [], summary["quarantined_files"]
        pipeline.dbt(["build", "--select", select], date(2026, 11, 30), settings)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return settings.work_db


def _query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db))  # dbt (in-process) may still hold the file open read-write
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_report_alone_feeds_daily_traffic_as_aggregate(tmp_path_factory):
    db = _build(tmp_path_factory, [REPORT], "+int_traffic_daily")
    expected: dict[tuple[str, str], int] = defaultdict(int)
    channel = {
        "facebook / paid_social": "facebook_paid",
        "instagram / social": "instagram_organic",
        "tiktok / paid": "tiktok_paid",
    }  # by hand from macro channel_of's rules
    for r in first_dated_table(REPORT):
        day = f"{r['Date'][:4]}-{r['Date'][4:6]}-{r['Date'][6:]}"
        expected[(day, channel.get(r["Session source / medium"], "(not social)"))] += int(r["Sessions"])
    rows = _query(
        db, "select cast(traffic_date as varchar), channel, sessions, traffic_basis from audit.int_traffic_daily"
    )
    assert {(d, c): s for d, c, s, _ in rows} == dict(expected)
    assert {b for *_, b in rows} == {"aggregate_report"}


@pytest.mark.slow
def test_session_level_data_wins_on_the_days_it_covers(tmp_path_factory):
    db = _build(tmp_path_factory, [REPORT, BIGQUERY], "+int_traffic_daily")
    rows = _query(
        db,
        "select cast(traffic_date as varchar), channel, sessions, traffic_basis "
        "from audit.int_traffic_daily order by 1, 2",
    )
    by_day = defaultdict(set)
    for day, _, _, basis in rows:
        by_day[day].add(basis)
    # the BigQuery file covers 2026-11-01 and 2026-11-02 (two sessions); the report alone covers 2026-11-03
    assert by_day == {
        "2026-11-01": {"session_level"},
        "2026-11-02": {"session_level"},
        "2026-11-03": {"aggregate_report"},
    }
    session_rows = [(d, c, s) for d, c, s, b in rows if b == "session_level"]
    # 2026-11-01: one session whose only source is its last-click source (facebook / paid_social);
    # 2026-11-02: one session landing with utm_source=tiktok&utm_medium=paid
    assert session_rows == [("2026-11-01", "facebook_paid", 1), ("2026-11-02", "tiktok_paid", 1)]
