"""Generated worlds shared by the simulator tests (built once per session, in pytest's tmp dirs).

The tests read the generated files with csv / zipfile / openpyxl only — never through ``social_roi.ingest``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from social_roi.simulate.world import WorldConfig, build_world
from social_roi.simulate.writers import write_world

END = date(2026, 11, 30)


def generate(out: Path, **kw):
    config = WorldConfig(end_date=END, **kw)
    world = build_world(config)
    summary = write_world(world, out, progress=None)
    return world, summary


@pytest.fixture(scope="session")
def world_en(tmp_path_factory):
    """A world big enough for orders in all three sales systems and a few B2B deals."""
    out = tmp_path_factory.mktemp("world_en")
    world, summary = generate(out, scale=0.05, days=40, seed=11, locale="en")
    return out, world, summary


@pytest.fixture(scope="session")
def world_fr(tmp_path_factory):
    out = tmp_path_factory.mktemp("world_fr")
    world, summary = generate(out, scale=0.05, days=20, seed=5, locale="fr")
    return out, world, summary
