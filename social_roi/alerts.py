"""Alerts on failure: an e-mail (SMTP) and/or a JSON POST to a webhook, configured from the environment.

| variable                            | meaning                                                                |
|-------------------------------------|------------------------------------------------------------------------|
| SOCIAL_ROI_ALERT_SMTP_HOST          | SMTP server; setting it turns e-mail alerts on                         |
| SOCIAL_ROI_ALERT_SMTP_PORT          | default 25 (587 with STARTTLS)                                         |
| SOCIAL_ROI_ALERT_SMTP_FROM          | sender address (required with a host)                                 |
| SOCIAL_ROI_ALERT_SMTP_TO            | recipients, comma-separated (required with a host)                     |
| SOCIAL_ROI_ALERT_SMTP_STARTTLS      | 1 = upgrade the connection with STARTTLS (certificate verified)        |
| SOCIAL_ROI_ALERT_SMTP_CA_FILE       | PEM file of the CA that signed the server's certificate (private CAs)  |
| SOCIAL_ROI_ALERT_SMTP_USER / _PASSWORD | login; refused without STARTTLS unless the server is this machine   |
| SOCIAL_ROI_ALERT_WEBHOOK_URL        | http(s) URL that receives the alert as a JSON POST                     |
| SOCIAL_ROI_ALERT_TIMEOUT            | seconds per delivery attempt, default 10                               |

Two alerts exist: a failed run (the DAG's failure callback: task, day, error, where the log is) and a failed mart
gate (each failed expectation with observed vs expected, and the published day that stays live). Every text that
goes out is scrubbed of e-mail addresses and phone numbers first. Delivery never raises: a notifier that fails is
reported on standard error and the original failure stays what the run reports. Only the standard library is used,
so the DAG's failure callback stays light.

The webhook receives ``{"source": "social-roi", "kind": "run_failed" | "gate_failed", "subject", "day", "run_id",
"text", ...}``: a failed run adds ``dag_id``, ``task_id``, ``error`` and ``log``; a failed gate adds ``published``
(what the published marts still hold), ``failed_expectations`` (``suite``, ``severity``, ``expectation``,
``column``, ``observed``, ``expected``) and ``data_docs``. The e-mail's body is ``text``.
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import socket
import ssl
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w.:-])\+?\d[\d ().\-]{6,}\d(?![\w.:-])")
_TRUE = ("1", "true", "yes", "on")


class AlertConfigError(ValueError):
    """An alert setting is incomplete or malformed; the message names the variable."""


def scrub(text: str) -> str:
    """``text`` with e-mail addresses and phone-like numbers masked: alerts never carry personal data."""
    text = _EMAIL.sub("<email removed>", str(text))
    return _PHONE.sub(lambda m: m.group(0) if _looks_like_date_or_amount(m.group(0)) else "<phone removed>", text)


def _looks_like_date_or_amount(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2})?", value.strip())) or "." in value or len(digits) < 7


@dataclass(frozen=True)
class AlertConfig:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str | None = None
    smtp_to: tuple[str, ...] = ()
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_ca_file: str | None = None
    webhook_url: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> AlertConfig:
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(f"SOCIAL_ROI_ALERT_{name}", "").strip()
            return value or None

        host, webhook = get("SMTP_HOST"), get("WEBHOOK_URL")
        starttls = (get("SMTP_STARTTLS") or "").lower() in _TRUE
        port_text = get("SMTP_PORT") or ("587" if starttls else "25")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise AlertConfigError(f"SOCIAL_ROI_ALERT_SMTP_PORT={port_text!r} is not a port number (1-65535)")
        recipients = tuple(a.strip() for a in (get("SMTP_TO") or "").split(",") if a.strip())
        if host:
            missing = [n for n, v in (("SMTP_FROM", get("SMTP_FROM")), ("SMTP_TO", recipients)) if not v]
            if missing:
                raise AlertConfigError(
                    "SOCIAL_ROI_ALERT_SMTP_HOST is set but "
                    + " and ".join(f"SOCIAL_ROI_ALERT_{m}" for m in missing)
                    + " is not: set the sender and the comma-separated recipients"
                )
        if bool(get("SMTP_USER")) != bool(get("SMTP_PASSWORD")):
            raise AlertConfigError("set both SOCIAL_ROI_ALERT_SMTP_USER and SOCIAL_ROI_ALERT_SMTP_PASSWORD, or neither")
        if host and get("SMTP_USER") and not starttls and host not in ("localhost", "127.0.0.1", "::1"):
            raise AlertConfigError(
                "SOCIAL_ROI_ALERT_SMTP_USER is set without SOCIAL_ROI_ALERT_SMTP_STARTTLS=1: the password would "
                f"travel in clear to {host}; turn STARTTLS on"
            )
        ca_file = get("SMTP_CA_FILE")
        if ca_file and not Path(ca_file).is_file():
            raise AlertConfigError(f"SOCIAL_ROI_ALERT_SMTP_CA_FILE={ca_file} is not a file")
        if webhook and not re.match(r"(?i)^https?://[^/\s]+", webhook):
            raise AlertConfigError(
                f"SOCIAL_ROI_ALERT_WEBHOOK_URL must be an http:// or https:// URL, got {webhook.split('?')[0]!r}"
            )
        timeout_text = get("TIMEOUT") or "10"
        try:
            timeout = float(timeout_text)
        except ValueError:
            raise AlertConfigError(f"SOCIAL_ROI_ALERT_TIMEOUT={timeout_text!r} is not a number of seconds") from None
        return cls(
            smtp_host=host,
            smtp_port=int(port_text),
            smtp_from=get("SMTP_FROM"),
            smtp_to=recipients,
            smtp_starttls=starttls,
            smtp_user=get("SMTP_USER"),
            smtp_password=get("SMTP_PASSWORD"),
            smtp_ca_file=ca_file,
            webhook_url=webhook,
            timeout=timeout,
        )

    @property
    def configured(self) -> bool:
        return bool(self.smtp_host or self.webhook_url)


@dataclass
class Alert:
    kind: str  # "run_failed" | "gate_failed"
    subject: str
    lines: list[str]
    facts: dict

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def payload(self) -> dict:
        return {"source": "social-roi", "kind": self.kind, "subject": self.subject, **self.facts, "text": self.text()}


def _say(message: str) -> None:
    print(f"alerts: {message}", file=sys.stderr, flush=True)


def notify(alert: Alert, config: AlertConfig | None = None) -> list[str]:
    """Send ``alert`` (scrubbed) through every configured channel. Returns the channels that delivered; never
    raises: a failed delivery, or a broken configuration, is one line on standard error."""
    try:
        config = config or AlertConfig.from_env()
    except AlertConfigError as exc:
        _say(f"not sent ({alert.subject}): alert configuration is invalid: {exc}")
        return []
    if not config.configured:
        _say(
            f"no alert channel configured (set SOCIAL_ROI_ALERT_SMTP_HOST or SOCIAL_ROI_ALERT_WEBHOOK_URL); "
            f"not sent: {alert.subject}"
        )
        return []
    alert = Alert(
        kind=alert.kind,
        subject=scrub(alert.subject),
        lines=[scrub(line) for line in alert.lines],
        facts=json.loads(scrub(json.dumps(alert.facts, default=str))),
    )
    delivered = []
    if config.smtp_host:
        try:
            _send_mail(alert, config)
            delivered.append("smtp")
        except (OSError, smtplib.SMTPException) as exc:
            _say(f"e-mail to {config.smtp_host}:{config.smtp_port} failed: {type(exc).__name__}: {exc}")
    if config.webhook_url:
        try:
            _post_webhook(alert, config)
            delivered.append("webhook")
        except (OSError, urllib.error.URLError, ValueError) as exc:
            _say(f"webhook {config.webhook_url.split('?')[0]} failed: {type(exc).__name__}: {exc}")
    if delivered:
        _say(f"sent '{alert.subject}' by {' and '.join(delivered)}")
    return delivered


def _send_mail(alert: Alert, config: AlertConfig) -> None:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = config.smtp_from
    message["To"] = ", ".join(config.smtp_to)
    message.set_content(alert.text())
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout) as smtp:
        smtp.ehlo()
        if config.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context(cafile=config.smtp_ca_file))
            smtp.ehlo()
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password or "")
        smtp.send_message(message)


def _post_webhook(alert: Alert, config: AlertConfig) -> None:
    body = json.dumps(alert.payload(), default=str).encode("utf-8")
    request = urllib.request.Request(
        config.webhook_url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "social-roi-alerts"},
    )
    with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310 - http(s) checked
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


# ---------------------------------------------------------------- the two alerts
def _first_lines(text: str, limit: int = 12) -> list[str]:
    lines = [line.rstrip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[:limit] + ([f"... ({len(lines) - limit} more lines in the task log)"] if len(lines) > limit else [])


def published_day(marts_db: Path) -> str:
    """What the published marts hold (from their ``_publication`` table), as a sentence."""
    marts_db = Path(marts_db)
    if not marts_db.exists():
        return f"nothing is published yet ({marts_db} does not exist)"
    try:
        import duckdb

        con = duckdb.connect(str(marts_db), read_only=True)
        try:
            run_id, run_date, published_at = con.execute(
                "select run_id, run_date, published_at from _publication"
            ).fetchone()
        finally:
            con.close()
    except Exception as exc:  # noqa: BLE001 - the alert must still go out
        return f"the published marts could not be read ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
    return f"the published marts still hold day {run_date} (run {run_id}, published {published_at:%Y-%m-%d %H:%M} UTC)"


def gate_failed_alert(result, run_date: date, marts_db: Path) -> Alert:
    """The alert of a failed mart gate: every failed expectation with observed vs expected, what stays live."""
    blocking, warnings = result.blocking_failures, result.warnings
    live = published_day(marts_db)
    lines = [
        f"The mart gate failed for day {run_date} (run {result.run_id}): {len(blocking)} blocking failure(s), "
        f"{len(warnings)} warning(s). Nothing was published; {live}.",
        "",
        "Failed expectations:",
        *(f"  - {o.line()}" for o in blocking + warnings),
        "",
        f"Data Docs: {result.docs_index}" if result.docs_index else "Data Docs: not built",
    ]
    facts = {
        "day": str(run_date),
        "run_id": result.run_id,
        "published": live,
        "failed_expectations": [
            {
                "suite": o.suite,
                "severity": o.severity,
                "expectation": o.expectation,
                "column": o.column,
                "observed": o.observed,
                "expected": o.expected,
            }
            for o in blocking + warnings
        ],
        "data_docs": str(result.docs_index) if result.docs_index else None,
    }
    return Alert("gate_failed", f"social-roi: mart gate failed for {run_date}, nothing published", lines, facts)


def run_failed_alert(*, dag_id: str, task_id: str, day, run_id: str, error: str, log_hint: str) -> Alert:
    lines = [
        f"{dag_id} failed in task {task_id} for day {day} (run {run_id}). The published marts are unchanged.",
        "",
        "Error:",
        *(f"  {line}" for line in _first_lines(error)),
        "",
        f"Log: {log_hint}",
    ]
    facts = {"dag_id": dag_id, "task_id": task_id, "day": str(day), "run_id": run_id, "error": error, "log": log_hint}
    return Alert("run_failed", f"social-roi: {dag_id} failed in {task_id} for {day}", lines, facts)


# Runs whose gate failure was already alerted in this process: the DAG's failure callback does not repeat it.
_GATE_ALERTED: set[str] = set()


def on_gate_failed(result, run_date: date, marts_db: Path) -> list[str]:
    _GATE_ALERTED.add(result.run_id)
    try:
        alert = gate_failed_alert(result, run_date, marts_db)
    except Exception as exc:  # noqa: BLE001 - never hide the gate failure itself
        _say(f"could not build the gate alert: {type(exc).__name__}: {exc}")
        return []
    return notify(alert)


def on_task_failure(context) -> list[str]:
    """The DAG's ``on_failure_callback``: print what failed once, and alert (unless it is a mart gate failure,
    which the gate already alerted with its expectations)."""
    try:
        task_instance = context.get("task_instance")
        dag_id = getattr(task_instance, "dag_id", None) or "social_roi_daily"
        task_id = getattr(task_instance, "task_id", "?")
        run_id = context.get("run_id") or getattr(task_instance, "run_id", "?")
        start = context.get("data_interval_start")
        day = start.date() if hasattr(start, "date") else start
        error = str(context.get("exception") or "unknown error")
        log_hint = _log_hint(dag_id, run_id, task_id, getattr(task_instance, "try_number", None))
        print(
            f"{dag_id} failed in task {task_id} for {day}; published marts are unchanged. Log: {log_hint}",
            flush=True,
        )
        if run_id in _GATE_ALERTED or error.startswith("mart gate failed"):
            return []
        return notify(
            run_failed_alert(dag_id=dag_id, task_id=task_id, day=day, run_id=run_id, error=error, log_hint=log_hint)
        )
    except Exception as exc:  # noqa: BLE001 - a callback must never raise
        _say(f"failure callback could not alert: {type(exc).__name__}: {exc}")
        return []


def _log_hint(dag_id: str, run_id: str, task_id: str, try_number) -> str:
    airflow_home = Path(os.environ.get("AIRFLOW_HOME", "~/airflow")).expanduser()
    base = Path(os.environ.get("AIRFLOW__LOGGING__BASE_LOG_FOLDER") or airflow_home / "logs").expanduser()
    folder = base / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={task_id}"
    if folder.exists():
        return str(folder / f"attempt={try_number}.log") if try_number else str(folder)
    return (
        f"the task log of {dag_id} / {run_id} / {task_id} (Airflow UI, or `airflow tasks test` output); "
        f"host {socket.gethostname()}"
    )
