"""Configuration that refuses what is unsafe, SQL names and paths quoted, commands that find the published marts,
and output that ends quietly when its reader goes away. Real DuckDB files, the real CLI in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from social_roi import publish as publisher
from social_roi.config import SALT_FINGERPRINT_FILE, ConfigError, Settings, check_salt
from social_roi.sql import ident, literal, qualified

ROOT = Path(__file__).resolve().parents[3]
GOOD_SALT = "0123456789abcdef-home-salt"
OTHER_SALT = "fedcba9876543210-other-salt"


@pytest.fixture
def env(monkeypatch):
    for key in ("SOCIAL_ROI_HOME", "SOCIAL_ROI_INBOX", "SOCIAL_ROI_PII_SALT", "SOCIAL_ROI_PII_SALT_ROTATE"):
        monkeypatch.delenv(key, raising=False)
    return monkeypatch


def cli(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_ROI_")} | env
    return subprocess.run(
        [sys.executable, "-m", "social_roi.cli", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# ---------------------------------------------------------------- the PII salt
@pytest.mark.parametrize(
    ("salt", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("a", "is 1 character(s) long; at least 16"),
        ("fifteen-chars!!", "is 15 character(s) long; at least 16"),
    ],
)
def test_short_or_empty_salt_is_refused(salt, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_salt(salt)
    check_salt("sixteen-chars!!!")  # 16 characters: accepted


def test_missing_salt_is_refused_outside_the_demo(env, tmp_path):
    with pytest.raises(ConfigError, match="SOCIAL_ROI_PII_SALT is not set") as refused:
        _ = Settings.from_env(tmp_path / "home").pii_salt
    assert str(tmp_path / "home" / "pii_salt") in str(refused.value)


def test_salt_fingerprint_refuses_a_changed_salt_unless_rotation_is_asked(env, tmp_path, capsys):
    home = tmp_path / "home"
    settings = Settings.from_env(home)
    env.setenv("SOCIAL_ROI_PII_SALT", GOOD_SALT)
    assert settings.pii_salt == GOOD_SALT
    stored = (home / SALT_FINGERPRINT_FILE).read_text()
    assert GOOD_SALT not in stored and set(json.loads(stored)) == {"pbkdf2_sha256", "nonce", "iterations"}
    assert settings.pii_salt == GOOD_SALT  # the same salt again: accepted, fingerprint kept
    assert (home / SALT_FINGERPRINT_FILE).read_text() == stored

    env.setenv("SOCIAL_ROI_PII_SALT", OTHER_SALT)
    with pytest.raises(ConfigError, match="not the one this home's hashes were made with") as refused:
        _ = settings.pii_salt
    assert "SOCIAL_ROI_PII_SALT_ROTATE=1" in str(refused.value) and OTHER_SALT not in str(refused.value)

    env.setenv("SOCIAL_ROI_PII_SALT_ROTATE", "1")
    assert settings.pii_salt == OTHER_SALT
    assert "now uses a new salt" in capsys.readouterr().err
    env.delenv("SOCIAL_ROI_PII_SALT_ROTATE")
    assert settings.pii_salt == OTHER_SALT  # the rotated salt is now the home's
    env.setenv("SOCIAL_ROI_PII_SALT", GOOD_SALT)
    with pytest.raises(ConfigError):
        _ = settings.pii_salt


def test_salt_kept_in_the_home_file_is_checked_too(env, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "pii_salt").write_text("short\n")
    with pytest.raises(ConfigError, match=r"pii_salt is 5 character\(s\) long"):
        _ = Settings.from_env(home).pii_salt


def test_run_refuses_a_bad_salt_before_starting_anything(tmp_path):
    home = tmp_path / "home"
    proc = cli("run", "--end", "2026-11-30", SOCIAL_ROI_HOME=str(home), SOCIAL_ROI_PII_SALT="abc")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: SOCIAL_ROI_PII_SALT is 3 character(s) long; at least 16 are required")
    assert "Traceback" not in proc.stderr and not (home / "airflow").exists()

    empty = cli("run", "--end", "2026-11-30", SOCIAL_ROI_HOME=str(home), SOCIAL_ROI_PII_SALT="")
    assert empty.returncode == 2 and "error: SOCIAL_ROI_PII_SALT is empty" in empty.stderr


def test_demo_refuses_a_short_salt_it_was_given_before_wiping_anything(tmp_path):
    home = tmp_path / "demo"
    home.mkdir()
    (home / "keep.txt").write_text("still here")
    proc = cli("demo", "--home", str(home), SOCIAL_ROI_PII_SALT="tooshort")
    assert proc.returncode == 2 and "error: SOCIAL_ROI_PII_SALT is 8 character(s) long" in proc.stderr
    assert (home / "keep.txt").read_text() == "still here"


def test_run_of_no_day_says_it_did_nothing(tmp_path):
    proc = cli("run", "--end", "2026-11-30", "--days", "0", SOCIAL_ROI_HOME=str(tmp_path / "home"))
    assert proc.returncode == 0
    assert "nothing to run: --days 0 asks for no day" in proc.stderr
    assert not (tmp_path / "home").exists()


# ---------------------------------------------------------------- SQL quoting and publish
def test_quoting_helpers():
    assert ident("fct_roi") == '"fct_roi"'
    assert ident('odd "name"') == '"odd ""name"""'
    assert qualified("audit", 'a"b') == '"audit"."a""b"'
    assert literal("/home/o'neil/marts.duckdb") == "'/home/o''neil/marts.duckdb'"
    with pytest.raises(ValueError):
        ident("")
    with pytest.raises(ValueError):
        literal("a\x00b")


