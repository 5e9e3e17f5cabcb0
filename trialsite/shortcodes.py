"""Shortcodes: the one table of what `{{ ... }}` may name, and how each resolves to text from the trial data.

A shortcode is `{{ [trial-id:]PATH [| FORMAT] }}`. PATH starts with a head from HEADS (or is a result id) and has
the shape the head declares; FORMAT is one of the head's formats. The Markdown stage, the checks, the docs and
their tests all read this table.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import wording
from .measures import MEASURES
from .schema import Trial, source_keys

if TYPE_CHECKING:
    from .project import Project

CHART = "chart"  # `{{ chart ID }}` on a line of its own places a chart; see the Markdown stage


HARM, ENDPOINT = "harm", "endpoint:"  # what a figure is about (Ref.about)


@dataclass
class Ref:
    """What one inline shortcode resolved to."""

    text: str
    data_value: str | None = None
    analysis: str | None = None      # the analysis a shown number belongs to
    names_analysis: str | None = None  # the analysis this shortcode names
    link: str | None = None  # site-relative address of what the text names
    tag: bool = False  # shown as a compact label, not as words of the sentence
    cites: tuple[str, ...] = ()  # source keys the page names after the text, as '(Source 3)'
    period: tuple[str, str | None] | None = None  # before the sources: the analysis's label and address, if any
    about: str | None = None  # what a figure is about, for the key-points check: 'endpoint:ID' or 'harm'


class ShortcodeError(Exception):
    """A shortcode that cannot be resolved; the message is shown to the author."""

    def __init__(self, message: str, ref: str | None = None):
        super().__init__(message)
        self.ref = ref  # the missing thing, when other places may name it too


class BrokenTrial(ShortcodeError):
    """A reference into a trial whose data file has errors, already reported there."""



@dataclass(frozen=True)
class Head:
    """One kind of shortcode: the shape of its path (as written in the docs) and the formats it may take."""

    shape: str
    formats: tuple[str, ...]
    resolve: Callable[[Trial, list[str], str], Ref]


def _enrolled(trial: Trial, parts: list[str], filt: str) -> Ref:
    """enrolled: the number of people who joined."""
    _need(parts, 0, "enrolled")
    value = trial.enrolled.value
    return _filter(filt, {"": lambda: Ref(wording.number(value), wording.number(value))})


def _count(name: str) -> Callable[[Trial, list[str], str], Ref]:
    """randomised, analysed: a count of people the trial's data may give apart from `enrolled`."""
    def resolve_count(trial: Trial, parts: list[str], filt: str) -> Ref:
        _need(parts, 0, name)
        count = getattr(trial, name)
        if count is None:
            raise ShortcodeError(f"this trial's data gives no `{name}` count; add it to the trial file")
        return _filter(filt, {"": lambda: Ref(wording.number(count.value), wording.number(count.value))})
    return resolve_count


def _phase(trial: Trial, parts: list[str], filt: str) -> Ref:
    """phase: the trial phase as the source writes it."""
    _need(parts, 0, "phase")
    return _filter(filt, {"": lambda: Ref(trial.phase.value)})


def _ratio(trial: Trial, parts: list[str], filt: str) -> Ref:
    """ratio: how people were shared between the groups, e.g. 2:1."""
    _need(parts, 0, "ratio")
    return _filter(filt, {"": lambda: Ref(trial.design.randomisation_ratio.value)})


def _approval_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """approvals.ID (the regulator), approvals.ID | date, approvals.ID | indication."""
    _need(parts, 1, "approvals.ID")
    approval = _pick(trial.approvals, parts[0], "approval")
    return _filter(filt, {
        "": lambda: Ref(approval.regulator),
        "date": lambda: Ref(wording.day_or_month(approval.date.value)),
        "indication": lambda: Ref(approval.indication.value),
    })


def analysis_link(trial: Trial, analysis_id: str) -> str:
    """Site-relative address of an analysis in its trial page's table of analyses."""
    return f"trials/{trial.id}/#analysis-{analysis_id}"


