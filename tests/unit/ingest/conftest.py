"""Helpers for the ingestion tests: fixtures are hand-written files or literal strings written to tmp_path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from social_roi.ingest import parse_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"
TODAY = date(2026, 12, 1)
SALT = "test-salt"


@pytest.fixture
def fixture_path():
    return lambda name: FIXTURES / name


@pytest.fixture
def write(tmp_path):
    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


def _parse(path: Path, **kw):
    kw.setdefault("salt", SALT)
    kw.setdefault("today", TODAY)
    return parse_file(path, **kw)


@pytest.fixture
def parse():
    return _parse
