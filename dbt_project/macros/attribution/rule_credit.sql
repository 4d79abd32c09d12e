{#-
  Share of a conversion credited to one touch under a rule-based model, from the touch's position in its path.
  Columns expected in scope: touch_index (1 = oldest), path_length, days_before_conversion, conversion_id.
  Every formula gives shares that sum to 1 over a conversion's touches.
    first_touch     1 for the first touch
    last_touch      1 for the last touch
    last_non_direct 1 for the last touch whose channel is not in roi__direct_channels (the last touch when
                    every touch is direct)
    linear          1 / n
    position_based  n = 1: 1; n = 2: 1/2 each; n > 2: first `roi__position_first_share`, last
                    `roi__position_last_share`, the rest split evenly over the n - 2 middle touches
    time_decay      2^(-days/h) normalised over the path, h = `roi__time_decay_half_life_days`
-#}
{% macro rule_credit(model) -%}
    {{ return(adapter.dispatch('rule_credit', 'social_roi')(model)) }}
{%- endmacro %}

{% macro default__rule_credit(model) -%}
    {%- set first_share = var('roi__position_first_share') -%}
    {%- set last_share = var('roi__position_last_share') -%}
    {%- if model == 'first_touch' -%}
        case when touch_index = 1 then 1.0 else 0.0 end
    {%- elif model == 'last_touch' -%}
        case when touch_index = path_length then 1.0 else 0.0 end
    {%- elif model == 'last_non_direct' -%}
        case when touch_index = coalesce(
            max(case when channel not in (
                {%- for c in var('roi__direct_channels') %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor -%}
            ) then touch_index end) over (partition by conversion_id),
            path_length
        ) then 1.0 else 0.0 end
    {%- elif model == 'linear' -%}
        1.0 / path_length
    {%- elif model == 'position_based' -%}
        case
            when path_length = 1 then 1.0
            when path_length = 2 then 0.5
            when touch_index = 1 then {{ first_share }}
            when touch_index = path_length then {{ last_share }}
            else (1.0 - {{ first_share }} - {{ last_share }}) / (path_length - 2)
        end
    {%- elif model == 'time_decay' -%}
        power(0.5, coalesce(days_before_conversion, 0) / {{ var('roi__time_decay_half_life_days') }})
        / sum(power(0.5, coalesce(days_before_conversion, 0) / {{ var('roi__time_decay_half_life_days') }}))
            over (partition by conversion_id)
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown rule-based attribution model: " ~ model) }}
    {%- endif -%}
{%- endmacro %}