def split_trial(path: str, default: Trial | None, project: Project) -> tuple[Trial, str]:
    """Take an optional 'trial-id:' prefix off a reference."""
    if ":" in path:
        trial_id, path = (p.strip() for p in path.split(":", 1))
        if trial_id in project.broken_trials:
            raise BrokenTrial(trial_id)
        if trial_id not in project.trials:
            raise ShortcodeError(f"unknown trial '{trial_id}'", f"trial:{trial_id}")
        return project.trials[trial_id], path
    if default is None:
        raise ShortcodeError("this page presents no trial; start the reference with a trial id, "
                             "e.g. 'trial-id:result.arm'")
    return default, path


def _pick(items, key: str, kind: str):
    """The item with id `key`, or a ShortcodeError listing the known ids."""
    for item in items:
        if item.id == key:
            return item
    known = ", ".join(i.id for i in items)
    raise ShortcodeError(f"unknown {kind} '{key}' (known: {known})")


def _need(parts: list[str], count: int, shape: str) -> None:
    """Check the number of dotted parts of a reference."""
    if len(parts) != count:
        raise ShortcodeError(f"expected the form '{shape}'")


def _filter(filt: str, allowed: dict[str, Callable[[], Ref]]) -> Ref:
    """Apply a named format, or say which formats fit here."""
    if filt not in allowed:
        raise ShortcodeError(f"unknown format '{filt}' here (use one of: {', '.join(k or '(none)' for k in allowed)})")
    return allowed[filt]()


def _arm_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """arms.ARM (label), arms.ARM | n, arms.ARM.DRUG | dose."""
    if len(parts) == 2:
        arm = _pick(trial.arms, parts[0], "arm")
        treatment = next((t for t in arm.treatments if t.drug == parts[1]), None)
        if treatment is None or treatment.dose is None:
            raise ShortcodeError(f"arm '{arm.id}' has no dose of '{parts[1]}'")
        return _filter(filt, {"dose": lambda: Ref(treatment.dose)})
    _need(parts, 1, "arms.ARM")
    arm = _pick(trial.arms, parts[0], "arm")
    n = arm.randomised.value
    return _filter(filt, {"": lambda: Ref(arm.label), "n": lambda: Ref(str(n), str(n))})


def _population_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """populations.ID (its label) or populations.ID.ARM (the number of people)."""
    if len(parts) == 1:
        population = _pick(trial.populations, parts[0], "population")
        return _filter(filt, {"": lambda: Ref(population.label)})
    _need(parts, 2, "populations.ID or populations.ID.ARM")
    population = _pick(trial.populations, parts[0], "population")
    if parts[1] not in population.sizes:
        raise ShortcodeError(f"population '{population.id}' has no arm '{parts[1]}'")
    count = population.sizes[parts[1]]
    if isinstance(count, str):
        return _filter(filt, {"": lambda: Ref(wording.NOT_REPORTED_TEXT)})
    return _filter(filt, {"": lambda: Ref(str(count.value), str(count.value))})


def _baseline_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """baseline.ID with an optional per100."""
    _need(parts, 1, "baseline.ID")
    fact = _pick(trial.baseline, parts[0], "baseline fact")
    formats = {"": lambda: Ref(wording.with_unit(fact.value, fact.unit), wording.number(fact.value), fact.analysis)}
    if fact.unit == "percent":
        formats["per100"] = lambda: Ref(wording.per100_text(fact.value), str(wording.per100(fact.value)), fact.analysis)
    return _filter(filt, formats)


def _analysis_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """analyses.ID (its name in words), | label (compact), | follow_up, | data_cutoff."""
    _need(parts, 1, "analyses.ID")
    analysis = _pick(trial.analyses, parts[0], "analysis")
    return _filter(filt, {
        "": lambda: Ref(wording.lower_first(wording.analysis_label(analysis)), names_analysis=analysis.id,
                        link=analysis_link(trial, analysis.id)),
        "label": lambda: Ref(wording.analysis_tag(analysis), names_analysis=analysis.id,
                             link=analysis_link(trial, analysis.id), tag=True),
        "follow_up": lambda: Ref(wording.follow_up(analysis), names_analysis=analysis.id),
        "data_cutoff": lambda: Ref(wording.data_cutoff(analysis), names_analysis=analysis.id),
    })


