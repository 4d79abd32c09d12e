from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
from published_world import published_world  # noqa: E402


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    return published_world(tmp_path_factory)
