"""Shopify orders export as parsed (line-item grain: order fields on an order's first line)."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__shopify_orders"
FORMATS = ("shopify_orders",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=("order_name", "created_at", "currency", "total"),
    kinds={
        "order_name": "text",
        "created_at": "datetime",
        "paid_at": "datetime",
        "cancelled_at": "datetime",
        "currency": "text",
        "subtotal": "number",
        "shipping": "number",
        "taxes": "number",
        "total": "number",
        "discount_amount": "number",
        "refunded_amount": "number",
        "lineitem_quantity": "integer",
        "lineitem_price": "number",
        "line_number": "integer",
    },
    # an order's fields (Total, Currency…) sit on exactly one row: a file that repeats them counts the order twice
    key=("order_fields_key",),
    non_negative=(
        "subtotal",
        "shipping",
        "taxes",
        "total",
        "discount_amount",
        "refunded_amount",
        "lineitem_quantity",
        "lineitem_price",
    ),
    currencies=("currency",),
)


def frame(df, today=None):
    if "order_name" in df.columns and "total" in df.columns:
        line = df["source_row"].astype("str") if "source_row" in df.columns else df.index.astype("str")
        key = df["order_name"].astype("str").where(df["total"].notna(), df["order_name"].astype("str") + "#" + line)
        df = df.assign(order_fields_key=key)
    return kit.prepare_raw(df, SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
