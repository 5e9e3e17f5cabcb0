"""Checks across fields and files that a per-field schema cannot express.

A new check of trial data is a function decorated with `@trial_check` (docs/architecture.md shows one).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from .chart_kinds import KINDS
from .errors import SourceError, unknown
from .measures import EFFECTS, MEASURES, Measure, out_of_range
from .read import LineIndex
from .schema import Trial, source_keys
from .shortcodes import RESERVED_IDS

Err = Callable[..., None]  # err(location, message, ref=None): report one problem at a place in the trial file
TRIAL_CHECKS: list[Callable[[Trial, Err], None]] = []


def trial_check(check: Callable[[Trial, Err], None]) -> Callable[[Trial, Err], None]:
    """Decorator: run `check(trial, err)` on every trial whose references the built-in checks found sound."""
    TRIAL_CHECKS.append(check)
    return check


def check_trial(trial: Trial, index: LineIndex, source_keys: set[str] | None,
                glossary: set[str] | None) -> list[SourceError]:
    """Every reference in a trial points at something that exists, and values hang together.

    `source_keys` or `glossary` is None when its own file is broken: references to it are then not checked.
    """
    errors: list[SourceError] = []
    err = lambda loc, msg, ref=None: errors.append(index.error(loc, msg, ref))  # noqa: E731
    arm_ids = [a.id for a in trial.arms]
    analyses = {a.id for a in trial.analyses}
    endpoints = {e.id for e in trial.endpoints}
    results = {r.id: r for r in trial.results}
    tables = {t.id: t for t in trial.side_effects}

    for name in ("arms", "populations", "baseline", "analyses", "endpoints", "results", "side_effects", "approvals",
                 "findings", "charts"):
        _check_unique(getattr(trial, name), name, err)
    for i, arm in enumerate(trial.arms):  # charts and tables tell the arms apart by these names
        for name in ("label", "short_label"):
            if getattr(arm, name) in [getattr(a, name) for a in trial.arms[:i]]:
                err(("arms", i, name), f"another arm already has the {name.replace('_', ' ')} '{getattr(arm, name)}'")
    for loc, keys in source_refs(trial):
        for key in keys:
            if source_keys is not None and key not in source_keys:
                err(loc, f"unknown source '{key}' (not in data/sources.yaml)", f"source:{key}")

    if trial.primary_endpoint not in endpoints:
        err(("primary_endpoint",), unknown("endpoint", trial.primary_endpoint, endpoints),
            f"endpoint:{trial.primary_endpoint}")
    if trial.enrolled.value < 1:
        err(("enrolled", "value"), f"a trial enrols at least 1 person, not {trial.enrolled.value}")
    for i, endpoint in enumerate(trial.endpoints):
        if endpoint.term and glossary is not None and endpoint.term.lower() not in glossary:
            err(("endpoints", i, "term"), f"'{endpoint.term}' is not in the glossary", f"term:{endpoint.term.lower()}")
    randomised = {a.id: a.randomised.value for a in trial.arms}
    for i, pop in enumerate(trial.populations):
        _check_arm_keys(pop.sizes, arm_ids, ("populations", i, "sizes"), err)
        for arm_id, size in ((a, s) for a, s in pop.sizes.items() if not isinstance(s, str)):
            if arm_id in randomised and size.value > randomised[arm_id]:
                err(("populations", i, "sizes", arm_id, "value"),
                    f"{size.value} people is more than the {randomised[arm_id]} randomised to this arm")
    for i, fact in enumerate(trial.baseline):
        if fact.analysis is not None and fact.analysis not in analyses:
            err(("baseline", i, "analysis"), unknown("analysis", fact.analysis, analyses), f"analysis:{fact.analysis}")
        _check_baseline_value(fact, ("baseline", i, "value"), err)
    populations = {"randomised", "not-stated"} | {p.id for p in trial.populations}
    for i, result in enumerate(trial.results):
        _check_result(result, ("results", i), arm_ids, analyses, endpoints, err)
        if result.population not in populations:
            err(("results", i, "population"), unknown("population", result.population, populations),
                f"population:{result.population}")
    for i, finding in enumerate(trial.findings):
        if finding.analysis is not None and finding.analysis not in analyses:
            err(("findings", i, "analysis"), unknown("analysis", finding.analysis, analyses),
                f"analysis:{finding.analysis}")
    for i, table in enumerate(trial.side_effects):
        if table.population not in populations:
            err(("side_effects", i, "population"), unknown("population", table.population, populations),
                f"population:{table.population}")
        if table.analysis not in analyses:
            err(("side_effects", i, "analysis"), unknown("analysis", table.analysis, analyses),
                f"analysis:{table.analysis}")
        _check_unique(table.events, f"side_effects[{i}].events", err, loc=("side_effects", i, "events"))
        for j, event in enumerate(table.events):
            _check_arm_keys(event.values, arm_ids, ("side_effects", i, "events", j, "values"), err)
    for i, chart in enumerate(trial.charts):
        _check_chart(chart, ("charts", i), results, tables, err)
    charts = {c.id for c in trial.charts}
    if trial.card_chart is not None and trial.card_chart not in charts:
        err(("card_chart",), unknown("chart", trial.card_chart, charts), f"chart:{trial.card_chart}")
    for i, chart_id in enumerate(trial.printout.tables if trial.printout else []):
        if chart_id not in charts:
            err(("printout", "tables", i), unknown("chart", chart_id, charts), f"chart:{chart_id}")
    for check in TRIAL_CHECKS if not errors else ():  # they may look items up by id: only once every id is sound
        check(trial, err)
    return errors


def _check_result(result, loc, arm_ids, analyses, endpoints, err) -> None:
    """A result points at a known analysis and endpoint and gives one sane value per arm."""
    if result.id in RESERVED_IDS:
        err(loc + ("id",), f"'{result.id}' is reserved for shortcodes; choose another id")
    if result.analysis not in analyses:
        err(loc + ("analysis",), unknown("analysis", result.analysis, analyses), f"analysis:{result.analysis}")
    if result.endpoint not in endpoints:
        err(loc + ("endpoint",), unknown("endpoint", result.endpoint, endpoints), f"endpoint:{result.endpoint}")
    if MEASURES[result.measure].needs_unit and not result.unit:
        err(loc + ("unit",), f"{'an' if result.measure[0] in 'aeiou' else 'a'} {result.measure} needs a unit, "
                             "such as 'months'")
    _check_arm_keys(result.values, arm_ids, loc + ("values",), err)
    for arm, value in result.values.items():
        if not isinstance(value, str):  # 'not reported' has nothing to check
            _check_arm_value(result.measure, value, loc + ("values", arm), err)
    for j, comparison in enumerate(result.comparisons):
        _check_comparison(comparison, loc + ("comparisons", j), arm_ids, err)
    unnamed = [j for j, c in enumerate(result.comparisons) if c.id is None]
    if len(result.comparisons) > 1 and unnamed:  # one message for the result, however many lack an id
        err(loc + ("comparisons", unnamed[0]), "a result with more than one comparison gives each an `id`, "
                                               "such as 'a-vs-c', so that shortcodes can name it")
    if len(result.comparisons) > 1:
        for j, comparison in enumerate(result.comparisons):
            if comparison.id is not None and comparison.id in [c.id for c in result.comparisons[:j]]:
                err(loc + ("comparisons", j, "id"), f"duplicate id '{comparison.id}' in this result's comparisons")
    for j, comparison in enumerate(result.comparisons):
        if comparison.id in arm_ids:
            err(loc + ("comparisons", j, "id"), f"'{comparison.id}' is an arm id; give the comparison another id")


def _check_comparison(comparison, loc, arm_ids, err) -> None:
    """A comparison names two known, different arms, and its value and interval fit what it measures."""
    for j, arm in enumerate(comparison.arms or ()):
        if arm not in arm_ids:
            err(loc + ("arms", j), unknown("arm", arm, arm_ids), f"arm:{arm}")
    if comparison.arms and comparison.arms[0] == comparison.arms[1]:
        err(loc + ("arms",), f"compares the arm '{comparison.arms[0]}' with itself; name two different arms")
    effect = EFFECTS[comparison.measure]
    name = effect.name.replace("-", " ")
    if effect.ratio and comparison.value <= 0:
        err(loc + ("value",), f"{'an' if name[0] in 'aeiou' else 'a'} {name} must be greater than 0, "
                              f"not {comparison.value}")
        return  # whether it lies inside its interval says nothing more
    if not comparison.ci95 or not _numbers(comparison.ci95):  # an open end ('not reached') has nothing to compare
        return
    if effect.ratio and min(comparison.ci95) <= 0:
        err(loc + ("ci95",), f"a {name}'s interval must lie above 0, not {_pair(comparison.ci95)}")
    elif _interval_problem(comparison.ci95, loc + ("ci95",), err):
        pass
    elif not comparison.ci95[0] <= comparison.value <= comparison.ci95[1]:
        err(loc + ("ci95",), f"the {name} {comparison.value} lies outside its interval {_pair(comparison.ci95)}")


# What each kind of number may be: the kinds of result (measures.py), and the units of baseline facts.
RANGES = MEASURES | {"years": Measure("years", "an age in years", "", 0, 200),
                     "people": Measure("people", "a number of people", "", 0, None)}


def _out_of_range(value, kind: str) -> str | None:
    """Why a number cannot be right for what it measures, or None."""
    return out_of_range(value, RANGES[kind])


def _check_arm_value(measure: str, value, loc, err) -> None:
    """A per-arm value and its interval fit what they measure, and the value lies inside the interval.

    'not reached' and 'not estimable' are checked only for where they may stand: a median, and an interval's end.
    """
    if isinstance(value.value, str) and measure != "median":
        err(loc + ("value",), f"'{value.value}' is only for a median the group did not reach; "
                              f"this result is a {measure}")
        return
    problem = _out_of_range(value.value, measure) if not isinstance(value.value, str) else None
    if problem:
        err(loc + ("value",), problem)
    if not value.ci95:
        return
    bad = [b for b in value.ci95 if not isinstance(b, str) and _out_of_range(b, measure)]
    if bad:
        err(loc + ("ci95",), f"the interval {_pair(value.ci95)} does not fit: {_out_of_range(bad[0], measure)}")
    elif not _numbers([*value.ci95, value.value]):
        return
    elif not _interval_problem(value.ci95, loc + ("ci95",), err) and not problem \
            and not value.ci95[0] <= value.value <= value.ci95[1]:
        err(loc + ("ci95",), f"the value {value.value} lies outside its interval {_pair(value.ci95)}")


def _numbers(values) -> bool:
    """Whether every value is a number, not 'not reached' or 'not estimable'."""
    return not any(isinstance(v, str) for v in values)


def _interval_problem(ci, loc, err) -> bool:
    """An interval is written low first; say so when it is not."""
    if ci[0] > ci[1]:
        err(loc, f"an interval is written [low, high], but {ci[0]} is above {ci[1]}")
        return True
    return False


def _check_baseline_value(fact, loc, err) -> None:
    """A baseline figure fits its unit: a whole number of people, a percent, an age."""
    if fact.unit == "people" and fact.value != int(fact.value):
        err(loc, f"a number of people must be a whole number, not {fact.value}")
        return
    problem = _out_of_range(fact.value, fact.unit)
    if problem:
        err(loc, problem)


def _check_chart(chart, loc, results, tables, err) -> None:
    """A chart names data of the kind it draws (its kind's own fields are checked by the schema)."""
    KINDS[chart.kind].check(chart, loc, results, tables, err)


def _check_unique(items, name, err, loc=None) -> None:
    """Ids within one list are unique."""
    counts = Counter(item.id for item in items)
    for i, item in enumerate(items):
        if counts[item.id] > 1:
            err((loc or (name,)) + (i, "id"), f"duplicate id '{item.id}' in {name}")


def _check_arm_keys(values: dict, arm_ids: list[str], loc, err) -> None:
    """A per-arm mapping has exactly one entry for every arm."""
    strays = [key for key in values if key not in arm_ids]
    missing = [a for a in arm_ids if a not in values]
    for key in strays:
        err(loc + (key,), unknown("arm", key, arm_ids), f"arm:{key}")
    if missing and not (len(strays) == 1 and len(missing) == 1):  # one unknown for one missing: a renamed arm
        err(loc, f"missing a value for arm(s): {', '.join(missing)}")


def trial_source_keys(trial: Trial) -> list[str]:
    """Every source key a trial's data cites, in the order they appear."""
    keys: list[str] = []
    for _, found in source_refs(trial):
        keys += found
    return list(dict.fromkeys(keys))


def page_source_keys(page_sources: list[str], trial: Trial | None) -> list[str]:
    """A page's sources in the order it numbers them: its own, then its trial's."""
    return list(dict.fromkeys(list(page_sources) + (trial_source_keys(trial) if trial else [])))


def source_refs(trial: Trial):
    """Yield (location, [source keys]) for every source reference in a trial."""
    def walk(node, loc):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("source", "sources") and value is not None:
                    yield loc + (key,), source_keys(value)
                else:
                    yield from walk(value, loc + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, loc + (i,))
    yield from walk(trial.model_dump(), ())


def _pair(ci) -> str:
    """An interval as the author wrote it: [4.5, 7.25]."""
    return f"[{ci[0]}, {ci[1]}]"
