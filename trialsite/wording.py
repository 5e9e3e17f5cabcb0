"""Every reader-facing word the Python code writes: numbers, intervals, dates, analyses, trial facts, chart texts.

Templates hold the words of the page layout; this module holds the words made from data, in one place, ready for
a translation catalogue. One rule each: a number is written the same way in prose, charts, tables and CSV files.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .measures import MEASURES
from .model import NOT_REPORTED, NOT_STATED, by_id  # noqa: F401 - NOT_REPORTED: kinds and shortcodes use it from here

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
    "not-applicable": "Does not apply",
}

# Who judged a result, in the compact label beside a number (empty when nobody needed to).
ASSESSMENT_TAGS = {
    "local": "trial doctors",
    "central": "independent experts",
    "not-stated": "who judged it not stated",
    "not-applicable": "",
}
TAG_SEPARATOR = " · "


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
    """'7.8 months', '50.5%', '62 years'; 'not reached' and 'not estimable' as they are."""
    if unit in (None, "") or isinstance(value, str) and value in ("not reached", "not estimable"):
        return number(value)
    if unit == "percent":
        return f"{number(value)}%"
    return f"{number(value)} {unit}"


def interval(ci, unit: str | None = None) -> str:
    """'6.9 to 8.5 months'."""
    low, high = ci
    if isinstance(low, str) or isinstance(high, str):  # an open end: each end written on its own
        return f"{with_unit(low, unit)} to {with_unit(high, unit)}"
    return (with_unit(f"{number(low)} to {number(high)}", None if unit == "percent" else unit)
            + ("%" if unit == "percent" else ""))


def duration(value, unit: str) -> str:
    """'18 months', '5 years', '1 year'."""
    return f"{number(value)} {unit[:-1] if value == 1 else unit}"


def long_date(day: dt.date) -> str:
    """'3 October 2013'."""
    return f"{day.day} {day:%B %Y}"


def day_or_month(value: dt.date | str) -> str:
    """'20 July 2012', or 'July 2012' for a month written '2012-07'."""
    if isinstance(value, dt.date):
        return long_date(value)
    return f"{dt.date(int(value[:4]), int(value[5:7]), 1):%B %Y}"


def result_unit(result: Result) -> str:
    """The unit of a result's values: its measure's own ('percent'), or the one the result gives ('months')."""
    return MEASURES[result.measure].unit or result.unit or ""


def follow_up(analysis: Analysis) -> str:
    """'18 months' or 'not stated by the source'."""
    if isinstance(analysis.follow_up, str):
        return NOT_STATED
    return duration(analysis.follow_up.value, analysis.follow_up.unit)


def data_cutoff(analysis: Analysis) -> str:
    """'3 October 2013' or 'not stated by the source'."""
    if isinstance(analysis.data_cutoff, str):
        return NOT_STATED
    return long_date(analysis.data_cutoff.value)


def analysis_label(analysis: Analysis) -> str:
    """'Final analysis of progression-free survival (18 months of follow-up)'."""
    if isinstance(analysis.follow_up, str):
        return f"{analysis.name} (follow-up not stated by the source)"
    return f"{analysis.name} ({follow_up(analysis)} of follow-up)"


def analysis_with_cutoff(analysis: Analysis) -> str:
    """'Final analysis of progression-free survival (18 months of follow-up; data cut-off 15 December 2011)'."""
    follow = (f"{follow_up(analysis)} of follow-up" if not isinstance(analysis.follow_up, str)
              else "follow-up not stated by the source")
    cutoff = (f"data cut-off {data_cutoff(analysis)}" if not isinstance(analysis.data_cutoff, str)
              else "data cut-off not stated by the source")
    return f"{analysis.name} ({follow}; {cutoff})"


def analysis_tag(analysis: Analysis, assessment: str = "not-applicable") -> str:
    """'Final analysis · follow-up 18 months · trial doctors': the compact label beside a number."""
    follow = (f"follow-up {follow_up(analysis)}" if not isinstance(analysis.follow_up, str)
              else "follow-up not stated")
    parts = [analysis.short_name or analysis.name, follow, ASSESSMENT_TAGS[assessment]]
    return TAG_SEPARATOR.join(part for part in parts if part)


NOT_DECLARED = "not yet declared"


def declared(text: str) -> tuple[str, bool]:
    """A trust statement as readers see it, and whether it is still to be declared: 'Not yet declared', True."""
    pending = text.strip().lower() == NOT_DECLARED
    return ("Not yet declared" if pending else text), pending


NOT_STATED_CELL = "Not stated"
PERIOD_NOT_STATED = "time period not stated"  # a finding whose source does not say which analysis


def cell(text: str) -> str:
    """A value for a table cell, where the column already says what is meant: 'Not stated' is enough there."""
    return NOT_STATED_CELL if text == NOT_STATED else text


def capitalise(text: str) -> str:
    """Upper-case the first letter, to start a sentence."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """Lower-case the first letter, for use inside a sentence."""
    return text[:1].lower() + text[1:]


def p_text(p: str | None) -> str:
    """'less than 0.0001' or '0.14'; 'not published' when missing."""
    if not p:
        return "not published"
    p = p.strip()
    return f"less than {p[1:].strip()}" if p.startswith("<") else p


def size(count) -> str:
    """A number of people as published, or 'number not reported'."""
    return "number not reported" if isinstance(count, str) else number(count.value)


def result_title(what: str, population, time_point) -> str:
    """'Progression-free survival, women aged 65 and over, at 5 years': what, its subgroup and its time point."""
    subgroup = f", {lower_first(population.label)}" if population is not None and population.subgroup else ""
    return what + subgroup + at_time_point(time_point)


def population_text(trial, result: Result) -> str:
    """Who was counted in a result, in words, with the numbers of people per arm."""
    return counted_text(trial, result.population)


def counted_text(trial, population_id: str) -> str:
    """Who was counted: 'not-stated', 'randomised' or a population id, in words with the people per arm."""
    if population_id == "not-stated":
        return "the source does not say who was counted"
    if population_id == "randomised":
        sizes = ", ".join(f"{a.randomised.value} in the {lower_first(a.label)} group" for a in trial.arms)
        return f"everyone randomly assigned to a group ({sizes})"
    population = by_id(trial.populations, population_id)
    sizes = ", ".join(f"{size(population.sizes[a.id])} in the {lower_first(a.label)} group" for a in trial.arms)
    return f"{lower_first(population.label)} ({sizes})"


# The glossary page: its letters, and each definition's source in a few words.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NOT_A_LETTER = "0–9"  # the heading of terms that start with a digit or a sign
CITATION_HEAD = re.compile(r"^(.+?)(?:\.\s+(?=[A-Z])|:\s)")  # up to the first full stop or colon that ends a part
AUTHORS = re.compile(r"^([^\W\d][\w'’-]*)\s+[A-Z]{1,3},.*\bet al$")  # 'Baselga J, Campone M, et al'
YEAR = re.compile(r"\b(19|20)\d\d\b")
SHORT_CITATION = 50


def short_citation(citation: str) -> str:
    """A source in a few words: 'Baselga et al., 2012', 'National Cancer Institute', 'Reuters, 20 July 2012'."""
    head = CITATION_HEAD.match(citation)
    short = head.group(1) if head else citation.rstrip(".")
    if len(short) > SHORT_CITATION:  # a long title with no full stop: its first part, outside brackets
        depth, cut = 0, len(short)
        for i, char in enumerate(short):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if short.startswith(", ", i) and depth == 0:
                cut = i
                break
        short = short[:cut]
    authors = AUTHORS.match(short)
    if authors:
        short = f"{authors.group(1)} et al."
    year = YEAR.search(citation)
    if year and year.group(0) not in short:
        short = f"{short}, {year.group(0)}"
    return short


# Trial facts: the labels of the "at a glance" list on a trial page.
HOME = "Home"
TRIALS_MENU = "Trials"  # the menu's one link to the home page's list of trials, on a site of many trials
FACT_REGISTRY = "{registry} number"
# robots.txt: every reader page may be listed; the author report may not (it also says so in its own page).
ROBOTS = "User-agent: *\nAllow: {path}\nDisallow: {path}report/\n\nSitemap: {sitemap}\n"
# The search page's list of every page, for readers without JavaScript: (page kinds, (heading, anchor)).
SITE_INDEX_GROUPS = ((("trial",), ("Trials", "index-trials")),
                     (("explainer",), ("Explainers", "index-explainers")),
                     (("home", "page"), ("Other pages", "index-other")))
NOT_FOUND_TITLE = "Page not found"
NOT_FOUND_SUMMARY = "There is no page at this address. It may have moved, or the address may have a typing error."
FACT_PURPOSE = "Why it was done"
FACT_STARTED = "When it started"
APPROVED = "the {regulator} approved the treatment this trial tested"
FACT_SPONSOR = "Sponsor"
FACT_SPONSOR_CONTACT = "How to contact the sponsor"
FACT_PHASE = "Trial phase"
FACT_ENROLLED = "People who joined"
FACT_RANDOMISED = "People randomly assigned to a group"
FACT_ANALYSED = "People included in the main analysis"
FACT_RANDOMISATION = "How people were put in groups"
FACT_BLINDING = "Who knew the treatment"
FACT_CONTROL = "Comparison"
FACT_APPROVAL = "Approved by the {regulator}"
FACT_OPTIONAL = {"crossover": "Switching groups", "scans": "How the illness was checked", "places": "Where"}


def people_joined(count) -> str:
    """'724 people joined'."""
    return f"{number(count)} {'person' if count == 1 else 'people'} joined"


def randomised_in_ratio(ratio: str) -> str:
    """'By chance (randomised), in the ratio 2:1'."""
    return f"By chance (randomised), in the ratio {ratio}"


# Charts: axis titles, panel titles, descriptions and table headers.
NOT_PUBLISHED = "Not published"
NOT_REPORTED_TEXT = "not reported by the source"
NOT_REPORTED_CELL = "Not reported"
FOLLOW_UP_NOT_STATED = "Follow-up not stated by the source"
PER_100_AXIS = "Out of 100 people"
MEDIANS_INTRO = ("Each bar shows a median: half of the people in the group had a shorter time and half a longer one. "
                 "Where the source gives it, a thin line shows the 95% confidence interval "
                 "(the range of likely values).")
def icon_headers(at: str) -> list[str]:
    """Table headers of an icon array; `at` is ' at 5 years' for a result at a time point, else ''."""
    return ["Group", "Analysis", f"Published percent{at}", f"Out of 100 people (rounded){at}",
            "Range of likely values"]


def at_time_point(time_point) -> str:
    """' at 5 years' for a result at a point in time, '' for any other."""
    return f" at {duration(time_point.value, time_point.unit)}" if time_point else ""


def median_axis(unit: str) -> str:
    """'Median (months)'."""
    return f"Median ({unit})"


def judged_by(assessment: str) -> str:
    """'Judged by independent experts'."""
    return "Judged by " + lower_first(ASSESSMENT_LABELS[assessment])


def yes_no(flag: bool) -> str:
    """'Yes' or 'No' in a table cell."""
    return "Yes" if flag else "No"


def out_of_100(whole: int | str) -> str:
    """'51 out of 100' (or '<1 out of 100')."""
    return f"{whole} out of 100"


# Comparisons between two arms: the name of each kind (measures.EFFECTS) and what the source says of its significance.
EFFECT_NAMES = {"hazard-ratio": "hazard ratio", "odds-ratio": "odds ratio", "risk-ratio": "relative risk",
                "risk-difference": "difference in percentage points", "mean-difference": "difference between means"}
SIGNIFICANCE = {"yes": "statistically significant", "no": "not statistically significant",
                "not-tested": "not tested for statistical significance (an exploratory look)",
                "not-stated": "not said by the source to be statistically significant or not"}
SIGNIFICANCE_CELLS = {"yes": "Yes", "no": "No", "not-tested": "Not tested (exploratory)",
                      "not-stated": "Not stated by the source"}


def effect_cell(comparison) -> str:
    """'0.45 (0.38 to 0.54)': a comparison's figure and interval, for a table cell."""
    return number(comparison.value) + (f" ({interval(comparison.ci95)})" if comparison.ci95 else "")


