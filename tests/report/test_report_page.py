"""The report of a real published world: its figures against the raw export files (read with the csv module), its
French rendering, its links and what it must never contain."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from published_world import PublishedWorld
from raw_files import emails_from_files, meta_claimed_purchases, orders_from_files, query, spend_from_files

from social_roi.config import Settings
from social_roi.report.data import gather
from social_roi.report.html import write_report

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DAYS = 28


def _period(world: PublishedWorld):
    end = world.run_day
    return end - timedelta(days=DAYS - 1), end


def _between(fn, inbox, start, end) -> float:
    """A figure of the exports over [start, end], as the difference of two running totals."""
    return fn(inbox, end) - fn(inbox, start - timedelta(days=1))


def _card(page: str, metric: str) -> str:
    found = re.search(rf'data-metric="{metric}">.*?<div class="value">(.*?)</div>', page, re.S)
    assert found, f"no headline card {metric}"
    return found.group(1)


def _run_cli(world: PublishedWorld, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "social_roi.cli", "report", *args],
        cwd=ROOT,
        env={**os.environ, "SOCIAL_ROI_HOME": str(world.home), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_run_writes_the_report_and_the_docs_site_with_relative_links(world):
    page = (world.reports / "roi_report.html").read_text(encoding="utf-8")
    assert (world.reports / "dbt_docs" / "index.html").stat().st_size > 100_000
    assert 'href="dbt_docs/index.html"' in page
    assert "file://" not in page and "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert not re.search(r"url\(|@import", page)


def test_headline_revenue_and_spend_match_the_exports(world):
    start, end = _period(world)
    revenue = sum(orders_from_files(world.inbox, end).values()) - sum(
        orders_from_files(world.inbox, start - timedelta(days=1)).values()
    )
    spend = _between(spend_from_files, world.inbox, start, end)
    assert revenue > 1000 and spend > 100  # enough data for the comparison to mean something
    data = gather(world.marts, world.work, days=DAYS, evaluation_file=world.home / "evaluation.json")
    assert (data.period.start, data.period.end) == (start, end)
    assert data.headline["revenue_total"] == pytest.approx(revenue, abs=0.01)
    assert data.headline["spend"] == pytest.approx(spend, abs=0.01)
    page = (world.reports / "roi_report.html").read_text(encoding="utf-8")
    assert _card(page, "revenue_total") == f"USD\u00a0{revenue:,.0f}"
    assert _card(page, "spend") == f"USD\u00a0{spend:,.0f}"


def test_meta_claims_in_the_over_claim_section_match_the_exports(world):
    start, end = _period(world)
    claimed = _between(meta_claimed_purchases, world.inbox, start, end)
    data = gather(world.marts, world.work, days=DAYS, evaluation_file=world.home / "evaluation.json")
    meta = data.overclaim[data.overclaim["platform"].isin(["facebook", "instagram"])]
    assert claimed > 0
    assert meta["claimed_conversions"].sum() == pytest.approx(claimed, abs=1e-6)


def test_french_report_by_flag_and_by_setting(world, tmp_path):
    start, end = _period(world)
    revenue = sum(orders_from_files(world.inbox, end).values()) - sum(
        orders_from_files(world.inbox, start - timedelta(days=1)).values()
    )
    french = f"{revenue:,.0f}".replace(",", "\u202f") + "\u00a0USD"
    for args, env in ((["--lang", "fr"], None), ([], {"SOCIAL_ROI_REPORT_LANG": "fr"})):
        out = tmp_path / ("flag" if args else "setting")
        proc = _run_cli(world, *args, "--out", str(out), env=env)
        assert proc.returncode == 0, proc.stderr
        page = (out / "roi_report.html").read_text(encoding="utf-8")
        assert '<html lang="fr">' in page
        assert "Chiffres clés" in page and "Maturité de la mesure" in page
        assert _card(page, "revenue_total") == french
        assert f"au {end.day} nov. {end.year}" in page  # French date of the period's end


def test_unknown_language_is_refused_with_the_setting_named(world, tmp_path):
    proc = _run_cli(world, "--out", str(tmp_path), env={"SOCIAL_ROI_REPORT_LANG": "de"})
    assert proc.returncode == 2
    assert "SOCIAL_ROI_REPORT_LANG" in proc.stderr and "en, fr" in proc.stderr


def test_quality_section_lists_every_expectation_of_the_published_run(world):
    page = (world.reports / "roi_report.html").read_text(encoding="utf-8")
    rows = query(
        world.marts,
        "select column_name, success from quality_results where run_id = (select run_id from _publication)",
    )
    assert len(rows) >= 20
    quality = page[page.index('id="quality"') : page.index('id="maturity"')]
    table = quality[quality.index('<table class="wide">') :]
    assert table.count("<tr>") - 1 == len(rows)  # one row per expectation (+ header)
    for column, _ in rows:
        assert f">{column}</span>" in table
    assert "0 blocking failure(s)" in quality


def test_no_personal_data_reaches_the_report(world):
    page = (world.reports / "roi_report.html").read_text(encoding="utf-8")
    emails = emails_from_files(world.inbox)
    assert emails and not any(email in page for email in emails)


def test_report_renders_in_a_few_seconds(world, tmp_path):
    settings = Settings(home=world.home, inbox=world.inbox)
    started = time.perf_counter()
    write_report(settings, out_dir=tmp_path)
    assert time.perf_counter() - started < 10  # ~1-2 s on a quiet machine; generous for a shared CI box
