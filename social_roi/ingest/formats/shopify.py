"""Shopify orders export (Admin › Orders › Export) [A].

Table ``shopify_orders`` — line-item grain, one row per file row. Order-level fields are only on an order's first
line in the file and stay null on its later lines, exactly as exported.

Columns: order_name, order_id, email_sha256, phone_sha256, billing_name_sha256, financial_status, paid_at,
created_at, cancelled_at, currency, subtotal, shipping, taxes, total, discount_code, discount_amount,
refunded_amount, lineitem_quantity, lineitem_name, lineitem_price, lineitem_sku, source_name, note_attributes,
utm_source, utm_medium, utm_campaign, utm_content, utm_term, line_number, source_row.

* ``line_number`` = 1..n within the order, in file order, keyed on ``Name``.
* ``phone_sha256`` hashes ``Phone``, else ``Billing Phone``, else ``Shipping Phone`` (E.164).
* Addresses, shipping name, ``Notes`` and payment references are dropped (personal, unused).
* UTMs are read from ``Note Attributes`` lines such as ``UTM source: facebook`` / ``utm_source: facebook``
  (newline- or comma-separated); Meta dynamic UTMs carry numeric ids and are kept as strings.
* ``Created at`` may be an Excel serial (xlsx round trip); timestamps look like ``2025-12-07 19:08:25 +0000``.
* ``Source`` is the sales channel (``web``, ``pos``, an app id), not the marketing source: it becomes
  ``source_name``.
"""

from __future__ import annotations

import pandas as pd

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, period_of

TABLE = TableSpec(
    "shopify_orders",
    (
        col("name", "Name", required=True),
        col("email", "Email"),
        col("financial_status", "Financial Status", required=True),
        col("paid_at", "Paid at"),
        col("currency", "Currency", required=True),
        col("subtotal", "Subtotal"),
        col("shipping", "Shipping"),
        col("taxes", "Taxes"),
        col("total", "Total", required=True),
        col("discount_code", "Discount Code"),
        col("discount_amount", "Discount Amount"),
        col("created_at", "Created at", required=True),
        col("lineitem_quantity", "Lineitem quantity", required=True),
        col("lineitem_name", "Lineitem name", required=True),
        col("lineitem_price", "Lineitem price", required=True),
        col("lineitem_sku", "Lineitem sku"),
        col("billing_name", "Billing Name"),
        col("billing_phone", "Billing Phone"),
        col("shipping_phone", "Shipping Phone"),
        col("note_attributes", "Note Attributes"),
        col("cancelled_at", "Cancelled at"),
        col("refunded_amount", "Refunded Amount"),
        col("id", "Id"),
        col("source", "Source"),
        col("phone", "Phone"),
        col("fulfillment_status", "Fulfillment Status"),
        col("accepts_marketing", "Accepts Marketing"),
    ),
)

COLUMNS = (
    "order_name",
    "order_id",
    "email_sha256",
    "phone_sha256",
    "billing_name_sha256",
    "financial_status",
    "paid_at",
    "created_at",
    "cancelled_at",
    "currency",
    "subtotal",
    "shipping",
    "taxes",
    "total",
    "discount_code",
    "discount_amount",
    "refunded_amount",
    "lineitem_quantity",
    "lineitem_name",
    "lineitem_price",
    "lineitem_sku",
    "source_name",
    "note_attributes",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "line_number",
    "source_row",
)

UTM_KEYS = ("source", "medium", "campaign", "content", "term")


def note_utm(notes: pd.Series, key: str) -> pd.Series:
    """``UTM campaign: 1202…`` / ``utm_campaign: …`` / ``utm_campaign=…`` inside Note Attributes."""
    v = locale.rx_extract1(notes, rf"(?im)(?:^|[\n,;|]|\s)utm[ _\-]?{key}\s*[:=]\s*([^\n,;|]*)")
    v = v.str.strip()
    return v.where(v != "")


def parse(raws, ctx):
    raw = raws[0]
    c = Columns(raw, ctx, dayfirst=False)
    name = c.text("name")
    notes = c.text("note_attributes")
    created = c.timestamp("created_at")
    out = {
        "order_name": name,
        "order_id": c.ident("id"),
        "email_sha256": c.hashed("email", "email"),
        "phone_sha256": c.hashed("phone", "phone", "billing_phone", "shipping_phone"),
        "billing_name_sha256": c.hashed("name", "billing_name"),
        "financial_status": c.text("financial_status").str.lower(),
        "paid_at": c.timestamp("paid_at"),
        "created_at": created,
        "cancelled_at": c.timestamp("cancelled_at"),
        "currency": c.text("currency").str.upper(),
        "subtotal": c.money("subtotal"),
        "shipping": c.money("shipping"),
        "taxes": c.money("taxes"),
        "total": c.money("total"),
        "discount_code": c.text("discount_code"),
        "discount_amount": c.money("discount_amount", nonneg=False).abs(),
        "refunded_amount": c.money("refunded_amount"),
        "lineitem_quantity": c.count("lineitem_quantity"),
        "lineitem_name": c.text("lineitem_name"),
        "lineitem_price": c.money("lineitem_price"),
        "lineitem_sku": c.text("lineitem_sku"),
        "source_name": c.text("source"),
        "note_attributes": notes,
    }
    for k in UTM_KEYS:
        out[f"utm_{k}"] = note_utm(notes, k)
    keys = [name.fillna("")] if c.parts is None else [pd.Series(c.parts, index=name.index), name.fillna("")]
    out["line_number"] = (name.groupby(keys).cumcount() + 1).astype("Int64")
    frame, problems = c.finish(out)
    return ParseResult("shopify_orders", {"shopify_orders": frame}, problems)


SPEC = FormatSpec("shopify_orders", (TABLE,), parse, doc=__doc__, period=period_of("shopify_orders", "created_at"))