def comparison_line(comparison, between: tuple[str, str] | None = None) -> str:
    """'Hazard ratio 0.89 (0.73 to 1.10): not statistically significant, could be chance'."""
    ci = f" ({interval(comparison.ci95)})" if comparison.ci95 else ""
    verdict = {"no": "not statistically significant, could be chance", "not-tested": "not tested (exploratory)",
               "not-stated": "significance not stated"}.get(comparison.significant, SIGNIFICANCE["yes"])
    text = f"{EFFECT_NAMES[comparison.measure]} {number(comparison.value)}{ci}: {verdict}"
    return f"{between[0]} vs {lower_first(between[1])}: {text}" if between else capitalise(text)


def comparison_sentence(comparison, between: tuple[str, str] | None) -> str:
    """Plain sentence on a comparison and whether the difference could be chance; `between` names the arms."""
    c = comparison
    arms = f" between {lower_first(between[0])} and {lower_first(between[1])}" if between else ""
    ci = f", range of likely values {interval(c.ci95)}" if c.ci95 else ""
    p = f"; p = {c.p.replace('< ', 'less than ')}" if c.p and not c.p.startswith("<") else (f"; p {c.p}" if c.p else "")
    figures = f"({EFFECT_NAMES[c.measure]} {number(c.value)}{ci}{p})"
    if c.significant == "yes":
        return f" The difference{arms} was statistically significant {figures}."
    if c.significant == "no":
        return f" The difference{arms} was not statistically significant: it could be due to chance {figures}."
    if c.significant == "not-tested":
        return (f" The difference{arms} was not tested for statistical significance: it was an exploratory look "
                f"{figures}.")
    return f" The source does not say whether the difference{arms} was statistically significant {figures}."


