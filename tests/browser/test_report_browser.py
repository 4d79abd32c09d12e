"""The report in a real browser: headless Chromium (Debian's `chromium`, driven by Playwright) opens a copy of the
report folder from disk, with every request that is not file: or data: aborted and recorded. Fails on any such
request, any console error or page error, a missing section heading, or a chart without visible marks. Screenshots
(English and French, full page) are saved in the test's temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# section id -> heading, written out here (not read from the report's code)
HEADINGS = {
    "en": {
        "headline": "Headline figures",
        "trend": "Weekly trend per channel",
        "models": "Channels × attribution models",
        "top": "Top posts and campaigns",
        "reps": "Social selling per sales rep",
        "overclaim": "Platform-claimed vs order-backed conversions",
        "quality": "Data quality and coverage",
        "maturity": "Measurement maturity",
        "definitions": "Definitions",
    },
    "fr": {
        "headline": "Chiffres clés",
        "trend": "Tendance hebdomadaire par canal",
        "models": "Canaux × modèles d’attribution",
        "top": "Meilleures publications et campagnes",
        "reps": "Social selling par commercial",
        "overclaim": "Conversions revendiquées par les plateformes vs adossées aux commandes",
        "quality": "Qualité et couverture des données",
        "maturity": "Maturité de la mesure",
        "definitions": "Définitions",
    },
}
CHARTS = {"trend", "models", "campaigns", "reps", "overclaim"}
# visible marks of a chart: the SVG shapes Vega draws for data (not axes, grid or legend)
MARKS_JS = """fig => Array.from(fig.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark rect'))
    .filter(el => { const b = el.getBBox(); return b.width > 0 || b.height > 0; }).length"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def copied_reports(world, tmp_path_factory):
    """The run's report folder copied elsewhere (en), and a French report written into another copy."""
    base = tmp_path_factory.mktemp("copied")
    en = base / "en"
    shutil.copytree(world.reports, en)
    fr = base / "fr"
    shutil.copytree(world.reports, fr)
    proc = subprocess.run(
        [sys.executable, "-m", "social_roi.cli", "report", "--lang", "fr", "--out", str(fr)],
        cwd=ROOT,
        env={**os.environ, "SOCIAL_ROI_HOME": str(world.home)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return {"en": en, "fr": fr}


def _open(browser, url: str):
    """A fresh page on ``url``; returns it with the lists of aborted requests and errors it produced."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked, errors = [], []

    def route(route_):
        if route_.request.url.startswith(("file:", "data:")):
            route_.continue_()
        else:
            blocked.append(route_.request.url)
            route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: None if req.url in blocked else errors.append(f"failed: {req.url}"))
    page.goto(url, wait_until="load")
    return context, page, blocked, errors


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_opens_offline_with_every_section_and_chart(browser, copied_reports, lang, tmp_path):
    report = copied_reports[lang] / "roi_report.html"
    context, page, blocked, errors = _open(browser, report.as_uri())
    try:
        assert page.evaluate("document.documentElement.lang") == lang
        for section, heading in HEADINGS[lang].items():
            assert page.inner_text(f"section#{section} > h2").strip() == heading, section
        figures = page.query_selector_all("figure.chart")
        assert {f.get_attribute("data-chart") for f in figures} == CHARTS
        for figure in figures:
            name = figure.get_attribute("data-chart")
            box = figure.query_selector("svg").bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, f"{name}: blank chart"
            assert figure.evaluate(MARKS_JS) > 0, f"{name}: no marks"
        cards = page.query_selector_all("section#headline .card .value")
        assert len(cards) == 6 and all(c.inner_text().strip() not in ("", "–") for c in cards)
        shot = tmp_path / f"roi_report_{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 50_000
        print(f"screenshot: {shot}")
        # the docs link resolves inside the copied folder
        href = page.get_attribute("a[href$='index.html']", "href")
        assert href == "dbt_docs/index.html" and (copied_reports[lang] / href).exists()
    finally:
        context.close()
    assert not blocked, f"network requests: {blocked}"
    assert not errors, errors


# dbt's static docs page leaves some templates unrendered in file names (the sidebar icons' "{{ getIcon(..) }}", the
# favicon's "${require(..)}"): the browser looks for those literal names beside the page (local files, never the
# network) and logs that they are missing. Nothing else may fail.
UNRENDERED_TEMPLATE = "%7B"  # an URL-encoded "{" in a file: URL


def test_docs_site_opens_offline(browser, copied_reports, tmp_path):
    site = (copied_reports["en"] / "dbt_docs" / "index.html").as_uri()
    context, page, blocked, errors = _open(browser, site + "#!/model/model.social_roi.fct_platform_reconciliation")
    try:
        page.wait_for_selector("text=over_claim_ratio", state="visible", timeout=30_000)
        assert page.is_visible("text=Grain: platform x campaign x day")
        page.screenshot(path=str(tmp_path / "dbt_docs.png"))
    finally:
        context.close()
    assert not blocked, f"network requests: {blocked}"
    template_noise = [e for e in errors if UNRENDERED_TEMPLATE in e]
    others = [e for e in errors if UNRENDERED_TEMPLATE not in e]
    if template_noise:  # the failed loads those attempts cause are also logged without their URL
        others = [e for e in others if e != "console error: Failed to load resource: net::ERR_FILE_NOT_FOUND"]
    assert not others, others
