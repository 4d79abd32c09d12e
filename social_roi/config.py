"""One typed settings object for every part of the pipeline, read from the environment.

| variable                         | default                  | meaning                                               |
|----------------------------------|--------------------------|-------------------------------------------------------|
| SOCIAL_ROI_HOME                  | ./var                    | where everything the pipeline writes lives            |
| SOCIAL_ROI_INBOX                 | $HOME/inbox              | folder the exports are dropped in (dated sub-folders) |
| SOCIAL_ROI_PII_SALT              | $HOME/pii_salt (demo)    | salt hashed with every personal value, 16+ characters |
| SOCIAL_ROI_PII_SALT_ROTATE       | unset                    | 1 = accept a salt that differs from the home's one    |
| SOCIAL_ROI_REPORTING_CURRENCY    | USD                      | currency the marts report in                          |
| SOCIAL_ROI_DEFAULT_PHONE_COUNTRY | 1                        | country calling code for phones written without one   |
| SOCIAL_ROI_SOURCE_CURRENCIES     | seed source_currencies   | currency of exports without one, e.g. woocommerce:EUR |
| SOCIAL_ROI_SOURCE_CADENCE        | learned from the exports | e.g. hubspot_deals:monthly,woocommerce_orders:weekly  |

What is unsafe is refused with a :class:`ConfigError` naming the variable and the fix: a salt that is empty or
shorter than 16 characters, and a salt that differs from the one the home's hashes were made with (the home keeps a
salted PBKDF2 fingerprint of its salt, never the salt; ``SOCIAL_ROI_PII_SALT_ROTATE=1`` accepts the new salt).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

SALT_MIN_LENGTH = 16
SALT_FILE = "pii_salt"
SALT_FINGERPRINT_FILE = "pii_salt.fingerprint.json"
_FINGERPRINT_ITERATIONS = 100_000
_TRUE = ("1", "true", "yes", "on")


class ConfigError(RuntimeError):
    """A setting that is missing or unsafe; the message names the variable and says how to fix it."""


@dataclass(frozen=True)
class Settings:
    home: Path
    inbox: Path
    reporting_currency: str = "USD"
    default_phone_country: str = "1"

    @classmethod
    def from_env(cls, home: Path | None = None) -> Settings:
        home = Path(home if home is not None else os.environ.get("SOCIAL_ROI_HOME", "var")).resolve()
        inbox = Path(os.environ.get("SOCIAL_ROI_INBOX", home / "inbox")).resolve()
        return cls(
            home=home,
            inbox=inbox,
            reporting_currency=os.environ.get("SOCIAL_ROI_REPORTING_CURRENCY", "USD").upper(),
            default_phone_country=os.environ.get("SOCIAL_ROI_DEFAULT_PHONE_COUNTRY", "1"),
        )

    @classmethod
    def for_reading(cls, cwd: Path | None = None, say=None) -> Settings:
        """The settings of the commands that read published marts (``roi``, ``export-crm``).

        ``SOCIAL_ROI_HOME`` when set; otherwise ``./var`` if it holds published marts, else ``./var/demo`` (what
        ``make demo`` writes) if it does, saying so through ``say``. Raises :class:`ConfigError` naming the
        variable to set when neither holds published marts.
        """
        if os.environ.get("SOCIAL_ROI_HOME"):
            return cls.from_env()
        cwd = Path(cwd or Path.cwd())
        tried = [cwd / "var", cwd / "var" / "demo"]
        for home in tried:
            settings = cls.from_env(home)
            if settings.marts_db.exists():
                if home != tried[0] and say is not None:
                    say(f"reading the demo's published marts in {settings.home} (set SOCIAL_ROI_HOME for another home)")
                return settings
        raise ConfigError(
            "no published marts found: SOCIAL_ROI_HOME is not set and neither "
            + " nor ".join(str(h / "warehouse" / "marts.duckdb") for h in tried)
            + " exists. Set SOCIAL_ROI_HOME to the folder your pipeline runs in, or run `make demo` first."
        )

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse"

    @property
    def work_db(self) -> Path:
        """The only database file the pipeline writes (raw tables, the audit area, quality results)."""
        return self.warehouse / "work.duckdb"

    @property
    def marts_db(self) -> Path:
        """The published marts analysts open; replaced atomically by publish, never written in place."""
        return self.warehouse / "marts.duckdb"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def data_docs(self) -> Path:
        return self.home / "data_docs"

    @property
    def pii_salt(self) -> str:
        """The salt personal values are hashed with, checked (length, and against the home's fingerprint)."""
        salt, source = self._salt_and_source()
        check_salt(salt, source)
        check_salt_fingerprint(self.home, salt, source)
        return salt

    def _salt_and_source(self) -> tuple[str, str]:
        if "SOCIAL_ROI_PII_SALT" in os.environ:
            return os.environ["SOCIAL_ROI_PII_SALT"], "SOCIAL_ROI_PII_SALT"
        salt_file = self.home / SALT_FILE
        if salt_file.exists():
            return salt_file.read_text(encoding="utf-8").strip(), str(salt_file)
        raise ConfigError(
            "SOCIAL_ROI_PII_SALT is not set: personal data cannot be hashed without a salt. Set it to a secret of "
            f"at least {SALT_MIN_LENGTH} characters that never changes for this home (e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_hex(16))'`), or write it to "
            f"{salt_file}. Your CRM hashes its emails with the same salt to join the export."
        )

    def check(self) -> None:
        """Refuse an unsafe configuration before any work starts (raises :class:`ConfigError`)."""
        _ = self.pii_salt

    @property
    def source_currencies(self) -> dict[str, str]:
        """Currency of each source system whose exports carry none (``woocommerce``, ``hubspot``, ``salesforce``):
        ``SOCIAL_ROI_SOURCE_CURRENCIES=woocommerce:EUR,hubspot:EUR``, else the dbt seed ``source_currencies``."""
        configured = _seed_source_currencies()
        for item in os.environ.get("SOCIAL_ROI_SOURCE_CURRENCIES", "").split(","):
            if item.strip():
                system, sep, code = item.partition(":")
                if not sep or len(code.strip()) != 3 or not code.strip().isalpha():
                    raise ValueError(
                        f"SOCIAL_ROI_SOURCE_CURRENCIES: {item.strip()!r} — expected "
                        "<system>:<ISO currency>, e.g. woocommerce:EUR,hubspot:EUR"
                    )
                configured[system.strip().lower()] = code.strip().upper()
        return configured

    def ensure_dirs(self) -> None:
        for folder in (self.inbox, self.warehouse, self.quarantine, self.reports, self.data_docs):
            folder.mkdir(parents=True, exist_ok=True)


def check_salt(salt: str, source: str = "SOCIAL_ROI_PII_SALT") -> None:
    if not salt or not salt.strip():
        raise ConfigError(
            f"{source} is empty: an empty salt makes every hashed email guessable. Set SOCIAL_ROI_PII_SALT to a "
            f"secret of at least {SALT_MIN_LENGTH} characters (e.g. `python -c 'import secrets; "
            "print(secrets.token_hex(16))'`)."
        )
    if len(salt) < SALT_MIN_LENGTH:
        raise ConfigError(
            f"{source} is {len(salt)} character(s) long; at least {SALT_MIN_LENGTH} are required so hashed emails "
            "and phones cannot be guessed. Set SOCIAL_ROI_PII_SALT to a longer secret (e.g. `python -c 'import "
            "secrets; print(secrets.token_hex(16))'`); a home that already holds hashes keeps its salt."
        )


def _fingerprint(salt: str, nonce: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", salt.encode("utf-8"), nonce, _FINGERPRINT_ITERATIONS).hex()


def check_salt_fingerprint(home: Path, salt: str, source: str = "SOCIAL_ROI_PII_SALT") -> None:
    """Record the salt's fingerprint in ``home`` on first use; refuse a different salt later unless
    ``SOCIAL_ROI_PII_SALT_ROTATE=1`` (then the new fingerprint replaces the old one)."""
    path = Path(home) / SALT_FINGERPRINT_FILE
    if path.exists():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            nonce = bytes.fromhex(stored["nonce"])
            matches = hmac.compare_digest(_fingerprint(salt, nonce), stored["pbkdf2_sha256"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"{path} is unreadable ({exc}): restore it, or delete it to record the current salt as this home's"
            ) from None
        if matches:
            return
        if os.environ.get("SOCIAL_ROI_PII_SALT_ROTATE", "").strip().lower() not in _TRUE:
            raise ConfigError(
                f"the salt from {source} is not the one this home's hashes were made with (fingerprint in {path}): "
                "new hashes would not join the old ones. Set SOCIAL_ROI_PII_SALT back to the home's salt, or set "
                "SOCIAL_ROI_PII_SALT_ROTATE=1 to adopt the new salt (then rebuild the home from its inbox so every "
                "hash uses it)."
            )
        print(f"SOCIAL_ROI_PII_SALT_ROTATE is set: this home now uses a new salt ({path} rewritten)", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    nonce = secrets.token_bytes(16)
    record = {"pbkdf2_sha256": _fingerprint(salt, nonce), "nonce": nonce.hex(), "iterations": _FINGERPRINT_ITERATIONS}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, path)


def write_demo_salt(home: Path) -> str:
    """A fresh random salt for a demo home, kept in ``home/pii_salt`` (owner-only)."""
    salt = secrets.token_hex(16)
    path = Path(home) / SALT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(salt, encoding="utf-8")
    path.chmod(0o600)
    return salt


def _seed_source_currencies() -> dict[str, str]:
    import csv

    seed = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "source_currencies.csv"
    with seed.open(newline="", encoding="utf-8") as fh:
        return {row["source_system"].lower(): row["currency"].upper() for row in csv.DictReader(fh)}
