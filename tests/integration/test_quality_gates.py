"""Write-audit-publish under faults: each kind of bad data trips the right expectation, the published marts stay
exactly as they were, and the next good run publishes. Real Airflow runs, real dbt builds, real GX checkpoints.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from raw_files import generate_world, orders_from_files, query, run_pipeline

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
END = date(2026, 11, 30)
D0 = END - timedelta(days=4)
D1 = D0 + timedelta(days=1)
D2 = D0 + timedelta(days=2)
ROI_SQL = (
    "select date_day, platform, campaign_id, attribution_model, spend, cost, attributed_revenue "
    "from fct_channel_roi_daily order by all"
)


def published(home: Path) -> tuple[list, list]:
    marts = home / "warehouse" / "marts.duckdb"
    return query(marts, "select run_id, run_date from _publication"), query(marts, ROI_SQL)


def failed_expectations(home: Path, suite: str) -> list[tuple]:
    return query(
        home / "warehouse" / "work.duckdb",
        f"select expectation, column_name, observed_value, severity from main.quality_results "
        f"where suite = '{suite}' and not success",
    )


def rewrite_csv(path: Path, change) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(change(rows))
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return generate_world(tmp_path_factory.mktemp("gate_world"), seed=5, end=END)


@pytest.fixture(scope="module")
def site(world, tmp_path_factory):
    """A home with one good published day (D0) and an inbox the tests corrupt."""
    home = tmp_path_factory.mktemp("gate_home")
    inbox = tmp_path_factory.mktemp("gate_inbox")
    shutil.copytree(world / "inbox", inbox, dirs_exist_ok=True)
    proc = run_pipeline(home, inbox, D0)
    assert proc.returncode == 0, proc.stdout[-5000:]
    return home, inbox


def test_email_in_clear_fails_the_gate_and_publishes_nothing(site):
    home, inbox = site
    before = published(home)
    meta = next((inbox / D1.isoformat()).glob("Meta-Ads-Report-*.csv"))
    rewrite_csv(
        meta,
        lambda rows: (
            [rows[0]]
            + [[c.replace("FB | Retargeting | Cart", "Retarget jane.doe@example.com") for c in row] for row in rows[1:]]
        ),
    )
    proc = run_pipeline(home, inbox, D1)
    assert proc.returncode != 0
    assert "mart gate failed, nothing published" in proc.stdout
    assert "mart__personal_data" in proc.stdout and "docs:" in proc.stdout
    assert published(home) == before  # the analysts' file is untouched
    failures = failed_expectations(home, "mart__personal_data")
    assert failures and all(severity == "blocking" for *_, severity in failures)
    # the observed value names where the email sits (masked: the report itself never shows it in clear)
    observed = " ".join(value for _, _, value, _ in failures)
    assert "column_name=campaign_name" in observed and "jane.doe" not in observed
    assert (home / "data_docs" / "index.html").exists()


def test_corrected_reexport_replaces_the_bad_file_and_the_next_run_publishes(site, world):
    home, inbox = site
    original = next((world / "inbox" / D1.isoformat()).glob("Meta-Ads-Report-*.csv"))
    shutil.copy(original, inbox / D1.isoformat() / (original.stem + "-corrected.csv"))
    proc = run_pipeline(home, inbox, D1)
    assert proc.returncode == 0, proc.stdout[-5000:]
    assert "1 replaced an earlier export" in proc.stdout
    ((_run_id, run_date),) = published(home)[0]
    assert run_date == D1
    statuses = dict(
        query(
            home / "warehouse" / "work.duckdb",
            "select status, count(*) from raw._files where file_path like '%Meta-Ads-Report%' group by 1",
        )
    )
    assert statuses["replaced"] == 1
    hits = query(
        home / "warehouse" / "marts.duckdb", "select count(*) from dim_campaigns where campaign_name like '%@%'"
    )
    assert hits == [(0,)]


def test_missing_exchange_rate_fails_the_build_loudly(site):
    home, inbox = site
    before = published(home)
    proc = run_pipeline(home, inbox, D1, extra_env={"SOCIAL_ROI_REPORTING_CURRENCY": "JPY"})
    assert proc.returncode != 0
    # amounts without a JPY rate: the build stops before any of them, naming the currency and the seed to edit
    assert "no exchange rate from USD to JPY for " in proc.stdout and "fx_rates.csv" in proc.stdout
    assert published(home) == before


def test_lost_conversion_fails_conservation(site, tmp_path):
    from social_roi.quality.gate import GateFailed, run_mart_gate

    home, _ = site
    work = tmp_path / "work.duckdb"
    shutil.copy(home / "warehouse" / "work.duckdb", work)
    con = duckdb.connect(str(work))
    try:
        lost = con.execute(
            "select min(conversion_id) from audit.fct_attributed_revenue where attribution_model = 'linear'"
        ).fetchone()[0]
        con.execute(
            "delete from audit.fct_attributed_revenue where attribution_model = 'linear' and conversion_id = ?", [lost]
        )
        with pytest.raises(GateFailed) as failed:
            run_mart_gate(con, run_id="lost-conversion", run_date=D1, docs_dir=tmp_path / "docs")
    finally:
        con.close()
    message = str(failed.value)
    assert "mart__attribution_conservation" in message
    assert "linear" in message


def test_bad_files_are_quarantined_warnings_publish(site):
    """Day D2 brings a doubled order file, a negative spend and a 60% drop in sessions at once."""
    home, inbox = site
    day = inbox / D2.isoformat()
    orders = next(day.glob("orders_export_*.csv"))
    doubled = day / "orders_export_copy.csv"
    text = orders.read_text(encoding="utf-8").splitlines()
    doubled.write_text("\n".join([text[0]] + text[1:] + text[1:]) + "\n", encoding="utf-8")
    meta = next(day.glob("Meta-Ads-Report-*.csv"))
    rewrite_csv(
        meta,
        lambda rows: (
            [rows[0], [("-12.50" if h == "Amount spent (USD)" else c) for h, c in zip(rows[0], rows[1])]] + rows[2:]
        ),
    )
    events = next(day.glob("events_*.csv"))
    rows = list(csv.reader(io.StringIO(events.read_text(encoding="utf-8"))))
    session = rows[0].index("event_params.ga_session_id")
    sessions = sorted({r[session] for r in rows[1:]})
    kept = set(sessions[: int(len(sessions) * 0.4)])
    rewrite_csv(events, lambda rows: [rows[0]] + [r for r in rows[1:] if r[session] in kept])

    proc = run_pipeline(home, inbox, D2)
    assert proc.returncode == 0, proc.stdout[-5000:]
    work = home / "warehouse" / "work.duckdb"
    # the doubled file is quarantined with the failed expectation as its reason; the real export loaded
    quarantined = query(
        work, "select file_path, code, column_name from raw._quarantine where file_path like '%orders_export_copy%'"
    )
    assert quarantined and all(code.startswith("raw_gate:") for _, code, _ in quarantined)
    assert any(column == "order_fields_key" for *_, column in quarantined)
    assert not doubled.exists() and (home / "quarantine" / D2.isoformat() / doubled.name).exists()
    # the negative spend row is rejected with file, row, column, value
    negative = query(
        work,
        "select source_row, column_name, value, code from raw._quarantine "
        "where file_path like '%Meta-Ads-Report%' and code = 'negative_value'",
    )
    assert negative == [(2, "Amount spent (USD)", "-99.99", "negative_value")]  # the cell kept masked
    # the sessions drop is a warning: recorded, and the day still published
    volume = failed_expectations(home, "mart__volume")
    assert volume and {severity for *_, severity in volume} == {"warning"}
    assert any("sessions" in (observed or "") or "sessions" in (column or "") for _, column, observed, _ in volume)
    assert published(home)[0][0][1] == D2
    orders_expected = orders_from_files(inbox, D2)
    total = query(
        home / "warehouse" / "marts.duckdb",
        "select sum(attributed_revenue) from fct_channel_roi_daily where attribution_model = 'markov'",
    )
    assert total[0][0] == pytest.approx(sum(orders_expected.values()), abs=0.01)  # nothing counted twice
