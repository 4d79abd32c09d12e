"""Alerts delivered for real: an SMTP sink and an HTTP endpoint on 127.0.0.1, the product's own notifier."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from ops_servers import HookServer, SmtpSink, self_signed_tls

from social_roi import alerts
from social_roi.alerts import AlertConfig, AlertConfigError
from social_roi.quality.outcomes import ExpectationOutcome, GateResult

DAY = date(2026, 11, 27)


def env_for(smtp: SmtpSink | None = None, hook: HookServer | None = None, **extra) -> dict[str, str]:
    env = {}
    if smtp is not None:
        env |= {
            "SOCIAL_ROI_ALERT_SMTP_HOST": "127.0.0.1",
            "SOCIAL_ROI_ALERT_SMTP_PORT": str(smtp.port),
            "SOCIAL_ROI_ALERT_SMTP_FROM": "pipeline@example.org",
            "SOCIAL_ROI_ALERT_SMTP_TO": "data-team@example.org, oncall@example.org",
        }
    if hook is not None:
        env["SOCIAL_ROI_ALERT_WEBHOOK_URL"] = hook.url
    return env | extra


@pytest.fixture
def clean_env(monkeypatch):
    import os

    for key in [k for k in os.environ if k.startswith("SOCIAL_ROI_ALERT_")]:
        monkeypatch.delenv(key)
    return monkeypatch


def failed_gate() -> GateResult:
    outcomes = [
        ExpectationOutcome(
            "mart__attribution_conservation",
            "blocking",
            "expect_column_values_to_be_between",
            "credit_sum",
            False,
            "2 of 840 rows outside (0.9999, 1.0001): [0.5, 0.75]",
            "credit sums to 1 per conversion and model",
        ),
        ExpectationOutcome(
            "mart__personal_data",
            "blocking",
            "expect_column_values_to_not_match_regex",
            "campaign_name",
            False,
            "1 value like jane.doe@example.com or +44 7911 123456",
            "no e-mail or phone in clear",
        ),
        ExpectationOutcome(
            "mart__volume",
            "warning",
            "expect_column_values_to_be_between",
            "sessions",
            False,
            "41 sessions",
            "between 80 and 160 (trailing 28 days)",
        ),
        ExpectationOutcome(
            "mart__keys",
            "blocking",
            "expect_column_values_to_be_unique",
            "conversion_id",
            True,
            "0 duplicates",
            "unique",
        ),
    ]
    return GateResult(
        run_id="scheduled__2026-11-28T00:00:00+00:00",
        layer="mart",
        outcomes=outcomes,
        docs_index=Path("/srv/social_roi/data_docs/index.html"),
    )


def published_marts(tmp_path: Path, day: date) -> Path:
    marts = tmp_path / "marts.duckdb"
    con = duckdb.connect(str(marts))
    con.execute(
        "create table _publication as select 'scheduled__2026-11-26T00:00:00+00:00' as run_id, "
        "cast(? as date) as run_date, timestamptz '2026-11-26 00:07:00+00' as published_at",
        [day],
    )
    con.close()
    return marts


def test_gate_alert_reaches_smtp_and_webhook_with_the_failed_expectations(tmp_path, clean_env, capsys):
    marts = published_marts(tmp_path, date(2026, 11, 25))
    with SmtpSink() as smtp, HookServer() as hook:
        config = AlertConfig.from_env(env_for(smtp, hook))
        delivered = alerts.notify(alerts.gate_failed_alert(failed_gate(), DAY, marts), config)
    assert delivered == ["smtp", "webhook"]

    (mail,) = smtp.messages
    assert mail["from"] == "pipeline@example.org"
    assert mail["to"] == ["data-team@example.org", "oncall@example.org"]
    message = mail["message"]
    assert message["Subject"] == "social-roi: mart gate failed for 2026-11-27, nothing published"
    body = message.get_content()
    assert "3 blocking failure(s)" not in body  # one blocking expectation passed: only 2 blocking failures
    assert "2 blocking failure(s), 1 warning(s)" in body
    assert "still hold day 2026-11-25" in body and "2026-11-26 00:07 UTC" in body
    assert "credit_sum" in body and "observed 2 of 840 rows outside (0.9999, 1.0001)" in body
    assert "expected credit sums to 1 per conversion and model" in body
    assert "mart__volume" in body and "conversion_id" not in body
    # personal data observed by the gate never leaves in an alert
    assert "jane.doe" not in body and "7911" not in body and "<email removed>" in body

    (post,) = hook.requests
    assert post["path"] == "/hooks/social-roi" and post["content_type"] == "application/json"
    payload = post["json"]
    assert payload["kind"] == "gate_failed" and payload["day"] == "2026-11-27"
    assert [(f["suite"], f["column"]) for f in payload["failed_expectations"]] == [
        ("mart__attribution_conservation", "credit_sum"),
        ("mart__personal_data", "campaign_name"),
        ("mart__volume", "sessions"),
    ]
    assert payload["failed_expectations"][2]["expected"] == "between 80 and 160 (trailing 28 days)"
    assert "still hold day 2026-11-25" in payload["published"]
    assert "jane.doe" not in str(payload) and "7911" not in str(payload)
    assert "sent 'social-roi: mart gate failed for 2026-11-27, nothing published' by smtp and webhook" in (
        capsys.readouterr().err
    )


def test_smtp_starttls_verifies_the_certificate_then_logs_in(tmp_path, clean_env, capsys):
    tls, ca_file = self_signed_tls(tmp_path)
    alert = alerts.gate_failed_alert(failed_gate(), DAY, tmp_path / "none.duckdb")
    with SmtpSink(require_auth=("alerts", "s3cret-pass"), tls_context=tls) as smtp:
        base = env_for(smtp, SOCIAL_ROI_ALERT_SMTP_STARTTLS="1", SOCIAL_ROI_ALERT_SMTP_USER="alerts")
        ok = AlertConfig.from_env(
            base | {"SOCIAL_ROI_ALERT_SMTP_PASSWORD": "s3cret-pass", "SOCIAL_ROI_ALERT_SMTP_CA_FILE": ca_file}
        )
        wrong = AlertConfig.from_env(
            base | {"SOCIAL_ROI_ALERT_SMTP_PASSWORD": "wrong", "SOCIAL_ROI_ALERT_SMTP_CA_FILE": ca_file}
        )
        untrusted = AlertConfig.from_env(base | {"SOCIAL_ROI_ALERT_SMTP_PASSWORD": "s3cret-pass"})
        assert alerts.notify(alert, ok) == ["smtp"]
        assert alerts.notify(alert, wrong) == []
        assert "SMTPAuthenticationError" in capsys.readouterr().err
        assert alerts.notify(alert, untrusted) == []  # a certificate nobody vouches for: nothing is sent
        assert "CERTIFICATE_VERIFY_FAILED" in capsys.readouterr().err
    assert [(m["auth"], m["tls"]) for m in smtp.messages] == [("alerts", True)]
    assert "nothing is published yet" in smtp.messages[0]["message"].get_content()


def test_a_password_is_never_sent_in_clear_to_another_machine():
    with pytest.raises(AlertConfigError, match="the password would travel in clear to mail.example.org"):
        AlertConfig.from_env(
            {
                "SOCIAL_ROI_ALERT_SMTP_HOST": "mail.example.org",
                "SOCIAL_ROI_ALERT_SMTP_FROM": "a@example.org",
                "SOCIAL_ROI_ALERT_SMTP_TO": "b@example.org",
                "SOCIAL_ROI_ALERT_SMTP_USER": "u",
                "SOCIAL_ROI_ALERT_SMTP_PASSWORD": "p",
            }
        )


def test_no_channel_configured_is_one_line(clean_env, capsys, tmp_path):
    alert = alerts.gate_failed_alert(failed_gate(), DAY, tmp_path / "none.duckdb")
    assert alerts.notify(alert) == []
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "no alert channel configured (set SOCIAL_ROI_ALERT_SMTP_HOST or SOCIAL_ROI_ALERT_WEBHOOK_URL)" in err[0]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_failing_notifier_never_raises_and_the_other_channel_still_delivers(clean_env, capsys, tmp_path):
    with HookServer(status=500) as broken_hook, SmtpSink() as smtp:
        config = AlertConfig.from_env(env_for(smtp, broken_hook))
        assert alerts.notify(alerts.gate_failed_alert(failed_gate(), DAY, tmp_path / "x.duckdb"), config) == ["smtp"]
    assert len(smtp.messages) == 1 and len(broken_hook.requests) == 1
    assert "failed: HTTPError: HTTP Error 500" in capsys.readouterr().err

    dead = AlertConfig.from_env(
        {
            "SOCIAL_ROI_ALERT_SMTP_HOST": "127.0.0.1",
            "SOCIAL_ROI_ALERT_SMTP_PORT": str(_closed_port()),
            "SOCIAL_ROI_ALERT_SMTP_FROM": "a@example.org",
            "SOCIAL_ROI_ALERT_SMTP_TO": "b@example.org",
            "SOCIAL_ROI_ALERT_TIMEOUT": "3",
        }
    )
    assert alerts.notify(alerts.gate_failed_alert(failed_gate(), DAY, tmp_path / "x.duckdb"), dead) == []
    assert "ConnectionRefusedError" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SOCIAL_ROI_ALERT_SMTP_HOST": "mail.example.org"},
            "SOCIAL_ROI_ALERT_SMTP_FROM and SOCIAL_ROI_ALERT_SMTP_TO is not",
        ),
        (
            {
                "SOCIAL_ROI_ALERT_SMTP_HOST": "mail.example.org",
                "SOCIAL_ROI_ALERT_SMTP_FROM": "a@example.org",
                "SOCIAL_ROI_ALERT_SMTP_TO": "b@example.org",
                "SOCIAL_ROI_ALERT_SMTP_PORT": "smtp",
            },
            "SOCIAL_ROI_ALERT_SMTP_PORT='smtp' is not a port number",
        ),
        ({"SOCIAL_ROI_ALERT_WEBHOOK_URL": "ftp://hooks.example.org/x"}, "must be an http:// or https:// URL"),
        (
            {"SOCIAL_ROI_ALERT_WEBHOOK_URL": "https://h.example.org/x", "SOCIAL_ROI_ALERT_SMTP_USER": "u"},
            "set both SOCIAL_ROI_ALERT_SMTP_USER and SOCIAL_ROI_ALERT_SMTP_PASSWORD",
        ),
    ],
)
def test_bad_alert_configuration_is_named(env, message):
    with pytest.raises(AlertConfigError, match=message.replace("(", r"\(").replace("?", r"\?")):
        AlertConfig.from_env(env)


def test_bad_alert_configuration_does_not_hide_the_failure(clean_env, capsys, tmp_path):
    clean_env.setenv("SOCIAL_ROI_ALERT_SMTP_HOST", "mail.example.org")
    assert alerts.notify(alerts.gate_failed_alert(failed_gate(), DAY, tmp_path / "x.duckdb")) == []
    assert "alert configuration is invalid: SOCIAL_ROI_ALERT_SMTP_HOST is set but" in capsys.readouterr().err


def test_run_failure_callback_alerts_with_task_day_error_and_log(clean_env, tmp_path, capsys):
    airflow_home = tmp_path / "airflow"
    log_folder = airflow_home / "logs" / "dag_id=social_roi_daily" / "run_id=scheduled__2026-11-28" / "task_id=ingest"
    log_folder.mkdir(parents=True)
    clean_env.setenv("AIRFLOW_HOME", str(airflow_home))
    clean_env.delenv("AIRFLOW__LOGGING__BASE_LOG_FOLDER", raising=False)
    context = {
        "task_instance": SimpleNamespace(
            dag_id="social_roi_daily", task_id="ingest", try_number=2, run_id="scheduled__2026-11-28"
        ),
        "run_id": "scheduled__2026-11-28",
        "data_interval_start": SimpleNamespace(date=lambda: DAY),
        "exception": RuntimeError("cannot read orders_export_1.csv: row 12 belongs to bob@example.com"),
    }
    with SmtpSink() as smtp, HookServer() as hook:
        for key, value in env_for(smtp, hook).items():
            clean_env.setenv(key, value)
        assert alerts.on_task_failure(context) == ["smtp", "webhook"]
    body = smtp.messages[0]["message"].get_content()
    assert smtp.messages[0]["message"]["Subject"] == "social-roi: social_roi_daily failed in ingest for 2026-11-27"
    assert "failed in task ingest for day 2026-11-27" in body
    assert "cannot read orders_export_1.csv: row 12 belongs to <email removed>" in body
    assert f"Log: {log_folder / 'attempt=2.log'}" in body
    assert hook.requests[0]["json"]["task_id"] == "ingest" and "bob@" not in str(hook.requests[0]["json"])
    assert "social_roi_daily failed in task ingest for 2026-11-27" in capsys.readouterr().out


def test_callback_survives_a_context_it_cannot_read(clean_env, capsys):
    assert alerts.on_task_failure(None) == []
    assert "failure callback could not alert" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("mail Jane.Doe+promo@Example.co.uk now", "mail <email removed> now", "Jane"),
        ("call +44 7911 123456 or 0044-7911-123456", "call <phone removed> or <phone removed>", "7911"),
        ("day 2026-11-27, 1234.56 USD, run manual__2026-12-04T16:15:13", "day 2026-11-27, 1234.56 USD", "removed"),
    ],
)
def test_scrub(text, kept, gone):
    out = alerts.scrub(text)
    assert kept in out and gone not in out
