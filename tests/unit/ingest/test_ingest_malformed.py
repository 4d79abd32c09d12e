"""A corpus of malformed inputs: each names its reason code and the file / row / column at fault.

``kind`` "file": the whole file is rejected (IngestError); "row": the file loads and the row is quarantined.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from social_roi.ingest import IngestError, detect_format

META_H = "Reporting starts,Reporting ends,Campaign name,Campaign ID,Amount spent (EUR),Impressions,Reach,Link clicks"
META_OK = "2026-09-01,2026-09-30,Autumn,120243641616090734,12.50,100,90,3"
SHOP_H = (
    "Name,Email,Financial Status,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
    "Billing Name,Note Attributes"
)
SHOP_OK = "#1,a@x.com,paid,USD,10.00,2026-09-01 10:00:00 +0000,1,Mug,10.00,Ann,"
X_H = '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements","likes"'
X_OK = (
    '"812422485237743616","https://twitter.com/a/status/812422485237743616","hi","2016-12-23 18:50 +0000",'
    '"10.0","1.0","1.0"'
)
IG_H = "Post ID,Account ID,Account username,Publish time,Permalink,Date,Views,Reach,Likes"
IG_OK = "17900000000000001,17841400000000001,acme,09/02/2026 08:30,https://www.instagram.com/p/A/,Lifetime,10,9,1"
GA_H = "event_date,event_timestamp,event_name,user_pseudo_id,event_params.page_location"
GA_OK = "20260901,1788220800000000,page_view,1.2,https://s.example/"
LI_H = "Start Date (in UTC),Account Name,Campaign Name,Campaign ID,Currency,Total Spent,Impressions,Clicks"
LI_OK = "9/1/2026,Acme,C1,601234567,USD,10.00,100,2"
SF_H = "Opportunity Owner,Account Name,Opportunity Name,Stage,Amount,Close Date"
SF_OK = 'Dana,Globex,Deal,Closed Won,"$1,000",9/15/2026'
TT_H = "Video title,Video link,Post time,Total likes,Total views"
TT_OK = "A,https://www.tiktok.com/@a/video/1,July 16,1,10"
TTA_H = "By Day,End date,Campaign name,Cost,Impressions,Complete payment,Currency"
TTA_OK = "2026-09-01,2026-09-07,Autumn TT,10.00,100,1,USD"
GAR_H = "# Start date: 20261101\nSession source / medium,Session campaign,Date,Sessions"
GAR_OK = "google / organic,(organic),20261101,12"


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# (id, file name, content, kind, code, row, column)
CASES = [
    # ---- whole-file rejections
    ("empty", "a.csv", b"", "file", "empty_file", None, None),
    ("whitespace_only", "a.csv", b" \n\r\n  \n", "file", "empty_file", None, None),
    ("bom_only", "a.csv", b"\xef\xbb\xbf", "file", "empty_file", None, None),
    (
        "latin1_encoding",
        "a.csv",
        lines(META_H, "2026-09-01,2026-09-30,Rentr\xe9e,1,1,1,1,1".encode("latin-1").decode("latin-1")).replace(
            b"\xc3\xa9", b"\xe9"
        ),
        "file",
        "undecodable",
        2,
        None,
    ),
    ("nul_bytes_binary", "a.csv", b"Name,Email\x00\x00\x01\x02garbage", "file", "undecodable", 1, None),
    (
        "utf16_odd_bytes",
        "a.csv",
        b"\xff\xfe" + "Name,Email\n".encode("utf-16-le") + b"\x00",
        "file",
        "truncated",
        None,
        None,
    ),
    (
        "truncated_inside_quote",
        "a.csv",
        lines(X_H, X_OK)[:-1] + b'\n"9124,"https://twitter.com/a/status/9124","cut',
        "file",
        "truncated",
        3,
        None,
    ),
    (
        "truncated_short_last_row",
        "a.csv",
        lines(META_H, META_OK) + b"2026-09-01,2026-09-30,Aut",
        "file",
        "truncated",
        3,
        None,
    ),
    (
        "truncated_utf8_char",
        "a.csv",
        lines(META_H, META_OK) + b"2026-09-01,2026-09-30,Rentr\xc3",
        "file",
        "truncated",
        3,
        None,
    ),
    (
        "truncated_zip",
        "a.zip",
        zipped({"Table data.csv": b"Content,Video title,Views\nx,y,1\n"})[:40],
        "file",
        "truncated",
        None,
        None,
    ),
    ("truncated_xlsx", "a.xlsx", b"PK\x03\x04" + b"\x00" * 30, "file", "truncated", None, None),
    (
        "missing_required_column",
        "a.csv",
        lines(META_H.replace(",Impressions", ""), "2026-09-01,2026-09-30,A,1,1,1,1"),
        "file",
        "unknown_format",
        None,
        None,
    ),
    ("unknown_layout", "a.csv", lines("foo,bar,baz", "1,2,3"), "file", "unknown_format", None, None),
    (
        "duplicate_column_names",
        "a.csv",
        lines(META_H + ",Impressions", META_OK + ",5"),
        "file",
        "duplicate_column",
        1,
        "Impressions",
    ),
    (
        "zip_without_table_data",
        "Content 2026-09-01_2026-09-30 Acme.zip",
        zipped({"Chart data.csv": b"Date,Views\n2026-09-01,3\n", "Totals.csv": b"Date,Views\n2026-09-01,3\n"}),
        "file",
        "zip_member_missing",
        None,
        None,
    ),
    ("zip_empty", "a.zip", zipped({"readme.md": b"hello"}), "file", "zip_member_missing", None, None),
    (
        "line_over_1mb",
        "a.csv",
        lines(META_H, META_OK, "2026-09-01,2026-09-30," + "x" * 1_100_000 + ",1,1,1,1,1"),
        "file",
        "line_too_long",
        3,
        None,
    ),
    (
        "mixed_date_orders",
        "a.csv",
        lines(LI_H, "13/1/2026,A,C,1,USD,1,1,1", "1/14/2026,A,C,1,USD,1,1,1"),
        "file",
        "mixed_date_order",
        None,
        None,
    ),
    (
        "legacy_xls",
        "a.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "file",
        "unsupported_container",
        None,
        None,
    ),
    ("parquet_truncated", "a.parquet", b"PAR1\x00\x00\x00garbage", "file", "truncated", None, None),
    (
        "youtube_chart_only_csv",
        "Chart data.csv",
        lines("Date,Content,Views", "2026-09-01,abc,3"),
        "file",
        "secondary_table_alone",
        None,
        None,
    ),
    (
        "youtube_totals_only_csv",
        "Totals.csv",
        lines("Date,Views", "2026-09-01,3"),
        "file",
        "secondary_table_alone",
        None,
        None,
    ),
    (
        "every_row_rejected_yearless",
        "Content.csv",
        lines(TT_H, TT_OK.replace("July 16", "Smarch 3")),
        "file",
        "every_row_rejected",
        None,
        None,
    ),
    (
        "every_row_rejected_paid",
        "a.csv",
        lines(META_H, META_OK.replace("12.50", "twelve"), META_OK.replace("12.50", "-1")),
        "file",
        "every_row_rejected",
        None,
        None,
    ),
    (
        "ga4_report_without_traffic_metric",
        "report.csv",
        lines(GAR_H.replace(",Sessions", ",Engagement rate"), GAR_OK.replace(",12", ",0.5")),
        "file",
        "ga4_report_without_traffic",
        None,
        None,
    ),
    (
        "ga4_events_without_any_date",
        "events.csv",
        lines("user_pseudo_id,ga_session_id,event_name", "1.2,3,page_view"),
        "file",
        "missing_column",
        None,
        None,
    ),
    # ---- row-level rejects (file loads)
    (
        "paid_period_ends_before_it_starts",
        "a.csv",
        lines(META_H, META_OK.replace("2026-09-01,2026-09-30", "2026-09-30,2026-09-01"), META_OK),
        "row",
        "bad_period",
        2,
        "Reporting ends",
    ),
    (
        "meta_month_not_a_period",
        "a.csv",
        lines(META_H + ",Month", META_OK + ",2026-09-01 - 2026-09-30", META_OK + ",September"),
        "row",
        "bad_date",
        3,
        "Month",
    ),
    (
        "tiktok_ads_end_date_before_start",
        "a.csv",
        lines(TTA_H, TTA_OK, TTA_OK.replace("2026-09-07", "2026-08-07")),
        "row",
        "bad_period",
        3,
        "End date",
    ),
    (
        "yearless_unknown_month",
        "Content.csv",
        lines(TT_H, TT_OK, TT_OK.replace("July 16", "Smarch 3")),
        "row",
        "bad_date",
        3,
        "Post time",
    ),
    (
        "yearless_impossible_day",
        "Content.csv",
        lines(TT_H, TT_OK, TT_OK.replace("July 16", "February 30")),
        "row",
        "bad_date",
        3,
        "Post time",
    ),
    (
        "ga4_report_dated_row_without_date",
        "report.csv",
        lines(GAR_H, GAR_OK, "facebook / paid,Winter,,4"),
        "row",
        "missing_date",
        4,
        "Date",
    ),
    (
        "text_in_numeric",
        "a.csv",
        lines(META_H, META_OK.replace("12.50", "twelve")),
        "row",
        "not_a_number",
        2,
        "Amount spent (EUR)",
    ),
    (
        "negative_spend",
        "a.csv",
        lines(META_H, META_OK.replace("12.50", "-3")),
        "row",
        "negative_value",
        2,
        "Amount spent (EUR)",
    ),
    (
        "negative_impressions",
        "a.csv",
        lines(META_H, META_OK, META_OK.replace(",100,", ",-100,")),
        "row",
        "negative_value",
        3,
        "Impressions",
    ),
    (
        "future_reporting_end",
        "a.csv",
        lines(META_H, META_OK.replace("2026-09-30", "2027-01-31")),
        "row",
        "future_date",
        2,
        "Reporting ends",
    ),
    (
        "future_created_at",
        "a.csv",
        lines(SHOP_H, SHOP_OK.replace("2026-09-01", "2030-01-01")),
        "row",
        "future_date",
        2,
        "Created at",
    ),
    (
        "bad_date_text",
        "a.csv",
        lines(SHOP_H, SHOP_OK.replace("2026-09-01 10:00:00 +0000", "yesterday")),
        "row",
        "bad_date",
        2,
        "Created at",
    ),
    ("impossible_date", "a.csv", lines(LI_H, "2/30/2026,A,C,1,USD,1,1,1"), "row", "bad_date", 2, "Start Date (in UTC)"),
    ("repeated_header_line", "a.csv", lines(META_H, META_OK, META_H, META_OK), "row", "repeated_header", 3, None),
    (
        "field_count_mismatch",
        "a.csv",
        lines(META_H, META_OK, "2026-09-01,2026-09-30,Autumn", META_OK),
        "row",
        "field_count",
        3,
        None,
    ),
    (
        "excel_mangled_meta_campaign_id",
        "a.csv",
        lines(META_H, META_OK.replace("120243641616090734", "1.20244E+17")),
        "row",
        "mangled_id",
        2,
        "Campaign ID",
    ),
    (
        "excel_mangled_tweet_id_no_permalink",
        "a.csv",
        lines(
            X_H, X_OK.replace('"812422485237743616","https://twitter.com/a/status/812422485237743616"', '"8.12E+17",""')
        ),
        "row",
        "mangled_id",
        2,
        "Tweet id",
    ),
    (
        "excel_mangled_instagram_id",
        "a.csv",
        lines(IG_H, IG_OK.replace("17900000000000001", "1.79E+16")),
        "row",
        "mangled_id",
        2,
        "Post ID",
    ),
    (
        "count_not_whole",
        "a.csv",
        lines(X_H, X_OK.replace('"10.0","1.0","1.0"', '"10.5","1.0","1.0"')),
        "row",
        "not_a_number",
        2,
        "impressions",
    ),
    (
        "ga4_timestamp_text",
        "a.csv",
        lines(GA_H, GA_OK.replace("1788220800000000", "noon")),
        "row",
        "not_a_number",
        2,
        "event_timestamp",
    ),
    (
        "ga4_future_event_date",
        "a.csv",
        lines(GA_H, GA_OK.replace("20260901", "20300101")),
        "row",
        "future_date",
        2,
        "event_date",
    ),
    (
        "ga4_bad_event_date",
        "a.csv",
        lines(GA_H, GA_OK.replace("20260901", "2026-13-45")),
        "row",
        "bad_date",
        2,
        "event_date",
    ),
    (
        "salesforce_negative_amount",
        "a.csv",
        lines(SF_H, SF_OK.replace('"$1,000"', "-5")),
        "row",
        "negative_value",
        2,
        "Amount",
    ),
    (
        "linkedin_ads_text_spend",
        "a.csv",
        lines(LI_H, LI_OK.replace("10.00", "ten")),
        "row",
        "not_a_number",
        2,
        "Total Spent",
    ),
    (
        "stripe_bad_boolean",
        "a.csv",
        lines(
            "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Status",
            "ch_1,2026-09-01 10:00,5,0,usd,maybe,Paid",
        ),
        "row",
        "bad_boolean",
        2,
        "Captured",
    ),
    (
        "shopify_negative_quantity",
        "a.csv",
        lines(SHOP_H, SHOP_OK.replace(",1,Mug", ",-1,Mug")),
        "row",
        "negative_value",
        2,
        "Lineitem quantity",
    ),
]


@pytest.mark.parametrize("case_id, name, content, kind, code, row, column", CASES, ids=[c[0] for c in CASES])
def test_malformed(parse, write, case_id, name, content, kind, code, row, column):
    path = write(name, content)
    if kind == "file":
        with pytest.raises(IngestError) as info:
            parse(path)
        problem = info.value.problems[0]
        assert problem.code == code, problem.message()
        assert problem.file == name
        assert problem.row == row
        assert problem.column == column
        assert problem.message().startswith(name)
    else:
        try:
            result = parse(path)
            problems, tables = result.problems, result.tables
        except IngestError as exc:  # the file's only data row was rejected: the file is rejected with its rows
            assert exc.problems[0].code == "every_row_rejected" and exc.problems[0].row is None, exc
            problems, tables = exc.problems[1:], {}
        codes = [p.code for p in problems]
        assert code in codes, [p.message() for p in problems]
        problem = problems[codes.index(code)]
        assert problem.file == name and problem.row == row and problem.column == column, problem.message()
        for frame in tables.values():  # the rejected row is not in the table
            assert row not in set(frame["source_row"])


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


def test_unknown_layout_names_closest_format_and_missing_columns(write):
    p = write("ads.csv", lines(META_H.replace(",Impressions", ""), "2026-09-01,2026-09-30,A,1,1,1,1"))
    with pytest.raises(IngestError) as info:
        detect_format(p)
    msg = info.value.problems[0].message()
    assert "closest is meta_ads" in msg and "'Impressions'" in msg


def test_renamed_file_uses_header_not_name(write):
    p = write("shopify_orders_export.csv", lines(META_H, META_OK))
    assert detect_format(p) == "meta_ads"


def test_problem_message_format(parse, write):
    p = write("file.csv", lines(META_H, *([META_OK] * 10), META_OK.replace("12.50", "-3")))
    problem = parse(p).problems[0]
    # the cell's value is shown masked (its shape, never its content)
    assert problem.message() == (
        "file.csv row 12 column 'Amount spent (EUR)': value '-9' — expected a non-negative amount"
    )


def test_negative_number_is_not_a_formula(parse, write):
    # a minus sign in a numeric column is a (rejected-as-negative) number, never formula injection
    r = parse(write("a.csv", lines(LI_H, LI_OK.replace(",2", ",-2"), LI_OK)))
    assert [p.code for p in r.problems] == ["negative_value"]


def test_text_starting_with_minus_is_fine(parse, write):
    r = parse(write("a.csv", lines(META_H, META_OK.replace("Autumn", "- Autumn sale -"))))
    assert r.problems == [] and r.tables["meta_ads"].loc[0, "campaign_name"] == "- Autumn sale -"


FORMULA_LIKE = [
    ("dde", ",Mug,", ",=cmd|' /C calc'!A0,", "=cmd|' /C calc'!A0"),
    ("minus", ",Mug,", ",-2+3+cmd|' /C calc'!A0,", "-2+3+cmd|' /C calc'!A0"),
    ("at_sum", ",Mug,", ",@SUM(A1:A9),", "@SUM(A1:A9)"),
    ("plus_hyperlink", ",Mug,", ',"+HYPERLINK(""http://evil"",""x"")",', '+HYPERLINK("http://evil","x")'),
]


@pytest.mark.parametrize("case", FORMULA_LIKE, ids=[c[0] for c in FORMULA_LIKE])
def test_formula_like_text_is_loaded_as_text_and_the_row_kept(parse, write, case):
    _, old, new, stored = case
    r = parse(write("a.csv", lines(SHOP_H, SHOP_OK.replace(old, new))))
    orders = r.tables["shopify_orders"]
    assert r.problems == [] and len(orders) == 1
    assert orders.loc[0, "lineitem_name"] == stored
    assert orders.loc[0, "total"] == 10.0  # the order's revenue stays


def test_rejected_row_values_are_masked_everywhere(parse, write):
    bad = SHOP_OK.replace("#1,", "#2,").replace("10.00,2026", "jane.doe@mail.com,2026")  # an e-mail in Total
    r = parse(write("a.csv", lines(SHOP_H, bad, SHOP_OK)))  # one good row: the file is not rejected whole
    [problem] = r.problems
    assert problem.column == "Total" and problem.row == 2 and problem.code == "not_a_number"
    assert problem.value == "xxxx.xxx@xxxx.xxx"
    assert "jane" not in problem.message() and "mail.com" not in problem.message()
