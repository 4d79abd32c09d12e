"""Every source keeps arriving at its cadence: a source whose next export is overdue is named with its last
export day (``fct_source_freshness``). Warning: the other sources still publish.
"""

from __future__ import annotations

from social_roi.quality import kit

NAME = "mart__source_arrival"
SEVERITY = "warning"
ROW_ID = ["run_date"]

QUERY = """
select
    cast($run_date as varchar) as run_date,
    count(*) filter (where is_overdue) as overdue_sources,
    coalesce(string_agg(source || ' (' || cadence || ', last export ' || cast(last_export_date as varchar)
                        || ', due ' || cast(next_export_due as varchar) || ')', '; ' order by source)
                 filter (where is_overdue), 'none') as overdue
from {schema}.fct_source_freshness
"""


def frame(con, params: kit.MartParams):
    if "fct_source_freshness" not in kit.existing_tables(con, params.schema):
        return kit.query(
            con,
            "select cast($run_date as varchar) as run_date, 0 as overdue_sources, 'no source seen' as overdue",
            {"run_date": params.run_date},
        )
    return kit.run_query(con, params, QUERY)


def build_suite(thresholds=None):
    return kit.suite(
        NAME,
        [
            kit.expect_zero(
                "overdue_sources",
                "every source's next export has arrived by its due day",
                show=["overdue"],
                expected="0 sources overdue (drop their latest export in the inbox, or "
                "set SOCIAL_ROI_SOURCE_CADENCE=<format>:weekly|monthly)",
            ),
        ],
        notes=__doc__,
    )
