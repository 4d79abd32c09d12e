"""Any subset of sources builds and publishes; an empty inbox fails at once, saying so.

Each source alone runs the daily run's steps (the functions the DAG's tasks call: ingest, dbt build with the
attribution step, mart gate, publish) in a fresh home, one process for all of them so dbt starts once. The empty
inbox runs through real Airflow (`social-roi run`). Expected figures come from the export files (raw_files.py).
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from raw_files import generate_world, orders_from_files, query, run_pipeline, spend_from_files

pytestmark = pytest.mark.slow

END = date(2026, 11, 30)

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


def test_an_empty_inbox_fails_at_once_naming_the_inbox(tmp_path):
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    inbox.mkdir()
    proc = run_pipeline(home, inbox, END)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"inbox is empty: drop exports in {inbox}" in out, out[-3000:]
    assert "up_for_retry" not in out and "dbt build" not in out, out[-3000:]
    assert not (home / "warehouse" / "marts.duckdb").exists()
