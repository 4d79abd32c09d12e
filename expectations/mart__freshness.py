"""The run's day is present: there are sessions, conversions or spend rows on the run date.

Spend is read from the first of kit.SPEND_SOURCES the schema has. A run for a day with no data at all means an export is missing (or the wrong day is being run): publishing would
show a day of zero ROI. Blocking.
"""

from __future__ import annotations

from social_roi.quality import kit

NAME = "mart__freshness"
SEVERITY = "blocking"
ROW_ID = ["run_date"]

QUERY = """
with sessions as (
    select count(*) as n from {schema}.int_sessions where cast(session_started_at as date) = $run_date
),
conversions as (
    select count(*) as n from {schema}.int_conversions where conversion_date = $run_date
),
spend as (
    select count(*) as n from {spend_table} where spend_date = $run_date
)
select
    cast($run_date as varchar) as run_date,
    sessions.n as sessions_on_run_date,
    conversions.n as conversions_on_run_date,
    spend.n as spend_rows_on_run_date,
    sessions.n + conversions.n + spend.n as rows_on_run_date,
    format('{} sessions, {} conversions, {} spend rows on {}', sessions.n, conversions.n, spend.n,
           cast($run_date as varchar)) as note
from sessions, conversions, spend
"""


def frame(con, params: kit.MartParams):
    return kit.run_query(con, params, kit.with_spend(con, params, QUERY))


def build_suite(thresholds=None):
    t = kit.resolve(thresholds)
    minimum = int(t.get("freshness.min_rows_on_run_date"))
    return kit.suite(NAME, [
        kit.expect_at_least("rows_on_run_date", minimum, "the run's day has sessions, conversions or spend",
                            note="note", expected=f">= {minimum} row(s) of sessions, conversions or spend "
                                                  f"on the run date"),
    ], notes=__doc__)