def _work_db(path: Path, customers: int = 3) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema audit")
    con.execute('create table audit."fct_odd ""quoted"" name" as select 7 as x')
    con.execute(
        """create table audit.dim_customers as
        select 'email' as key_type, 'email:' || sha256(i::varchar) as customer_key, 'active' as engagement_segment,
               timestamp '2026-11-01 10:00:00' as first_social_touch_at, 'facebook_paid' as first_social_channel,
               timestamp '2026-11-02 10:00:00' as last_social_touch_at, 'instagram_organic' as last_social_channel,
               2 as social_touches, 1 as facebook_touches, 1 as instagram_touches, 0 as linkedin_touches,
               0 as x_touches, 0 as tiktok_touches, 0 as youtube_touches, 1 as conversions,
               12.5 as revenue, 6.25 as social_attributed_revenue, 'USD' as currency
        from range(?) t(i)""",
        [customers],
    )
    con.close()
    return path


def test_a_home_with_quotes_in_its_path_publishes(tmp_path):
    home = tmp_path / 'o\'neil "marketing" home'
    (home / "warehouse").mkdir(parents=True)
    work = _work_db(home / "warehouse" / "work.duckdb")
    out = publisher.publish(work, home / "warehouse" / "marts.duckdb", run_id="run'1", run_date=date(2026, 11, 30))
    assert out["tables"] == {"dim_customers": 3, 'fct_odd "quoted" name': 1}
    con = duckdb.connect(str(home / "warehouse" / "marts.duckdb"), read_only=True)
    try:
        assert con.execute("select run_id, run_date from _publication").fetchall() == [("run'1", date(2026, 11, 30))]
        assert con.execute('select x from "fct_odd ""quoted"" name"').fetchall() == [(7,)]
    finally:
        con.close()
    assert not (home / "warehouse" / "marts.duckdb.tmp").exists()


# ---------------------------------------------------------------- commands find the published marts
def _published_home(home: Path, customers: int = 3) -> Path:
    (home / "warehouse").mkdir(parents=True)
    work = _work_db(home / "warehouse" / "work.duckdb", customers)
    publisher.publish(work, home / "warehouse" / "marts.duckdb", run_id="r", run_date=date(2026, 11, 30))
    return home


