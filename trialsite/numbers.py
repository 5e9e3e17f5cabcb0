"""How numbers, intervals, dates and analyses are written for readers: one rule each."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .model import NOT_STATED, by_id

if TYPE_CHECKING:
    from .schema import Analysis, Result

ASSESSMENT_PHRASES = {
    "local": "as judged by the trial doctors at each hospital",
    "central": "as judged by independent experts who reviewed the scans",
    "not-stated": "the source does not say who judged it",
    "not-applicable": "",
}
ASSESSMENT_LABELS = {
    "local": "Trial doctors at each hospital",
    "central": "Independent experts",
    "not-stated": "Not stated by the source",
    "not-applicable": "Not needed",
}


def per100(percent) -> int:
    """Round a percentage to a whole number out of 100, halves up: 50.5 -> 51, 25.5 -> 26."""
    return int(Decimal(str(percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def per100_text(percent) -> str:
    """'about 51 out of 100' (or 'fewer than 1 out of 100' for '<1')."""
    if isinstance(percent, str):
        return f"fewer than {percent.lstrip('<')} out of 100"
    whole = per100(percent)
    exact = Decimal(str(percent)) == whole
    return f"{'' if exact else 'about '}{whole} out of 100"


def number(value) -> str:
    """A number exactly as published (0.80 stays 0.80)."""
    return str(value)


def with_unit(value, unit: str | None) -> str:
    """'7.8 months', '50.5%', '62 years'."""
    if unit in (None, ""):
        return number(value)
    if unit == "percent":
        return f"{number(value)}%"
    return f"{number(value)} {unit}"


def interval(ci, unit: str | None = None) -> str:
    """'6.9 to 8.5 months'."""
    low, high = ci
    return with_unit(f"{number(low)} to {number(high)}", None if unit == "percent" else unit) + ("%" if unit == "percent" else "")


def long_date(day: dt.date) -> str:
    """'3 October 2013'."""
    return f"{day.day} {day:%B %Y}"


def result_unit(result: Result) -> str:
    """The unit of a result's values."""
    return "percent" if result.measure == "percent" else (result.unit or "")


def follow_up(analysis: Analysis) -> str:
    """'18 months' or 'not stated by the source'."""
    if analysis.follow_up_months == NOT_STATED:
        return NOT_STATED
    return with_unit(analysis.follow_up_months.value, "months")


def data_cutoff(analysis: Analysis) -> str:
    """'3 October 2013' or 'not stated by the source'."""
    if analysis.data_cutoff == NOT_STATED:
        return NOT_STATED
    return long_date(analysis.data_cutoff.value)


def analysis_label(analysis: Analysis) -> str:
    """'Final analysis of progression-free survival (18 months of follow-up)'."""
    if analysis.follow_up_months == NOT_STATED:
        return f"{analysis.name} (follow-up not stated by the source)"
    return f"{analysis.name} ({follow_up(analysis)} of follow-up)"


def lower_first(text: str) -> str:
    """Lower-case the first letter, for use inside a sentence."""
    return text[:1].lower() + text[1:]


def p_text(p: str | None) -> str:
    """'less than 0.0001' or '0.14'; 'not published' when missing."""
    if not p:
        return "not published"
    p = p.strip()
    return f"less than {p[1:].strip()}" if p.startswith("<") else p


def population_text(trial, result: Result) -> str:
    """Who was counted in a result, in words, with the numbers of people per arm."""
    if result.population == "not-stated":
        return "the source does not say who was counted"
    if result.population == "randomised":
        sizes = ", ".join(f"{a.randomised.value} in the {lower_first(a.label)} group" for a in trial.arms)
        return f"everyone randomly assigned to a group ({sizes})"
    population = by_id(trial.populations, result.population)
    sizes = ", ".join(f"{population.sizes[a.id].value} in the {lower_first(a.label)} group" for a in trial.arms)
    return f"{lower_first(population.label)} ({sizes})"
