"""The email and phone patterns of mart__personal_data, on values that are and are not personal data."""

from __future__ import annotations

import duckdb
import pytest

from social_roi.quality.registry import load_suite_module

pii = load_suite_module("mart__personal_data")

EMAILS = ["jane.doe@example.com", "contact: bob+ads@shop.co.uk!", "X@Y.IO"]
PHONES = [
    "+14155552671",
    "415-555-2671",
    "(415) 555-2671",
    "+44 20 7946 0958",
    "06 12 34 56 78",
    "call 0612 345 678 now",
    "415.555.2671",
    "+33 6 12 34 56 78",
]
NEITHER = [
    "120211234567890123",  # Meta ids are bare digit runs
    "click:1234567890.1700000000",  # GA4 session keys: two long runs joined by a dot
    "o1|click:1234567890.1700000000|linear",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # hashes
    "email:5e884898da28047151d0e56f8dc62927",
    "2026-03-10",
    "2026-03-10 12:30:00",
    "10.03.2026",
    "03/10/2026",
    "Summer 2026 - 50% off",
    "cmp_2026_03_10",
    "1.2.3",
    "(organic)",
    "order:#1001",
    "1 000 000",
    "@brand",
    "facebook_paid",
    "",
]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def classify(con, value: str) -> tuple[bool, bool]:
    sql = f"select {pii.is_email_sql('v')}, {pii.is_phone_sql('v')} from (select ? as v)"
    email, phone = con.execute(sql, [value]).fetchone()
    return bool(email), bool(phone)


@pytest.mark.parametrize("value", EMAILS)
def test_emails_are_found(con, value):
    assert classify(con, value) == (True, False)


@pytest.mark.parametrize("value", PHONES)
def test_phones_are_found(con, value):
    assert classify(con, value)[1] is True


@pytest.mark.parametrize("value", NEITHER)
def test_ids_hashes_and_dates_are_not_personal_data(con, value):
    assert classify(con, value) == (False, False)
