"""The product end to end under operations faults: a home whose path holds quotes publishes, a salt that differs
from the home's is refused, and a real failing mart gate (an e-mail address in a campaign name, injected as in
tests/integration/test_quality_gates.py) sends one alert by e-mail and webhook naming the failed expectations and
the day that stays published. Real Airflow runs, real dbt, real GX, real SMTP and HTTP servers on 127.0.0.1."""

from __future__ import annotations

import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from ops_servers import HookServer, SmtpSink

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from raw_files import generate_world, query, run_pipeline  # noqa: E402
from test_quality_gates import rewrite_csv  # noqa: E402

pytestmark = pytest.mark.slow

END = date(2026, 11, 30)
D0 = END - timedelta(days=2)
D1 = D0 + timedelta(days=1)


@pytest.fixture(scope="module")
def servers():
    with SmtpSink() as smtp, HookServer() as hook:
        yield smtp, hook


def alert_env(smtp: SmtpSink, hook: HookServer) -> dict[str, str]:
    return {
        "SOCIAL_ROI_ALERT_SMTP_HOST": "127.0.0.1",
        "SOCIAL_ROI_ALERT_SMTP_PORT": str(smtp.port),
        "SOCIAL_ROI_ALERT_SMTP_FROM": "pipeline@example.org",
        "SOCIAL_ROI_ALERT_SMTP_TO": "data-team@example.org",
        "SOCIAL_ROI_ALERT_WEBHOOK_URL": hook.url,
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory, servers):
    """A home named with both quote characters, one good published day (D0), and its own inbox to corrupt."""
    world = generate_world(tmp_path_factory.mktemp("ops_world"), seed=11, end=END, days=30)
    home = tmp_path_factory.mktemp("ops") / 'o\'neil "ops" home'
    inbox = tmp_path_factory.mktemp("ops_inbox")
    shutil.copytree(world / "inbox", inbox, dirs_exist_ok=True)
    proc = run_pipeline(home, inbox, D0, extra_env=alert_env(*servers))
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    return home, inbox, proc


def publication(home: Path) -> list[tuple]:
    return query(home / "warehouse" / "marts.duckdb", "select run_id, run_date from _publication")


def test_a_home_with_quotes_in_its_path_runs_and_publishes(site, servers):
    home, _, proc = site
    ((_run_id, run_date),) = publication(home)
    assert run_date == D0
    assert query(home / "warehouse" / "marts.duckdb", "select count(*) from fct_channel_roi_daily")[0][0] > 0
    smtp, hook = servers
    assert smtp.messages == [] and hook.requests == []  # a good run alerts nobody
    # the data-driven weights are summarised: the top 3 channels of each model on one line, about 100 characters
    # a model (the full list of every channel of every model ran past 1,000)
    (line,) = [x for x in proc.stdout.splitlines() if x.startswith("data-driven channel weights")]
    models = ("causal", "markov", "shapley")
    assert all(f"{model} top 3 of " in line for model in models), line
    assert len(line) < 60 + 100 * len(models), line


def test_a_different_salt_is_refused_on_a_home_with_hashes(site):
    home, inbox, _ = site
    before = publication(home)
    proc = run_pipeline(home, inbox, D1, extra_env={"SOCIAL_ROI_PII_SALT": "a-new-salt-nobody-hashed-with"})
    assert proc.returncode == 2
    assert "not the one this home's hashes were made with" in proc.stderr
    assert "SOCIAL_ROI_PII_SALT_ROTATE=1" in proc.stderr and "a-new-salt-nobody" not in proc.stderr
    assert publication(home) == before


def test_failed_gate_sends_one_alert_with_expectations_and_the_live_day(site, servers):
    home, inbox, _ = site
    smtp, hook = servers
    before = publication(home)
    meta = next((inbox / D1.isoformat()).glob("Meta-Ads-Report-*.csv"))
    rewrite_csv(
        meta,
        lambda rows: (
            [rows[0]]
            + [[c.replace("FB | Retargeting | Cart", "Retarget jane.doe@example.com") for c in row] for row in rows[1:]]
        ),
    )
    proc = run_pipeline(home, inbox, D1, extra_env=alert_env(smtp, hook))
    assert proc.returncode == 1
    assert publication(home) == before  # the analysts' file still holds D0

    # printed once: the gate's summary with each failed expectation, then a one-line task error
    out = proc.stdout
    assert out.count("mart gate, run ") == 1 and "FAILED" in out
    assert out.count("[blocking] mart__personal_data") == 1
    # Airflow ran the DAG's failure callback: one line, and no second alert for the same failure
    assert f"social_roi_daily failed in task mart_gate for {D1}; published marts are unchanged" in out
    assert "jane.doe" not in out + proc.stderr

    # one alert per channel: the gate's (the run's failure callback does not repeat it)
    (mail,) = smtp.messages
    assert mail["message"]["Subject"] == f"social-roi: mart gate failed for {D1}, nothing published"
    body = mail["message"].get_content()
    assert f"The mart gate failed for day {D1}" in body
    assert f"the published marts still hold day {D0} (run {before[0][0]}" in body
    assert "[blocking] mart__personal_data" in body and "column_name=campaign_name" in body
    assert "jane.doe" not in body
    (post,) = hook.requests
    payload = post["json"]
    assert payload["kind"] == "gate_failed" and payload["day"] == D1.isoformat()
    failed = {(f["suite"], f["severity"]) for f in payload["failed_expectations"]}
    assert ("mart__personal_data", "blocking") in failed
    recorded = query(
        home / "warehouse" / "work.duckdb",
        "select distinct suite from main.quality_results where not success and severity = 'blocking' "
        "and run_id = (select max(run_id) from main.quality_results)",
    )
    assert {s for s, sev in failed if sev == "blocking"} == {s for (s,) in recorded}
    assert "jane.doe" not in str(payload)
