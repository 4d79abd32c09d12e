"""``load_many`` loads a batch of parsed files in one transaction with exactly the outcome of ``load_parsed`` on
each in turn: the same manifest, raw tables (types and columns included), rejected rows and outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import pytest

import social_roi.ingest.load as load_mod
from social_roi.ingest.base import ParseResult, Problem
from social_roi.ingest.load import SNAPSHOT_FORMATS, Seen, ensure_manifest, load_many, load_parsed

D1, D2, D3, D4 = date(2025, 12, 1), date(2025, 12, 2), date(2025, 12, 3), date(2025, 12, 4)
TIMESTAMPS = {"_loaded_at", "loaded_at", "recorded_at"}


def _ads(day: date, n: int, *, spend: float = 1.5, extra: dict | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": pd.Series([day] * n, dtype="date32[pyarrow]"),
            "campaign_id": pd.Series([f"c{i}" for i in range(n)], dtype="str"),
            "spend": pd.Series([spend + i for i in range(n)], dtype="float64"),
            "clicks": pd.Series([i if i % 2 else None for i in range(n)], dtype="Int64"),
            "source_row": pd.Series(range(2, n + 2), dtype="int64"),
        }
    )
    for column, values in (extra or {}).items():
        frame[column] = values
    return frame


def _posts(n: int, *, extra: dict | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "post_id": pd.Series([f"p{i}" for i in range(n)], dtype="str"),
            "published_at": pd.Series(
                [datetime(2025, 11, 20, 9, i, tzinfo=UTC) for i in range(n)], dtype="datetime64[us, UTC]"
            ),
            "likes": pd.Series([10 * i for i in range(n)], dtype="Int64"),
            "is_video": pd.Series([bool(i % 2) for i in range(n)], dtype="bool"),
            "source_row": pd.Series(range(2, n + 2), dtype="int64"),
        }
    )
    for column, values in (extra or {}).items():
        frame[column] = values
    return frame


def _deals(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": pd.Series([f"d{i}" for i in range(n)], dtype="str"),
            "amount": pd.Series([100.0 * i for i in range(n)], dtype="float64"),
            "closed": pd.Series([True] * n, dtype="boolean"),
            "close_date": pd.Series([D1] * n, dtype="date32[pyarrow]"),
            "source_row": pd.Series(range(2, n + 2), dtype="int64"),
        }
    )


def _page(n: int) -> dict[str, pd.DataFrame]:
    metrics = pd.DataFrame(
        {
            "date": pd.Series([D1], dtype="date32[pyarrow]"),
            "followers": pd.Series([1200], dtype="Int64"),
            "source_row": pd.Series([2], dtype="int64"),
        }
    )
    return {"linkedin_page_metrics": metrics, "linkedin_page_posts": _posts(n)}


def _item(
    rel: str,
    export_date: date,
    fmt: str,
    tables: dict[str, pd.DataFrame],
    *,
    period=None,
    problems: list[Problem] | None = None,
):
    start, end = period if period else (None, None)
    result = ParseResult(fmt, tables, list(problems or []), start, end)
    return rel, f"sha-{rel}", export_date, result


def _rejects(rel: str) -> list[Problem]:
    return [
        Problem(rel, 5, "Amount spent", "12,3,4", "a number", "bad_number"),
        Problem(rel, 5, "Day", "31/02/2025", "a date", "bad_date"),
        Problem(rel, 7, None, None, "a complete row", "short_row"),
        Problem(rel, None, "Reach", "x" * 700, "a count", "bad_count"),
    ]


def earlier_run():
    """Files an earlier ingest loaded."""
    return [
        _item("2025-12-01/ads.csv", D1, "meta_ads", {"meta_ads": _ads(D1, 3)}, period=(D1, D1)),
        _item(
            "2025-12-01/ig.csv", D1, "instagram_posts", {"instagram_posts": _posts(2)}, period=(date(2025, 11, 1), D1)
        ),
        _item("2025-12-01/page.xlsx", D1, "linkedin_page", _page(2), period=(D1, D1)),
        _item(
            "2025-12-02/ads.csv",
            D2,
            "meta_ads",
            {"meta_ads": _ads(D2, 4)},
            period=(D2, D2),
            problems=_rejects("2025-12-02/ads.csv"),
        ),
    ]


def this_run():
    """Files of one ingest: replacements of earlier files and of files of the same batch, rejects, empty files,
    new columns (typed, object, and from an empty file), a file without a period."""
    return [
        # replaces 2025-12-01/ads.csv of the earlier run ...
        _item("2025-12-02/ads-fix.csv", D2, "meta_ads", {"meta_ads": _ads(D1, 4, spend=9.0)}, period=(D1, D1)),
        # ... and is replaced in turn by this one
        _item("2025-12-03/ads-fix2.csv", D3, "meta_ads", {"meta_ads": _ads(D1, 2, spend=7.0)}, period=(D1, D1)),
        # replaces the earlier run's file with rejects, with rejects of its own
        _item(
            "2025-12-03/ads.csv",
            D3,
            "meta_ads",
            {"meta_ads": _ads(D2, 5)},
            period=(D2, D2),
            problems=_rejects("2025-12-03/ads.csv")[:2],
        ),
        # a dated format's period read from the file; the next file (same period) replaces it within the batch,
        # bringing a new typed column
        _item("2025-12-04/ads-a.csv", D4, "meta_ads", {"meta_ads": _ads(D3, 3)}, period=(D3, D3)),
        _item(
            "2025-12-04/ads-b.csv",
            D4,
            "meta_ads",
            {"meta_ads": _ads(D3, 3, extra={"reach": pd.Series([100, None, 300], dtype="Int64")})},
            period=(D3, D3),
        ),
        # no period in the file: the export date is the period
        _item("2025-12-04/ads-noperiod.csv", D4, "meta_ads", {"meta_ads": _ads(D4, 2)}),
        # an empty export creating its table: real types
        _item("2025-12-02/deals.csv", D2, "hubspot_deals", {"hubspot_deals": _deals(0)}),
        _item("2025-12-03/deals.csv", D3, "hubspot_deals", {"hubspot_deals": _deals(3)}),
        # snapshots: each export day its own period, same-day re-export replaces
        _item(
            "2025-12-02/ig.csv",
            D2,
            "instagram_posts",
            {"instagram_posts": _posts(3, extra={"caption": pd.Series(["a", None, "c"], dtype=object)})},
            period=(date(2025, 11, 2), D2),
        ),
        _item(
            "2025-12-02/ig-again.csv",
            D2,
            "instagram_posts",
            {"instagram_posts": _posts(2)},
            period=(date(2025, 11, 2), D2),
        ),
        # an empty file bringing a new column, and a file with an empty and a full table
        _item(
            "2025-12-03/ig.csv",
            D3,
            "instagram_posts",
            {"instagram_posts": _posts(0, extra={"saves": pd.Series([], dtype="Int64")})},
        ),
        _item(
            "2025-12-03/page.xlsx",
            D3,
            "linkedin_page",
            {"linkedin_page_metrics": _page(0)["linkedin_page_metrics"].iloc[:0], "linkedin_page_posts": _posts(4)},
        ),
        _item(
            "2025-12-04/ig.csv",
            D4,
            "instagram_posts",
            {"instagram_posts": _posts(2, extra={"saves": pd.Series([5, 6], dtype="Int64")})},
        ),
        # a file with no table at all
        _item("2025-12-04/nothing.csv", D4, "tiktok_ads", {}, period=(D4, D4)),
    ]


def _connect(path):
    con = duckdb.connect(str(path))
    ensure_manifest(con)
    return con


def _per_file(con, items, run_id, seen):
    return [
        load_parsed(con, rel, digest, export_date, result, run_id, seen) for rel, digest, export_date, result in items
    ]


def _state(con, *, by_path: bool = False) -> dict:
    """Everything the loads wrote but the load timestamps; ``by_path`` names files by path instead of file id
    (for comparisons across databases whose id sequences advanced differently)."""
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
        ).fetchall()
    ]
    state = {}
    ids = dict(con.execute("select file_id, file_path from raw._files").fetchall())
    for table in tables:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = 'raw' "
            "and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        keep = [c for c, _ in columns if c not in TIMESTAMPS]
        rows = con.execute(f'select {", ".join(chr(34) + c + chr(34) for c in keep)} from raw."{table}"').fetchall()
        if by_path:
            id_columns = [i for i, c in enumerate(keep) if c in ("file_id", "_file_id", "replaced_by")]
            rows = [tuple(ids.get(v, v) if i in id_columns else v for i, v in enumerate(row)) for row in rows]
        ordered = rows if table in ("_files", "_quarantine") else sorted(rows, key=repr)
        state[table] = (columns, ordered)
    return state


def _assert_same_state(a, b):
    assert a.keys() == b.keys()
    for table in a:
        assert a[table][0] == b[table][0], f"columns of raw.{table} differ"
        assert a[table][1] == b[table][1], f"rows of raw.{table} differ"


@pytest.fixture
def twin(tmp_path):
    """Two databases that saw the same earlier run (loaded file by file)."""
    ref, new = _connect(tmp_path / "ref.duckdb"), _connect(tmp_path / "new.duckdb")
    ref_seen, new_seen = Seen(), Seen()
    assert _per_file(ref, earlier_run(), "r1", ref_seen) == _per_file(new, earlier_run(), "r1", new_seen)
    yield ref, ref_seen, new, new_seen
    ref.close()
    new.close()


def test_inputs_cover_both_kinds_of_format():
    formats = {result.format for *_, result in this_run()}
    assert formats & SNAPSHOT_FORMATS and formats - SNAPSHOT_FORMATS


def test_batch_equals_file_by_file(twin):
    ref, ref_seen, new, new_seen = twin
    expected = _per_file(ref, this_run(), "r2", ref_seen)
    got = load_many(new, this_run(), "r2", new_seen)
    assert got == expected
    _assert_same_state(_state(new), _state(ref))
    assert new_seen.paths == ref_seen.paths and new_seen.first_path == ref_seen.first_path
    assert new_seen.columns == ref_seen.columns
    # a later batch still sees what this one loaded (the columns cache, the active files)
    later = [
        _item("2025-12-05/ads.csv", D4, "meta_ads", {"meta_ads": _ads(D3, 1, extra={"note": "x"})}, period=(D3, D3))
    ]
    assert load_many(new, later, "r3", new_seen) == _per_file(ref, later, "r3", ref_seen)
    _assert_same_state(_state(new), _state(ref))


def test_batch_outcomes_and_manifest(twin):
    _, _, con, seen = twin
    outcomes = {o.path: o for o in load_many(con, this_run(), "r2", seen)}
    assert outcomes["2025-12-02/ads-fix.csv"].reason == "replaced 2025-12-01/ads.csv (same format and period)"
    assert outcomes["2025-12-03/ads-fix2.csv"].reason == "replaced 2025-12-02/ads-fix.csv (same format and period)"
    with_rejects = outcomes["2025-12-03/ads.csv"]
    assert (with_rejects.status, with_rejects.rejected) == ("loaded_with_rejects", 1)
    manifest = {
        r[0]: r[1:]
        for r in con.execute(
            "select f.file_path, f.status, b.file_path, f.rows_loaded from raw._files f "
            "left join raw._files b on b.file_id = f.replaced_by"
        ).fetchall()
    }
    assert manifest["2025-12-01/ads.csv"][:2] == ("replaced", "2025-12-02/ads-fix.csv")
    assert manifest["2025-12-02/ads-fix.csv"][:2] == ("replaced", "2025-12-03/ads-fix2.csv")
    assert manifest["2025-12-04/ads-a.csv"] == ("replaced", "2025-12-04/ads-b.csv", 3)
    assert manifest["2025-12-02/ig.csv"][:2] == ("replaced", "2025-12-02/ig-again.csv")
    assert manifest["2025-12-01/ig.csv"][:2] == ("loaded", None)
    live = dict(
        con.execute(
            "select f.file_path, count(*) from raw.meta_ads m join raw._files f on f.file_id = m._file_id group by 1"
        ).fetchall()
    )
    assert live == {
        "2025-12-03/ads-fix2.csv": 2,
        "2025-12-03/ads.csv": 5,
        "2025-12-04/ads-b.csv": 3,
        "2025-12-04/ads-noperiod.csv": 2,
    }
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'hubspot_deals'"
        ).fetchall()
    )
    assert types["amount"] == "DOUBLE" and types["close_date"] == "DATE" and types["_file_id"] == "BIGINT"
    assert types["_loaded_at"] == "TIMESTAMP WITH TIME ZONE"
    assert con.execute("select count(*) from raw._quarantine where file_path = '2025-12-03/ads.csv'").fetchone() == (2,)


def test_batch_in_a_fresh_database_equals_file_by_file(tmp_path):
    ref, new = _connect(tmp_path / "ref.duckdb"), _connect(tmp_path / "new.duckdb")
    items = earlier_run() + this_run()
    assert load_many(new, items, "r", Seen()) == _per_file(ref, items, "r", Seen())
    _assert_same_state(_state(new), _state(ref))
    assert load_many(new, [], "r", Seen()) == []


def test_failing_batch_falls_back_to_file_by_file(twin, monkeypatch):
    ref, ref_seen, new, new_seen = twin
    expected = _per_file(ref, this_run(), "r2", ref_seen)
    real = load_mod._with_file_columns
    calls = []

    def fail_once_written(frame, *args):
        calls.append(1)
        if len(calls) == 6:  # tables created and rows deleted and inserted by then: all must be rolled back
            raise RuntimeError("boom")
        return real(frame, *args)

    batches = []
    real_load_batch = load_mod._load_batch

    def recording_load_batch(con, items, *args):
        batches.append([rel for rel, *_ in items])
        return real_load_batch(con, items, *args)

    monkeypatch.setattr(load_mod, "_with_file_columns", fail_once_written)
    monkeypatch.setattr(load_mod, "_load_batch", recording_load_batch)
    got = load_many(new, this_run(), "r2", new_seen)
    assert len(calls) > 6  # the batch failed at its 6th write, the files were then written one by one
    # one loader: the fallback is the batch path with one file at a time
    assert batches == [[rel for rel, *_ in this_run()]] + [[rel] for rel, *_ in this_run()]
    assert got == expected
    # the batch drew file ids before failing (sequences are not transactional): compare by file path
    _assert_same_state(_state(new, by_path=True), _state(ref, by_path=True))
    assert new_seen.paths == ref_seen.paths


def test_broken_file_stops_where_the_per_file_loop_stops(twin):
    ref, ref_seen, new, new_seen = twin
    broken = _item(
        "2025-12-03/broken.csv",
        D3,
        "meta_ads",
        {"meta_ads": _ads(D3, 2, extra={"clicks": pd.Series(["many", "few"], dtype="str")})},
        period=(D3, D3),
    )
    # the broken file is replaced within the batch by the next one: its rows are inserted all the same, and fail
    items = this_run()[:3] + [broken] + this_run()[3:]
    with pytest.raises(duckdb.Error) as per_file_error:
        _per_file(ref, items, "r2", ref_seen)
    with pytest.raises(duckdb.Error) as batch_error:
        load_many(new, items, "r2", new_seen)
    assert type(batch_error.value) is type(per_file_error.value)
    _assert_same_state(_state(new, by_path=True), _state(ref, by_path=True))
    loaded = {r[0] for r in new.execute("select file_path from raw._files where run_id = 'r2'").fetchall()}
    assert loaded == {rel for rel, *_ in this_run()[:3]}
