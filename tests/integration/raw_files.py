"""Helpers of the integration tests: expected figures read from the generated export files with the csv module
alone (never through the project's parsers or marts), and a way to run the product as a user does."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- independent expectations from the raw files
def orders_from_files(inbox: Path, up_to: date) -> dict[str, float]:
    """Conversion id -> net revenue of every order created up to ``up_to``, read from the three sales exports
    with the rules each system documents:
    Shopify: Total - Refunded Amount on an order's first row, cancelled orders skipped;
    WooCommerce: Net sales summed over the rows of an order with status Completed or Refunded;
    Stripe: Amount - Amount Refunded of payments with Status Paid and Captured true.
    """
    orders: dict[str, float] = {}
    for path in sorted(inbox.glob("*/orders_export_*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row["Total"]:  # later line items of an order carry no order-level fields
                    continue
                created = datetime.strptime(row["Created at"], "%Y-%m-%d %H:%M:%S %z").date()
                if created <= up_to and not row["Cancelled at"]:
                    orders["shopify:" + row["Name"]] = float(row["Total"]) - float(row["Refunded Amount"] or 0)
    woo_created: dict[str, date] = {}
    woo: dict[str, float] = {}
    for path in sorted(inbox.glob("*/orders-report-export-*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["Status"] in ("Completed", "Refunded"):
                    key = "woocommerce:" + row["Order #"]
                    woo[key] = woo.get(key, 0.0) + float(row["Net sales"].replace(",", ""))
                    if row["Status"] == "Completed":
                        woo_created[key] = date.fromisoformat(row["Date"][:10])
    orders.update({k: v for k, v in woo.items() if woo_created.get(k, up_to) <= up_to})
    for path in sorted(inbox.glob("*/unified_payments.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                created = date.fromisoformat(row["Created date (UTC)"][:10])
                if row["Status"] == "Paid" and row["Captured"] == "true" and created <= up_to:
                    orders["stripe:" + row["id"]] = float(row["Amount"]) - float(row["Amount Refunded"] or 0)
    return orders


def spend_from_files(inbox: Path, up_to: date) -> float:
    """Spend of the three ads exports (Meta Ads Manager, LinkedIn Campaign Manager, TikTok Ads) up to ``up_to``."""
    total = 0.0
    for path in sorted(inbox.glob("*/Meta-Ads-Report-*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if date.fromisoformat(row["Day"]) <= up_to:
                    total += float(row["Amount spent (USD)"].replace(",", ""))
    for path in sorted(inbox.glob("*/account_*_campaign_performance_report_*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Start Date (in UTC)"))
        for row in csv.DictReader(lines[start:]):
            if datetime.strptime(row["Start Date (in UTC)"], "%m/%d/%Y").date() <= up_to:
                total += float(row["Total Spent"].replace(",", ""))
    for path in sorted(inbox.glob("*/tiktok_ads_campaign_report_*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if date.fromisoformat(row["stat_time_day"][:10]) <= up_to:
                    total += float(row["spend"])
    return total


def emails_from_files(inbox: Path) -> set[str]:
    emails = set()
    for path in sorted(inbox.glob("*/orders_export_*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            emails |= {row["Email"] for row in csv.DictReader(fh) if row["Email"]}
    for path in sorted(inbox.glob("*/unified_payments.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            emails |= {row["Customer Email"] for row in csv.DictReader(fh) if row["Customer Email"]}
    return emails


# ---------------------------------------------------------------- running the product
def run_pipeline(
    home: Path, inbox: Path, end: date, days: int = 1, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`social-roi run`: real Airflow runs (dag.test) of social_roi_daily, in a fresh process."""
    env = {
        **os.environ,
        "SOCIAL_ROI_HOME": str(home),
        "SOCIAL_ROI_INBOX": str(inbox),
        "SOCIAL_ROI_PII_SALT": "integration-test-salt",
        **(extra_env or {}),
    }
    env.pop("AIRFLOW_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "social_roi.cli", "run", "--end", end.isoformat(), "--days", str(days)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def instagram_lifetime_views(inbox: Path, up_to: date) -> dict[str, int]:
    """Post ID -> Views in the latest Instagram export (exported up to ``up_to``) that lists the post."""
    views: dict[str, int] = {}
    for path in sorted(inbox.glob("*/instagram_posts_*.csv")):
        if date.fromisoformat(path.parent.name) > up_to:
            continue
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                views[row["Post ID"]] = int(row["Views"].replace(",", ""))
    return views


def meta_claimed_purchases(inbox: Path, up_to: date) -> float:
    total = 0.0
    for path in sorted(inbox.glob("*/Meta-Ads-Report-*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if date.fromisoformat(row["Day"]) <= up_to and row["Purchases"]:
                    total += float(row["Purchases"])
    return total


def campaign_ids(inbox: Path, up_to: date) -> set[str]:
    """Campaign ids of the Meta, LinkedIn and TikTok exports up to ``up_to``."""
    ids: set[str] = set()
    for path in sorted(inbox.glob("*/Meta-Ads-Report-*.csv")):
        if date.fromisoformat(path.parent.name) <= up_to:
            with path.open(newline="", encoding="utf-8") as fh:
                ids |= {row["Campaign ID"] for row in csv.DictReader(fh)}
    for path in sorted(inbox.glob("*/tiktok_ads_campaign_report_*.csv")):
        if date.fromisoformat(path.parent.name) <= up_to:
            with path.open(newline="", encoding="utf-8") as fh:
                ids |= {row["campaign_id"] for row in csv.DictReader(fh)}
    for path in sorted(inbox.glob("*/account_*_campaign_performance_report_*.csv")):
        if date.fromisoformat(path.parent.name) <= up_to:
            lines = path.read_text(encoding="utf-8").splitlines()
            start = next(i for i, line in enumerate(lines) if line.startswith("Start Date (in UTC)"))
            ids |= {row["Campaign ID"] for row in csv.DictReader(lines[start:])}
    return ids


def linkedin_posts_by_author(inbox: Path, up_to: date) -> dict[str, int]:
    """'Posted by' -> number of distinct LinkedIn posts (by link) in the page exports up to ``up_to``."""
    from openpyxl import load_workbook

    posts: dict[str, str] = {}
    for path in sorted(inbox.glob("*/linkedin_page_updates_*.xlsx")):
        if date.fromisoformat(path.parent.name) > up_to:
            continue
        sheet = load_workbook(path, read_only=True)["All posts"]
        rows = list(sheet.iter_rows(values_only=True))
        header = list(rows[1])  # row 1 is a description line
        for row in rows[2:]:
            record = dict(zip(header, row))
            posts[record["Post link"]] = record["Posted by"]
    counts: dict[str, int] = {}
    for author in posts.values():
        counts[author] = counts.get(author, 0) + 1
    return counts


def generate_world(out: Path, *, seed: int, end: date, scale: float = 0.01, days: int = 35) -> Path:
    """`social-roi generate` into ``out`` (a fresh process, as a user runs it)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "social_roi.cli",
            "generate",
            "--out",
            str(out),
            "--scale",
            str(scale),
            "--days",
            str(days),
            "--seed",
            str(seed),
            "--end-date",
            end.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out
