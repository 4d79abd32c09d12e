-- Lifetime metrics of organic posts as each day's export saw them, every platform in one shape (null where a
-- platform does not report a metric). Snapshots are cumulative; daily figures come from differences between
-- export days downstream (fct_post_performance).
{% set platforms = [
    {'platform': 'instagram', 'table': 'instagram_posts', 'id': 'post_id', 'published': 'published_at',
     'impressions': 'views', 'reach': 'reach', 'likes': 'likes', 'comments': 'comments', 'shares': 'shares',
     'saves': 'saves', 'clicks': none, 'video_views': none, 'posted_by': none},
    {'platform': 'facebook', 'table': 'facebook_posts', 'id': 'post_id', 'published': 'published_at',
     'impressions': 'views', 'reach': 'reach', 'likes': 'likes', 'comments': 'comments', 'shares': 'shares',
     'saves': none, 'clicks': 'link_clicks', 'video_views': none, 'posted_by': none},
    {'platform': 'linkedin', 'table': 'linkedin_page_posts', 'id': 'post_id', 'published': 'created_at',
     'impressions': 'impressions', 'reach': none, 'likes': 'likes', 'comments': 'comments', 'shares': 'reposts',
     'saves': none, 'clicks': 'clicks', 'video_views': 'views', 'posted_by': 'posted_by'},
    {'platform': 'x', 'table': 'x_tweets', 'id': 'tweet_id', 'published': 'posted_at',
     'impressions': 'impressions', 'reach': none, 'likes': 'likes', 'comments': 'replies', 'shares': 'retweets',
     'saves': none, 'clicks': 'url_clicks', 'video_views': 'media_views', 'posted_by': none},
    {'platform': 'tiktok', 'table': 'tiktok_content', 'id': 'video_id', 'published': 'posted_at',
     'impressions': 'views', 'reach': none, 'likes': 'likes', 'comments': 'comments', 'shares': 'shares',
     'saves': none, 'clicks': none, 'video_views': 'views', 'posted_by': none},
    {'platform': 'youtube', 'table': 'youtube_videos', 'id': 'video_id', 'published': 'published_at',
     'impressions': 'impressions', 'reach': none, 'likes': none, 'comments': none, 'shares': none,
     'saves': none, 'clicks': 'views', 'video_views': 'views', 'posted_by': none},
] %}
{% set metrics = ['impressions', 'reach', 'likes', 'comments', 'shares', 'saves', 'clicks', 'video_views'] %}

with
{% for p in platforms %}
{{ p.platform }}_snapshots as (
    select
        '{{ p.platform }}' as platform,
        cast({{ p.id }} as {{ dbt.type_string() }}) as post_id,
        cast({{ p.published }} as {{ dbt.type_timestamp() }}) as published_at,
        cast({{ p.posted_by or 'null' }} as {{ dbt.type_string() }}) as posted_by,
        cast(_export_date as date) as snapshot_date,
        {%- for metric in metrics %}
        cast({{ p[metric] or 'null' }} as {{ dbt.type_bigint() }}) as {{ metric }},
        {%- endfor %}
        _file_id
    from {{ raw_source(p.table) }} as raw_rows
),
{% endfor %}

unioned as (
{% for p in platforms %}
    select * from {{ p.platform }}_snapshots
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
