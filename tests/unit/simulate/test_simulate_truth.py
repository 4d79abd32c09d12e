"""Ground truth, new channels and their links, lifetime snapshots, and B2B deals."""

from __future__ import annotations

import csv
import json
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from simworld_readers import (
    day_folders,
    one,
    parse_sf_amount,
    rows_of,
    salesforce_rows,
    snapshot_metrics,
)

from social_roi.simulate.world import CHANNELS, SALES_REPS, WorldConfig, build_world, outcomes

NEW_CHANNELS = {"tiktok_organic", "tiktok_paid", "youtube_organic", "linkedin_paid"}


def test_truth_covers_every_social_channel_with_non_negative_incremental_revenue(world_en):
    out, _, _ = world_en
    with (out / "truth" / "channel_incremental_revenue.csv").open(newline="") as fh:
        truth = {r["channel"]: r for r in csv.DictReader(fh)}
    social = {c[0] for c in CHANNELS if c[1] is not None}
    assert NEW_CHANNELS <= social
    assert set(truth) == social
    for name, row in truth.items():
        assert float(row["incremental_revenue"]) >= 0, name
        assert int(row["incremental_orders"]) >= 0, name
    assert sum(float(truth[c]["incremental_revenue"]) for c in NEW_CHANNELS) > 0


def test_removing_a_channel_never_adds_an_order_or_revenue():
    world = build_world(WorldConfig(scale=0.03, days=30, seed=21))
    s, base = world.sessions, world.sessions["converted"].to_numpy()
    revenue = s["net_revenue"].to_numpy()
    for name, *_ in CHANNELS:
        without = outcomes(s, world.exposures, removed=name)
        assert not (without & ~base).any(), name  # common random numbers: a subset of the orders
        assert revenue[without].sum() <= revenue[base].sum() + 1e-9


def test_sales_system_is_fixed_per_session_so_truth_does_not_depend_on_it():
    a = build_world(WorldConfig(scale=0.02, days=20, seed=9))
    b = build_world(WorldConfig(scale=0.02, days=20, seed=9))
    assert (a.sessions["sales_system"] == b.sessions["sales_system"]).all()
    assert a.truth.equals(b.truth)
    assert set(a.sessions["sales_system"]) == {"shopify", "woocommerce", "stripe"}


def test_new_channels_carry_utms_and_click_ids(world_en):
    out, _, _ = world_en
    urls = [
        r["event_params.page_location"]
        for p in sorted((out / "inbox").glob("*/events_*.csv"))
        for r in rows_of(p)
        if r["event_name"] == "session_start"
    ]
    queries = [parse_qs(urlsplit(u).query) for u in urls]
    tiktok_campaigns = {
        r["campaign_id"] for p in sorted((out / "inbox").glob("*/tiktok_ads_campaign_report_*.csv")) for r in rows_of(p)
    }
    linkedin_campaigns = set()
    for p in sorted((out / "inbox").glob("*/account_*_campaign_performance_report_*.csv")):
        lines = p.read_text(encoding="utf-8").splitlines()[5:]
        linkedin_campaigns |= {r["Campaign ID"] for r in csv.DictReader(lines)}
    seen = set()
    for q in queries:
        source, medium = q.get("utm_source", [""])[0], q.get("utm_medium", [""])[0]
        if medium == "paid_social":
            assert q["utm_campaign"][0] and q["utm_content"][0]
            if source == "tiktok":
                assert "ttclid" in q and q["utm_campaign"][0] in tiktok_campaigns
            if source == "linkedin":
                assert "li_fat_id" in q and q["utm_campaign"][0] in linkedin_campaigns
            seen.add(f"{source}_paid")
        elif medium == "social":
            assert q["utm_campaign"] == ["organic"] and q["utm_content"][0]
            seen.add(f"{source}_organic")
    assert NEW_CHANNELS <= seen


def test_organic_video_links_point_at_exported_videos(world_en):
    out, _, _ = world_en
    last = day_folders(out)[-1]
    metrics = snapshot_metrics(last)
    tiktok_ids = {link.rsplit("/", 1)[1] for fmt, link in metrics if fmt == "tt"}
    youtube_ids = {c.strip() for fmt, c in metrics if fmt == "yt"}
    clicked = {"tiktok": set(), "youtube": set()}
    for r in rows_of(one(last, "events_*.csv")):
        q = parse_qs(urlsplit(r["event_params.page_location"]).query)
        if q.get("utm_medium") == ["social"] and q["utm_source"][0] in clicked:
            clicked[q["utm_source"][0]].add(q["utm_content"][0])
    # videos clicked on the last day were published in the four weeks before, or earlier
    assert clicked["tiktok"] & tiktok_ids or not clicked["tiktok"]
    assert clicked["youtube"] & youtube_ids or not clicked["youtube"]


