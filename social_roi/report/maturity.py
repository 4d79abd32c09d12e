"""The measurement-maturity scorecard: where a team stands on the beginner / moderate / confirmed stages of
social-selling measurement, from four shares the marts can measure (docs/report.md explains each).

An indicator is "moderate" from its first threshold and "confirmed" from its second; the overall stage is the
lowest stage of the four (a chain is as strong as its weakest link). Thresholds are shares (0..1)."""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("beginner", "moderate", "confirmed")

# indicator -> (moderate from, confirmed from)
THRESHOLDS: dict[str, tuple[float, float]] = {
    "identity": (0.50, 0.80),  # revenue whose customer is known by a hashed email, login or CRM deal
    "utm": (0.70, 0.95),  # paid touches whose campaign is found in the ads exports
    "reps": (0.30, 0.60),  # known sales reps who posted in the period's months
    "crm": (0.30, 0.60),  # CRM-matchable customers with at least one social touch
}


@dataclass(frozen=True)
class Indicator:
    key: str
    value: float | None  # None when the marts hold nothing to measure it on
    moderate_from: float
    confirmed_from: float

    @property
    def stage(self) -> str:
        if self.value is None or self.value < self.moderate_from:
            return "beginner"
        return "confirmed" if self.value >= self.confirmed_from else "moderate"


def scorecard(values: dict[str, float | None]) -> tuple[list[Indicator], str]:
    indicators = [Indicator(key, values.get(key), *THRESHOLDS[key]) for key in THRESHOLDS]
    overall = min((i.stage for i in indicators), key=STAGES.index)
    return indicators, overall
