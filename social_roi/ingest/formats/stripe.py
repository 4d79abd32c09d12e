"""Stripe payments export (``unified_payments.csv``) [A].

Table ``stripe_payments``: payment_id, created_at, amount, amount_refunded, currency, captured, status,
converted_amount, converted_amount_refunded, converted_currency, fee, coupon_code, mode, payment_intent_id,
customer_id, customer_email_sha256, customer_phone_sha256, invoice_id, checkout_session_id, client_reference_id,
payment_link_id, utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_row.

* ``payment_id`` is ``id``, else ``PaymentIntent ID`` (a file re-saved from a spreadsheet may have lost ``id``;
  one with neither is rejected whole). A row without any id is rejected (``missing_key``), never loaded with a
  null key.
* One row per payment attempt (failed ones included). Revenue = ``status = 'paid'`` and ``captured``, minus
  ``amount_refunded``.
* ``Created date (UTC)``; older exports say ``Created (UTC)``. Amounts are major units; currency codes come
  lowercase and are upper-cased.
* ``captured`` is a boolean (``true``/``false``); ``status`` lowercased (``paid``, ``failed``, ``refunded`` …).
* Customer e-mail and phone are hashed; ``Customer Description`` and card details are dropped.
* ``Description`` is free text that often names the customer ("Dues payment for <name> – Winter 2026",
  "[Calendly] Call with <name>"): it is never stored. Only what the marts need is kept from it: the UTM
  parameters of a URL written in it (filling empty UTM columns) and a coupon code written ``coupon CODE`` /
  ``promo code CODE`` (``coupon_code``, upper-cased).
* UTM columns are only filled for Payment Links / Checkout sessions.
"""

from __future__ import annotations

import pandas as pd

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, IngestError, ParseResult, Problem, TableSpec, col
from social_roi.ingest.formats._common import Columns, period_of

TABLE = TableSpec(
    "stripe_payments",
    (
        col("id", "id", "ID", "Charge ID"),
        col("created", "Created date (UTC)", "Created (UTC)", required=True),
        col("amount", "Amount", required=True),
        col("amount_refunded", "Amount Refunded", required=True),
        col("currency", "Currency", required=True),
        col("captured", "Captured", required=True),
        col("converted_amount", "Converted Amount"),
        col("converted_amount_refunded", "Converted Amount Refunded"),
        col("converted_currency", "Converted Currency"),
        col("description", "Description"),
        col("fee", "Fee"),
        col("mode", "Mode"),
        col("payment_intent_id", "PaymentIntent ID"),
        col("status", "Status", required=True),
        col("customer_id", "Customer ID"),
        col("customer_email", "Customer Email"),
        col("customer_phone", "Customer Phone"),
        col("invoice_id", "Invoice ID"),
        col("checkout_session_id", "Checkout Session ID"),
        col("client_reference_id", "Client Reference ID"),
        col("payment_link_id", "Payment Link ID"),
        col("utm_campaign", "UTM Campaign"),
        col("utm_content", "UTM Content"),
        col("utm_medium", "UTM Medium"),
        col("utm_source", "UTM Source"),
        col("utm_term", "UTM Term"),
    ),
)

_UTMS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
_URL = r"(https?://\S+)"
_COUPON = r"(?i)\b(?:coupon|promo(?:\s+code)?|discount\s+code)\s*:?\s*([A-Za-z0-9_-]{3,30})\b"
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")


def parse(raws, ctx):
    raw = raws[0]
    c = Columns(raw, ctx)
    if not raw.has("id") and not raw.has("payment_intent_id"):
        raise IngestError(
            Problem(
                raw.file,
                1,
                None,
                None,
                "an 'id' column (Stripe's payment id) or a 'PaymentIntent ID' column: this "
                "file was re-saved without them, so its payments cannot be told apart; export unified_payments.csv "
                "from Stripe again (Payments > Export) and drop it in without re-saving it",
                "missing_column",
            )
        )
    payment_id = c.ident("id", flag=False)
    payment_id = payment_id.where(payment_id.notna(), c.ident("payment_intent_id", flag=False))
    c.checks.flag(
        payment_id.isna(),
        "id" if raw.has("id") else "payment_intent_id",
        None,
        "a payment id (ch_…, py_… or pi_…) on every row; fill it from Stripe's dashboard or export the file again",
        "missing_key",
    )
    description = raw.get("description")
    described_utms = locale.query_params(locale.rx_extract1(description, _URL), list(_UTMS))
    cap = raw.get("captured").str.lower()
    captured = pd.Series(pd.array([None] * len(cap), dtype="boolean"), index=cap.index)
    captured[cap.isin(_TRUE).fillna(False)] = True
    captured[cap.isin(_FALSE).fillna(False)] = False
    c.checks.flag(cap.notna() & captured.isna(), "captured", raw.get("captured"), "true or false", "bad_boolean")
    out = {
        "payment_id": payment_id,
        "created_at": c.timestamp("created"),
        "amount": c.money("amount"),
        "amount_refunded": c.money("amount_refunded"),
        "currency": c.text("currency").str.upper(),
        "captured": captured,
        "status": c.text("status").str.lower(),
        "converted_amount": c.money("converted_amount"),
        "converted_amount_refunded": c.money("converted_amount_refunded"),
        "converted_currency": c.text("converted_currency").str.upper(),
        "fee": c.money("fee"),
        "coupon_code": locale.rx_extract1(description, _COUPON).str.upper(),
        "mode": c.text("mode"),
        "payment_intent_id": c.ident("payment_intent_id", flag=False),
        "customer_id": c.ident("customer_id", flag=False),
        "customer_email_sha256": c.hashed("email", "customer_email"),
        "customer_phone_sha256": c.hashed("phone", "customer_phone"),
        "invoice_id": c.ident("invoice_id", flag=False),
        "checkout_session_id": c.ident("checkout_session_id", flag=False),
        "client_reference_id": c.ident("client_reference_id", flag=False),
        "payment_link_id": c.ident("payment_link_id", flag=False),
    }
    for u in _UTMS:
        own = c.text(u)
        out[u] = own.where(own.notna(), described_utms[u])
    frame, problems = c.finish(out)
    return ParseResult("stripe_payments", {"stripe_payments": frame}, problems)


SPEC = FormatSpec("stripe_payments", (TABLE,), parse, doc=__doc__, period=period_of("stripe_payments", "created_at"))