def test_engagement_snapshots_never_decrease_between_export_days(world_en):
    out, _, _ = world_en
    previous = None
    compared = 0
    for folder in day_folders(out):
        current = snapshot_metrics(folder)
        if previous is not None:
            for key in current.keys() & previous.keys():
                for metric, value in current[key].items():
                    assert value >= previous[key][metric] - 1e-9, (folder.name, key, metric)
                    compared += 1
        previous = current
    assert compared > 1000
    assert {fmt for fmt, _ in previous} == {"ig", "fb", "x", "li", "tt", "yt"}


def test_ad_spend_is_clicks_times_cpc_for_tiktok_and_linkedin(world_en):
    out, world, summary = world_en
    cpc = world.ads.groupby("campaign_id")["cpc"].agg(["min", "max"])
    total = 0.0
    for p in sorted((out / "inbox").glob("*/tiktok_ads_campaign_report_*.csv")):
        for r in rows_of(p):
            clicks, spend = int(r["clicks"]), float(r["spend"])
            lo, hi = cpc.loc[r["campaign_id"]]
            assert clicks * lo - 0.01 <= spend <= clicks * hi + 0.01
            total += spend
    assert total == pytest.approx(summary["ad_spend_by_platform"]["tiktok"], abs=0.05)


def test_deal_truth_matches_the_crm_exports(world_en):
    out, world, summary = world_en
    last = day_folders(out)[-1]
    opportunities, _footer = salesforce_rows(one(last, "report*.csv"))
    hubspot = rows_of(one(last, "hubspot-crm-exports-all-deals-*.csv"))
    assert opportunities or hubspot
    assert summary["deals"] == len(opportunities) + len(hubspot) == len(world.deals)
    won: dict[str, float] = {rep: 0.0 for rep in SALES_REPS}
    count: dict[str, int] = {rep: 0 for rep in SALES_REPS}
    for o in opportunities:
        count[o["Opportunity Owner"]] += 1
        if o["Stage"] == "Closed Won":
            won[o["Opportunity Owner"]] += parse_sf_amount(o["Amount"])
    for d in hubspot:
        count[d["Deal owner"]] += 1
        if d["Deal Stage"].lower().replace(" ", "") == "closedwon":
            won[d["Deal owner"]] += float(d["Amount"])
        assert "@" in d["Associated Contact"]  # the email that stitches the deal to a web visitor
    with (out / "truth" / "deals.csv").open(newline="") as fh:
        truth = {r["sales_rep"]: r for r in csv.DictReader(fh)}
    assert set(truth) == set(SALES_REPS)
    for rep in SALES_REPS:
        assert int(truth[rep]["deals"]) == count[rep]
        assert float(truth[rep]["amount_won"]) == pytest.approx(won[rep], abs=0.01)
    assert sum(float(r["amount_won"]) for r in truth.values()) == pytest.approx(summary["deal_amount_won"])
    # deals are not order revenue
    assert json.loads((out / "truth" / "world.json").read_text())["net_revenue"] == summary["net_revenue"]


def test_deals_come_from_clicks_on_the_owner_s_linkedin_posts(world_en):
    _, world, _ = world_en
    d = world.deals
    assert len(d)
    s = world.sessions.iloc[d["session_row"].to_numpy()]
    assert (s["channel"] == "linkedin_organic").all()
    rep_of_post = world.posts["rep_index"].to_numpy()[s["post_index"].to_numpy()]
    assert np.array_equal(rep_of_post, d["rep_index"].to_numpy())
    assert (d["created_ts"].to_numpy() > s["ts"].to_numpy()).all()


def test_hubspot_shows_some_internal_stage_ids(tmp_path):
    from social_roi.simulate.writers_sales import write_hubspot

    world = build_world(WorldConfig(scale=0.2, days=120, seed=1))
    path = write_hubspot(world, world.config.end_date, tmp_path)
    stages = {r["Deal Stage"] for r in rows_of(path)}
    assert stages & {
        "closedwon",
        "closedlost",
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "decisionmakerboughtin",
        "contractsent",
    }
    assert stages & {
        "Closed Won",
        "Closed Lost",
        "Appointment Scheduled",
        "Qualified To Buy",
        "Presentation Scheduled",
        "Decision Maker Bought-In",
        "Contract Sent",
    }
