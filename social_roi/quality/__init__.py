"""Quality gates (Great Expectations): ``run_raw_gate`` per incoming file, ``run_mart_gate`` after dbt.

Suites live in ``expectations/`` (one module each, listed in ``expectations/_registry.py``); every threshold is in
``expectations/thresholds.yml``. Importing this package is cheap: GX is imported on first validation.
"""

from social_roi.quality.outcomes import ExpectationOutcome, GateFailed, GateResult

__all__ = ["ExpectationOutcome", "GateFailed", "GateResult", "run_mart_gate", "run_raw_gate"]


def __getattr__(name: str):
    if name in ("run_mart_gate", "run_raw_gate"):
        from social_roi.quality import gate

        return getattr(gate, name)
    raise AttributeError(name)
