"""The run's day is covered: it has sessions, conversions or spend rows, or at least one source is on time for it.

A source is on time while the run date is before its next export is due (``fct_source_freshness``: last export
day + its cadence, daily, weekly or monthly, learned or configured). So a shop whose only export is a monthly
report publishes every day of the month, while a day nothing arrived for (every source overdue and no rows on
it: an export is missing, or the wrong day is being run) would publish a day of zero ROI. Blocking.
Spend is read from the first of kit.SPEND_SOURCES the schema has. Sources that stop arriving are reported
one by one by the warning suite mart__source_arrival.
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
),
sources as (
    {sources}
)
select
    cast($run_date as varchar) as run_date,
    sessions.n as sessions_on_run_date,
    conversions.n as conversions_on_run_date,
    spend.n as spend_rows_on_run_date,
    sessions.n + conversions.n + spend.n as rows_on_run_date,
    sources.on_time as sources_on_time,
    case when sessions.n + conversions.n + spend.n >= $minimum or sources.on_time > 0 then 1 else 0 end
        as run_day_covered,
    format('{} sessions, {} conversions, {} spend rows on {}; {} of {} source(s) on time ({})',
           sessions.n, conversions.n, spend.n, cast($run_date as varchar), sources.on_time, sources.seen,
           coalesce(sources.detail, 'no source seen')) as note
from sessions, conversions, spend, sources
"""

SOURCES = """
    select
        count(*) filter (where not is_overdue) as on_time,
        count(*) as seen,
        string_agg(source || ' ' || cadence || ', last export ' || cast(last_export_date as varchar)
                   || case when is_overdue then ', overdue' else '' end, '; ' order by source) as detail
    from {schema}.fct_source_freshness
"""
NO_SOURCES = "select 0 as on_time, 0 as seen, cast(null as varchar) as detail"


def frame(con, params: kit.MartParams):
    minimum = int(params.thresholds.get("freshness.min_rows_on_run_date"))
    sources = SOURCES if "fct_source_freshness" in kit.existing_tables(con, params.schema) else NO_SOURCES
    sql = kit.with_spend(con, params, QUERY.replace("{sources}", sources).replace("$minimum", str(minimum)))
    return kit.run_query(con, params, sql)


def build_suite(thresholds=None):
    t = kit.resolve(thresholds)
    minimum = int(t.get("freshness.min_rows_on_run_date"))
    return kit.suite(
        NAME,
        [
            kit.expect_at_least(
                "run_day_covered",
                1,
                "the run's day has data or a source on time for it",
                note="note",
                expected=f">= {minimum} row(s) of sessions, conversions or spend "
                f"on the run date, or a source whose next export is not yet due",
            ),
        ],
        notes=__doc__,
    )
