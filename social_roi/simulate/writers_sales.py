"""Sales-side exports: Shopify, WooCommerce Analytics, Stripe payments, Salesforce and HubSpot deals.

How each file carries an order's net revenue (``total - refunded``, 0 when cancelled) — the sum over the three
order exports equals ``net_revenue`` in ``truth/world.json``:

* Shopify ``orders_export_*.csv`` — one row per line item, order fields on the first row: ``Total - Refunded
  Amount`` of rows with a ``Total``, skipping rows with ``Cancelled at`` set (``Financial Status`` = ``voided``).
* WooCommerce ``orders-report-export-*.csv`` — one row per order plus one row per refund (same ``Order #``,
  ``Status`` = ``Refunded``, negative ``Net sales``): sum ``Net sales`` over rows whose ``Status`` is
  ``Completed`` or ``Refunded``. ``Cancelled`` orders still show their Net sales and must be skipped. The trade
  storefront collects no tax and ships free, so Net sales equals the order total.
* Stripe ``unified_payments.csv`` — one row per payment attempt: sum ``Amount - Amount Refunded`` over rows with
  ``Status`` = ``Paid`` and ``Captured`` = ``true``. ``Failed`` attempts (declined cards, some retried under the
  same ``Client Reference ID``, some abandoned) and fully refunded (``Refunded``) payments never count.

Order ids: Shopify ``Id`` (GA4 ``transaction_id``) and ``Name``; WooCommerce ``Order #``; Stripe ``Client
Reference ID``. Deals (Salesforce, HubSpot) are B2B conversions and never order revenue. The HubSpot export's
``Associated Contact`` column (``First Last (email)``) carries the contact email that stitches a deal to a web
visitor; the Salesforce opportunity report has no email column (stitch it through ``Opportunity Owner``).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.simulate.world import (
    PRODUCTS,
    STRIPE_ABANDONED_RATE,
    STRIPE_FAILED_RETRY_RATE,
    World,
    basket_lines,
)
from social_roi.simulate.writers_common import (
    day_end_epoch,
    fmt_ts,
    mdy,
    money2,
    post_ids,
    ucfirst,
    utc,
    utm_fields,
    write_frame,
)

SHOPIFY_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]

WOO_HEADER = [
    "Date",
    "Order #",
    "Status",
    "Customer",
    "Customer type",
    "Payment method",
    "Product(s)",
    "Items sold",
    "Coupon(s)",
    "Net sales",
    "Attribution",
]

STRIPE_HEADER = [
    "id",
    "Created date (UTC)",
    "Amount",
    "Amount Refunded",
    "Currency",
    "Captured",
    "Converted Amount",
    "Converted Amount Refunded",
    "Converted Currency",
    "Decline Reason",
    "Description",
    "Fee",
    "Is Link",
    "Link Funding",
    "Mode",
    "PaymentIntent ID",
    "Payment Source Type",
    "Refunded date (UTC)",
    "Statement Descriptor",
    "Status",
    "Seller Message",
    "Taxes On Fee",
    "Card ID",
    "Card Brand",
    "Card Last4",
    "Customer ID",
    "Customer Description",
    "Customer Email",
    "Customer Phone",
    "Invoice ID",
    "Invoice Number",
    "Checkout Session ID",
    "Client Reference ID",
    "Payment Link ID",
    "UTM Campaign",
    "UTM Content",
    "UTM Medium",
    "UTM Source",
    "UTM Term",
]

SALESFORCE_HEADER = [
    "Opportunity Owner",
    "Account Name",
    "Opportunity Name",
    "Stage",
    "Fiscal Period",
    "Amount",
    "Close Date",
    "Lead Source",
    "Type",
    "Primary Campaign Source",
]
SALESFORCE_OPEN_STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
)

HUBSPOT_HEADER = [
    "Record ID",
    "Deal Name",
    "Deal Stage",
    "Amount",
    "Close Date",
    "Create Date",
    "Deal owner",
    "Original Source Type",
    "Original Source Drill-Down 1",
    "Original Source Drill-Down 2",
    "Pipeline",
    "Associated Contact",
]
HUBSPOT_OPEN_STAGES = (  # label, internal id (default sales pipeline)
    ("Appointment Scheduled", "appointmentscheduled"),
    ("Qualified To Buy", "qualifiedtobuy"),
    ("Presentation Scheduled", "presentationscheduled"),
    ("Decision Maker Bought-In", "decisionmakerboughtin"),
    ("Contract Sent", "contractsent"),
)
HUBSPOT_CLOSED = {"won": ("Closed Won", "closedwon"), "lost": ("Closed Lost", "closedlost")}

PRODUCT_NAMES = np.array([p[1] for p in PRODUCTS], dtype=object)
PRODUCT_SKUS = np.array([p[0] for p in PRODUCTS], dtype=object)
ORDER_DELAY_S = 240  # the order is placed four minutes after the session starts
STRIPE_LINKS = ("plink_1QSRtee0000000000A", "plink_1QSRbag0000000000B", "plink_1QSRgift000000000C")


def _order_lines(orders: pd.DataFrame) -> pd.DataFrame:
    lines = basket_lines(orders)
    cols = [
        "session_row",
        "customer_index",
        "ts",
        "coupon_code",
        "discount_amount",
        "subtotal",
        "shipping",
        "taxes",
        "total",
        "refunded_amount",
        "is_cancelled",
        "channel",
        "ad_index",
        "post_index",
        "order_id",
        "order_name",
    ]
    return lines.merge(orders.reset_index(names="session_row")[cols], on="session_row")


def write_shopify(world: World, day: date, folder: Path, rows: np.ndarray) -> Path:
    s = world.sessions.iloc[rows]
    orders = s[s["converted"].to_numpy() & (s["sales_system"] == "shopify").to_numpy()]
    cfg = world.config
    lines = _order_lines(orders)
    cust = world.customers.iloc[lines["customer_index"].to_numpy()].reset_index(drop=True)
    first = (lines["line_number"] == 1).to_numpy()
    created = fmt_ts(lines["ts"].to_numpy() + ORDER_DELAY_S)

    def money(col):
        return np.where(first, money2(lines[col]), "")

    status = np.where(
        lines["is_cancelled"], "voided", np.where(lines["refunded_amount"] > 0, "partially_refunded", "paid")
    )
    notes = np.full(len(lines), "", dtype=object)
    paid = lines["channel"].str.endswith("_paid").to_numpy() & (lines["basket_seed"].to_numpy() % 2 == 0)
    if paid.any():
        ad = world.ads.iloc[lines.loc[paid, "ad_index"].to_numpy()]
        notes[paid] = (
            "UTM source: "
            + pd.Series(ad["platform"].to_numpy())
            + "\nUTM medium: paid_social"
            + "\nUTM campaign: "
            + pd.Series(ad["campaign_id"].to_numpy())
            + "\nUTM content: "
            + pd.Series(ad["ad_id"].to_numpy())
        ).to_numpy()
    country = "FR" if cfg.locale == "fr" else "US"
    billing_name = (cust["first_name"] + " " + cust["last_name"]).to_numpy()
    table = {h: np.full(len(lines), "", dtype=object) for h in SHOPIFY_HEADER}
    table["Name"] = lines["order_name"].to_numpy()
    table["Id"] = np.where(first, lines["order_id"], "")
    table["Email"] = np.where(first, cust["email"], "")
    table["Financial Status"] = np.where(first, status, "")
    table["Paid at"] = np.where(first, created, "")
    table["Fulfillment Status"] = np.where(first, "fulfilled", "")
    table["Accepts Marketing"] = np.where(first, "yes", "")
    table["Currency"] = np.where(first, cfg.currency, "")
    table["Subtotal"] = money("subtotal")
    table["Shipping"] = money("shipping")
    table["Taxes"] = money("taxes")
    table["Total"] = money("total")
    table["Discount Code"] = np.where(first, lines["coupon_code"], "")
    table["Discount Amount"] = money("discount_amount")
    table["Shipping Method"] = np.where(first, "Standard", "")
    table["Created at"] = created
    table["Lineitem quantity"] = lines["quantity"].astype(str).to_numpy()
    table["Lineitem name"] = PRODUCT_NAMES[lines["product"].to_numpy()]
    table["Lineitem price"] = money2(lines["unit_price"])
    table["Lineitem sku"] = PRODUCT_SKUS[lines["product"].to_numpy()]
    table["Lineitem requires shipping"] = "true"
    table["Lineitem taxable"] = "true"
    table["Lineitem fulfillment status"] = "fulfilled"
    table["Billing Name"] = np.where(first, billing_name, "")
    table["Billing Address1"] = np.where(first, (cust["customer_id"] % 200 + 1).astype(str) + " Main Street", "")
    table["Billing City"] = np.where(first, "Lyon" if cfg.locale == "fr" else "Portland", "")
    table["Billing Country"] = np.where(first, country, "")
    table["Billing Phone"] = np.where(first, cust["phone"], "")
    table["Shipping Name"] = table["Billing Name"]
    table["Shipping Country"] = table["Billing Country"]
    table["Note Attributes"] = np.where(first, notes, "")
    table["Cancelled at"] = np.where(
        first & lines["is_cancelled"].to_numpy(), fmt_ts(lines["ts"].to_numpy() + 7200), ""
    )
    table["Payment Method"] = np.where(first, "Shopify Payments", "")
    table["Refunded Amount"] = money("refunded_amount")
    table["Vendor"] = "Example Shop"
    table["Outstanding Balance"] = np.where(first, "0.00", "")
    table["Source"] = np.where(first, "web", "")
    table["Lineitem discount"] = "0.00"
    return write_frame(folder / f"orders_export_{day.isoformat()}.csv", pd.DataFrame(table, columns=SHOPIFY_HEADER))


def woo_attribution(world: World, urls: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """WooCommerce order-attribution origin labels (``Source: Facebook``, ``Organic: Google``, ``Direct``)."""
    utm = utm_fields(urls[rows])
    channel = world.sessions["channel"].to_numpy()[rows]
    label = np.array(["Source: " + ucfirst(v) if v else "Direct" for v in utm["source"].unique()], dtype=object)
    lookup = dict(zip(utm["source"].unique(), label))
    out = utm["source"].map(lookup).to_numpy().astype(object)
    out[channel == "search"] = "Organic: Google"
    unknown = (world.sessions["basket_seed"].to_numpy()[rows] % 37) == 0  # cookies blocked: Woo can't tell
    out[unknown] = "Unknown"
    return out


def _product_list(lines: pd.DataFrame) -> pd.DataFrame:
    """Per order: ``Product(s)`` (names, comma-separated) and ``Items sold``, without a Python loop per order."""
    wide = lines.pivot(index="session_row", columns="line_number", values="product")
    names = pd.Series("", index=wide.index, dtype=object)
    for position in wide.columns:
        col = wide[position]
        has = col.notna().to_numpy()
        part = np.where(has, PRODUCT_NAMES[col.fillna(0).astype(int).to_numpy()], "")
        sep = np.where(has & (names != "").to_numpy(), ", ", "")
        names = names + sep + part
    items = lines.groupby("session_row")["quantity"].sum()
    return pd.DataFrame({"products": names, "items": items.reindex(wide.index)})


def write_woocommerce(world: World, day: date, folder: Path, rows: np.ndarray, urls: np.ndarray) -> Path:
    s = world.sessions
    sel = rows[s["converted"].to_numpy()[rows] & (s["sales_system"].to_numpy()[rows] == "woocommerce")]
    orders = s.iloc[sel]
    cust = world.customers.iloc[orders["customer_index"].to_numpy()]
    lines = basket_lines(orders)
    products = (
        _product_list(lines).reindex(orders.index) if len(orders) else pd.DataFrame({"products": [], "items": []})
    )
    coupon = orders["coupon_code"].str.lower().to_numpy()
    coupons = np.where(coupon != "", coupon + ", freeship", "freeship")
    status = np.where(orders["is_cancelled"], "Cancelled", "Completed")
    returning = orders["customer_order_number"].to_numpy() > 1
    pay = np.array(["Credit Card (Stripe)", "PayPal", "Direct bank transfer"], dtype=object)[
        orders["basket_seed"].to_numpy() % 3
    ]
    base = pd.DataFrame(
        {
            "Date": utc(orders["ts"].to_numpy() + ORDER_DELAY_S).strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
            "Order #": orders["order_id"].to_numpy(),
            "Status": status,
            "Customer": (cust["first_name"] + " " + cust["last_name"]).to_numpy(),
            "Customer type": np.where(returning, "Returning", "New"),
            "Payment method": pay,
            "Product(s)": products["products"].to_numpy(),
            "Items sold": products["items"].fillna(0).astype(int).to_numpy(),
            "Coupon(s)": coupons,
            "Net sales": money2(orders["total"]),
            "Attribution": woo_attribution(world, urls, sel),
            "_sort": orders["ts"].to_numpy(),
        }
    )
    refunded = (orders["refunded_amount"].to_numpy() > 0) & ~orders["is_cancelled"].to_numpy()
    refunds = base[refunded].copy()
    refunds["Date"] = utc(orders["ts"].to_numpy()[refunded] + 7200).strftime("%Y-%m-%d %H:%M:%S").to_numpy()
    refunds["Status"] = "Refunded"
    refunds["Items sold"] = 0
    refunds["Coupon(s)"] = ""
    refunds["Net sales"] = money2(-orders["refunded_amount"].to_numpy()[refunded])
    refunds["_sort"] = orders["ts"].to_numpy()[refunded] + 7200
    table = pd.concat([base, refunds]).sort_values("_sort", ascending=False, kind="stable").drop(columns="_sort")
    return write_frame(folder / f"orders-report-export-{day.isoformat()}.csv", table[WOO_HEADER])


def write_stripe(world: World, day: date, folder: Path, rows: np.ndarray, urls: np.ndarray) -> Path:
    s = world.sessions
    cfg = world.config
    stripe = rows[s["sales_system"].to_numpy()[rows] == "stripe"]
    conv = s["converted"].to_numpy()[stripe]
    fail = s["stripe_fail_draw"].to_numpy()[stripe]
    paid_rows = stripe[conv]
    retry_rows = stripe[conv & (fail < STRIPE_FAILED_RETRY_RATE)]
    abandoned_rows = stripe[~conv & (fail < STRIPE_ABANDONED_RATE)]
    parts = []
    for kind, sel in (("paid", paid_rows), ("retry", retry_rows), ("abandoned", abandoned_rows)):
        o = s.iloc[sel]
        n = len(sel)
        cust = world.customers.iloc[o["customer_index"].to_numpy()]
        utm = utm_fields(urls[sel])
        total = o["total"].to_numpy()
        when = o["ts"].to_numpy() + ORDER_DELAY_S - (90 if kind == "retry" else 0)
        key = pd.Series(sel.astype(np.int64)).astype(str).str.zfill(10)
        suffix = {"paid": "P", "retry": "R", "abandoned": "A"}[kind]
        cancelled = o["is_cancelled"].to_numpy() if kind == "paid" else np.zeros(n, dtype=bool)
        refunded = o["refunded_amount"].to_numpy() if kind == "paid" else np.zeros(n)
        refunded = np.where(cancelled, total, refunded)
        ok = kind == "paid"
        decline = np.array(["card_declined", "insufficient_funds", "expired_card"], dtype=object)[
            o["basket_seed"].to_numpy() % 3
        ]
        client_ref = o["order_id"].to_numpy() if kind != "abandoned" else ("SRPL-A" + key).to_numpy()
        frame = pd.DataFrame(
            {
                "id": ("ch_3QSR" + key + suffix + "x0").to_numpy(),
                "Created date (UTC)": utc(when).strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
                "Amount": money2(total),
                "Amount Refunded": money2(refunded),
                "Currency": cfg.currency.lower(),
                "Captured": "true" if ok else "false",
                "Converted Amount": money2(total),
                "Converted Amount Refunded": money2(refunded),
                "Converted Currency": cfg.currency.lower(),
                "Decline Reason": "" if ok else decline,
                "Description": "Payment for Example Shop",
                "Fee": money2(np.round(total * 0.029 + 0.30, 2)) if ok else "0.00",
                "Is Link": "false",
                "Link Funding": "",
                "Mode": "Live",
                "PaymentIntent ID": ("pi_3QSR" + key + suffix + "x0").to_numpy(),
                "Payment Source Type": "card",
                "Refunded date (UTC)": np.where(
                    refunded > 0, utc(when + 7200).strftime("%Y-%m-%d %H:%M:%S").to_numpy(), ""
                ),
                "Statement Descriptor": "EXAMPLESHOP",
                "Status": (np.where(cancelled, "Refunded", "Paid") if ok else "Failed"),
                "Seller Message": "Payment complete."
                if ok
                else "The bank did not return any further details with this decline.",
                "Taxes On Fee": "0.00",
                "Card ID": (
                    "card_1QSR" + pd.Series(cust["customer_id"].to_numpy()).astype(str).str.zfill(12)
                ).to_numpy(),
                "Card Brand": np.array(["Visa", "Mastercard", "American Express"], dtype=object)[
                    cust["customer_id"].to_numpy() % 3
                ],
                "Card Last4": pd.Series(cust["customer_id"].to_numpy() * 7 % 10000).astype(str).str.zfill(4).to_numpy(),
                "Customer ID": (
                    "cus_SR" + pd.Series(cust["customer_id"].to_numpy()).astype(str).str.zfill(8)
                ).to_numpy(),
                "Customer Description": "",
                "Customer Email": cust["email"].to_numpy(),
                "Customer Phone": cust["phone"].to_numpy(),
                "Invoice ID": "",
                "Invoice Number": "",
                "Checkout Session ID": ("cs_live_a1SR" + key + suffix).to_numpy(),
                "Client Reference ID": client_ref,
                "Payment Link ID": np.array(STRIPE_LINKS, dtype=object)[o["basket_seed"].to_numpy() % 3],
                "UTM Campaign": utm["campaign"].to_numpy(),
                "UTM Content": utm["content"].to_numpy(),
                "UTM Medium": utm["medium"].to_numpy(),
                "UTM Source": utm["source"].to_numpy(),
                "UTM Term": utm["term"].to_numpy(),
                "_sort": when,
            },
            index=range(n),
        )
        parts.append(frame)
    table = pd.concat(parts).sort_values(["_sort", "id"], ascending=False, kind="stable")
    return write_frame(folder / "unified_payments.csv", table[STRIPE_HEADER])


# ------------------------------------------------------------------------------------------------ B2B deals
def deal_state(world: World, deals: pd.DataFrame, day: date) -> pd.DataFrame:
    """Each deal as its CRM shows it at the end of ``day``: open stage by progress, or its final outcome."""
    end = day_end_epoch(day)
    d = deals[deals["created_ts"] < end].copy()
    closed = (d["close_ts"] < end).to_numpy() & (d["outcome"] != "open").to_numpy()
    progress = (end - d["created_ts"].to_numpy()) / np.maximum(d["close_ts"] - d["created_ts"], 1).to_numpy()
    d["open_step"] = np.clip((progress * len(SALESFORCE_OPEN_STAGES)).astype(int), 0, len(SALESFORCE_OPEN_STAGES) - 1)
    d["closed"] = closed
    return d


def _sf_amount(values: np.ndarray, locale: str) -> np.ndarray:
    whole = pd.Series(np.round(values).astype(np.int64))
    if locale == "fr":  # "1 234 567 €" with no-break spaces, as Salesforce writes euros for fr_FR users
        return (whole.map("{:,}".format).astype(str).str.replace(",", "\u00a0", regex=False) + "\u00a0€").to_numpy()
    return ("$" + whole.map("{:,}".format).astype(str)).to_numpy()


def write_salesforce(world: World, day: date, folder: Path) -> Path:
    """Opportunity report ("Export details", formatted), with its totals and confidentiality footer."""
    cfg = world.config
    d = deal_state(world, world.deals[world.deals["crm"] == "salesforce"], day)
    d = d.sort_values(["sales_rep", "close_ts", "deal_number"], kind="stable")
    stage = np.where(
        d["closed"],
        np.where(d["outcome"] == "won", "Closed Won", "Closed Lost"),
        np.array(SALESFORCE_OPEN_STAGES, dtype=object)[d["open_step"].to_numpy()],
    )
    close = utc(d["close_ts"].to_numpy())
    if cfg.locale == "fr":
        close_text = close.strftime("%d/%m/%Y").to_numpy()
    else:
        close_text = mdy(d["close_ts"].to_numpy())
    fiscal = "Q" + pd.Series(((close.month - 1) // 3 + 1).astype(str)) + "-" + pd.Series(close.year.astype(str))
    table = pd.DataFrame(
        {
            "Opportunity Owner": d["sales_rep"].to_numpy(),
            "Account Name": d["account_name"].to_numpy(),
            "Opportunity Name": d["deal_name"].to_numpy(),
            "Stage": stage,
            "Fiscal Period": fiscal.to_numpy(),
            "Amount": _sf_amount(d["amount"].to_numpy(), cfg.locale),
            "Close Date": close_text,
            "Lead Source": "LinkedIn",
            "Type": d["type"].to_numpy(),
            "Primary Campaign Source": "LinkedIn Social Selling",
        }
    )
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(SALESFORCE_HEADER)
    writer.writerows(table.itertuples(index=False, name=None))
    blank = [""] * len(SALESFORCE_HEADER)
    total = [""] * len(SALESFORCE_HEADER)
    total[0] = f"Grand Totals ({len(table)} records)"
    total[SALESFORCE_HEADER.index("Amount")] = _sf_amount(np.array([d["amount"].sum()]), cfg.locale)[0]
    writer.writerow(blank)
    writer.writerow(total)
    writer.writerow(blank)
    writer.writerow(["Confidential Information - Do Not Distribute"])
    writer.writerow([f"Copyright (c) 2000-{day.year} salesforce.com, inc. All rights reserved."])
    stamp = day_end_epoch(day) * 1000 + 8_123_000  # Salesforce names exports report<epoch ms>.csv
    path = folder / f"report{stamp}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def write_hubspot(world: World, day: date, folder: Path) -> Path:
    d = deal_state(world, world.deals[world.deals["crm"] == "hubspot"], day)
    d = d.sort_values("created_ts", ascending=False, kind="stable")
    internal = (d["deal_number"].to_numpy() % 3) == 0  # deals created through the API show internal ids
    open_label = np.array([lab for lab, _ in HUBSPOT_OPEN_STAGES], dtype=object)[d["open_step"].to_numpy()]
    open_id = np.array([i for _, i in HUBSPOT_OPEN_STAGES], dtype=object)[d["open_step"].to_numpy()]
    won = (d["outcome"] == "won").to_numpy()
    closed_label = np.where(won, HUBSPOT_CLOSED["won"][0], HUBSPOT_CLOSED["lost"][0])
    closed_id = np.where(won, HUBSPOT_CLOSED["won"][1], HUBSPOT_CLOSED["lost"][1])
    closed = d["closed"].to_numpy()
    stage = np.where(closed, np.where(internal, closed_id, closed_label), np.where(internal, open_id, open_label))
    ids = post_ids(world).to_numpy()[d["post_index"].to_numpy()]
    amount = pd.Series(np.round(d["amount"].to_numpy()).astype(np.int64)).astype(str).to_numpy()
    table = pd.DataFrame(
        {
            "Record ID": (18234500000 + d["deal_number"].to_numpy() * 13).astype(str),
            "Deal Name": d["deal_name"].to_numpy(),
            "Deal Stage": stage,
            "Amount": amount,
            "Close Date": utc(d["close_ts"].to_numpy()).strftime("%Y-%m-%d %H:%M").to_numpy(),
            "Create Date": utc(d["created_ts"].to_numpy()).strftime("%Y-%m-%d %H:%M").to_numpy(),
            "Deal owner": d["sales_rep"].to_numpy(),
            "Original Source Type": np.where(internal, "SOCIAL_MEDIA", "Social media"),
            "Original Source Drill-Down 1": np.where(internal, "LINKEDIN", "LinkedIn"),
            "Original Source Drill-Down 2": ("urn:li:activity:" + pd.Series(ids, dtype=object)).to_numpy(),
            "Pipeline": "Sales Pipeline",
            "Associated Contact": (d["contact_name"] + " (" + d["contact_email"] + ")").to_numpy(),
        }
    )
    return write_frame(folder / f"hubspot-crm-exports-all-deals-{day.isoformat()}.csv", table[HUBSPOT_HEADER])
