"""Each format: a hand-written export parsed to exact canonical values."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date

import pandas as pd
import pytest

from social_roi.ingest import detect_format

SALT = "test-salt"


def h(value: str) -> str:
    return hashlib.sha256((SALT + value).encode()).hexdigest()


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# ---------------------------------------------------------------------------------------------- shopify


def test_shopify_full_export(parse, fixture_path):
    r = parse(fixture_path("shopify_orders_export.csv"))
    assert r.format == "shopify_orders"
    df = r.tables["shopify_orders"]
    assert list(df["order_name"]) == ["#1001", "#1001", "#1002"]
    assert list(df["line_number"]) == [1, 2, 1]
    assert list(df["source_row"]) == [2, 6, 7]  # the first order's Note Attributes spans 4 lines
    first, second, third = (df.iloc[i] for i in range(3))
    assert first["order_id"] == "5551234567890"
    assert first["email_sha256"] == h("ann.lee@example.com")
    assert first["phone_sha256"] == h("+14155550100")  # Excel apostrophe dropped, E.164
    assert first["billing_name_sha256"] == h("ann lee")  # whitespace collapsed, lowercased
    assert first["created_at"] == ts("2025-12-07 19:08:25")
    assert first["total"] == 69.80 and first["discount_amount"] == 6.0 and first["currency"] == "USD"
    assert (first["utm_source"], first["utm_medium"], first["utm_campaign"], first["utm_content"]) == (
        "facebook",
        "paid_social",
        "120243641616090734",
        "120243641616090999",
    )
    # order-level fields are null on later lines, exactly as in the file
    assert pd.isna(second["total"]) and pd.isna(second["email_sha256"]) and pd.isna(second["financial_status"])
    assert second["lineitem_name"] == "Canvas Hat" and second["lineitem_quantity"] == 1
    assert third["subtotal"] == 1200.0 and third["refunded_amount"] == 1200.0
    assert third["cancelled_at"] == ts("2025-12-10 09:30:00")
    assert third["phone_sha256"] == h("+442079460958")
    assert (third["utm_source"], third["utm_medium"], third["utm_campaign"]) == ("instagram", "social", "winter")
    assert third["source_name"] == "web"
    assert r.problems == []
    assert (r.period_start, r.period_end) == (date(2025, 12, 7), date(2025, 12, 9))
    assert str(df["lineitem_quantity"].dtype) == "Int64"
    assert str(df["created_at"].dtype) == "datetime64[us, UTC]"


def test_shopify_excel_serial_created_at(parse, fixture_path):
    df = parse(fixture_path("shopify_orders_old_xlsx_roundtrip.csv")).tables["shopify_orders"]
    assert df.loc[0, "created_at"] == ts("2024-04-02 12:00:00")  # serial 45384.5 (45292 = 2024-01-01)
    assert df.loc[0, "billing_name_sha256"] == h("chloé martin")
    assert pd.isna(df.loc[0, "paid_at"]) and df.loc[0, "source_name"] == "pos"


def test_shopify_clear_pii_never_in_output(parse, fixture_path):
    df = parse(fixture_path("shopify_orders_export.csv")).tables["shopify_orders"]
    text = df.astype(str).to_string().lower()
    for clear in ("ann.lee@example.com", "ann lee", "bob stone", "555-0100", "7946", "main st", "springfield"):
        assert clear not in text


# ---------------------------------------------------------------------------------------------- meta ads


def test_meta_ads_english_daily(parse, fixture_path):
    r = parse(fixture_path("meta_ads_en_daily.csv"))
    df = r.tables["meta_ads"]
    row = df.iloc[0]
    assert row["day"] == date(2026, 9, 1) and row["reporting_ends"] == date(2026, 9, 30)
    assert row["currency"] == "USD" and row["amount_spent"] == 123.45
    assert (row["impressions"], row["reach"], row["link_clicks"], row["clicks_all"]) == (12400, 10250, 321, 410)
    assert row["purchases"] == 12 and row["purchases_value"] == 1530.0
    assert row["campaign_id"] == "120243641616090734" and row["ad_id"] == "120243641616090901"
    assert row["attribution_setting"] == "7-day click or 1-day view"
    second = df.iloc[1]
    assert pd.isna(second["results"]) and second["link_clicks"] == 0 and pd.isna(second["purchases"])
    assert (r.period_start, r.period_end) == (date(2026, 9, 1), date(2026, 9, 30))


def test_meta_ads_french_semicolon_decimal_comma(parse, fixture_path):
    r = parse(fixture_path("meta_ads_fr_semicolon.csv"))
    assert r.format == "meta_ads"
    df = r.tables["meta_ads"]
    assert list(df["currency"]) == ["EUR", "EUR"]
    assert list(df["amount_spent"]) == [1234.56, 10.0]  # "1 234,56" with a U+202F thin space
    assert list(df["reach"]) == [9800, 100]  # U+00A0 thousands separator
    assert df.loc[0, "impressions"] == 12400
    assert df.loc[0, "purchases_value"] == 456.70
    # 13/09/2026 decides day-first for the whole file, so 02/09/2026 is 2 September
    assert list(df["day"]) == [date(2026, 9, 13), date(2026, 9, 2)]
    assert df.loc[0, "reporting_starts"] == date(2026, 9, 1)
    assert pd.isna(df.loc[1, "link_clicks"]) and pd.isna(df.loc[1, "clicks_all"])  # "-" and "--"


def test_meta_ads_no_daily_breakdown_day_null(parse, write):
    p = write(
        "ads.csv",
        "Reporting starts,Reporting ends,Campaign name,Amount spent (GBP),Impressions\n"
        "2026-09-01,2026-09-30,Brand,£12.50,100\n",
    )
    df = parse(p).tables["meta_ads"]
    assert pd.isna(df.loc[0, "day"]) and df.loc[0, "currency"] == "GBP" and df.loc[0, "amount_spent"] == 12.5


# ---------------------------------------------------------------------------------------------- ga4


def test_ga4_csv(parse, fixture_path):
    df = parse(fixture_path("ga4_events_flat.csv")).tables["ga4_events"]
    a, b, c = (df.iloc[i] for i in range(3))
    assert a["event_date"] == date(2026, 9, 1)
    assert a["event_timestamp"] == ts("2026-09-01 00:00:00.123456")
    assert a["user_pseudo_id"] == "1234567890.1788220800" and a["ga_session_id"] == "1788220800"
    assert (a["utm_source"], a["utm_medium"], a["utm_campaign"], a["utm_content"]) == (
        "facebook",
        "paid_social",
        "120243641616090734",
        "120243641616090901",
    )
    assert a["fbclid"] == "IwAR0xyz"
    assert "email" not in a["page_location"] and "ann" not in a["page_location"]
    assert a["page_location"].endswith("&fbclid=IwAR0xyz")
    assert a["manual_campaign_id"] == "120243641616090734" and a["traffic_source_source"] == "google"
    assert b["transaction_id"] == "#1001" and b["purchase_revenue"] == 69.80
    assert b["user_id_sha256"] == h("CUST-42")
    assert b["page_location"] == "https://shop.example/thanks?order=1001"
    assert (c["gclid"], c["gbraid"], c["wbraid"], c["li_fat_id"], c["ttclid"], c["twclid"], c["utm_id"]) == (
        "Cj0KCQ",
        "0AAAA",
        "1BBBB",
        "li-123",
        "tt-9",
        "tw-7",
        "42",
    )


def test_ga4_parquet_dotted_columns(parse, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "event_date": ["20260903"],
            "event_timestamp": pa.array([1788393600000000], pa.int64()),
            "event_name": ["page_view"],
            "user_pseudo_id": ["77.88"],
            "event_params.ga_session_id": pa.array([1788393600], pa.int64()),
            "event_params.page_location": ["https://s.example/?utm_source=tiktok&ttclid=E.C.P"],
            "collected_traffic_source.manual_source": ["tiktok"],
        }
    )
    path = tmp_path / "events_20260903.parquet"
    pq.write_table(table, path)
    r = parse(path)
    assert r.format == "ga4_events"
    row = r.tables["ga4_events"].iloc[0]
    assert row["ga_session_id"] == "1788393600" and row["ttclid"] == "E.C.P" and row["utm_source"] == "tiktok"
    assert row["event_timestamp"] == ts("2026-09-03") and row["source_row"] == 1


# ---------------------------------------------------------------------------------------------- meta posts


def test_instagram_posts(parse, fixture_path):
    r = parse(fixture_path("instagram_posts.csv"))
    df = r.tables["instagram_posts"]
    assert len(df) == 1
    row = df.iloc[0]
    assert row["post_id"] == "17912345678901234" and row["account_username"] == "acme.shop"
    assert row["published_at"] == ts("2026-09-26 14:05")
    assert bool(row["is_lifetime"]) and pd.isna(row["date"])
    assert (row["views"], row["reach"], row["likes"], row["saves"], row["follows"]) == (12400, 9800, 540, 80, 3)
    assert row["description"] == "New drop, link in bio"
    assert [p.code for p in r.problems] == ["mangled_id"] and r.problems[0].row == 3


def test_facebook_posts_legacy_impressions_and_comma_header(parse, fixture_path):
    r = parse(fixture_path("facebook_posts.csv"))
    df = r.tables["facebook_posts"]
    assert r.problems == []
    assert list(df["post_id"]) == ["1234567890_98765432101234567", "555000111222333"]  # 2nd recovered
    assert list(df["views"]) == [2000, 300]  # legacy "Impressions"
    assert list(df["likes"]) == [100, 10]  # Reactions
    assert list(df["link_clicks"]) == [40, 7] and list(df["total_clicks"]) == [75, 9]
    assert list(df["date"]) == [date(2026, 9, 26), date(2026, 9, 27)] and not df["is_lifetime"].any()


def test_instagram_utf16_with_preamble(parse, write):
    text = (
        "Instagram post overview\r\nSep 1, 2026 - Sep 30, 2026\r\n"
        "Post ID\tAccount ID\tAccount username\tPublish time\tPermalink\tDate\tViews\tReach\tLikes\r\n"
        "17900000000000001\t17841400000000001\tacme.shop\t09/02/2026 08:30\thttps://www.instagram.com/p/A/"
        "\tLifetime\t1.2K\t900\t15\r\n"
    )
    p = write("overview.csv", b"\xff\xfe" + text.encode("utf-16-le"))
    r = parse(p)
    row = r.tables["instagram_posts"].iloc[0]
    assert row["views"] == 1200 and row["published_at"] == ts("2026-09-02 08:30") and row["source_row"] == 4


# ---------------------------------------------------------------------------------------------- linkedin page


def _linkedin_workbook(path, *, shares_header=False):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Metrics"
    ws.append(["Aggregated metrics for Acme, 9/1/2026 - 9/2/2026"])
    ws.append(
        [
            "Date",
            "Impressions (organic)",
            "Impressions (sponsored)",
            "Impressions (total)",
            "Clicks (organic)",
            "Reactions (organic)",
            "Reposts (organic)",
            "Engagement rate (organic)",
        ]
    )
    ws.append(["09/01/2026", 1200, 300, 1500, 40, 25, 2, 0.0558])
    ws.append(["09/02/2026", 800, 0, 800, -1, 10, 0, "4.5%"])
    ws2 = wb.create_sheet("All posts")
    ws2.append(["All posts for Acme"])
    ws2.append(
        [
            "Post title",
            "Post link",
            "Post type",
            "Campaign name",
            "Posted by",
            "Created date",
            "Audience",
            "Impressions",
            "Views (excluding off-site video views)",
            "Clicks",
            "Click through rate (CTR)",
            "Likes",
            "Comments",
            "Shares" if shares_header else "Reposts",
            "Follows",
            "Engagement rate",
            "Content Type",
        ]
    )
    ws2.append(
        [
            "We are hiring",
            "https://www.linkedin.com/feed/update/urn:li:activity:7241234567890123456",
            "Organic",
            "",
            "Dana Rep",
            "09/01/2026",
            "All followers",
            1000,
            "",
            30,
            0.03,
            20,
            3,
            4,
            1,
            0.058,
            "Text",
        ]
    )
    wb.save(path)


def test_linkedin_page_two_sheets(parse, tmp_path):
    path = tmp_path / "acme_updates.xlsx"
    _linkedin_workbook(path)
    r = parse(path)
    assert r.format == "linkedin_page"
    m = r.tables["linkedin_page_metrics"]
    assert list(m.columns[:4]) == ["date", "impressions_organic", "impressions_sponsored", "impressions_total"]
    assert list(m["date"]) == [date(2026, 9, 1), date(2026, 9, 2)]
    assert list(m["clicks_organic"]) == [40, -1]  # negative daily values are legitimate
    assert list(m["engagement_rate_organic"]) == [0.0558, 0.045]
    assert list(m["source_row"]) == [3, 4]
    posts = r.tables["linkedin_page_posts"].iloc[0]
    assert posts["post_id"] == "7241234567890123456" and posts["posted_by"] == "Dana Rep"
    assert posts["reposts"] == 4 and posts["impressions"] == 1000 and pd.isna(posts["views"])
    assert posts["created_at"] == ts("2026-09-01")
    assert (r.period_start, r.period_end) == (date(2026, 9, 1), date(2026, 9, 2))


def test_linkedin_page_shares_alias(parse, tmp_path):
    path = tmp_path / "old.xlsx"
    _linkedin_workbook(path, shares_header=True)
    assert parse(path).tables["linkedin_page_posts"].loc[0, "reposts"] == 4


# ---------------------------------------------------------------------------------------------- x


def test_x_tweets(parse, fixture_path):
    r = parse(fixture_path("tweet_activity_metrics_acme_20161201_20161231_en.csv"))
    df = r.tables["x_tweets"]
    assert list(df["tweet_id"]) == ["812422485237743616", "649000000000000123"]  # 2nd recovered from link
    a = df.iloc[0]
    assert a["tweet_text"] == 'Holiday sale starts now!\nUse code XMAS at checkout, "limited" stock.'
    assert a["posted_at"] == ts("2016-12-23 18:50")
    assert (a["impressions"], a["engagements"], a["likes"], a["url_clicks"]) == (1938, 52, 10, 20)
    assert pd.isna(a["promoted_impressions"]) and df.loc[1, "promoted_impressions"] == 500
    assert list(df["source_row"]) == [2, 4]
    assert (r.period_start, r.period_end) == (date(2016, 12, 1), date(2016, 12, 31))


def test_x_tweets_favorites_alias(parse, fixture_path):
    df = parse(fixture_path("tweet_activity_favorites_legacy.csv")).tables["x_tweets"]
    assert df.loc[0, "likes"] == 7


# ---------------------------------------------------------------------------------------------- the rest


def test_tiktok_content_k_m(parse, fixture_path):
    df = parse(fixture_path("tiktok_studio_content.csv")).tables["tiktok_content"]
    assert list(df["likes"]) == [1200, 950] and list(df["views"]) == [3_000_000, 12345]
    assert df.loc[0, "video_id"] == "7412345678901234567" and pd.isna(df.loc[1, "shares"])
    assert list(df["average_watch_time_seconds"]) == [12.5, 8.0]


def test_tiktok_content_xlsx(parse, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(
        [
            "Video title",
            "Video link",
            "Post time",
            "Total likes",
            "Total comments",
            "Total shares",
            "Total views",
            "Average watch time",
        ]
    )
    wb.active.append(
        ["Haul", "https://www.tiktok.com/@a/video/7400000000000000001", "2026-09-20 18:00", "1.5K", 3, 1, "2.1M", 9.5]
    )
    path = tmp_path / "content.xlsx"
    wb.save(path)
    df = parse(path).tables["tiktok_content"]
    assert df.loc[0, "likes"] == 1500 and df.loc[0, "views"] == 2_100_000 and df.loc[0, "source_row"] == 2


def _youtube_zip(path, fixture_path, members=("Table data.csv", "Chart data.csv", "Totals.csv")):
    files = {
        "Table data.csv": "youtube_table_data.csv",
        "Chart data.csv": "youtube_chart_data.csv",
        "Totals.csv": "youtube_totals.csv",
    }
    with zipfile.ZipFile(path, "w") as zf:
        for m in members:
            zf.writestr(m, fixture_path(files[m]).read_bytes())


def test_youtube_zip(parse, tmp_path, fixture_path):
    path = tmp_path / "Content 2026-09-01_2026-09-30 Acme.zip"
    _youtube_zip(path, fixture_path)
    r = parse(path)
    v = r.tables["youtube_videos"]
    assert list(v["video_id"]) == ["-AbCdEfGhIj", "xYz12345678"]  # Total row gone, leading space stripped
    assert v.loc[0, "published_at"] == ts("2026-09-26") and v.loc[0, "views"] == 5000
    assert v.loc[0, "impressions_ctr"] == pytest.approx(0.042) and v.loc[0, "watch_time_hours"] == 198.25
    assert list(v["source_row"]) == [3, 4]
    d = r.tables["youtube_daily"]
    assert list(d["date"]) == [date(2026, 9, 26), date(2026, 9, 27)] and list(d["views"]) == [4000, 1000]
    assert (r.period_start, r.period_end) == (date(2026, 9, 1), date(2026, 9, 30))


def test_linkedin_campaign_manager_preamble(parse, fixture_path):
    r = parse(fixture_path("linkedin_campaign_manager.csv"))
    df = r.tables["linkedin_ads"]
    assert list(df["date"]) == [date(2026, 9, 1), date(2026, 9, 2)]
    assert list(df["amount_spent"]) == [1234.5, 99.0] and list(df["impressions"]) == [20000, 800]
    assert list(df["source_row"]) == [7, 8] and df.loc[0, "campaign_id"] == "601234567"
    assert (r.period_start, r.period_end) == (date(2026, 9, 1), date(2026, 9, 30))


def test_linkedin_campaign_manager_utf16_tab(parse, write, fixture_path):
    text = fixture_path("linkedin_campaign_manager.csv").read_text().replace(",", "\t")
    text = text.replace('"1\t234.50"', "1234.50").replace('"20\t000"', "20000")
    p = write("cm.csv", b"\xff\xfe" + text.encode("utf-16-le"))
    df = parse(p).tables["linkedin_ads"]
    assert list(df["amount_spent"]) == [1234.5, 99.0]


def test_tiktok_ads(parse, fixture_path):
    df = parse(fixture_path("tiktok_ads_report.csv")).tables["tiktok_ads"]
    row = df.iloc[0]
    assert row["date"] == date(2026, 9, 1) and row["amount_spent"] == 55.2 and row["purchases"] == 3
    assert row["purchases_value"] == 150.0 and row["currency"] == "USD" and row["campaign_id"] == "1790000000000001"


def test_woocommerce(parse, fixture_path):
    df = parse(fixture_path("woocommerce_orders.csv")).tables["woocommerce_orders"]
    assert list(df["order_number"]) == ["1201", "1202", "1203"]
    assert df.loc[0, "customer_sha256"] == h("jean dupont")
    assert df.loc[0, "coupons"] == "fb10,welcome" and df.loc[0, "net_sales"] == 45.5
    assert list(df["currency"]) == ["EUR"] * 3
    assert (df.loc[0, "attribution_type"], df.loc[0, "attribution_source"]) == ("source", "Facebook")
    assert df.loc[1, "attribution_type"] == "direct" and pd.isna(df.loc[2, "attribution"])


def test_stripe(parse, fixture_path):
    df = parse(fixture_path("unified_payments.csv")).tables["stripe_payments"]
    a, b = df.iloc[0], df.iloc[1]
    assert a["currency"] == "USD" and b["currency"] == "EUR"
    assert bool(a["captured"]) is True and bool(b["captured"]) is False
    assert a["status"] == "paid" and b["status"] == "failed" and a["amount_refunded"] == 10.0
    assert a["customer_email_sha256"] == h("ann.lee@example.com") and a["client_reference_id"] == "1001"
    assert a["utm_source"] == "facebook" and a["created_at"] == ts("2026-09-05 12:30")
    assert "Ann Lee" not in df.astype(str).to_string()


def test_stripe_older_created_header(parse, fixture_path):
    df = parse(fixture_path("stripe_payments_old.csv")).tables["stripe_payments"]
    assert df.loc[0, "created_at"] == ts("2019-03-01 10:00") and df.loc[0, "currency"] == "GBP"
    # the same person hashes alike in Stripe and Shopify
    assert df.loc[0, "customer_email_sha256"] == h("ann.lee@example.com")


def test_salesforce_footer_and_money(parse, fixture_path):
    r = parse(fixture_path("salesforce_opportunities.csv"))
    df = r.tables["salesforce_opportunities"]
    assert len(df) == 2 and r.problems == []
    assert list(df["amount"]) == [1234567.0, 25000.0] and list(df["currency"]) == ["USD", "USD"]
    assert df.loc[0, "close_date"] == date(2026, 9, 15)
    assert df.loc[1, "close_date"] == date(2027, 12, 20)  # open deals close in the future: allowed
    assert df.loc[0, "opportunity_owner"] == "Dana Rep"


def test_hubspot_internal_stage(parse, fixture_path):
    df = parse(fixture_path("hubspot_deals.csv")).tables["hubspot_deals"]
    assert list(df["deal_stage"]) == ["closedwon", "appointmentscheduled"]
    assert list(df["is_closed_won"]) == [True, False]
    assert df.loc[0, "deal_id"] == "9001234567" and df.loc[1, "amount"] == 3500.5
    assert df.loc[1, "original_source_drill_down_2"] == "autumn"


# ---------------------------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "name, expected",
    [
        ("shopify_orders_export.csv", "shopify_orders"),
        ("meta_ads_en_daily.csv", "meta_ads"),
        ("meta_ads_fr_semicolon.csv", "meta_ads"),
        ("ga4_events_flat.csv", "ga4_events"),
        ("instagram_posts.csv", "instagram_posts"),
        ("facebook_posts.csv", "facebook_posts"),
        ("tweet_activity_favorites_legacy.csv", "x_tweets"),
        ("tiktok_studio_content.csv", "tiktok_content"),
        ("linkedin_campaign_manager.csv", "linkedin_ads"),
        ("tiktok_ads_report.csv", "tiktok_ads"),
        ("woocommerce_orders.csv", "woocommerce_orders"),
        ("unified_payments.csv", "stripe_payments"),
        ("stripe_payments_old.csv", "stripe_payments"),
        ("salesforce_opportunities.csv", "salesforce_opportunities"),
        ("hubspot_deals.csv", "hubspot_deals"),
        ("youtube_table_data.csv", "youtube_studio"),
    ],
)
def test_detect_by_header(fixture_path, name, expected):
    assert detect_format(fixture_path(name)) == expected


def test_renamed_file_is_detected_by_header(write, fixture_path):
    p = write(
        "tweet_activity_metrics_acme_20160101_20160131_en.csv",
        fixture_path("shopify_orders_old_xlsx_roundtrip.csv").read_bytes(),
    )
    assert detect_format(p) == "shopify_orders"


def test_no_row_in_output_carries_clear_email(parse, fixture_path):
    for name in ("shopify_orders_export.csv", "unified_payments.csv", "stripe_payments_old.csv"):
        for frame in parse(fixture_path(name)).tables.values():
            assert not frame.astype(str).apply(lambda s: s.str.contains("@example.com")).any().any()


def test_bom_utf8(parse, write):
    p = write(
        "x.csv",
        b"\xef\xbb\xbf" + b"stat_time_day,campaign_name,spend,impressions,complete_payment\n2026-09-01,A,1.5,10,0\n",
    )
    assert parse(p).tables["tiktok_ads"].loc[0, "amount_spent"] == 1.5
