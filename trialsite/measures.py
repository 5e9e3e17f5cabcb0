"""The one registry of result kinds (`measure:` in a trial's results): the range of their numbers and how they read.

Adding a kind of result means one `register(Measure(...))` here, and its docs and tests; the trial schema, the
range checks, the shortcodes and the wording read this table (docs/architecture.md shows one).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Measure:
    """One kind of result value."""

    name: str  # as written in `measure:`
    what: str  # how a message names one value: 'a median time'
    doc: str  # what it is, for the data-format docs and the JSON Schema
    low: Decimal | int | None  # the lowest value it can take (included), or None for no limit
    high: Decimal | int | None  # the highest, or None
    unit: str | None = None  # its fixed unit ('percent'), or None when each result gives its own `unit`
    needs_unit: bool = False  # each result must give a `unit`, such as 'months'
    out_of_100: bool = False  # it reads as 'about N out of 100' (the `per100` format)
    whole: bool = False  # only whole numbers


MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    """Add a kind of result to the registry."""
    MEASURES[measure.name] = measure
    return measure


register(Measure("median", "a median time", "a median time, such as months before the cancer grew", 0, None,
                 needs_unit=True))
register(Measure("percent", "a percent of people", "a share of people, from 0 to 100", 0, 100, unit="percent",
                 out_of_100=True))
register(Measure("mean", "a mean", "an average score or change, in the result's unit; it may be below 0", None, None,
                 needs_unit=True))
register(Measure("count", "a number of people", "a number of people, a whole number", 0, None, unit="people",
                 whole=True))


@dataclass(frozen=True)
class Effect:
    """One kind of comparison between two arms (`comparisons[].measure`)."""

    name: str  # as written in `measure:`
    doc: str  # what it is, for the docs and the JSON Schema
    ratio: bool  # a ratio lies above 0, and 1 means no difference; a difference may be below 0, and 0 means none


EFFECTS: dict[str, Effect] = {}


def register_effect(effect: Effect) -> Effect:
    """Add a kind of comparison to the registry (its reader-facing name goes in wording.EFFECT_NAMES)."""
    EFFECTS[effect.name] = effect
    return effect


register_effect(Effect("hazard-ratio", "a hazard ratio (below 1 favours the treated arm)", ratio=True))
register_effect(Effect("odds-ratio", "an odds ratio", ratio=True))
register_effect(Effect("risk-ratio", "a relative risk", ratio=True))
register_effect(Effect("risk-difference", "a difference in percentage points", ratio=False))
register_effect(Effect("mean-difference", "a difference between means, in the result's unit", ratio=False))


def out_of_range(value, measure: Measure) -> str | None:
    """Why a number cannot be a value of this measure, or None."""
    if measure.whole and value != int(value):
        return f"{measure.what} must be a whole number, not {value}"
    too_low = measure.low is not None and value < measure.low
    if too_low or (measure.high is not None and value > measure.high):
        if measure.low is not None and measure.high is not None:
            limits = f"from {measure.low} to {measure.high}"
        else:
            limits = f"{measure.low} or more" if measure.low is not None else f"{measure.high} or less"
        return f"{measure.what} must be {limits}, not {value}"
    return None
