"""GA4 BigQuery export, flattened (one row per event). Events have no natural key: GA4 may repeat one.
``event_name`` may be absent (a user's query that kept one kind of event); a session needs its id."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__ga4_events"
FORMATS = ("ga4_events",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=("user_pseudo_id", "ga_session_id", "event_timestamp"),
    kinds={
        "user_pseudo_id": "text",
        "ga_session_id": "text",
        "event_name": "text",
        "event_timestamp": "datetime",
        "event_date": "datetime",
        "page_location": "text",
    },
)


def frame(df, today=None):
    return kit.prepare_raw(df, SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
