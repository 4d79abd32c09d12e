"""One typed settings object for every part of the pipeline, read from the environment.

| variable                         | default                  | meaning                                               |
|----------------------------------|--------------------------|-------------------------------------------------------|
| SOCIAL_ROI_HOME                  | ./var                    | where everything the pipeline writes lives            |
| SOCIAL_ROI_INBOX                 | $HOME/inbox              | folder the exports are dropped in (dated sub-folders) |
| SOCIAL_ROI_PII_SALT              | generated once, kept in $HOME/pii_salt | salt hashed with every personal value   |
| SOCIAL_ROI_REPORTING_CURRENCY    | USD                      | currency the marts report in                          |
| SOCIAL_ROI_DEFAULT_PHONE_COUNTRY | 1                        | country calling code for phones written without one   |
| SOCIAL_ROI_SOURCE_CURRENCIES     | seed source_currencies   | currency of exports without one, e.g. woocommerce:EUR |
| SOCIAL_ROI_SOURCE_CADENCE        | learned from the exports | e.g. hubspot_deals:monthly,woocommerce_orders:weekly  |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    inbox: Path
    reporting_currency: str = "USD"
    default_phone_country: str = "1"

    @classmethod
    def from_env(cls) -> Settings:
        home = Path(os.environ.get("SOCIAL_ROI_HOME", "var")).resolve()
        inbox = Path(os.environ.get("SOCIAL_ROI_INBOX", home / "inbox")).resolve()
        return cls(
            home=home,
            inbox=inbox,
            reporting_currency=os.environ.get("SOCIAL_ROI_REPORTING_CURRENCY", "USD").upper(),
            default_phone_country=os.environ.get("SOCIAL_ROI_DEFAULT_PHONE_COUNTRY", "1"),
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
        salt = os.environ.get("SOCIAL_ROI_PII_SALT")
        if salt:
            return salt
        salt_file = self.home / "pii_salt"
        if not salt_file.exists():
            salt_file.parent.mkdir(parents=True, exist_ok=True)
            salt_file.write_text(secrets.token_hex(16))
            salt_file.chmod(0o600)
        return salt_file.read_text().strip()

    @property
    def source_currencies(self) -> dict[str, str]:
        """Currency of each source system whose exports carry none (``woocommerce``, ``hubspot``, ``salesforce``):
        ``SOCIAL_ROI_SOURCE_CURRENCIES=woocommerce:EUR,hubspot:EUR``, else the dbt seed ``source_currencies``."""
        configured = _seed_source_currencies()
        for item in os.environ.get("SOCIAL_ROI_SOURCE_CURRENCIES", "").split(","):
            if item.strip():
                system, sep, code = item.partition(":")
                if not sep or len(code.strip()) != 3 or not code.strip().isalpha():
                    raise ValueError(f"SOCIAL_ROI_SOURCE_CURRENCIES: {item.strip()!r} — expected "
                                     "<system>:<ISO currency>, e.g. woocommerce:EUR,hubspot:EUR")
                configured[system.strip().lower()] = code.strip().upper()
        return configured

    def ensure_dirs(self) -> None:
        for folder in (self.inbox, self.warehouse, self.quarantine, self.reports, self.data_docs):
            folder.mkdir(parents=True, exist_ok=True)


def _seed_source_currencies() -> dict[str, str]:
    import csv

    seed = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "source_currencies.csv"
    with seed.open(newline="", encoding="utf-8") as fh:
        return {row["source_system"].lower(): row["currency"].upper() for row in csv.DictReader(fh)}
