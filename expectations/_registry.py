"""Which suites run where. Adding a suite = a module in this folder + one line here.

Mart suites run, in this order, in ``social_roi.quality.gate.run_mart_gate`` after ``dbt build``.
Raw suites run per incoming file in ``run_raw_gate``: format name -> suite module; formats without a suite of
their own get ``RAW_FALLBACK`` (generic checks inferred from column names and types).
"""

MART_SUITES = [
    "mart__freshness",
    "mart__source_arrival",
    "mart__attribution_conservation",
    "mart__currency",
    "mart__roi_window",
    "mart__roi_values",
    "mart__keys",
    "mart__referential_integrity",
    "mart__personal_data",
    "mart__volume",
]

RAW_SUITES = {
    "shopify_orders": "raw__shopify_orders",
    "ga4_events": "raw__ga4_events",
    "meta_ads": "raw__meta_ads",
    "tiktok_ads": "raw__tiktok_ads",
    "linkedin_ads": "raw__linkedin_ads",
    "instagram_posts": "raw__instagram_posts",
    "facebook_posts": "raw__facebook_posts",
    "linkedin_page_posts": "raw__linkedin_page_posts",
    "x_tweets": "raw__x_tweets",
}

RAW_FALLBACK = "raw__generic"
