{#-
  The one definition of "channel": which social channel a web visit comes from, from its UTMs and click ids.
  Returns '<platform>_<kind>' (kind: paid, organic, influencer) or null when the visit is not social.
  Override it in your own project with a macro named `<adapter>__channel_of` or `default__channel_of`
  (dispatch search order: your root project first).
-#}
{% macro channel_of(utm_source, utm_medium, fbclid, li_fat_id, twclid, ttclid) -%}
    {{ return(adapter.dispatch('channel_of', 'social_roi')(utm_source, utm_medium, fbclid, li_fat_id, twclid, ttclid)) }}
{%- endmacro %}

{% macro default__channel_of(utm_source, utm_medium, fbclid, li_fat_id, twclid, ttclid) -%}
    case
        when lower({{ utm_medium }}) = 'influencer' then
            case when lower({{ utm_source }}) in ('tiktok', 'youtube') then lower({{ utm_source }}) else 'instagram' end
            || '_influencer'
        when lower({{ utm_medium }}) in ('paid_social', 'paidsocial', 'paid', 'cpc', 'ppc', 'cpm')
            and lower({{ utm_source }}) in ('instagram', 'ig') then 'instagram_paid'
        when lower({{ utm_medium }}) in ('paid_social', 'paidsocial', 'paid', 'cpc', 'ppc', 'cpm')
            and lower({{ utm_source }}) in ('facebook', 'fb', 'meta', 'an', 'msg') then 'facebook_paid'
        when lower({{ utm_medium }}) in ('paid_social', 'paidsocial', 'paid', 'cpc', 'ppc', 'cpm')
            and lower({{ utm_source }}) in ('linkedin', 'x', 'twitter', 'tiktok') then
            case when lower({{ utm_source }}) = 'twitter' then 'x' else lower({{ utm_source }}) end || '_paid'
        when lower({{ utm_source }}) in ('instagram', 'ig', 'l.instagram.com') then 'instagram_organic'
        when lower({{ utm_source }}) in ('facebook', 'fb', 'm.facebook.com', 'l.facebook.com') then 'facebook_organic'
        when lower({{ utm_source }}) in ('linkedin', 'lnkd.in') or {{ li_fat_id }} is not null then 'linkedin_organic'
        when lower({{ utm_source }}) in ('x', 'twitter', 't.co') or {{ twclid }} is not null then 'x_organic'
        when lower({{ utm_source }}) = 'tiktok' or {{ ttclid }} is not null then 'tiktok_organic'
        when lower({{ utm_source }}) = 'youtube' then 'youtube_organic'
        when {{ fbclid }} is not null then 'facebook_organic'
    end
{%- endmacro %}

{#- The platform of a channel: the part before the first underscore. -#}
{% macro platform_of(channel) -%}
    split_part({{ channel }}, '_', 1)
{%- endmacro %}
