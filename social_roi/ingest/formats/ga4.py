"""GA4 BigQuery export, flattened to CSV or Parquet (dotted column names) [A, docs].

Table ``ga4_events``: event_date, event_timestamp, event_name, user_pseudo_id, user_id_sha256, ga_session_id,
page_location, transaction_id, traffic_source_source, traffic_source_medium, traffic_source_name, manual_source,
manual_medium, manual_campaign_name, manual_campaign_id, manual_content, manual_term, gclid, utm_source,
utm_medium, utm_campaign, utm_content, utm_term, utm_id, fbclid, gbraid, wbraid, li_fat_id, ttclid, twclid,
purchase_revenue, currency, source_row.

* ``event_date`` is YYYYMMDD in the property's time zone (kept as a date); ``event_timestamp`` is µs since the
  epoch, UTC.
* ``traffic_source.*`` is the user's FIRST touch; ``collected_traffic_source.*`` is what this event carried.
* ``page_location`` loses personal query parameters (``email``, ``phone``, ``name``, ``address`` …) and any
  e-mail-looking value before it is kept.
* UTMs and click ids (``fbclid``, ``gclid``, ``gbraid``, ``wbraid``, ``li_fat_id``, ``ttclid``, ``twclid``) are
  parsed from ``page_location`` with vectorised regexes; ``gclid`` prefers the ``collected_traffic_source.gclid``
  column. ``user_id`` is hashed (it is the site's own customer id).
* Column names are matched with ``.`` or ``_`` between the record and the field
  (``event_params.ga_session_id`` or ``event_params_ga_session_id``); unprefixed names are accepted too.
* Alternatives seen in users' own queries: no ``event_name`` (a query that kept page views only); only one of
  ``event_date`` / ``event_timestamp`` (the other is derived: the UTC day of the instant, or midnight of the day);
  ``event_timestamp`` already turned into text (``2026-09-01 10:00:00 UTC``); ``ga_session_id`` unprefixed;
  ``session_traffic_source_last_click.manual_campaign.*`` (or ``cross_channel_campaign.*``), the session's
  last-click source, kept as ``session_*`` and used when the landing URL and the event carry no UTM.
* Parquet rows number from 1 (``source_row``); CSV rows are physical lines (header = line 1).
"""

from __future__ import annotations

import pandas as pd

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, IngestError, ParseResult, Problem, TableSpec, col
from social_roi.ingest.formats._common import Columns, period_of, url_params


def _dotted(key: str, record: str, field: str, *, required: bool = False, bare: bool = True):
    names = [f"{record}.{field}", f"{record}_{field}"]
    if bare:
        names.append(field)
    return col(key, *names, required=required)


def _last_click(key: str, field: str, *alternatives: str):
    """``session_traffic_source_last_click.manual_campaign.<field>`` (``.`` or ``_`` between the parts), or the
    cross-channel record's alternatives."""
    names = []
    for record in ("manual_campaign", "cross_channel_campaign"):
        for name in (field, *alternatives):
            names += [
                f"session_traffic_source_last_click.{record}.{name}",
                f"session_traffic_source_last_click_{record}_{name}",
            ]
    return col(key, *names)


TABLE = TableSpec(
    "ga4_events",
    (
        col("event_date", "event_date"),
        col("event_timestamp", "event_timestamp", "event_time", "event_datetime"),
        col("event_name", "event_name"),
        col("user_pseudo_id", "user_pseudo_id", required=True),
        col("user_id", "user_id"),
        _dotted("ga_session_id", "event_params", "ga_session_id"),
        _dotted("page_location", "event_params", "page_location"),
        _dotted("transaction_id", "ecommerce", "transaction_id"),
        _dotted("purchase_revenue", "ecommerce", "purchase_revenue"),
        _dotted("currency", "event_params", "currency"),
        _dotted("ts_source", "traffic_source", "source", bare=False),
        _dotted("ts_medium", "traffic_source", "medium", bare=False),
        _dotted("ts_name", "traffic_source", "name", bare=False),
        _dotted("manual_source", "collected_traffic_source", "manual_source"),
        _dotted("manual_medium", "collected_traffic_source", "manual_medium"),
        _dotted("manual_campaign_name", "collected_traffic_source", "manual_campaign_name"),
        _dotted("manual_campaign_id", "collected_traffic_source", "manual_campaign_id"),
        _dotted("manual_content", "collected_traffic_source", "manual_content"),
        _dotted("manual_term", "collected_traffic_source", "manual_term"),
        _dotted("gclid", "collected_traffic_source", "gclid"),
        _last_click("session_source", "source"),
        _last_click("session_medium", "medium"),
        _last_click("session_campaign_name", "campaign_name"),
        _last_click("session_campaign_id", "campaign_id"),
        _last_click("session_content", "content"),
        _last_click("session_term", "term"),
    ),
)

PII_PARAMS = (
    "email",
    "e-mail",
    "e_mail",
    "mail",
    "phone",
    "tel",
    "telephone",
    "mobile",
    "name",
    "first_name",
    "last_name",
    "firstname",
    "lastname",
    "fname",
    "lname",
    "full_name",
    "address",
    "street",
    "zip",
    "postcode",
    "postal_code",
)
_PII_RE = r"(?i)([?&])(?:" + "|".join(p.replace("-", r"\-") for p in PII_PARAMS) + r")=[^&#]*"
_EMAIL_RE = r"(?i)[a-z0-9._%+\-]+(?:@|%40)[a-z0-9.\-]+\.[a-z]{2,}"
CLICK_IDS = ("fbclid", "gclid", "gbraid", "wbraid", "li_fat_id", "ttclid", "twclid")


