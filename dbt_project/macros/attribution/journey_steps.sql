{#-
  Turn candidate touches of journeys into the steps attribution uses, in three moves:
    1. the path transform `roi__path_transform` (none | exposure | frequency | unique | first | remove_if_not_all),
    2. keep the last `roi__max_path_length` touches,
    3. number them: touch_index 1 = oldest, path_length = steps in the journey.
  `relation` must have columns journey_id, touch_id, touched_at, channel.
-#}
{% macro journey_steps(relation) -%}
    {%- set transform = var('roi__path_transform') -%}
    {%- set listed = var('roi__path_transform_channels') -%}
    {%- if transform not in ['none', 'exposure', 'frequency', 'unique', 'first', 'remove_if_not_all'] -%}
        {{ exceptions.raise_compiler_error("roi__path_transform must be none, exposure, frequency, unique, first or remove_if_not_all, got " ~ transform) }}
    {%- endif %}
    select * from (
        select
            *,
            lag(channel) over (partition by journey_id order by touched_at, touch_id) as previous_channel,
            row_number() over (partition by journey_id, channel order by touched_at, touch_id) as channel_occurrence,
            {%- if listed %}
            sum(case when channel in ({% for c in listed %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %}) then 0 else 1 end)
            {%- else %}
            count(*)
            {%- endif %}
                over (partition by journey_id) as unlisted_touches
        from {{ relation }}
    ) as candidates
    where
    {%- if transform in ('exposure', 'frequency') %}
        (previous_channel is null or previous_channel <> channel)
    {%- elif transform in ('unique', 'first') %}
        channel_occurrence = 1
    {%- elif transform == 'remove_if_not_all' and listed %}
        (unlisted_touches = 0 or channel not in ({% for c in listed %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %}))
    {%- else %}
        1 = 1
    {%- endif %}
{%- endmacro %}

{#- The lookback, in days, of a touch type (roi__lookback_days_by_touch_type, else roi__lookback_days). -#}
{% macro lookback_days(touch_type_column) -%}
    case {{ touch_type_column }}
    {%- for touch_type, days in var('roi__lookback_days_by_touch_type').items() %}
        when '{{ touch_type }}' then {{ days }}
    {%- endfor %}
        else {{ var('roi__lookback_days') }}
    end
{%- endmacro %}
