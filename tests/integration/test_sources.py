"""Any subset of sources builds and publishes; an empty inbox fails at once, saying so.

Each source alone runs the daily run's steps (the functions the DAG's tasks call: ingest, dbt build with the
attribution step, mart gate, publish) in a fresh home, one process for all of them so dbt starts once. The empty
inbox runs through real Airflow (`social-roi run`). Expected figures come from the export files (raw_files.py).
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from raw_files import emails_from_files, generate_world, orders_from_files, query, run_pipeline, spend_from_files

pytestmark = pytest.mark.slow

END = date(2026, 11, 30)
ROOT = Path(__file__).resolve().parents[2]

# file pattern in a generated inbox -> the format the manifest records for it
SOURCES = {
    "orders_export_*.csv": "shopify_orders",
    "orders-report-export-*.csv": "woocommerce_orders",
    "unified_payments.csv": "stripe_payments",
    "report*.csv": "salesforce_opportunities",
    "hubspot-crm-exports-*.csv": "hubspot_deals",
    "events_*.csv": "ga4_events",
    "Meta-Ads-Report-*.csv": "meta_ads",
    "account_*_campaign_performance_report_*.csv": "linkedin_ads",
    "tiktok_ads_campaign_report_*.csv": "tiktok_ads",
    "instagram_posts_*.csv": "instagram_posts",
    "facebook_posts_*.csv": "facebook_posts",
    "linkedin_page_updates_*.xlsx": "linkedin_page",
    "tweet_activity_metrics_*.csv": "x_tweets",
    "TikTok_Content_*.xlsx": "tiktok_content",
    "Content *.zip": "youtube_studio",
}
ORDER_PREFIX = {"shopify_orders": "shopify:", "woocommerce_orders": "woocommerce:", "stripe_payments": "stripe:"}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return generate_world(tmp_path_factory.mktemp("world"), seed=5, end=END, days=3)


def _inbox_with(world: Path, pattern: str, inbox: Path) -> int:
    copied = 0
    for path in sorted((world / "inbox").glob(f"*/{pattern}")):
        (inbox / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, inbox / path.parent.name / path.name)
        copied += 1
    return copied


def _shopify_coupons_and_missing_emails(inbox: Path) -> tuple[set[str], int]:
    """Discount codes and the number of orders without an e-mail in the Shopify exports (latest export wins)."""
    orders: dict[str, dict[str, str]] = {}
    for path in sorted(inbox.glob("*/orders_export_*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["Total"] and not row["Cancelled at"]:
                    orders[row["Name"]] = row
    codes = {r["Discount Code"].strip().upper() for r in orders.values() if r["Discount Code"].strip()}
    return codes, sum(1 for r in orders.values() if not r["Email"].strip())


def test_the_world_has_every_source(world):
    names = {p.name for p in (world / "inbox").glob("*/*")}
    for pattern in SOURCES:
        assert any(Path(n).match(pattern) for n in names), pattern


@pytest.mark.parametrize("pattern", list(SOURCES), ids=list(SOURCES.values()))
def test_one_source_alone_builds_and_publishes(world, pattern, tmp_path, monkeypatch):
    from social_roi import pipeline
    from social_roi.config import Settings

    home, inbox = tmp_path / "home", tmp_path / "home" / "inbox"
    assert _inbox_with(world, pattern, inbox) >= 1
    monkeypatch.setenv("SOCIAL_ROI_HOME", str(home))
    monkeypatch.setenv("SOCIAL_ROI_INBOX", str(inbox))
    monkeypatch.setenv("SOCIAL_ROI_PII_SALT", "sources-test-salt")
    monkeypatch.delenv("SOCIAL_ROI_SOURCE_CADENCE", raising=False)
    settings = Settings.from_env()

    ingested = pipeline.ingest(END, "alone", settings)
    assert ingested["loaded"] >= 1 and ingested["quarantined"] == 0, ingested
    pipeline.build(END, settings)
    pipeline.gate(END, "alone", settings)  # raises GateFailed when a blocking suite fails
    published = pipeline.publish(END, "alone", settings)

    marts = Path(published["marts_db"])
    assert query(marts, "select source from fct_source_freshness") == [(SOURCES[pattern],)]
    revenue = query(marts, "select attribution_model, sum(attributed_revenue) from fct_attributed_revenue group by 1")
    expected_orders = {
        k: v for k, v in orders_from_files(inbox, END).items() if k.startswith(ORDER_PREFIX.get(SOURCES[pattern], "-"))
    }
    if expected_orders:
        assert revenue and all(float(r) == pytest.approx(sum(expected_orders.values()), abs=0.01) for _, r in revenue)
    elif SOURCES[pattern] not in ("hubspot_deals", "salesforce_opportunities"):  # deals count only when won
        assert revenue == []
    spend = query(marts, "select coalesce(sum(spend), 0) from fct_mmm_weekly")[0][0]
    assert float(spend) == pytest.approx(spend_from_files(inbox, END), abs=0.01)

    coverage = {
        name: (value, detail)
        for name, value, detail in query(marts, "select check_name, value, detail from fct_data_coverage")
    }
    assert coverage["sources_present"][0] == 1 and coverage["sources_present"][1].startswith(SOURCES[pattern])
    assert coverage["sources_missing"][0] == len(SOURCES) - 1
    if SOURCES[pattern] == "shopify_orders":
        codes, without_email = _shopify_coupons_and_missing_emails(inbox)
        known = {r["coupon_code"].upper() for r in csv.DictReader((ROOT / "dbt_project/seeds/coupon_codes.csv").open())}
        assert coverage["unknown_coupon_codes"][0] == len(codes - known)
        assert coverage["orders_without_identity_key"][0] == without_email


def test_an_empty_inbox_fails_at_once_naming_the_inbox(tmp_path):
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    inbox.mkdir()
    proc = run_pipeline(home, inbox, END)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"inbox is empty: drop exports in {inbox}" in out, out[-3000:]
    assert "up_for_retry" not in out and "dbt build" not in out, out[-3000:]
    assert not (home / "warehouse" / "marts.duckdb").exists()


# ---------------------------------------------------------------- personal data never in clear
PLANTED = {
    "names": ["Zelda Quagmire", "Xavier Pennywhistle", "Olive Plantagenet"],
    "emails": ["zelda.quagmire@example.net", "planted.leak@example.org", "olive.plantagenet@example.org"],
    "phones": ["+39 06 4567 8901", "+390645678901", "0645678901", "(555) 987-6543", "5559876543"],
    "free_text": ["Dues payment for", "[Calendly] Call with"],
}
PHONE_STORED_FORMS = ["+39 06 4567 8901", "(555) 987-6543"]  # as written in the export


def _append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with path.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})


def _plant(inbox: Path) -> None:
    day = inbox / END.isoformat()
    _append_rows(
        day / "unified_payments.csv",
        [
            {
                "id": "ch_plant1",
                "Created date (UTC)": f"{END} 09:00:00",
                "Amount": "58.74",
                "Amount Refunded": "0.00",
                "Currency": "usd",
                "Captured": "true",
                "Status": "Paid",
                "Mode": "Live",
                "Description": "Dues payment for Zelda Quagmire – Winter 2026",
                "Customer Email": PLANTED["emails"][0],
                "Customer Phone": PLANTED["phones"][0],
                "Customer Description": "Zelda Quagmire",
            },
            {
                "id": "ch_plant2",
                "Created date (UTC)": f"{END} 09:30:00",
                "Amount": "20.00",
                "Amount Refunded": "0.00",
                "Currency": "usd",
                "Captured": "true",
                "Status": "Paid",
                "Mode": "Live",
                "Description": "[Calendly] Call with Xavier Pennywhistle",
                "Customer Description": "Xavier Pennywhistle",
            },
        ],
    )
    shop = next(day.glob("orders_export_*.csv"))
    template = next(csv.DictReader(shop.open(newline="", encoding="utf-8")))
    common = {k: template[k] for k in ("Financial Status", "Currency", "Lineitem quantity", "Lineitem price")}
    _append_rows(
        shop,
        [
            {
                **common,
                "Name": "#99901",
                "Email": PLANTED["emails"][1],
                "Total": PLANTED["emails"][1],  # rejected row
                "Created at": f"{END} 08:00:00 +0000",
                "Lineitem name": "Mug",
                "Billing Name": "Olive Plantagenet",
            },
            {
                **common,
                "Name": "#99902",
                "Email": PLANTED["emails"][2],
                "Total": "58.74",
                "Subtotal": "58.74",
                "Created at": f"{END} 08:30:00 +0000",
                "Lineitem name": "-Winter bundle (=2 mugs)",
                "Billing Name": "Olive Plantagenet",
                "Phone": PLANTED["phones"][3],
                "Billing Phone": PLANTED["phones"][3],
            },
        ],
    )
    rejected = day / "unified_payments (1).csv"  # every row rejected: the file is quarantined whole
    rejected.write_text(
        next((inbox).glob("*/unified_payments.csv")).read_text(encoding="utf-8").splitlines()[0] + "\n",
        encoding="utf-8",
    )
    _append_rows(
        rejected,
        [
            {
                "id": "",
                "Created date (UTC)": f"{END} 10:00:00",
                "Amount": PLANTED["emails"][1],
                "Amount Refunded": "0",
                "Currency": "usd",
                "Captured": "true",
                "Status": "Paid",
                "Customer Email": PLANTED["emails"][1],
                "Customer Description": "Olive Plantagenet",
                "Description": "Dues payment for Olive Plantagenet",
            },
        ],
    )
    _append_rows(
        next(day.glob("hubspot-crm-exports-*.csv")),
        [
            {
                "Record ID": "99903",
                "Deal Name": "Quagmire renewal",
                "Deal Stage": "closedwon",
                "Amount": "100",
                "Close Date": END.isoformat(),
                "Create Date": f"{END} 07:00",
                "Deal owner": "Sam Seller",
                "Associated Contact": f"Zelda Quagmire ({PLANTED['emails'][0]})",
            },
        ],
    )


def _clear_values(inbox: Path) -> list[str]:
    values = [v for group in PLANTED.values() for v in group]
    return values + sorted(emails_from_files(inbox))


def _find_in_tables(db: Path, needles: list[str]) -> list[str]:
    import duckdb

    found = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        assert tables
        for schema, table in tables:
            frame = con.execute(f'select * from "{schema}"."{table}"').df()
            text = frame.to_csv(index=False)
            found += [f"{db.name}:{schema}.{table} holds {n!r}" for n in needles if n.lower() in text.lower()]
    finally:
        con.close()
    return found


def test_personal_data_is_in_no_table_file_or_log(world, tmp_path):
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    shutil.copytree(world / "inbox", inbox)
    _plant(inbox)
    originals = {hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.rglob("*") if p.is_file()}
    needles = _clear_values(inbox)
    assert len(needles) > 15

    proc = run_pipeline(home, inbox, END)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]

    work, marts = home / "warehouse" / "work.duckdb", home / "warehouse" / "marts.duckdb"
    # the planted rows were kept or rejected as they should, so the grep below searches where they went
    assert query(work, "select payment_id from raw.stripe_payments where payment_id like 'ch_plant%' order by 1") == [
        ("ch_plant1",),
        ("ch_plant2",),
    ]
    assert query(work, "select code, value from raw._quarantine where file_path like '%orders_export%'") == [
        ("not_a_number", "xxxxxxx.xxxx@xxxxxxx.xxx")
    ]
    assert query(
        marts,
        "select sum(attributed_revenue) from fct_attributed_revenue where conversion_id = "
        "'shopify:#99902' and attribution_model = 'linear'",
    )[0][0] == pytest.approx(58.74)
    assert query(work, "select lineitem_name from raw.shopify_orders where order_name = '#99902'") == [
        ("-Winter bundle (=2 mugs)",)
    ]

    # the HubSpot deal's contact is the Stripe customer: both carry the hash of the same e-mail (salt from run_pipeline)
    zelda = "email:" + hashlib.sha256(("integration-test-salt" + PLANTED["emails"][0]).encode()).hexdigest()
    assert query(work, "select customer_key from audit.int_deals_unioned where deal_id = 'hubspot:99903'") == [(zelda,)]
    assert query(work, "select customer_key from audit.int_conversions where conversion_id = 'stripe:ch_plant1'") == [
        (zelda,)
    ]
    reasons = home / "quarantine" / END.isoformat() / "unified_payments (1).csv.reasons.csv"
    assert "xxxxxxx.xxxx@xxxxxxx.xxx" in reasons.read_text(encoding="utf-8")

    leaks = _find_in_tables(work, needles) + _find_in_tables(marts, needles)
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files)  # Airflow task logs and dbt's log are searched too
    for path in files:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() in originals:
            continue  # the user's own export, moved aside unchanged by the quarantine
        text = data.decode("utf-8", errors="replace").lower()
        leaks += [f"{path.relative_to(home)} holds {n!r}" for n in needles if n.lower() in text]
    output = (proc.stdout + proc.stderr).lower()
    leaks += [f"run output holds {n!r}" for n in needles if n.lower() in output]
    assert leaks == []


def test_a_missing_exchange_rate_fails_naming_the_currency_and_days(tmp_path, monkeypatch):
    """Orders dated before the first rate of seeds/fx_rates.csv (2025-11-01): the build stops and says which."""
    from social_roi import pipeline
    from social_roi.config import Settings

    end = date(2025, 10, 29)
    world = generate_world(tmp_path / "world", seed=7, end=end, days=2)
    home, inbox = tmp_path / "home", tmp_path / "home" / "inbox"
    assert _inbox_with(world, "orders_export_*.csv", inbox) >= 1
    days = sorted(
        datetime.strptime(row["Created at"], "%Y-%m-%d %H:%M:%S %z").date()
        for path in inbox.glob("*/orders_export_*.csv")
        for row in csv.DictReader(path.open(newline="", encoding="utf-8"))
        if row["Total"]
    )
    assert days
    monkeypatch.setenv("SOCIAL_ROI_HOME", str(home))
    monkeypatch.setenv("SOCIAL_ROI_INBOX", str(inbox))
    monkeypatch.setenv("SOCIAL_ROI_PII_SALT", "sources-test-salt")
    settings = Settings.from_env()
    pipeline.ingest(end, "fx", settings)
    with pytest.raises(RuntimeError) as error:
        pipeline.build(end, settings)
    message = str(error.value)
    assert f"no exchange rate from USD to USD for {days[0]} … {days[-1]}" in message, message[-2000:]
    assert "stg_shopify__orders" in message and "dbt_project/seeds/fx_rates.csv" in message