_PII_DETECT = r"(?i)[?&](?:" + "|".join(p.replace("-", r"\-") for p in PII_PARAMS) + r")=|@|%40"


def strip_pii(url: pd.Series) -> pd.Series:
    has_query = locale.rx_contains(url, _PII_DETECT)
    if not has_query.any():
        return url
    sub = url[has_query]
    sub = locale.rx_replace(sub, _PII_RE, r"\1")
    sub = locale.rx_replace(sub, _EMAIL_RE, "redacted")
    sub = locale.rx_replace(locale.rx_replace(sub, r"([?&])&+", r"\1"), r"[?&]+(#|$)", r"\1")
    out = url.copy()
    out[has_query] = sub
    return out


def _timestamps(c: Columns, raw) -> pd.Series:
    """``event_timestamp`` as GA4 writes it (µs since 1970) or as a query turned it into text
    (``TIMESTAMP_MICROS(event_timestamp)`` → ``2026-09-01 10:00:00 UTC``): text as soon as one value holds an ISO
    date, one reading for the whole column."""
    s_ts = raw.get("event_timestamp")
    present = s_ts.dropna()
    if len(present) and locale.rx_contains(present, r"\d{4}-\d{2}-\d{2}").any():
        ts, bad, _ = locale.parse_datetimes(locale.rx_replace(s_ts, r"(?i)\s+UTC$", "+00:00"), dayfirst=False)
        c.checks.flag(bad, "event_timestamp", s_ts, "a timestamp (µs since 1970, or ISO date and time)", "bad_date")
        return ts
    ts, bad_ts = locale.from_unix_micros(s_ts)
    c.checks.flag(bad_ts, "event_timestamp", s_ts, "microseconds since 1970 (integer)", "not_a_number")
    return ts


def parse(raws, ctx):
    raw = raws[0]
    if not (raw.has("event_date") or raw.has("event_timestamp")):
        raise IngestError(
            Problem(
                raw.file,
                None,
                None,
                ", ".join(raw.columns.values()),
                "a GA4 event table with 'event_date' or 'event_timestamp' (add either column to the query's SELECT)",
                "missing_column",
            )
        )
    c = Columns(raw, ctx)
    s_date = raw.get("event_date")
    ev_date_ts, bad_date, _ = locale.parse_datetimes(s_date, dayfirst=False)
    c.checks.flag(bad_date, "event_date", s_date, "a date (YYYYMMDD)", "bad_date")
    c.future(ev_date_ts, "event_date", s_date)
    ts = _timestamps(c, raw)
    # without one of the two, the other stands in: the day of the instant, or midnight of the day
    if not raw.has("event_date"):
        ev_date_ts = ts.dt.floor("D")
        c.future(ts, "event_timestamp", raw.get("event_timestamp"))
    elif not raw.has("event_timestamp"):
        ts = ev_date_ts
    page = c.text("page_location")
    page = strip_pii(page)
    out = {
        "event_date": locale.to_date(ev_date_ts),
        "event_timestamp": ts,
        "event_name": c.text("event_name"),
        "user_pseudo_id": c.ident("user_pseudo_id", flag=False),
        "user_id_sha256": c.hashed("id", "user_id"),
        "ga_session_id": c.ident("ga_session_id", flag=False),
        "page_location": page,
        "transaction_id": c.ident("transaction_id", flag=False),
        "traffic_source_source": c.text("ts_source"),
        "traffic_source_medium": c.text("ts_medium"),
        "traffic_source_name": c.text("ts_name"),
        "manual_source": c.text("manual_source"),
        "manual_medium": c.text("manual_medium"),
        "manual_campaign_name": c.text("manual_campaign_name"),
        "manual_campaign_id": c.ident("manual_campaign_id", flag=False),
        "manual_content": c.text("manual_content"),
        "manual_term": c.text("manual_term"),
        "session_source": c.text("session_source"),
        "session_medium": c.text("session_medium"),
        "session_campaign_name": c.text("session_campaign_name"),
        "session_campaign_id": c.ident("session_campaign_id", flag=False),
        "session_content": c.text("session_content"),
        "session_term": c.text("session_term"),
    }
    params = url_params(
        page, ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_id", *CLICK_IDS]
    )
    gclid_col = c.text("gclid")
    out["gclid"] = gclid_col.where(gclid_col.notna(), params["gclid"])
    for k in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "utm_id"):
        out[k] = params[k]
    for k in CLICK_IDS:
        if k != "gclid":
            out[k] = params[k]
    out["purchase_revenue"] = c.money("purchase_revenue", nonneg=False)
    out["currency"] = c.text("currency").str.upper()
    order = [
        "event_date",
        "event_timestamp",
        "event_name",
        "user_pseudo_id",
        "user_id_sha256",
        "ga_session_id",
        "page_location",
        "transaction_id",
        "traffic_source_source",
        "traffic_source_medium",
        "traffic_source_name",
        "manual_source",
        "manual_medium",
        "manual_campaign_name",
        "manual_campaign_id",
        "manual_content",
        "manual_term",
        "session_source",
        "session_medium",
        "session_campaign_name",
        "session_campaign_id",
        "session_content",
        "session_term",
        "gclid",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_content",
        "utm_term",
        "utm_id",
        "fbclid",
        "gbraid",
        "wbraid",
        "li_fat_id",
        "ttclid",
        "twclid",
        "purchase_revenue",
        "currency",
    ]
    frame, problems = c.finish({k: out[k] for k in order})
    return ParseResult("ga4_events", {"ga4_events": frame}, problems)


SPEC = FormatSpec("ga4_events", (TABLE,), parse, doc=__doc__, period=period_of("ga4_events", "event_date"))
