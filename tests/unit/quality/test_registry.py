"""Every suite module is registered, keeps the module contract, and builds from thresholds.yml alone."""

from __future__ import annotations

import pytest

from social_roi.quality import registry
from social_roi.quality.thresholds import load_thresholds

MODULES = sorted(p.stem for p in registry.EXPECTATIONS_DIR.glob("*.py") if not p.stem.startswith("_"))


def test_every_module_is_registered():
    reg = registry.registry()
    registered = set(reg.MART_SUITES) | set(reg.RAW_SUITES.values()) | {reg.RAW_FALLBACK}
    assert set(MODULES) == registered


@pytest.mark.parametrize("name", MODULES)
def test_module_contract(name):
    module = registry.load_suite_module(name)
    suite = module.build_suite()
    assert suite.name == name == module.NAME
    assert module.SEVERITY in ("blocking", "warning")
    assert name.startswith(("mart__", "raw__"))
    assert all(e.description for e in suite.expectations) or name.startswith("raw__")


def test_volume_and_source_arrival_are_warnings_and_the_rest_of_the_mart_gate_blocks():
    t = load_thresholds()
    severities = {n: t.severity(n, registry.load_suite_module(n).SEVERITY) for n in registry.mart_suite_names()}
    assert severities.pop("mart__volume") == "warning"
    assert severities.pop("mart__source_arrival") == "warning"  # a source that stops arriving warns
    assert set(severities.values()) == {"blocking"}


def test_thresholds_override_keeps_other_keys(tmp_path):
    override = tmp_path / "t.yml"
    override.write_text("conservation:\n  credit_sum_tolerance: 0.001\n")
    t = load_thresholds(override)
    assert t.get("conservation.credit_sum_tolerance") == 0.001
    assert t.get("conservation.total_revenue_tolerance") == 0.01
    with pytest.raises(KeyError, match="no.such"):
        t.get("no.such")
