"""What a gate run produces: one outcome per expectation, gathered in a result (re-exported by ``gate``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ExpectationOutcome:
    suite: str
    severity: str  # "blocking" | "warning"
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_between
    column: str | None
    success: bool
    observed: str
    expected: str
    docs_page: Path | None = field(default=None, compare=False)  # this suite's Data Docs page, when built

    def line(self) -> str:
        where = f"{self.expectation}({self.column})" if self.column else self.expectation
        text = f"[{self.severity}] {self.suite} · {where}: observed {self.observed}; expected {self.expected}"
        if self.docs_page is not None:
            text += f" — docs: {self.docs_page}"
        return text


@dataclass
class GateResult:
    run_id: str
    layer: str  # "mart" | "raw"
    outcomes: list[ExpectationOutcome]
    docs_index: Path | None

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def blocking_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.failures if o.severity == "blocking"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.failures if o.severity == "warning"]

    @property
    def passed(self) -> bool:
        return not self.blocking_failures

    def summary(self) -> str:
        """One line per failed expectation (blocking first), then where the Data Docs are."""
        suites = sorted({o.suite for o in self.outcomes})
        head = (
            f"{self.layer} gate, run {self.run_id}: {'FAILED' if self.blocking_failures else 'passed'} — "
            f"{len(self.outcomes)} expectations in {len(suites)} suites, "
            f"{len(self.blocking_failures)} blocking failure(s), {len(self.warnings)} warning(s)"
        )
        lines = [head]
        lines += ["  " + o.line() for o in self.blocking_failures + self.warnings]
        lines.append(f"  Data Docs: {self.docs_index}" if self.docs_index else "  Data Docs: not built")
        return "\n".join(lines)


class GateFailed(Exception):
    """A blocking suite failed. ``result`` holds every outcome; the message is ``result.summary()``."""

    def __init__(self, result: GateResult):
        self.result = result
        super().__init__(result.summary())
