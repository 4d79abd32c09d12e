"""Stripe keys and free text, HubSpot contacts, files whose every row is rejected, spreadsheet-safe output.

Expected hashes are computed here with hashlib from the clear value (salt + trimmed, lowercased e-mail), never
through the project's hashing code.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

import duckdb
import pandas as pd
import pytest

from social_roi.config import Settings
from social_roi.ingest import IngestError
from social_roi.ingest.load import ingest_inbox
from social_roi.spreadsheet_safe import neutralise, write_csv

SALT = "test-salt"  # the parse fixture's salt (tests/unit/ingest/conftest.py)
SETTINGS_SALT = "ingest-test-salt-0123"  # a pipeline home refuses a salt shorter than 16 characters
STRIPE_H = (
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Description,PaymentIntent ID,Status,"
    "Customer Email,UTM Source,UTM Medium,UTM Campaign"
)


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def email_hash(email: str) -> str:
    return hashlib.sha256((SALT + email.strip().lower()).encode()).hexdigest()


def test_stripe_description_is_not_stored_only_its_coupon_and_utms(parse, write):
    r = parse(
        write(
            "unified_payments.csv",
            lines(
                STRIPE_H,
                "ch_1,2026-09-05 12:30:00,58.74,0,usd,true,Dues payment for Jane Roe – Winter 2026,pi_1,Paid,"
                "j@x.com,,,",
                "ch_2,2026-09-05 13:30:00,20.00,0,usd,true,[Calendly] Call with Bob Stone coupon WINTER26 "
                "https://shop.example/p?utm_source=instagram&utm_medium=social,pi_2,Paid,,,,",
                "ch_3,2026-09-05 14:30:00,5.00,0,usd,true,Pro plan,pi_3,Paid,,facebook,paid_social,autumn",
            ),
        )
    )
    pays = r.tables["stripe_payments"]
    assert r.problems == [] and list(pays["payment_id"]) == ["ch_1", "ch_2", "ch_3"]
    assert "description" not in pays.columns
    text = pays.astype(str).to_string()
    for clear in ("Jane", "Roe", "Bob", "Stone", "Calendly", "Dues payment"):
        assert clear not in text
    assert list(pays["coupon_code"].fillna("")) == ["", "WINTER26", ""]
    assert list(pays["utm_source"].fillna("")) == ["", "instagram", "facebook"]  # the file's own UTM wins
    assert list(pays["utm_medium"].fillna("")) == ["", "social", "paid_social"]
    assert pays.loc[0, "amount"] == 58.74


def test_stripe_row_with_empty_id_is_rejected_naming_file_row_and_column(parse, write):
    r = parse(
        write(
            "unified_payments.csv",
            lines(
                STRIPE_H.replace(",PaymentIntent ID", ""),
                "ch_1,2026-09-05 12:30:00,10,0,usd,true,,Paid,,,,",
                ",2026-09-05 12:31:00,11,0,usd,true,,Paid,,,,",
            ),
        )
    )
    assert list(r.tables["stripe_payments"]["payment_id"]) == ["ch_1"]
    [problem] = r.problems
    assert (problem.file.endswith("unified_payments.csv"), problem.row, problem.column, problem.code) == (
        True,
        3,
        "id",
        "missing_key",
    )
    assert "payment id" in problem.message()


def test_stripe_resaved_with_semicolons_and_no_id_column_keys_on_the_payment_intent(parse, write):
    header = "Created date (UTC);Amount;Amount Refunded;Currency;Captured;PaymentIntent ID;Status"
    r = parse(write("unified_payments.csv", lines(header, "2026-09-05 12:30:00;58,74;0;eur;true;pi_9;Paid")))
    pays = r.tables["stripe_payments"]
    assert r.problems == [] and list(pays["payment_id"]) == ["pi_9"]
    assert pays.loc[0, "amount"] == 58.74 and pays.loc[0, "currency"] == "EUR"


def test_stripe_without_any_id_column_is_rejected_with_the_fix(parse, write):
    header = "Created date (UTC);Amount;Amount Refunded;Currency;Captured;Status"
    with pytest.raises(IngestError) as error:
        parse(write("unified_payments.csv", lines(header, "2026-09-05 12:30:00;58,74;0;eur;true;Paid")))
    message = str(error.value)
    assert "unified_payments.csv" in message and "'id'" in message and "export" in message


def test_hubspot_contact_email_is_hashed_like_every_email(parse, write):
    header = "Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Contact"
    r = parse(
        write(
            "hubspot-crm-exports-all-deals.csv",
            lines(
                header,
                '1,Globex,closedwon,100,2026-09-10,"Jane Roe ( Jane.Roe@Example.com )"',
                "2,Initech,closedwon,200,2026-09-11,",
            ),
        )
    )
    deals = r.tables["hubspot_deals"]
    assert r.problems == []
    assert deals.loc[0, "contact_email_sha256"] == email_hash("jane.roe@example.com")
    assert pd.isna(deals.loc[1, "contact_email_sha256"])
    assert "Jane" not in deals.astype(str).to_string()


def test_a_file_whose_every_row_is_rejected_is_quarantined_not_loaded(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    (inbox / "2026-09-06").mkdir(parents=True)
    (inbox / "2026-09-06" / "unified_payments.csv").write_bytes(
        lines(
            STRIPE_H, ",2026-09-05 12:30:00,10,0,usd,true,,,Paid,,,,", ",2026-09-05 12:31:00,11,0,usd,true,,,Paid,,,,"
        )
    )
    monkeypatch.setenv("SOCIAL_ROI_PII_SALT", SETTINGS_SALT)
    settings = Settings(home=tmp_path / "home", inbox=inbox)
    settings.ensure_dirs()
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    summary = ingest_inbox(con, settings, up_to=date(2026, 9, 6), run_id="r", raw_gate=False)
    [outcome] = summary.files
    assert outcome.status == "quarantined"
    assert "all 2 data row(s) were rejected" in outcome.reason  # two rows, one problem each
    assert con.execute("select status from raw._files").fetchall() == [("quarantined",)]
    codes = con.execute("select source_row, column_name, code from raw._quarantine order by 1 nulls first").fetchall()
    assert codes == [(None, None, "every_row_rejected"), (2, "id", "missing_key"), (3, "id", "missing_key")]
    assert not con.execute(
        "select count(*) from information_schema.tables where table_name = 'stripe_payments'"
    ).fetchone()[0]
    reasons = settings.quarantine / "2026-09-06" / "unified_payments.csv.reasons.csv"
    assert len(list(csv.DictReader(reasons.open()))) == 3


def test_carriage_return_start_is_neutralised():
    assert neutralise("\r=1+1") == "'\r=1+1" and neutralise("a=1") == "a=1" and neutralise(-3.5) == -3.5


@pytest.mark.parametrize("value", ["=1+1", '+HYPERLINK("x")', "-2+3", "@SUM(A1)", "\tcmd"])
def test_formula_like_text_is_written_as_text(value):
    assert neutralise(value) == "'" + value
    buf = io.StringIO()
    write_csv(pd.DataFrame({"name": [value, "plain"], "revenue": [-58.74, 1.0]}), buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
    assert rows == [["name", "revenue"], ["'" + value, "-58.74"], ["plain", "1.0"]]  # numbers stay numbers


WOO_H = "Date,Order #,Status,Customer,Product(s),Items sold,Coupon(s),Net sales"


def _woo_inbox(tmp_path, *rows: str):
    inbox = tmp_path / "inbox"
    (inbox / "2026-09-06").mkdir(parents=True)
    (inbox / "2026-09-06" / "orders-report-export-2026-09-06.csv").write_bytes(lines(WOO_H, *rows))
    return inbox


def _ingest(tmp_path, inbox, monkeypatch, currencies: str | None):
    monkeypatch.setenv("SOCIAL_ROI_PII_SALT", SETTINGS_SALT)
    if currencies is None:
        monkeypatch.delenv("SOCIAL_ROI_SOURCE_CURRENCIES", raising=False)
    else:
        monkeypatch.setenv("SOCIAL_ROI_SOURCE_CURRENCIES", currencies)
    settings = Settings(home=tmp_path / "home", inbox=inbox)
    settings.ensure_dirs()
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    return ingest_inbox(con, settings, up_to=date(2026, 9, 6), run_id="r", raw_gate=False)


FRENCH_ROWS = (
    '2026-09-05 10:00:00,101,Completed,Jeanne Roux,Tasse,1,,"58,74"',
    '2026-09-05 11:00:00,102,Completed,Paul Roux,Tasse,2,,"117,48"',
)


def test_a_french_store_valued_in_usd_warns_with_the_evidence(tmp_path, monkeypatch):
    summary = _ingest(tmp_path, _woo_inbox(tmp_path, *FRENCH_ROWS), monkeypatch, None)  # seed default: USD
    [warning] = summary.warnings
    assert "orders-report-export-2026-09-06.csv" in warning and "valued as USD" in warning
    assert "2 'Net sales' cell(s) with a decimal comma" in warning
    assert "SOCIAL_ROI_SOURCE_CURRENCIES=woocommerce:" in warning
    assert any("WARNING" in line and "decimal comma" in line for line in summary.lines())


def test_euro_signs_against_a_configured_currency_warn(tmp_path, monkeypatch):
    inbox = _woo_inbox(tmp_path, "2026-09-05 10:00:00,101,Completed,Jeanne Roux,Tasse,1,,58.74 €")
    [warning] = _ingest(tmp_path, inbox, monkeypatch, "woocommerce:GBP").warnings
    assert "valued as GBP" in warning and "1 amount(s) written in EUR" in warning


def test_the_configured_currency_silences_the_warning(tmp_path, monkeypatch):
    summary = _ingest(tmp_path, _woo_inbox(tmp_path, *FRENCH_ROWS), monkeypatch, "woocommerce:EUR,hubspot:EUR")
    assert summary.warnings == []
    assert summary.count("loaded") == 1


def test_a_malformed_currency_setting_says_how_to_write_it(monkeypatch, tmp_path):
    monkeypatch.setenv("SOCIAL_ROI_SOURCE_CURRENCIES", "woocommerce=EUR")
    with pytest.raises(ValueError, match="woocommerce:EUR,hubspot:EUR"):
        _ = Settings(home=tmp_path, inbox=tmp_path).source_currencies


def test_attribute_paths_out_neutralises_formula_like_channels(tmp_path):
    from social_roi.cli import main

    source, out = tmp_path / "paths.csv", tmp_path / "out.csv"
    source.write_text("path,total_conversions\n=HYPERLINK(1) > @SUM(A1),2\n", encoding="utf-8")
    assert main(["attribute-paths", str(source), "--models", "linear", "--out", str(out)]) == 0
    rows = list(csv.reader(out.open(newline="", encoding="utf-8")))
    assert rows[0] == ["channel", "model", "conversions", "value"]
    assert sorted(r[0] for r in rows[1:]) == ["'=HYPERLINK(1)", "'@SUM(A1)"]
    assert all(r[2] == "1.0" for r in rows[1:])  # credits stay numbers