def _side_effect_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """side-effects.TABLE.EVENT.ARM with an optional per100: a harm."""
    return replace(_side_effect_formats(trial, parts, filt), about=HARM)


def _side_effect_formats(trial: Trial, parts: list[str], filt: str) -> Ref:
    """The formats of one side effect in one arm."""
    _need(parts, 3, "side-effects.TABLE.EVENT.ARM")
    table = _pick(trial.side_effects, parts[0], "side-effect table")
    event = _pick(table.events, parts[1], "side effect")
    if parts[2] not in event.values:
        raise ShortcodeError(f"side effect '{event.id}' has no arm '{parts[2]}'")
    value = event.values[parts[2]]
    if value == wording.NOT_REPORTED:
        return _filter(filt, {f: lambda: Ref(wording.NOT_REPORTED_TEXT, None, table.analysis) for f in ("", "per100")})
    shown = value if isinstance(value, str) else wording.with_unit(value, "percent")
    return _filter(filt, {
        "": lambda: Ref(shown, str(value), table.analysis),
        "per100": lambda: Ref(wording.per100_text(value),
                              str(value if isinstance(value, str) else wording.per100(value)), table.analysis),
    })


def _finding_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """findings.ID: a finding in words, followed by its analysis (or that the source gives no time) and source."""
    _need(parts, 1, "findings.ID")
    finding = _pick(trial.findings, parts[0], "finding")
    if finding.analysis is None:
        period: tuple[str, str | None] = (wording.PERIOD_NOT_STATED, None)
    else:
        period = (wording.analysis_tag(_pick(trial.analyses, finding.analysis, "analysis")),
                  analysis_link(trial, finding.analysis))
    return _filter(filt, {"": lambda: Ref(finding.text, names_analysis=finding.analysis,
                                          cites=tuple(source_keys(finding.source)), period=period)})


def _result_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """A result's figure or words, marked with the endpoint it is about."""
    result = _pick(trial.results, parts[0], "result")
    return replace(_result_formats(trial, parts, filt), about=f"{ENDPOINT}{result.endpoint}")


def _result_formats(trial: Trial, parts: list[str], filt: str) -> Ref:
    """RESULT.ARM (value, number, per100, ci), RESULT.COMPARISON (estimate, estimate_ci, hr, hr_ci, p,
    significance) or RESULT (analysis, label, assessment, population, and the formats of its only comparison)."""
    result = _pick(trial.results, parts[0], "result")
    analysis = _pick(trial.analyses, result.analysis, "analysis")
    unit = wording.result_unit(result)
    named = next((c for c in result.comparisons if len(parts) == 2 and c.id == parts[1]), None)
    if named is not None:
        return _filter(filt, _comparison_formats(named, analysis.id))
    if len(parts) == 2:
        if parts[1] not in result.values:
            ids = [c.id for c in result.comparisons if c.id]
            also = f" or comparison (comparisons: {', '.join(ids)})" if ids else ""
            raise ShortcodeError(f"result '{result.id}' has no arm{also} '{parts[1]}'")
        value = result.values[parts[1]]
        if isinstance(value, str):  # 'not reported': every format of a figure says so
            return _filter(filt, {f: lambda: Ref(wording.NOT_REPORTED_TEXT, None, analysis.id)
                                  for f in ("", "number", "per100")})
        formats = {
            "": lambda: Ref(wording.with_unit(value.value, unit), wording.number(value.value), analysis.id),
            "number": lambda: Ref(wording.number(value.value), wording.number(value.value), analysis.id),
        }
        if MEASURES[result.measure].out_of_100:
            formats["per100"] = lambda: Ref(wording.per100_text(value.value), str(wording.per100(value.value)),
                                            analysis.id)
        if value.ci95:
            formats["ci"] = lambda: Ref(wording.interval(value.ci95, unit), None, analysis.id)
        return _filter(filt, formats)
    _need(parts, 1, "RESULT or RESULT.ARM")
    formats = {
        "analysis": lambda: Ref(wording.lower_first(wording.analysis_label(analysis)), names_analysis=analysis.id,
                                link=analysis_link(trial, analysis.id)),
        "label": lambda: Ref(wording.analysis_tag(analysis, result.assessment), names_analysis=analysis.id,
                             link=analysis_link(trial, analysis.id), tag=True),
        "assessment": lambda: Ref(wording.ASSESSMENT_PHRASES[result.assessment]),
        "population": lambda: Ref(wording.population_text(trial, result)),
    }
    if result.time_point:
        formats["time_point"] = lambda: Ref(wording.at_time_point(result.time_point).removeprefix(" at "))
    if filt in COMPARISON_FORMATS and len(result.comparisons) > 1:
        names = ", ".join(str(c.id) for c in result.comparisons)
        raise ShortcodeError(f"result '{result.id}' has {len(result.comparisons)} comparisons ({names}); name one, "
                             f"e.g. '{result.id}.{result.comparisons[0].id} | {filt}'")
    if len(result.comparisons) == 1:
        formats |= _comparison_formats(result.comparisons[0], analysis.id)
    return _filter(filt, formats)


