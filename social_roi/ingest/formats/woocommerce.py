"""WooCommerce Analytics › Orders CSV download [A, source].

Table ``woocommerce_orders``: order_number, created_at, status, customer_sha256, customer_type, payment_method,
products, items_sold, coupons, net_sales, currency, attribution, attribution_type, attribution_source,
utm_source, utm_medium, utm_campaign, utm_content, utm_term, utm_id, source_row.

* One row per order. ``Customer`` is a person's name: hashed (``customer_sha256``).
* ``Coupon(s)`` may hold several comma-separated codes: kept as the list text, codes trimmed and lowercased.
* ``Attribution`` shows labels such as ``Source: Facebook``, ``Organic: Google``, ``Referral: example.com``,
  ``Direct``; it is split into ``attribution_type`` (``source``/``organic``/``referral``/``direct``/…) and
  ``attribution_source``. ``(none)`` is a placeholder → null.
* When the export also carries the order-attribution meta columns (``_wc_order_attribution_utm_source`` …,
  WooCommerce 8.5+), they fill the ``utm_*`` columns.
* The download has no currency column: ``currency`` is read from a sign in ``Net sales`` (€ → EUR, £ → GBP,
  $ → USD), else null and the store currency comes from configuration (``SOCIAL_ROI_SOURCE_CURRENCIES``, else
  the seed ``source_currencies``). The loader warns when signs or a decimal comma disagree with that currency.
"""

from __future__ import annotations

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, file_dayfirst, period_of

_META = "_wc_order_attribution_"
UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_id")

TABLE = TableSpec(
    "woocommerce_orders",
    (
        col("date", "Date", required=True),
        col("order", "Order #", required=True),
        col("status", "Status", required=True),
        col("customer", "Customer"),
        col("customer_type", "Customer type"),
        col("payment_method", "Payment method"),
        col("products", "Product(s)", required=True),
        col("items_sold", "Items sold", required=True),
        col("coupons", "Coupon(s)"),
        col("net_sales", "Net sales", required=True),
        col("attribution", "Attribution"),
        col("source_type", _META + "source_type"),
    )
    + tuple(col(u, _META + u) for u in UTM),
)


def parse(raws, ctx):
    raw = raws[0]
    c = Columns(raw, ctx, dayfirst=file_dayfirst(raws, ["date"], default=False))
    attribution = c.text("attribution")
    attribution = attribution.where(attribution != "(none)")
    parts = locale.rx_extract(attribution, r"^\s*([^:]+?)\s*(?::\s*(.*))?$")
    coupons = locale.rx_replace(c.text("coupons").str.lower(), r"\s*,\s*", ",")
    out = {
        "order_number": c.ident("order", flag=False).str.lstrip("#"),
        "created_at": c.timestamp("date"),
        "status": c.text("status").str.lower(),
        "customer_sha256": c.hashed("name", "customer"),
        "customer_type": c.text("customer_type").str.lower(),
        "payment_method": c.text("payment_method"),
        "products": c.text("products"),
        "items_sold": c.count("items_sold"),
        "coupons": coupons,
        "net_sales": c.money("net_sales", nonneg=False),
        "currency": locale.currency_from_signs(raw.get("net_sales")),
        "attribution": attribution,
        "attribution_type": parts[0].str.lower(),
        "attribution_source": parts[1].where(parts[1] != ""),
    }
    for u in UTM:
        v = c.text(u)
        out[u] = v.where(v != "(none)")
    frame, problems = c.finish(out)
    # a decimal comma ("1 234,50", "58,74") is a European store's locale: evidence the loader weighs against the
    # configured currency (the download names none)
    comma = locale.rx_match(raw.get("net_sales").fillna(""), r"^[^.]*\d,\d{1,2}\D*$")
    evidence = {"decimal_comma_cells": int(comma.sum()), "amount_column": raw.header_of("net_sales")}
    return ParseResult("woocommerce_orders", {"woocommerce_orders": frame}, problems, evidence=evidence)


SPEC = FormatSpec(
    "woocommerce_orders", (TABLE,), parse, doc=__doc__, period=period_of("woocommerce_orders", "created_at")
)
