"""Benchmark the ingestion parsers on synthetic exports at SF1 size.

Writes, in a temporary directory, the heavy formats with literal headers (its own simple writer, independent
of the parsers' column maps), parses each with ``social_roi.ingest.parse_file`` and prints rows/s per format.

    .venv/bin/python scripts/bench_ingest.py --rows 1000000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

GA4_HEADER = (
    "event_date,event_timestamp,event_name,user_pseudo_id,user_id,event_params.ga_session_id,"
    "event_params.page_location,ecommerce.transaction_id,ecommerce.purchase_revenue,traffic_source.source,"
    "traffic_source.medium,traffic_source.name,collected_traffic_source.manual_campaign_id,"
    "collected_traffic_source.manual_campaign_name,collected_traffic_source.manual_source,"
    "collected_traffic_source.manual_medium,collected_traffic_source.manual_term,"
    "collected_traffic_source.manual_content,collected_traffic_source.gclid"
)
SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,"
    "Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,"
    "Billing Name,Billing Phone,Note Attributes,Cancelled at,Refunded Amount,Id,Source"
)
X_HEADER = (
    '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements","engagement rate",'
    '"retweets","replies","likes","user profile clicks","url clicks","media views","promoted impressions"'
)
IG_HEADER = (
    "Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,Permalink,"
    "Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves"
)
META_HEADER = (
    "Reporting starts,Reporting ends,Day,Campaign name,Campaign ID,Ad set name,Ad set ID,Ad name,Ad ID,"
    "Attribution setting,Results,Result indicator,Reach,Amount spent (EUR),Impressions,Link clicks,"
    "Clicks (all),Purchases,Purchases conversion value"
)


def _write(path: Path, header: str, columns: list[np.ndarray]) -> None:
    """Join string columns with commas (numpy, vectorised) under a literal header."""
    body = columns[0].astype(str)
    for col in columns[1:]:
        body = np.char.add(np.char.add(body, ","), col.astype(str))
    path.write_text(header + "\n" + "\n".join(body.tolist()) + "\n", encoding="utf-8")


def _s(values) -> np.ndarray:
    return np.asarray(values).astype(str)


def write_ga4(path: Path, n: int, rng) -> None:
    users = rng.integers(1, n // 10 + 2, n)
    ts = 1788220800_000000 + np.sort(rng.integers(0, 30 * 86400_000000, n))
    days = pd.to_datetime(ts, unit="us").strftime("%Y%m%d").to_numpy()
    names = rng.choice(np.array(["page_view", "session_start", "add_to_cart", "purchase"]), n, p=[0.7, 0.2, 0.07, 0.03])
    src = rng.choice(np.array(["facebook", "google", "tiktok", "linkedin"]), n)
    url = np.char.add(
        np.char.add("https://shop.example/p?utm_source=", src),
        np.char.add(
            "&utm_medium=paid_social&utm_campaign=1202436416160907&fbclid=IwAR", _s(rng.integers(10**8, 10**9, n))
        ),
    )
    purchase = names == "purchase"
    tid = np.where(purchase, np.char.add("#", _s(np.arange(n))), "")
    rev = np.where(purchase, _s(np.round(rng.uniform(5, 500, n), 2)), "")
    empty = np.full(n, "", dtype=object)
    _write(
        path,
        GA4_HEADER,
        [
            days,
            _s(ts),
            names,
            np.char.add(_s(users), ".1788220800"),
            empty,
            _s(1788220800 + users),
            url,
            tid,
            rev,
            src,
            _s(np.full(n, "cpc")),
            _s(np.full(n, "(direct)")),
            _s(np.full(n, "1202436416160907")),
            _s(np.full(n, "autumn")),
            src,
            _s(np.full(n, "paid_social")),
            empty,
            empty,
            empty,
        ],
    )


def write_shopify(path: Path, n: int, rng) -> None:
    order = np.cumsum(rng.random(n) < 0.5)  # ~2 lines per order
    first = np.r_[True, order[1:] != order[:-1]]
    name = np.char.add("#", _s(1000 + order))
    blank = np.full(n, "", dtype=object)

    def order_level(values):
        return np.where(first, values, "")

    created = pd.Timestamp("2026-09-01", tz="UTC") + pd.to_timedelta(order * 37, unit="s")
    created_s = created.strftime("%Y-%m-%d %H:%M:%S +0000").to_numpy()
    total = _s(np.round(rng.uniform(10, 300, n), 2))
    email = np.char.add(np.char.add("user", _s(order % 50000)), "@example.com")
    notes = np.where(rng.random(n) < 0.3, "UTM source: facebook | UTM campaign: 120243641616090734", "")
    _write(
        path,
        SHOPIFY_HEADER,
        [
            name,
            order_level(email),
            order_level(np.full(n, "paid")),
            order_level(created_s),
            order_level(np.full(n, "USD")),
            order_level(total),
            order_level(np.full(n, "5.00")),
            order_level(np.full(n, "0.00")),
            order_level(total),
            blank,
            blank,
            created_s,
            _s(rng.integers(1, 4, n)),
            np.full(n, "Linen Shirt"),
            _s(np.round(rng.uniform(5, 100, n), 2)),
            np.full(n, "SKU-1"),
            order_level(np.full(n, "Ann Lee")),
            order_level(np.full(n, "+1 415 555 0100")),
            order_level(notes),
            blank,
            blank,
            order_level(_s(5_000_000_000 + order)),
            order_level(np.full(n, "web")),
        ],
    )


def write_x(path: Path, n: int, rng) -> None:
    ids = _s(812422485237743616 + np.arange(n))

    def q(a):
        return np.char.add(np.char.add('"', _s(a)), '"')

    times = (
        (pd.Timestamp("2026-09-01") + pd.to_timedelta(np.arange(n) * 60, unit="s"))
        .strftime("%Y-%m-%d %H:%M +0000")
        .to_numpy()
    )
    imp = rng.integers(10, 10000, n)
    _write(
        path,
        X_HEADER,
        [
            q(ids),
            q(np.char.add("https://twitter.com/acme/status/", ids)),
            q(np.full(n, "Big news\ntoday, really")),
            q(times),
            q(np.char.add(_s(imp), ".0")),
            q(np.char.add(_s(imp // 20), ".0")),
            q(np.full(n, "0.05")),
            q(np.full(n, "1.0")),
            q(np.full(n, "0.0")),
            q(np.full(n, "3.0")),
            q(np.full(n, "0.0")),
            q(np.full(n, "1.0")),
            q(np.full(n, "0")),
            q(np.full(n, "-")),
        ],
    )


def write_ig(path: Path, n: int, rng) -> None:
    ids = _s(17900000000000000 + np.arange(n))
    times = (
        (pd.Timestamp("2026-09-01") + pd.to_timedelta(np.arange(n) * 60, unit="s"))
        .strftime("%m/%d/%Y %H:%M")
        .to_numpy()
    )
    views = rng.integers(100, 100000, n)
    _write(
        path,
        IG_HEADER,
        [
            ids,
            np.full(n, "17841400000000001"),
            np.full(n, "acme"),
            np.full(n, "Acme"),
            np.full(n, "caption"),
            np.full(n, "0"),
            times,
            np.char.add("https://www.instagram.com/p/", ids),
            np.full(n, "IG image"),
            np.full(n, ""),
            np.full(n, "Lifetime"),
            _s(views),
            _s(views // 2),
            _s(views // 50),
            np.full(n, "1"),
            np.full(n, "0"),
            np.full(n, "2"),
            np.full(n, "3"),
        ],
    )


def write_meta(path: Path, n: int, rng) -> None:
    days = (pd.Timestamp("2026-09-01") + pd.to_timedelta(np.arange(n) % 30, unit="D")).strftime("%Y-%m-%d")
    _write(
        path,
        META_HEADER,
        [
            np.full(n, "2026-09-01"),
            np.full(n, "2026-09-30"),
            days.to_numpy(),
            np.full(n, "Autumn"),
            np.full(n, "120243641616090734"),
            np.full(n, "LAL"),
            np.full(n, "120243641616090800"),
            np.full(n, "Ad"),
            _s(120243641616091000 + np.arange(n)),
            np.full(n, "7-day click"),
            np.full(n, "3"),
            np.full(n, "purchase"),
            _s(rng.integers(100, 9000, n)),
            _s(np.round(rng.uniform(1, 90, n), 2)),
            _s(rng.integers(100, 10000, n)),
            np.full(n, "12"),
            np.full(n, "20"),
            np.full(n, "1"),
            np.full(n, "50.00"),
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="GA4 event rows (SF1 = 1,000,000)")
    parser.add_argument("--keep", action="store_true", help="print the temp dir and keep it")
    args = parser.parse_args(argv)
    from social_roi.ingest import parse_file

    n = args.rows
    plan = [
        ("ga4_events", "events.csv", write_ga4, n),
        ("shopify_orders", "orders_export.csv", write_shopify, max(1, int(n * 0.3))),
        ("x_tweets", "tweets.csv", write_x, max(1, n // 100)),
        ("instagram_posts", "ig.csv", write_ig, max(1, n // 100)),
        ("meta_ads", "meta.csv", write_meta, max(1, n // 100)),
    ]
    rng = np.random.default_rng(7)
    tmp = tempfile.TemporaryDirectory(prefix="bench_ingest_")
    root = Path(tmp.name)
    total = 0.0
    print(f"{'format':<18}{'rows':>10}{'MB':>8}{'seconds':>10}{'rows/s':>12}")
    for fmt, name, writer, rows in plan:
        path = root / name
        writer(path, rows, rng)
        t0 = time.perf_counter()
        result = parse_file(path, salt="bench", today=date(2026, 12, 31))
        dt = time.perf_counter() - t0
        total += dt
        got = sum(len(t) for t in result.tables.values())
        assert result.format == fmt, (result.format, fmt)
        assert got == rows, (fmt, got, rows, [p.message() for p in result.problems[:3]])
        mb = path.stat().st_size / 1e6
        print(f"{fmt:<18}{rows:>10,}{mb:>8.1f}{dt:>10.2f}{rows / dt:>12,.0f}")
    print(f"{'total':<18}{'':>10}{'':>8}{total:>10.2f}")
    if args.keep:
        print("files kept in", root)
    else:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
