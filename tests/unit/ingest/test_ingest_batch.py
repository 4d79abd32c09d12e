"""Same-header files parsed as one batch give exactly what parsing each file alone gives.

Every file here is written by hand; expected values are worked out by hand from the cells. Each test also checks
that the files really went through one batch (a spy on the batch step counts its calls).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from social_roi.ingest import IngestError, batch, parse_files
from tests.unit.ingest.conftest import SALT, TODAY, _parse

META = "Reporting starts,Reporting ends,Day,Campaign name,Amount spent (USD),Impressions\n"


@pytest.fixture
def batches(monkeypatch):
    calls = []
    real = batch._parse_batch

    def spy(files, base):
        calls.append([f.path.name for f in files])
        return real(files, base)

    monkeypatch.setattr(batch, "_parse_batch", spy)
    return calls


def _both(paths):
    together = parse_files(paths, salt=SALT, today=TODAY)
    alone = []
    for p in paths:
        try:
            alone.append((_parse(p), []))
        except IngestError as exc:
            alone.append((None, exc.problems))
    for (rb, pb), (ra, pa) in zip(together, alone):
        assert (rb is None) == (ra is None)
        if rb is None:
            assert pb == pa
            continue
        assert (rb.period_start, rb.period_end) == (ra.period_start, ra.period_end)
        assert rb.problems == ra.problems
        assert set(rb.tables) == set(ra.tables)
        for name in rb.tables:
            pd.testing.assert_frame_equal(rb.tables[name], ra.tables[name])
    return together


def test_date_order_is_decided_per_file_inside_a_batch(write, batches):
    a = write("a.csv", META + "03/04/2026,03/04/2026,03/04/2026,Spring,10.00,100\n")
    b = write(
        "b.csv",
        META + "13/04/2026,13/04/2026,13/04/2026,Spring,5.00,50\n03/04/2026,03/04/2026,03/04/2026,Spring,6.00,60\n",
    )
    c = write("c.csv", META + "2026-05-01,2026-05-01,2026-05-01,Spring,7.00,70\n")
    out = _both([a, b, c])
    assert batches == [["a.csv", "b.csv", "c.csv"]]
    days = [list(r.tables["meta_ads"]["day"]) for r, _ in out]
    # a: nothing decides, English Meta reads month-first -> 4 March; b: 13/04 only reads day-first -> 3 April too
    assert days == [[date(2026, 3, 4)], [date(2026, 4, 13), date(2026, 4, 3)], [date(2026, 5, 1)]]
    assert [(r.period_start, r.period_end) for r, _ in out] == [
        (date(2026, 3, 4), date(2026, 3, 4)),
        (date(2026, 4, 3), date(2026, 4, 13)),
        (date(2026, 5, 1), date(2026, 5, 1)),
    ]


def test_decimal_separator_is_decided_per_file_inside_a_batch(write, batches):
    a = write("a.csv", META + '2026-05-01,2026-05-01,2026-05-01,Spring,"1,234",100\n')
    b = write("b.csv", META + '2026-05-01,2026-05-01,2026-05-01,Spring,"1,5",100\n')
    out = _both([a, b])
    assert batches == [["a.csv", "b.csv"]]
    # a: "1,234" is a thousands group in a comma-delimited file -> 1234; b: "1,5" can only be a decimal comma
    assert [r.tables["meta_ads"]["amount_spent"].tolist() for r, _ in out] == [[1234.0], [1.5]]


def test_row_problems_name_their_own_file_and_line(write, batches):
    a = write("a.csv", META + "2026-05-01,2026-05-01,2026-05-01,Spring,1.00,10\n")
    b = write(
        "b.csv",
        META + "2026-05-01,2026-05-01,2026-05-01,Spring,2.00,20\n"
        "2026-05-02,2026-05-02,2026-05-02,Spring,-3.00,30\n"
        "2026-05-03,2026-05-03,2026-05-03,Spring,4.00,40\n",
    )
    out = _both([a, b])
    assert batches == [["a.csv", "b.csv"]]
    assert out[0][0].problems == []
    [problem] = out[1][0].problems
    assert (problem.file, problem.row, problem.column, problem.value, problem.code) == (
        "b.csv",
        3,
        "Amount spent (USD)",
        "-9.99",
        "negative_value",
    )  # the value is kept masked: its shape
    assert out[1][0].tables["meta_ads"]["source_row"].tolist() == [2, 4]
    assert out[1][0].tables["meta_ads"]["amount_spent"].tolist() == [2.0, 4.0]


def test_a_file_with_both_date_orders_is_rejected_alone(write, batches):
    a = write("a.csv", META + "2026-05-01,2026-05-01,2026-05-01,Spring,1.00,10\n")
    bad = write(
        "bad.csv",
        META + "13/04/2026,13/04/2026,13/04/2026,Spring,1.00,10\n04/13/2026,04/13/2026,04/13/2026,Spring,1.00,10\n",
    )
    c = write("c.csv", META + "2026-05-03,2026-05-03,2026-05-03,Spring,3.00,30\n")
    out = _both([a, bad, c])
    assert batches == [["a.csv", "bad.csv", "c.csv"]]  # the batch failed, so each file was parsed alone
    assert out[1][0] is None and [p.code for p in out[1][1]] == ["mixed_date_order"]
    assert [len(out[i][0].tables["meta_ads"]) for i in (0, 2)] == [1, 1]


SHOPIFY = (
    "Name,Email,Financial Status,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price\n"
)


def test_line_numbers_restart_in_every_file(write, batches):
    row = "#1001,a@example.com,paid,USD,10.00,10.00,2026-05-01 10:00:00 +0000,1,{item},5.00\n"
    a = write("a.csv", SHOPIFY + row.format(item="Shirt") + row.format(item="Hat"))
    b = write("b.csv", SHOPIFY + row.format(item="Shirt") + row.format(item="Hat") + row.format(item="Scarf"))
    out = _both([a, b])
    assert batches == [["a.csv", "b.csv"]]
    assert [r.tables["shopify_orders"]["line_number"].tolist() for r, _ in out] == [[1, 2], [1, 2, 3]]


SALESFORCE = '"Opportunity Owner","Account Name","Opportunity Name","Stage","Amount","Close Date"\n'


def test_report_footers_are_cut_per_file(write, batches):
    a = write(
        "a.csv",
        SALESFORCE + '"Dana Rep","Globex","G1","Closed Won","$100","9/15/2026"\n'
        '"Grand Totals (1 records)","","","","$100",""\n',
    )
    b = write(
        "b.csv",
        SALESFORCE + '"Sam Seller","Initech","I1","Closed Won","$200","9/16/2026"\n'
        '"Sam Seller","Initech","I2","Closed Won","$300","9/17/2026"\n',
    )
    out = _both([a, b])
    assert batches == [["a.csv", "b.csv"]]
    tables = [r.tables["salesforce_opportunities"] for r, _ in out]
    assert [t["opportunity_name"].tolist() for t in tables] == [["G1"], ["I1", "I2"]]
    assert [t["amount"].tolist() for t in tables] == [[100.0], [200.0, 300.0]]


def test_different_headers_are_different_batches(write, batches):
    a = write("a.csv", META + "2026-05-01,2026-05-01,2026-05-01,Spring,1.00,10\n")
    b = write("b.csv", META + "2026-05-02,2026-05-02,2026-05-02,Spring,2.00,20\n")
    other = write(
        "c.csv",
        META.replace("Impressions", "Impressions,Reach") + "2026-05-03,2026-05-03,2026-05-03,Spring,3.00,30,25\n",
    )
    out = _both([a, other, b])
    assert batches == [["a.csv", "b.csv"]]  # c.csv, alone with its header, is parsed on its own
    assert out[1][0].tables["meta_ads"]["reach"].tolist() == [25]