def result_sentence(what: str, context: str, values: str, comparison: str, counted: str, note: str) -> str:
    """'Progression-free survival, final analysis (...). Drug A: 7.8 months; ... Counted: ... Note: ...'."""
    return (f"{what}, {lower_first(context)}{values}.{comparison} Counted: {counted}."
            + (f" Note: {note}" if note else ""))


def medians_headers(arms: list[str], compared: str | None, effect: str | None = "hazard-ratio") -> list[str]:
    """Table headers of a medians chart; `compared` names the two arms when every comparison compares the same,
    `effect` the kind of comparison when they are all of one kind."""
    name = EFFECT_NAMES[effect].capitalize() if effect else "Comparison"
    ratio = f"{name}, {compared} (range of likely values)" if compared else f"{name} (range of likely values)"
    return (["Analysis", "Who judged"] + [f"{arm}: median (range of likely values)" for arm in arms]
            + [ratio, "Statistically significant?"])


def medians_summary(what: str, tag: str, values: str, results: int) -> str:
    """A medians chart in a few words: its first result's numbers, and how many more the table holds."""
    more = f" The chart also shows {results - 1} more; the table has every number." if results > 1 else ""
    return f"Bars show medians. {what}, {tag}. {capitalise(values)}.{more}"


def medians_line(what: str, tag: str, values: str) -> str:
    """One result's medians in a sentence: 'Overall survival, Final analysis · follow-up 39.3 months: 31.0 months
    with ...; 26.6 months with ....'."""
    return f"{what}, {tag}: {values}."


