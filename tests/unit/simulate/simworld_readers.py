"""Independent readers of the generated exports, written with csv / zipfile / openpyxl only.

Each one applies the documented revenue rule of its system; none shares code with the writers or the parsers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl


def rows_of(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def first_line(path: Path, encoding: str = "utf-8") -> str:
    with path.open(encoding=encoding, newline="") as fh:
        return fh.readline().rstrip("\r\n")


def one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, (folder, pattern, found)
    return found[0]


def day_folders(out: Path) -> list[Path]:
    return sorted(p for p in (out / "inbox").iterdir() if p.is_dir())


# ----------------------------------------------------------------------------------------------- sales systems
def shopify_orders(out: Path) -> dict[str, float]:
    """Shopify ``Id`` -> net revenue (Total - Refunded Amount; 0 when cancelled)."""
    orders = {}
    for path in sorted((out / "inbox").glob("*/orders_export_*.csv")):
        for row in rows_of(path):
            if not row["Total"]:
                continue
            assert row["Id"] not in orders
            net = 0.0 if row["Cancelled at"] else float(row["Total"]) - float(row["Refunded Amount"] or 0)
            orders[row["Id"]] = net
    return orders


def woo_orders(out: Path) -> dict[str, float]:
    """WooCommerce ``Order #`` -> net revenue: Net sales summed over Completed and Refunded rows."""
    orders: dict[str, float] = {}
    originals: set[str] = set()
    for path in sorted((out / "inbox").glob("*/orders-report-export-*.csv")):
        for row in rows_of(path):
            status = row["Status"].lower()
            if status != "refunded":  # refund rows repeat the Order # of their order
                assert row["Order #"] not in originals
                originals.add(row["Order #"])
            orders.setdefault(row["Order #"], 0.0)
            if status in ("completed", "refunded"):
                orders[row["Order #"]] += float(row["Net sales"])
    assert set(orders) == originals  # every refund belongs to an order
    return orders


def stripe_payments(out: Path) -> tuple[dict[str, float], int]:
    """Stripe ``Client Reference ID`` -> net revenue of its successful payment, and the number of failed rows.

    Revenue = Amount - Amount Refunded over Status=Paid and Captured=true; a fully refunded payment (Status
    Refunded) still identifies an order, with net revenue 0.
    """
    orders: dict[str, float] = {}
    failed = 0
    for path in sorted((out / "inbox").glob("*/unified_payments.csv")):
        for row in rows_of(path):
            if row["Status"] == "Failed":
                failed += 1
                assert row["Captured"] == "false"
                continue
            ref = row["Client Reference ID"]
            assert ref not in orders
            paid = row["Status"] == "Paid" and row["Captured"] == "true"
            orders[ref] = float(row["Amount"]) - float(row["Amount Refunded"]) if paid else 0.0
    return orders, failed


def ga4_purchases(out: Path) -> list[str]:
    ids = []
    for path in sorted((out / "inbox").glob("*/events_*.csv")):
        ids += [r["ecommerce.transaction_id"] for r in rows_of(path) if r["event_name"] == "purchase"]
    return ids


# ----------------------------------------------------------------------------------------------- engagement
def parse_count(text) -> float:
    """``1.2K`` / ``3M`` / ``"12,400"`` / ``1938.0`` -> number."""
    if isinstance(text, (int, float)):
        return float(text)
    text = str(text).strip().replace(",", "")
    scale = {"K": 1e3, "M": 1e6}.get(text[-1:], 1)
    return float(text[:-1] if scale != 1 else text) * scale


def xlsx_rows(path: Path, sheet: str | None = None) -> list[list]:
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb[sheet] if sheet else wb.active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def snapshot_metrics(folder: Path) -> dict[tuple[str, str], dict[str, float]]:
    """(format, post id) -> lifetime counters, for every engagement export of one day folder."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    for row in rows_of(one(folder, "instagram_posts_*.csv")):
        out[("ig", row["Post ID"])] = {
            k: parse_count(row[k]) for k in ("Views", "Reach", "Likes", "Shares", "Follows", "Comments", "Saves")
        }
    for row in rows_of(one(folder, "facebook_posts_*.csv")):
        out[("fb", row["Post ID"])] = {
            k: parse_count(row[k]) for k in ("Views", "Reach", "Reactions", "Comments", "Shares", "Link Clicks")
        }
    for row in rows_of(one(folder, "tweet_activity_metrics_*.csv")):
        out[("x", row["Tweet id"])] = {
            k: parse_count(row[k]) for k in ("impressions", "engagements", "retweets", "likes", "url clicks")
        }
    li = xlsx_rows(one(folder, "linkedin_page_updates_*.xlsx"), "All posts")
    header = li[1]
    for r in li[2:]:
        rec = dict(zip(header, r))
        out[("li", rec["Post link"])] = {k: float(rec[k]) for k in ("Impressions", "Clicks", "Likes", "Reposts")}
    tiktok = sorted(folder.glob("TikTok_Content_*"))
    assert len(tiktok) == 1
    if tiktok[0].suffix == ".xlsx":
        rows = xlsx_rows(tiktok[0])
        records = [dict(zip(rows[0], r)) for r in rows[1:]]
    else:
        records = rows_of(tiktok[0])
    for rec in records:
        out[("tt", rec["Video link"])] = {
            k: parse_count(rec[k]) for k in ("Total likes", "Total comments", "Total shares", "Total views")
        }
    with zipfile.ZipFile(one(folder, "Content *.zip")) as zf:
        table = list(csv.DictReader(io.StringIO(zf.read("Table data.csv").decode("utf-8"))))
    for rec in table[1:]:
        out[("yt", rec["Content"])] = {
            k: float(rec[k]) for k in ("Views", "Watch time (hours)", "Subscribers", "Impressions")
        }
    return out


# ----------------------------------------------------------------------------------------------- deals
def parse_sf_amount(text: str) -> float:
    return float(re.sub(r"[^\d.\-]", "", text.replace(",", "") if "$" in text else text.replace(",", ".")))


def salesforce_rows(path: Path) -> tuple[list[dict[str, str]], list[list[str]]]:
    """(opportunities, footer rows): data rows stop at the first blank row."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    cut = next((i for i, r in enumerate(body) if not any(r)), len(body))
    return [dict(zip(header, r)) for r in body[:cut]], body[cut:]