def test_reading_commands_find_the_demo_home(env, tmp_path):
    said = []
    with pytest.raises(ConfigError, match="SOCIAL_ROI_HOME is not set and neither") as none:
        Settings.for_reading(cwd=tmp_path, say=said.append)
    assert "run `make demo` first" in str(none.value)

    _published_home(tmp_path / "var" / "demo")
    assert Settings.for_reading(cwd=tmp_path, say=said.append).home == (tmp_path / "var" / "demo").resolve()
    assert said == [
        f"reading the demo's published marts in {(tmp_path / 'var' / 'demo').resolve()} "
        "(set SOCIAL_ROI_HOME for another home)"
    ]

    _published_home(tmp_path / "var")  # a home of one's own wins over the demo, silently
    said.clear()
    assert Settings.for_reading(cwd=tmp_path, say=said.append).home == (tmp_path / "var").resolve()
    assert said == []

    env.setenv("SOCIAL_ROI_HOME", str(tmp_path / "elsewhere"))  # an explicit home is never second-guessed
    assert Settings.for_reading(cwd=tmp_path).home == (tmp_path / "elsewhere").resolve()


def test_export_crm_and_roi_from_the_demo_folder_without_settings(tmp_path):
    _published_home(tmp_path / "var" / "demo", customers=4)
    proc = cli("export-crm", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("key_type,match_key,engagement_segment") and len(lines) == 5
    assert "reading the demo's published marts" in proc.stderr

    unwritable = cli("export-crm", "--out", str(tmp_path / "no" / "such" / "dir.csv"), cwd=tmp_path)
    assert unwritable.returncode == 2 and "Traceback" not in unwritable.stderr
    assert (
        f"error: {tmp_path / 'no' / 'such' / 'dir.csv'}: cannot write the export: Cannot save file into a non-existent"
        in unwritable.stderr
    )

    missing = cli("roi", cwd=tmp_path, SOCIAL_ROI_HOME=str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert f"error: no published marts at {(tmp_path / 'nowhere').resolve()}" in missing.stderr
    assert "set SOCIAL_ROI_HOME to a home that has published" in missing.stderr


def test_export_crm_into_head_ends_quietly(tmp_path):
    """40,000 customers (~7 MB of CSV) into `head -1`: the pipe closes long before the export ends."""
    home = _published_home(tmp_path / "home", customers=40_000)
    command = f"set -o pipefail; {sys.executable} -m social_roi.cli export-crm | head -1"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_ROI_")} | {"SOCIAL_ROI_HOME": str(home)}
    proc = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.stdout.splitlines() == [
        "key_type,match_key,engagement_segment,first_social_touch_at,first_social_channel,last_social_touch_at,"
        "last_social_channel,social_touches,facebook_touches,instagram_touches,linkedin_touches,x_touches,"
        "tiktok_touches,youtube_touches,conversions,revenue,social_attributed_revenue,currency"
    ]
    assert proc.stderr == ""  # no BrokenPipeError, no traceback, no "Exception ignored" at exit
    assert proc.returncode == 141  # 128 + SIGPIPE, as shell tools report a reader that went away


# ---------------------------------------------------------------- readable output
def test_data_driven_weights_are_summarised_as_top_three_per_model():
    import pandas as pd

    from social_roi.pipeline import summarise_weights

    weights = pd.DataFrame(
        {
            "attribution_model": ["markov"] * 5 + ["shapley"] * 2,
            "channel": ["a_paid", "b_organic", "c_paid", "d_organic", "e_paid", "a_paid", "b_organic"],
            "weight": [0.10, 0.45, 0.30, 0.45, 0.05, 0.25, 0.75],
        }
    )
    assert summarise_weights(weights) == (
        "markov top 3 of 5: b_organic 0.45, d_organic 0.45, c_paid 0.30; "
        "shapley top 2 of 2: b_organic 0.75, a_paid 0.25"
    )
    assert summarise_weights(weights.iloc[0:0]) == "no social paths"
