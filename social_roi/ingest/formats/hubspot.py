"""HubSpot deals export [C].

Table ``hubspot_deals``: deal_id, deal_name, deal_stage, is_closed_won, is_closed, amount, currency, close_date,
created_at, deal_owner, contact_email_sha256, pipeline, original_source_type, original_source_drill_down_1,
original_source_drill_down_2, source_row.

* ``Deal Stage`` may be a label (``Closed Won``) or an internal id (``closedwon``, ``closedlost``,
  ``appointmentscheduled`` …); ``deal_stage`` is normalised to lowercase without spaces (``closedwon``), and
  ``is_closed_won`` / ``is_closed`` derive from it.
* Source properties: ``Original Source Type`` (``hs_analytics_source``), ``Original Source Drill-Down 1/2``
  (``hs_analytics_source_data_1/2``) — internal names accepted as aliases.
* The deal's associated contact (``Associated Contact``, written ``Jane Doe (jane@shop.com)``, or a plain
  ``Associated Contact Email`` / ``Contact email`` column) is reduced to its e-mail, normalised and hashed like
  every other e-mail (``contact_email_sha256``): deals stitch to the visitors who bought with that address. The
  contact's name is never stored.
* ``deal_owner`` is staff (kept in clear). ``close_date`` may lie in the future for open deals (not rejected);
  ``created_at`` may not.
"""

from __future__ import annotations

from social_roi.ingest import locale, pii
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, file_dayfirst, period_of

TABLE = TableSpec(
    "hubspot_deals",
    (
        col("id", "Record ID", "hs_object_id", "Deal ID", required=True),
        col("name", "Deal Name", "dealname", required=True),
        col("stage", "Deal Stage", "dealstage", required=True),
        col("amount", "Amount", "amount", required=True),
        col("currency", "Currency", "deal_currency_code", "Deal Currency"),
        col("close_date", "Close Date", "closedate", required=True),
        col("create_date", "Create Date", "createdate"),
        col("owner", "Deal owner", "Deal Owner", "hubspot_owner_id"),
        col("pipeline", "Pipeline", "pipeline"),
        col(
            "contact",
            "Associated Contact",
            "Associated Contact Email",
            "Contact email",
            "Contact Email",
            "associated_contact_email",
            "hs_associated_contact_email",
        ),
        col("src", "Original Source Type", "hs_analytics_source"),
        col("src1", "Original Source Drill-Down 1", "hs_analytics_source_data_1"),
        col("src2", "Original Source Drill-Down 2", "hs_analytics_source_data_2"),
    ),
)

# the first e-mail address in the cell ("Jane Doe (jane@shop.com); Bob (bob@x.org)" -> jane@shop.com)
_EMAIL = r"([^\s<>(),;:\"']+@[^\s<>(),;:\"']+\.[A-Za-z]{2,})"


def parse(raws, ctx):
    raw = raws[0]
    c = Columns(raw, ctx, dayfirst=file_dayfirst(raws, ["close_date", "create_date"], default=False))
    stage = locale.rx_replace(c.text("stage").str.lower(), r"[\s_\-]+", "")
    close, _ = c.day("close_date", future=False)
    currency = c.text("currency").str.upper()
    currency = currency.where(currency.notna(), locale.currency_from_signs(raw.get("amount")))
    out = {
        "deal_id": c.ident("id"),
        "deal_name": c.text("name"),
        "deal_stage": stage,
        "is_closed_won": (stage == "closedwon").astype("boolean"),
        "is_closed": stage.isin(["closedwon", "closedlost"]).astype("boolean"),
        "amount": c.money("amount"),
        "currency": currency,
        "close_date": close,
        "created_at": c.timestamp("create_date"),
        "deal_owner": c.text("owner"),
        "contact_email_sha256": pii.hash_pii(locale.rx_extract1(raw.get("contact"), _EMAIL), "email", salt=c.ctx.salt),
        "pipeline": c.text("pipeline"),
        "original_source_type": c.text("src"),
        "original_source_drill_down_1": c.text("src1"),
        "original_source_drill_down_2": c.text("src2"),
    }
    frame, problems = c.finish(out)
    return ParseResult("hubspot_deals", {"hubspot_deals": frame}, problems)


SPEC = FormatSpec("hubspot_deals", (TABLE,), parse, doc=__doc__, period=period_of("hubspot_deals", "created_at"))
