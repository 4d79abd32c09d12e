"""The generated export files: determinism, one file per format per day, headers, French variants."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import generate
from simworld_readers import day_folders, first_line, one, rows_of, xlsx_rows

# Reference headers, copied literally from the export-format notes (never from the writers or the parsers).
SHOPIFY = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
    "Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
    "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,"
    "Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,"
    "Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
)
WOO = "Date,Order #,Status,Customer,Customer type,Payment method,Product(s),Items sold,Coupon(s),Net sales,Attribution"
STRIPE_IN_ORDER = (  # the reference lists these, in this order, with other columns in between ("…")
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Converted Amount Refunded,"
    "Converted Currency,Decline Reason,Description,Fee,Is Link,Link Funding,Mode,PaymentIntent ID,"
    "Payment Source Type,Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,"
    "Customer ID,Customer Description,Customer Email,Customer Phone,Invoice ID,Invoice Number,"
    "Checkout Session ID,Client Reference ID,Payment Link ID,UTM Campaign,UTM Content,UTM Medium,UTM Source,UTM Term"
).split(",")
FACEBOOK = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,Permalink,Is crosspost,"
    "Is share,Post type,Languages,Custom labels,Funded content status,Data comment,Date,Views,Reach,"
    '"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,Link Clicks,Other Clicks,'
    "Matched Audience Targeting Consumption (Photo Click),Negative feedback from users: Hide all,Seconds viewed,"
    "Average Seconds viewed,Estimated earnings (USD),Ad CPM (USD),Ad impressions"
)
INSTAGRAM = (
    "Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,Permalink,"
    "Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves"
)
LINKEDIN_METRICS = (
    "Date,Impressions (organic),Impressions (sponsored),Impressions (total),Unique impressions (organic),"
    "Clicks (organic),Clicks (sponsored),Clicks (total),Reactions (organic),Reactions (sponsored),"
    "Reactions (total),Comments (organic),Comments (sponsored),Comments (total),Reposts (organic),"
    "Reposts (sponsored),Reposts (total),Engagement rate (organic),Engagement rate (sponsored),"
    "Engagement rate (total)"
)
LINKEDIN_POSTS = (
    "Post title,Post link,Post type,Campaign name,Posted by,Created date,Campaign start date,Campaign end date,"
    "Audience,Impressions,Views (excluding off-site video views),Off-site views,Clicks,Click through rate (CTR),"
    "Likes,Comments,Reposts,Follows,Engagement rate,Content Type"
)
X = (
    '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements","engagement rate","retweets",'
    '"replies","likes","user profile clicks","url clicks","hashtag clicks","detail expands","permalink clicks",'
    '"app opens","app installs","follows","email tweet","dial phone","media views","media engagements",'
    '"promoted impressions","promoted engagements","promoted engagement rate","promoted retweets",'
    '"promoted replies","promoted likes","promoted user profile clicks","promoted url clicks",'
    '"promoted hashtag clicks","promoted detail expands","promoted permalink clicks","promoted app opens",'
    '"promoted app installs","promoted follows","promoted email tweet","promoted dial phone",'
    '"promoted media views","promoted media engagements"'
)
TIKTOK_CONTENT = (
    "Video title,Video link,Post time,Total likes,Total comments,Total shares,Total views,Average watch time"
)
YOUTUBE_TABLE = (
    "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,Impressions,"
    "Impressions click-through rate (%)"
)
LINKEDIN_ADS_START = (
    "Start Date (in UTC),Account Name,Campaign Group Name,Campaign Name,Campaign ID,Currency,Total Spent,"
    "Impressions,Clicks"
)
TIKTOK_ADS = (
    "stat_time_day,campaign_name,campaign_id,spend,impressions,clicks,complete_payment,complete_payment_value,currency"
)
SALESFORCE = (
    '"Opportunity Owner","Account Name","Opportunity Name","Stage","Fiscal Period","Amount","Close Date",'
    '"Lead Source","Type","Primary Campaign Source"'
)
HUBSPOT_START = (
    "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Original Source Type,"
    "Original Source Drill-Down 1,Original Source Drill-Down 2"
)
META_EN_REQUIRED = (
    "Reporting starts",
    "Reporting ends",
    "Campaign name",
    "Amount spent (USD)",
    "Impressions",
    "Link clicks",
    "Day",
    "Campaign ID",
    "Purchases",
    "Purchases conversion value",
)
GA4_REQUIRED = (
    "event_date",
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "event_params.ga_session_id",
    "event_params.page_location",
    "ecommerce.transaction_id",
)

DAY_PATTERNS = {  # one file of each format in every day folder
    "ga4": "events_*.csv",
    "shopify": "orders_export_*.csv",
    "woocommerce": "orders-report-export-*.csv",
    "stripe": "unified_payments.csv",
    "meta_ads": "Meta-Ads-Report-*.csv",
    "linkedin_ads": "account_*_campaign_performance_report_*.csv",
    "tiktok_ads": "tiktok_ads_campaign_report_*.csv",
    "instagram": "instagram_posts_*.csv",
    "facebook": "facebook_posts_*.csv",
    "x": "tweet_activity_metrics_*.csv",
    "linkedin_page": "linkedin_page_updates_*.xlsx",
    "tiktok_content": "TikTok_Content_*",
    "youtube": "Content *.zip",
    "salesforce": "report*.csv",
    "hubspot": "hubspot-crm-exports-all-deals-*.csv",
}


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path):
    generate(tmp_path / "a", scale=0.02, days=6, seed=3)
    generate(tmp_path / "b", scale=0.02, days=6, seed=3)
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a.keys() == b.keys()
    different = [name for name in a if a[name] != b[name]]
    assert not different
    assert any(name.endswith(".xlsx") for name in a) and any(name.endswith(".zip") for name in a)
    generate(tmp_path / "c", scale=0.02, days=6, seed=4)
    c = _tree(tmp_path / "c")
    assert any(c.get(name) != a[name] for name in a if name.endswith(".csv"))


def test_every_day_folder_has_every_format(world_en):
    out, world, summary = world_en
    folders = day_folders(out)
    assert len(folders) == world.config.days
    for folder in folders:
        for pattern in DAY_PATTERNS.values():
            one(folder, pattern)
        assert len([p for p in folder.iterdir() if p.is_file()]) == len(DAY_PATTERNS)
    assert summary["files"] == len(DAY_PATTERNS) * world.config.days
    tiktok = {one(f, DAY_PATTERNS["tiktok_content"]).suffix for f in folders}
    assert tiktok == {".csv", ".xlsx"}


def test_headers_equal_the_reference(world_en):
    out, _, _ = world_en
    for folder in day_folders(out)[:3] + day_folders(out)[-1:]:
        assert first_line(one(folder, DAY_PATTERNS["shopify"])) == SHOPIFY
        assert first_line(one(folder, DAY_PATTERNS["woocommerce"])) == WOO
        stripe = next(csv.reader([first_line(one(folder, DAY_PATTERNS["stripe"]))]))
        positions = [stripe.index(name) for name in STRIPE_IN_ORDER]
        assert positions == sorted(positions)
        assert first_line(one(folder, DAY_PATTERNS["facebook"])) == FACEBOOK
        assert first_line(one(folder, DAY_PATTERNS["instagram"])) == INSTAGRAM
        assert first_line(one(folder, DAY_PATTERNS["x"])) == X
        page = one(folder, DAY_PATTERNS["linkedin_page"])
        assert ",".join(xlsx_rows(page, "Metrics")[1]) == LINKEDIN_METRICS
        assert ",".join(xlsx_rows(page, "All posts")[1]) == LINKEDIN_POSTS
        tiktok = one(folder, DAY_PATTERNS["tiktok_content"])
        if tiktok.suffix == ".xlsx":
            assert ",".join(xlsx_rows(tiktok)[0]) == TIKTOK_CONTENT
        else:
            assert first_line(tiktok) == TIKTOK_CONTENT
        with zipfile.ZipFile(one(folder, DAY_PATTERNS["youtube"])) as zf:
            assert sorted(zf.namelist()) == ["Chart data.csv", "Table data.csv", "Totals.csv"]
            table = zf.read("Table data.csv").decode("utf-8").splitlines()
        assert table[0] == YOUTUBE_TABLE
        assert table[1].startswith("Total,")
        lines = one(folder, DAY_PATTERNS["linkedin_ads"]).read_text(encoding="utf-8").splitlines()
        assert lines[0] == "Campaign Performance Report (in UTC)"
        assert lines[1].strip('"').startswith("Report Start: ")
        assert lines[2].strip('"').startswith("Report End: ")
        assert lines[3].strip('"').startswith("Date Generated: ")
        assert lines[4] == ""
        assert lines[5].startswith(LINKEDIN_ADS_START + ",")
        assert first_line(one(folder, DAY_PATTERNS["tiktok_ads"])) == TIKTOK_ADS
        assert first_line(one(folder, DAY_PATTERNS["salesforce"])) == SALESFORCE
        assert first_line(one(folder, DAY_PATTERNS["hubspot"])).startswith(HUBSPOT_START)
        meta = next(csv.reader([first_line(one(folder, DAY_PATTERNS["meta_ads"]))]))
        assert set(META_EN_REQUIRED) <= set(meta)
        ga4 = first_line(one(folder, DAY_PATTERNS["ga4"])).split(",")
        assert set(GA4_REQUIRED) <= set(ga4)


def test_youtube_ids_starting_with_a_dash_get_a_leading_space(world_en):
    out, _, _ = world_en
    contents = set()
    for folder in day_folders(out):
        with zipfile.ZipFile(one(folder, DAY_PATTERNS["youtube"])) as zf:
            rows = list(csv.DictReader(io.StringIO(zf.read("Table data.csv").decode("utf-8"))))
            assert rows[0]["Content"] == "Total"
            assert int(rows[0]["Views"]) == sum(int(r["Views"]) for r in rows[1:])
            contents |= {r["Content"] for r in rows[1:]}
            for r in rows[1:]:
                month, rest = r["Video publish time"].split(" ", 1)
                assert month in ("Oct", "Nov") and rest.endswith(", 2026")
    assert any(c.startswith(" -") for c in contents)
    assert all(len(c.strip()) == 11 and not c.startswith("-") for c in contents)


def test_salesforce_footer_and_amounts(world_en):
    out, _, _ = world_en
    path = one(day_folders(out)[-1], DAY_PATTERNS["salesforce"])
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    footer = [r[0] for r in rows if r and r[0]][-3:]
    n = sum(1 for r in rows[1:] if len(r) > 2 and r[0] and r[2])
    assert footer[0] == f"Grand Totals ({n} records)"
    assert footer[1] == "Confidential Information - Do Not Distribute"
    assert footer[2] == "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."
    amounts = [r[5] for r in rows[1:] if len(r) > 2 and r[0] and r[2]]
    assert amounts and all(a.startswith("$") and a[1:].replace(",", "").isdigit() for a in amounts)


def test_woocommerce_attribution_labels_and_several_coupons(world_en):
    out, _, _ = world_en
    rows = [r for p in sorted((out / "inbox").glob("*/orders-report-export-*.csv")) for r in rows_of(p)]
    labels = {r["Attribution"] for r in rows}
    assert "Source: Facebook" in labels or "Source: Instagram" in labels
    assert labels <= {"Direct", "Organic: Google", "Unknown"} | {lab for lab in labels if lab.startswith("Source: ")}
    assert any("," in r["Coupon(s)"] for r in rows)


def test_french_locale_variants(world_fr):
    out, _, _ = world_fr
    folder = day_folders(out)[-1]
    meta = one(folder, "Rapport-Meta-Ads-*.csv")
    header = first_line(meta)
    assert ";" in header and "Montant dépensé (EUR)" in header.split(";")
    raw = one(folder, DAY_PATTERNS["linkedin_ads"]).read_bytes()
    assert raw[:2] == b"\xff\xfe"  # UTF-16LE byte order mark
    lines = raw.decode("utf-16").splitlines()
    assert lines[0] == "Campaign Performance Report (in UTC)" and lines[4] == ""
    assert lines[5].split("\t")[:9] == LINKEDIN_ADS_START.split(",")
    amounts = []
    for f in day_folders(out):
        sf = one(f, DAY_PATTERNS["salesforce"])
        with sf.open(newline="", encoding="utf-8") as fh:
            amounts += [r[5] for r in list(csv.reader(fh))[1:] if len(r) > 2 and r[0] and r[2]]
    assert amounts and all(a.endswith("\u00a0€") and "$" not in a for a in amounts)
    stripe = [r for f in day_folders(out) for r in rows_of(one(f, "unified_payments.csv"))]
    assert stripe and {r["Currency"] for r in stripe} == {"eur"}


def test_cli_generate_writes_the_world(tmp_path):
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "social_roi.cli",
            "generate",
            "--out",
            str(tmp_path),
            "--scale",
            "0.01",
            "--days",
            "3",
            "--seed",
            "2",
            "--locale",
            "fr",
            "--end-date",
            "2026-09-26",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == ["2026-09-24", "2026-09-25", "2026-09-26"]
    for name in ("world.json", "channel_incremental_revenue.csv", "deals.csv", "coupon_codes.csv"):
        assert (tmp_path / "truth" / name).is_file()


@pytest.mark.parametrize("bad", [{"scale": 0}, {"days": 0}, {"locale": "de"}])
def test_config_rejects_bad_values(bad):
    from social_roi.simulate.world import WorldConfig

    with pytest.raises(ValueError):
        WorldConfig(**bad)


def test_parallel_day_writers_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIAL_ROI_GENERATE_WORKERS", "1")
    generate(tmp_path / "seq", scale=0.02, days=5, seed=8, locale="fr")
    monkeypatch.setenv("SOCIAL_ROI_GENERATE_WORKERS", "2")
    generate(tmp_path / "par", scale=0.02, days=5, seed=8, locale="fr")
    assert _tree(tmp_path / "seq") == _tree(tmp_path / "par")
