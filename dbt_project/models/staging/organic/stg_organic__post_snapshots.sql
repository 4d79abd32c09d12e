-- Lifetime metrics of organic posts as each day's export saw them, all platforms in one shape.
-- Snapshots are cumulative: daily figures are derived downstream from differences between export days.
{% set platforms = [
    ('instagram', 'instagram_posts', 'post_id', 'published_at', 'views', 'likes', 'comments', 'shares', 'null', 'null'),
    ('facebook', 'facebook_posts', 'post_id', 'published_at', 'views', 'likes', 'comments', 'shares', 'link_clicks', 'null'),
    ('linkedin', 'linkedin_page_posts', 'post_id', 'created_at', 'impressions', 'likes', 'comments', 'reposts', 'clicks', 'posted_by'),
    ('x', 'x_tweets', 'tweet_id', 'posted_at', 'impressions', 'likes', 'replies', 'retweets', 'url_clicks', 'null'),
    ('tiktok', 'tiktok_content', 'video_id', 'posted_at', 'views', 'likes', 'comments', 'shares', 'null', 'null'),
    ('youtube', 'youtube_videos', 'video_id', 'published_at', 'impressions', 'null', 'null', 'null', 'views', 'null'),
] %}

with
{% for platform, table, id_col, published, impressions, likes, comments, shares, clicks, posted_by in platforms %}
{{ platform }}_snapshots as (
    select
        '{{ platform }}' as platform,
        cast({{ id_col }} as {{ dbt.type_string() }}) as post_id,
        cast({{ published }} as {{ dbt.type_timestamp() }}) as published_at,
        cast({{ posted_by }} as {{ dbt.type_string() }}) as posted_by,
        cast(_export_date as date) as snapshot_date,
        cast({{ impressions }} as {{ dbt.type_bigint() }}) as impressions,
        cast({{ likes }} as {{ dbt.type_bigint() }}) as likes,
        cast({{ comments }} as {{ dbt.type_bigint() }}) as comments,
        cast({{ shares }} as {{ dbt.type_bigint() }}) as shares,
        cast({{ clicks }} as {{ dbt.type_bigint() }}) as clicks,
        _file_id
    {%- set kinds = {id_col: 'string', published: 'timestamp', '_export_date': 'date', '_file_id': 'int'} %}
    {%- for metric in [impressions, likes, comments, shares, clicks] if metric != 'null' %}
        {%- do kinds.update({metric: 'int'}) %}
    {%- endfor %}
    {%- if posted_by != 'null' %}{% do kinds.update({posted_by: 'string'}) %}{% endif %}
    from {{ source_or_empty('raw', table, kinds) }} as raw_rows
),
{% endfor %}

unioned as (
{% for platform in platforms %}
    select * from {{ platform[0] }}_snapshots
    {% if not loop.last %}union all{% endif %}
{% endfor %}
),

final as (
    select
        *,
        row_number() over (
            partition by platform, post_id, snapshot_date order by _file_id desc
        ) as recency_rank
    from unioned
)

select * from final where recency_rank = 1