def icons_summary(at: str, tag: str, values: str) -> str:
    """An icon array in a few words (its caption says what was counted): which analysis, and each arm's share."""
    return f"One block of 100 circles per group{',' + at if at else ''} ({tag}). {capitalise(values)}."


def side_effects_summary(tag: str, events: int) -> str:
    """A side-effects chart in a few words: how many side effects, from which analysis; the table has the numbers."""
    return (f"Bars show how many people out of 100 in each group had each of {events} side effects ({tag}). "
            "The table has every number.")


def icons_intro(what: str) -> str:
    """What the blocks of circles show."""
    return (f"One block of 100 circles per group. Filled circles, grouped from the top left, are the people counted "
            f"for this result: {lower_first(what)}. Open circles are the rest.")


def side_effect_title(event: str, grade: str) -> str:
    """'Mouth sores (stomatitis), grade 3 or 4': a side effect with the severity its table counts."""
    low, _, high = grade.partition("-")
    if grade == "any":
        severity = "any grade"
    elif low.isdigit() and high.isdigit():
        severity = f"grade {low} or {high}" if int(high) == int(low) + 1 else f"grades {low} to {high}"
    elif grade.isdigit():
        severity = f"grade {grade}"
    else:
        severity = grade
    return f"{event}, {severity}"


def side_effects_intro(analysis: str, cutoff: str) -> str:
    """What the side-effect panels show, and from which analysis."""
    return (f"One panel per group, on the same scale from 0 to 100 people. Analysis: "
            f"{lower_first(analysis)}; data cut-off: {cutoff}.")


def side_effect_sentence(event: str, per_arm: list[tuple[str, str]]) -> str:
    """'Rash: 30 out of 100 with drug A, ...' from (arm, per 100 text) pairs."""
    return f"{event}: " + ", ".join(f"{text} with {lower_first(arm)}" for arm, text in per_arm) + "."


def side_effects_headers(arms: list[str]) -> list[str]:
    """Table headers of a side-effects chart."""
    return ["Side effect"] + [f"{arm} (out of 100)" for arm in arms]
