"""GA4 web-interface report export (Reports › e.g. Traffic acquisition, User acquisition › Share › Download CSV)
[B: layout from GA4's documented report dimensions and metrics; no real file kept in the project].

A ``#`` comment preamble (report name, account, property, ``Start date: YYYYMMDD`` / ``End date: YYYYMMDD``), then
one or more tables separated by blank lines and ``#`` lines. The first table with a ``Date`` column and a traffic
dimension is read (the next ``#`` line ends it); tables without a date (totals by dimension, charts' series
summaries) are not daily traffic and are left out.

Table ``ga4_traffic`` (daily aggregate traffic): date, scope, source, medium, campaign, channel_group, sessions,
engaged_sessions, users, new_users, key_events, revenue, source_row.

* ``scope`` says whose source the row is: ``session`` (Traffic acquisition: ``Session source / medium``…),
  ``first_user`` (User acquisition: ``First user source / medium``…), else ``report`` (``Source / medium``).
* ``source / medium`` cells are split at the first ``" / "``; ``(not set)``, ``(none)`` and ``(direct)`` are kept as
  GA4 writes them.
* Dates are ``YYYYMMDD``. Metrics: ``Sessions``, ``Engaged sessions``, ``Total users`` (or ``Active users``),
  ``New users``, ``Key events`` (formerly ``Conversions``), ``Total revenue`` (or ``Purchase revenue``).
  A row without a date whose dimension is empty or ``Total`` / ``Grand total`` is a total of the other rows and
  is not loaded; any other row without a date is rejected.
* French interface names are accepted for the main columns (``Source/Support de la session``, ``Sessions``…) [C].
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, IngestError, ParseResult, Problem, TableSpec, col
from social_roi.ingest.formats._common import Columns, period_of

_SOURCE_MEDIUM = (
    "Session source / medium",
    "First user source / medium",
    "Source / medium",
    "Source/support de la session",
    "Source/support du premier utilisateur",
    "Source/support",
)
_SOURCE = ("Session source", "First user source", "Source", "Source de la session", "Source du premier utilisateur")
_MEDIUM = ("Session medium", "First user medium", "Medium", "Support de la session", "Support du premier utilisateur")
_CAMPAIGN = (
    "Session campaign",
    "First user campaign",
    "Campaign",
    "Session manual campaign name",
    "Campagne de la session",
    "Campagne du premier utilisateur",
    "Campagne",
)
_CHANNEL = (
    "Session default channel group",
    "Session primary channel group (Default channel group)",
    "First user default channel group",
    "First user primary channel group (Default channel group)",
    "Default channel group",
    "Groupe de canaux par défaut de la session",
    "Groupe de canaux par défaut du premier utilisateur",
)

TABLE = TableSpec(
    "ga4_traffic",
    (
        col("date", "Date", required=True),
        # any traffic dimension makes the file a traffic report (the columns below say which)
        col("traffic", *_SOURCE_MEDIUM, *_SOURCE, *_CHANNEL, required=True),
        col("source_medium", *_SOURCE_MEDIUM),
        col("source", *_SOURCE),
        col("medium", *_MEDIUM),
        col("campaign", *_CAMPAIGN),
        col("channel_group", *_CHANNEL),
        col("sessions", "Sessions"),
        col("engaged_sessions", "Engaged sessions", "Sessions avec engagement"),
        col("users", "Total users", "Active users", "Users", "Nombre total d'utilisateurs", "Utilisateurs actifs"),
        col("new_users", "New users", "Nouveaux utilisateurs"),
        col("key_events", "Key events", "Conversions", "Événements clés"),
        col("revenue", "Total revenue", "Purchase revenue", "Revenu total", "Revenus issus des achats"),
    ),
    section_end=r"^#",
)


def _scope(header: str | None) -> str:
    text = (header or "").lower()
    if text.startswith("session") or "de la session" in text:
        return "session"
    if text.startswith("first user") or "premier utilisateur" in text:
        return "first_user"
    return "report"


def parse(raws, ctx):
    raw = raws[0]
    if not (raw.has("sessions") or raw.has("users")):
        raise IngestError(
            Problem(
                raw.file,
                None,
                None,
                ", ".join(raw.columns.values()),
                "a GA4 report table with 'Sessions' or 'Total users' next to 'Date' (add the "
                "metric in the report, or export Traffic acquisition / User acquisition)",
                "ga4_report_without_traffic",
            )
        )
    # a total line has no date: it repeats the sum of the rows above, so it is not a row of its own
    dates = raw.get("date")
    traffic = raw.get("traffic").fillna("")
    total = dates.isna() & locale.rx_match(traffic, r"(?i)^\s*(?:(?:grand )?total.*)?$")
    raw.frame = raw.frame[~total.to_numpy()].reset_index(drop=True)
    c = Columns(raw, ctx, dayfirst=False)
    day, _ = c.day("date")
    c.checks.flag(raw.get("date").isna(), "date", raw.get("date"), "a date (YYYYMMDD)", "missing_date")
    source_medium = c.text("source_medium")
    split = source_medium.str.split(" / ", n=1, regex=False)
    source = c.text("source")
    medium = c.text("medium")
    if raw.has("source_medium"):
        source = source.where(source.notna(), split.str[0])
        medium = medium.where(medium.notna(), split.str[1])
    scope_of = raw.columns.get("source_medium") or raw.columns.get("source") or raw.columns.get("channel_group")
    n = len(raw.frame)
    out = {
        "date": day,
        "scope": pd.Series([_scope(scope_of)] * n, dtype="str"),
        "source": source.str.strip().str.lower(),
        "medium": medium.str.strip().str.lower(),
        "campaign": c.text("campaign"),
        "channel_group": c.text("channel_group"),
        "sessions": c.count("sessions"),
        "engaged_sessions": c.count("engaged_sessions"),
        "users": c.count("users"),
        "new_users": c.count("new_users"),
        "key_events": c.number("key_events"),
        "revenue": c.money("revenue"),
    }
    frame, problems = c.finish(out)
    return ParseResult("ga4_report", {"ga4_traffic": frame}, problems)


def _period(tables, raws, ctx):
    """The report's ``Start date`` / ``End date`` preamble lines, else the first and last ``Date``."""
    found = {}
    for line in raws[0].preamble:
        text = line.lstrip("#").strip()
        for label in ("start date", "end date", "date de début", "date de fin"):
            if text.lower().startswith(label + ":"):
                value = text.split(":", 1)[1].strip()
                if len(value) == 8 and value.isdigit():
                    found["start" if label in ("start date", "date de début") else "end"] = value
    if "start" in found and "end" in found:
        try:
            return _compact(found["start"]), _compact(found["end"])
        except ValueError:  # an impossible preamble date: the data decides
            pass
    return period_of("ga4_traffic", "date")(tables, raws, ctx)


def _compact(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


SPEC = FormatSpec("ga4_report", (TABLE,), parse, doc=__doc__, period=_period)
