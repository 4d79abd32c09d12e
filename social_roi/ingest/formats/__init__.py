"""Known export formats: one module per format, each exposing ``SPEC`` (header signature + parser).

Order matters only for ties in detection scoring (it should never come to that: required sets differ).
"""

from __future__ import annotations

import importlib

from social_roi.ingest.base import FormatSpec

_MODULES = (
    "shopify",
    "meta_ads",
    "ga4",
    "ga4_report",
    "meta_posts",
    "linkedin_page",
    "x_tweets",
    "tiktok_content",
    "youtube_studio",
    "linkedin_ads",
    "tiktok_ads",
    "woocommerce",
    "stripe",
    "salesforce",
    "hubspot",
)


def all_formats() -> list[FormatSpec]:
    specs: list[FormatSpec] = []
    for name in _MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a format still being written must not break the others
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        found = getattr(module, "SPECS", None) or (module.SPEC,)
        specs.extend(found)
    return specs


def format_names() -> list[str]:
    return [s.name for s in all_formats()]
