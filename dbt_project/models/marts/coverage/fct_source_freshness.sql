-- One row per source (export format) seen up to the run date: its last export day, its cadence (set in
-- SOCIAL_ROI_SOURCE_CADENCE as format:daily|weekly|monthly, else learned from the typical gap between its export
-- days or, with a single export day, from the period its files cover), the day its next export is due and whether it is overdue.
-- A monthly export is on time all month; a source that stops arriving becomes overdue (the gate warns).
{%- set configured = {} %}
{%- for item in env_var('SOCIAL_ROI_SOURCE_CADENCE', '').split(',') if ':' in item %}
    {%- do configured.update({item.split(':')[0].strip(): item.split(':')[1].strip().lower()}) %}
{%- endfor %}
{%- set cadence_days = {'daily': 1, 'weekly': 7, 'monthly': 31} %}
{%- for name, cadence in configured.items() if cadence not in cadence_days %}
    {{ exceptions.raise_compiler_error(
        "SOCIAL_ROI_SOURCE_CADENCE: '" ~ name ~ ":" ~ cadence ~ "' — the cadence must be daily, weekly or monthly") }}
{%- endfor %}
with files as (
    select format, export_date, period_start, period_end
    from {{ raw_source('_files') }} as manifest
    where status in ('loaded', 'loaded_with_rejects', 'replaced', 'duplicate')
        and format is not null
        and export_date <= cast('{{ var("roi__run_date") }}' as date)
),

export_days as (
    select distinct format, export_date from files
),

gaps as (
    select
        format,
        date_diff('day', lag(export_date) over (partition by format order by export_date), export_date) as gap_days
    from export_days
),

learned as (
    select
        files.format,
        max(files.export_date) as last_export_date,
        count(distinct files.export_date) as export_days,
        -- the typical period one file covers (a monthly report: ~30 days; a daily file or a snapshot: 1)
        median(coalesce(date_diff('day', files.period_start, files.period_end) + 1, 1)) as period_days,
        (select median(gaps.gap_days) from gaps where gaps.format = files.format) as median_gap_days
    from files
    group by files.format
),

classified as (
    select
        *,
        case
        {%- for name, cadence in configured.items() %}
            when format = '{{ name }}' then '{{ cadence }}'
        {%- endfor %}
            when coalesce(median_gap_days, period_days) >= 20 then 'monthly'
            when coalesce(median_gap_days, period_days) >= 5 then 'weekly'
            else 'daily'
        end as cadence,
        case
        {%- for name, cadence in configured.items() %}
            when format = '{{ name }}' then 'configured'
        {%- endfor %}
            when median_gap_days is null and period_days <= 1 then 'assumed (one export day)'
            else 'learned'
        end as cadence_origin
    from learned
),

final as (
    select
        format as source,
        last_export_date,
        export_days,
        cadence,
        cadence_origin,
        cast(last_export_date + to_days(case cadence when 'monthly' then 31 when 'weekly' then 7 else 1 end)
            as date) as next_export_due,
        cast('{{ var("roi__run_date") }}' as date) as run_date
    from classified
)

select
    *,
    cast(run_date >= next_export_due as boolean) as is_overdue,
    greatest(0, date_diff('day', next_export_due, run_date) + 1) as days_overdue
from final
