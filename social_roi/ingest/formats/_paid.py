"""What the paid-ads exports (Meta Ads Manager, TikTok Ads, LinkedIn Campaign Manager) share.

A paid export can be at campaign, ad set (ad group) or ad level, with or without ids, with a time breakdown of
none (one row per entity for the whole reporting period), day, week or month, and with any delivery breakdown
(age, gender, country, region, placement, platform, device). Every parser emits, next to the file's own
columns:

* ``entity_key``: the entity's path, campaign › ad set › ad, each level by its id when the file has one and by
  its name otherwise (the same ad name runs in several ad sets and campaigns, so a name alone is not a key);
* ``period_start`` / ``period_end``: the days the row covers (equal for a daily breakdown);
* ``breakdown``: the delivery breakdown values of the row (``Age=18-24 | Gender=female``), empty without one.

The raw gate checks that (entity, period, breakdown) is unique in a file; staging sums the breakdown rows and
spreads a period longer than a day over its days (see ``docs/formats.md``, "Paid exports").
"""

from __future__ import annotations

import pandas as pd

from social_roi.ingest.base import col

PATH_SEP = " › "

# Delivery breakdowns: (key, English header, other accepted headers). Their values are not personal data.
BREAKDOWNS = (
    ("age", "Age", ("Âge", "Tranche d'âge")),
    ("gender", "Gender", ("Sexe", "Genre")),
    ("country", "Country", ("Pays", "Country/Region", "Location", "Country/Region (Location)")),
    ("region", "Region", ("Région", "Province/State", "Province")),
    ("dma", "DMA region", ("Région DMA",)),
    ("placement", "Placement", ("Emplacement",)),
    ("platform", "Platform", ("Plateforme",)),
    ("device_platform", "Device platform", ("Plateforme de l'appareil", "Operating system", "OS")),
    ("impression_device", "Impression device", ("Appareil d'impression", "Device", "Device type")),
    ("member_country", "Member Country", ()),
    ("member_job_function", "Member Job Function", ()),
    ("member_seniority", "Member Seniority", ()),
    ("member_industry", "Member Industry", ()),
    ("member_company_size", "Member Company Size", ()),
)


def breakdown_columns() -> tuple:
    return tuple(col(key, name, *others) for key, name, others in BREAKDOWNS)


def breakdown(c) -> pd.Series:
    """``Header=value | …`` over the breakdown columns the file has (user's own headers), else ``""``."""
    raw = c.raw
    n = len(raw.frame)
    out = pd.Series([""] * n, dtype="str")
    for key, _, _ in BREAKDOWNS:
        if not raw.has(key):
            continue
        values = c.text(key).fillna("").reset_index(drop=True)
        piece = raw.header_of(key) + "=" + values
        out = out.where(out == "", out + " | ") + piece
    return out.reset_index(drop=True)


def entity_key(levels: list[tuple[pd.Series, pd.Series | None]]) -> pd.Series:
    """The path of the entity, from the coarsest level to the finest: each level is (name, id or None)."""
    out = None
    for name, ident in levels:
        level = (name if ident is None else ident.where(ident.notna(), name)).reset_index(drop=True)
        if out is None:
            out = level.fillna("")
            continue
        joined = out.where(out == "", out + PATH_SEP) + level.fillna("")
        out = joined.where(level.notna(), out)
    return out.where(out != "")
