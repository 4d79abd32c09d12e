"""Personal data: normalisation, E.164 phones, stable salted SHA-256, no clear value in any output."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from social_roi.ingest import pii


def test_hash_matches_sha256_of_salt_plus_value():
    out = pii.hash_pii(pd.Series(["  Ann.Lee@Example.COM "]), "email", salt="pepper")
    assert out.iloc[0] == hashlib.sha256(b"pepperann.lee@example.com").hexdigest()


def test_same_email_hashes_alike_across_spellings():
    out = pii.hash_pii(
        pd.Series(["ANN.LEE@example.com", " ann.lee@EXAMPLE.com", "mailto:ann.lee@example.com"]), "email", salt="s"
    )
    assert out.nunique() == 1


def test_salt_changes_hash():
    a = pii.hash_pii(pd.Series(["a@b.c"]), "email", salt="s1").iloc[0]
    b = pii.hash_pii(pd.Series(["a@b.c"]), "email", salt="s2").iloc[0]
    assert a != b


def test_empty_is_null_not_hash_of_empty():
    out = pii.hash_pii(pd.Series(["", "   ", None]), "email", salt="s")
    assert out.isna().all()


@pytest.mark.parametrize(
    "raw, country, expected",
    [
        ("(415) 555-0100", "1", "+14155550100"),
        ("'+1 415 555 0100", "1", "+14155550100"),
        ("1-415-555-0100", "1", "+14155550100"),
        ("+44 20 7946 0958", "1", "+442079460958"),
        ("0044 20 7946 0958", "1", "+442079460958"),
        ("07911 123456", "44", "+447911123456"),
        ("06 12 34 56 78", "33", "+33612345678"),
        ("+1 415 555 0100 ext. 12", "1", "+14155550100"),
        ("12", "1", None),
        ("", "1", None),
    ],
)
def test_phone_e164(raw, country, expected):
    got = pii.normalise_phone(pd.Series([raw], dtype="str"), country).iloc[0]
    assert (None if pd.isna(got) else got) == expected


def test_names_and_addresses_collapsed():
    got = pii.normalise_text(pd.Series(["  Jean   DUPONT\t", "１ Main  St"])).tolist()
    assert got == ["jean dupont", "1 main st"]


def test_salt_required():
    with pytest.raises(ValueError):
        pii.hash_pii(pd.Series(["a@b.c"]), "email", salt="")


def test_no_clear_pii_in_any_output_column(parse, fixture_path):
    clear = [
        "ann.lee@example.com",
        "bob@example.com",
        "ann lee",
        "ann  lee",
        "bob stone",
        "jean  dupont",
        "jean dupont",
        "+1 415 555 0100",
        "(415) 555-0100",
        "4155550100",
        "cust-42",
        "chloé martin",
    ]
    for name in (
        "shopify_orders_export.csv",
        "shopify_orders_old_xlsx_roundtrip.csv",
        "unified_payments.csv",
        "woocommerce_orders.csv",
        "ga4_events_flat.csv",
    ):
        for frame in parse(fixture_path(name)).tables.values():
            text = frame.astype(str).to_string().lower()
            for value in clear:
                assert value not in text, (name, value)


def test_hash_stable_across_sources(parse, fixture_path):
    shop = parse(fixture_path("shopify_orders_export.csv")).tables["shopify_orders"]
    stripe = parse(fixture_path("unified_payments.csv")).tables["stripe_payments"]
    assert shop.loc[0, "email_sha256"] == stripe.loc[0, "customer_email_sha256"]
    assert shop.loc[0, "phone_sha256"] == stripe.loc[0, "customer_phone_sha256"]


def test_italian_numbers_keep_their_leading_zero_and_join_their_international_form():
    from social_roi.ingest.pii import normalise_phone

    got = normalise_phone(
        pd.Series(
            ["06 1234 5678", "+39 06 1234 5678", "0039 06 1234 5678", "'06-1234-5678", "333 123 4567", "12", None],
            dtype="str",
        ),
        default_country="39",
    )
    assert got.tolist()[:5] == ["+390612345678"] * 4 + ["+393331234567"]
    assert got.isna().tolist()[5:] == [True, True]


def test_uk_trunk_zero_is_dropped_and_extensions_ignored():
    from social_roi.ingest.pii import normalise_phone

    got = normalise_phone(
        pd.Series(["07911 123456", "+44 7911 123456 ext. 12", "(415) 555-0100"], dtype="str"), default_country="44"
    )
    assert got.tolist()[:2] == ["+447911123456", "+447911123456"]
    assert normalise_phone(pd.Series(["(415) 555-0100"], dtype="str"), "1").tolist() == ["+14155550100"]
