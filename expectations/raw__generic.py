"""Generic checks for a format without a suite of its own, inferred from column names.

Currency columns (``currency``, ``*_currency``) hold ISO-4217 codes where given; date columns (``*_at``, ``*_date``,
``day``, ``date``) hold plausible dates; amounts and counts (spend, amount, impressions, clicks, ...) are not negative;
``source_row`` is unique. Give a format its own module (and a line in _registry.py) to check more.
"""

from __future__ import annotations

import re

from social_roi.quality import kit

NAME = "raw__generic"
FORMATS = ()
SEVERITY = "blocking"

_DATE = re.compile(r"(^|_)(at|date|day|time|timestamp)$")
_COUNT = re.compile(
    r"(spend|spent|amount|cost|revenue|total|subtotal|impressions|reach|clicks|views|likes|comments|"
    r"shares|reposts|replies|retweets|purchases|sessions|orders|count)s?$"
)


def spec_for(columns) -> kit.RawSpec:
    columns = list(columns)
    currencies = tuple(c for c in columns if c == "currency" or c.endswith("_currency"))
    kinds: dict[str, str] = {c: "text" for c in currencies}
    kinds.update({c: "datetime" for c in columns if _DATE.search(c) and c not in kinds})
    counts = tuple(c for c in columns if _COUNT.search(c) and c not in kinds)
    kinds.update({c: "number" for c in counts})
    return kit.RawSpec(
        required=(),
        kinds=kinds,
        key=("source_row",) if "source_row" in columns else (),
        non_negative=counts,
        currencies=currencies,
        notes=__doc__,
    )


def frame(df, today=None):
    return kit.prepare_raw(df, spec_for(df.columns))


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, spec_for(columns or ()), columns, thresholds, today)