COMPARISON_FORMATS = ("estimate", "estimate_ci", "hr", "hr_ci", "p", "significance")


def _comparison_formats(comparison, analysis_id: str) -> dict[str, Callable[[], Ref]]:
    """What a comparison can show: its figure (`hr` for a hazard ratio), interval, p-value and significance."""
    figure = wording.number(comparison.value)
    formats = {
        "estimate": lambda: Ref(figure, figure, analysis_id),
        "p": lambda: Ref(wording.p_text(comparison.p), None, analysis_id),
        "significance": lambda: Ref(wording.SIGNIFICANCE[comparison.significant]),
    }
    if comparison.ci95:
        formats["estimate_ci"] = lambda: Ref(wording.interval(comparison.ci95), None, analysis_id)
    if comparison.measure == "hazard-ratio":  # the short names authors know
        formats["hr"] = formats["estimate"]
        if comparison.ci95:
            formats["hr_ci"] = formats["estimate_ci"]
    return formats


HEADS: dict[str, Head] = {
    "enrolled": Head("enrolled", ("",), _enrolled),
    "randomised": Head("randomised", ("",), _count("randomised")),
    "analysed": Head("analysed", ("",), _count("analysed")),
    "phase": Head("phase", ("",), _phase),
    "ratio": Head("ratio", ("",), _ratio),
    "arms": Head("arms.ARM or arms.ARM.DRUG", ("", "n", "dose"), _arm_ref),
    "populations": Head("populations.ID or populations.ID.ARM", ("",), _population_ref),
    "baseline": Head("baseline.ID", ("", "per100"), _baseline_ref),
    "analyses": Head("analyses.ID", ("", "label", "follow_up", "data_cutoff"), _analysis_ref),
    "side-effects": Head("side-effects.TABLE.EVENT.ARM", ("", "per100"), _side_effect_ref),
    "approvals": Head("approvals.ID", ("", "date", "indication"), _approval_ref),
    "findings": Head("findings.ID", ("",), _finding_ref),
}
# Any other first part is a result id.
RESULT = Head("RESULT.ARM, RESULT.COMPARISON or RESULT",
              ("", "number", "per100", "ci", "analysis", "label", "assessment", "population", "time_point",
               *COMPARISON_FORMATS), _result_ref)
# Words a result id may not be, because shortcodes use them.
RESERVED_IDS = frozenset(HEADS) | {CHART}


def resolve(code: str, default: Trial | None, project: Project) -> Ref:
    """Resolve the inside of `{{ ... }}` to text, e.g. 'pfs-final.drug-a | per100'."""
    path, _, filt = (part.strip() for part in code.partition("|"))
    trial, path = split_trial(path, default, project)
    parts = path.split(".")
    if parts[0] in HEADS:
        return HEADS[parts[0]].resolve(trial, parts[1:], filt)
    return RESULT.resolve(trial, parts, filt)
