"""The author report (`_site/report/`): how each page reads and what the build found in it, and, for each trial,
the ten elements of an EU lay summary (Regulation 536/2014, Annex V) and the eight IPDAS probability items.

Each element is "present" (with where a reader finds it), "stated as not available" (the trial's `not_available`
tells readers plainly) or "missing". A new element is one entry in ANNEX_V or IPDAS: a name and a function of
the trial and its page.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import wording
from .errors import SourceError
from .markdown_stage import SECTION_WORDS, ChartRef, PageBody
from .project import Page, Project
from .prose_checks import CHECKS
from .schema import Trial

PRESENT, NOT_AVAILABLE, MISSING = "present", "stated as not available", "missing"
WORDS_A_MINUTE = 200  # a slow, careful reading pace for health information
NOTE = re.compile(r"<!--\s*for clinical review:\s*(.*?)\s*-->", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Element:
    """One element of a standard, as the report shows it."""

    number: int
    name: str
    state: str
    where: str  # where a reader finds it, what the page says instead, or what is missing


@dataclass(frozen=True)
class TrialPage:
    """What the element checks read: the trial, its page (if any) and the page's findings."""

    trial: Trial
    page: Page | None
    body: PageBody | None
    warnings: list[SourceError]

    def heading(self, *words: str) -> str | None:
        """The first '## ' heading of the page that holds any of these words, ignoring case."""
        if self.body is None:
            return None
        return next((text for _, text in self.body.headings if any(w in text.lower() for w in words)), None)

    def missing(self, about: str) -> str | None:
        """What the page tells readers in place of something no source gives, if it does."""
        return next((n.text for n in self.trial.not_available if n.about == about), None)


Part = tuple[str, str | None, str | None]  # (what, where it is shown or None, the not-available key or None)


def _parts(tp: TrialPage, parts: list[Part]) -> tuple[str, str]:
    """An element made of parts: missing if any part is, else stated as not available if any part is."""
    shown = [f"{what}: {where}" for what, where, _ in parts if where]
    stated = [f"{what}: the page says our sources do not give it (\"{tp.missing(key)}\")" for what, where, key in parts
              if not where and key and tp.missing(key)]
    absent = [what for what, where, key in parts if not where and not (key and tp.missing(key))]
    if absent:
        return MISSING, "missing: " + "; ".join(absent) + ("" if not shown + stated else
                                                            " (" + "; ".join(shown + stated) + ")")
    return (NOT_AVAILABLE if stated else PRESENT), "; ".join(shown + stated)


GLANCE = "at a glance"


def _identification(tp: TrialPage) -> tuple[str, str]:
    """Title, registry numbers and the EU trial number."""
    eu = [i for i in tp.trial.identifiers if re.search(r"\bEU\b|EudraCT|CTIS", i.registry)]
    protocol = [i for i in tp.trial.identifiers if "protocol" in i.registry.lower()]
    return _parts(tp, [("title", "the page title" if tp.page else None, None),
                       ("registry numbers", f"{GLANCE} ({', '.join(i.value for i in tp.trial.identifiers)})", None),
                       ("EU trial number", f"{GLANCE} ({eu[0].value})" if eu else None, "eu-number"),
                       ("protocol number", f"{GLANCE} ({protocol[0].value})" if protocol else None,
                        "protocol-number")])


def _sponsor(tp: TrialPage) -> tuple[str, str]:
    """The sponsor's name and how to contact it."""
    return _parts(tp, [("name", GLANCE, None),
                       ("contact details", GLANCE if tp.trial.sponsor_contact else None, "sponsor-contact")])


def _general(tp: TrialPage) -> tuple[str, str]:
    """Where and when the trial ran, its main objective, and why it was done."""
    places = tp.trial.design.places and not tp.missing("countries")  # 'several countries' does not name them
    return _parts(tp, [("where", GLANCE if places else None, "countries"),
                       ("when", GLANCE if tp.trial.started else None, "dates"),
                       ("main objective", "the key points (the main result)", None),
                       ("why", GLANCE if tp.trial.purpose else None, "why")])


def _population(tp: TrialPage) -> tuple[str, str]:
    """How many took part, by country, age group and sex, and who could join."""
    trial = tp.trial
    said = " ".join([c.text for c in trial.eligibility] + [b.label for b in trial.baseline]).lower()
    age = next((b.label for b in trial.baseline if re.search(r"\bage", b.label.lower())), None)
    sex = re.search(r"\b(?:women|men|woman|man|female|male|sex)\b", said)
    kinds = {c.kind for c in trial.eligibility}
    return _parts(tp, [("number who took part", GLANCE, None),
                       ("numbers by country", None, "numbers-by-country"),
                       ("age", f"{GLANCE} ({age})" if age else None, "numbers-by-age"),
                       ("sex", f"{GLANCE} (who could join)" if sex else None, "numbers-by-sex"),
                       ("who could and could not join", GLANCE if kinds == {"inclusion", "exclusion"} else None,
                        None)])


def _products(tp: TrialPage) -> tuple[str, str]:
    """The medicines each group took, with doses."""
    dosed = all(t.dose or t.drug == "placebo" for a in tp.trial.arms for t in a.treatments)
    return _parts(tp, [("medicines of each group", f"{GLANCE} (the groups)", None),
                       ("doses", f"{GLANCE} (the groups)" if dosed else None, None)])


def _harms(tp: TrialPage) -> tuple[str, str]:
    """Side effects and how often they happened."""
    section = tp.heading("side effect", "harm")
    shown = tp.trial.side_effects and section
    return _parts(tp, [("side effects with how often they happened", f"section '{section}'" if shown else None,
                        None)])


def _results(tp: TrialPage) -> tuple[str, str]:
    """The overall results: the main result, in the key points and its own section."""
    main = [r for r in tp.trial.results if r.endpoint == tp.trial.primary_endpoint]
    section = tp.heading("result")
    return _parts(tp, [("main result", f"key points; section '{section}'" if main and section else None, None)])


def _comments(tp: TrialPage) -> tuple[str, str]:
    """Comments on the outcome: what the results mean and do not mean."""
    section = tp.heading("mean")
    return _parts(tp, [("what the results mean", f"section '{section}'" if section else None, None)])


def _follow_up(tp: TrialPage) -> tuple[str, str]:
    """Whether later trials are planned."""
    later = tp.trial.later_trials
    return _parts(tp, [("later trials", "section 'What has happened since' (later trials)" if later else None,
                        "follow-up-trials")])


def _more(tp: TrialPage) -> tuple[str, str]:
    """Where to find more: registry links and the sources."""
    linked = [i for i in tp.trial.identifiers if i.url]
    return _parts(tp, [("registry entries", f"{GLANCE} (linked)" if linked else None, None),
                       ("sources", "the numbered sources at the foot", None)])


ANNEX_V: list[tuple[str, Callable[[TrialPage], tuple[str, str]]]] = [
    ("Trial identification (title, protocol number, registry numbers, EU trial number)", _identification),
    ("Sponsor: name and contact details", _sponsor),
    ("General information: where, when, main objective, why", _general),
    ("Population: numbers, by country, age and sex; who could join", _population),
    ("Medicines used", _products),
    ("Side effects and how often they happened", _harms),
    ("Overall results", _results),
    ("Comments on the outcome", _comments),
    ("Whether follow-up trials are planned", _follow_up),
    ("Where to find more information", _more),
]


def _charts_on_page(tp: TrialPage) -> list:
    """The chart specs of the trial the page places."""
    placed = {block.chart_id for block in (tp.body.blocks if tp.body else []) if isinstance(block, ChartRef)}
    return [c for c in tp.trial.charts if c.id in placed]


def _flagged(tp: TrialPage, *checks: str) -> list[str]:
    """Lines of the page where these wording checks found something."""
    return [f"line {w.line}" for w in tp.warnings if w.field in checks]


def _each_option(tp: TrialPage) -> tuple[str, str]:
    """1. The probabilities of outcomes for each option."""
    main = [r for r in tp.trial.results if r.endpoint == tp.trial.primary_endpoint]
    every_arm = any(all(not isinstance(v, str) for v in r.values.values()) for r in main)
    return _parts(tp, [("each group's figure for the main result", "main results" if every_arm else None, None),
                       ("each group's side effects", "side effects" if tp.trial.side_effects else None, None)])


def _reference_class(tp: TrialPage) -> tuple[str, str]:
    """2. The group of patients the probabilities apply to."""
    return _parts(tp, [("who took part", f"{GLANCE} (who could join, the groups)", None)])


def _natural_frequencies(tp: TrialPage) -> tuple[str, str]:
    """3. Event rates as natural frequencies ('about 59 out of 100')."""
    arrays = [c.id for c in _charts_on_page(tp) if c.kind == "icon-array"]
    return _parts(tp, [("figures out of 100", "icon arrays " + ", ".join(arrays) if arrays else None, None)])


def _time_period(tp: TrialPage) -> tuple[str, str]:
    """4. The time period over which the probabilities apply: stated as not available where a source gives none."""
    unnamed = [f"line {w.line}" for w in tp.warnings if "does not name it" in w.message]
    if unnamed or tp.body is None:
        return MISSING, "numbers that do not name their analysis, at " + ", ".join(unnamed or ["(no page)"])
    unknown = [a.name for a in tp.trial.analyses if isinstance(a.follow_up, str)]
    where = "the label beside each number; the table 'Which analysis each number comes from'"
    if unknown:
        return NOT_AVAILABLE, (f"{where}; for {', '.join(unknown)} the label says the follow-up is not stated, "
                               "as no source we read gives it")
    return PRESENT, where


def _same_denominator(tp: TrialPage) -> tuple[str, str]:
    """5. Options compared with the same denominator and the same time period."""
    mixed = _flagged(tp, "mixed-denominators", "one-in-x")
    return _parts(tp, [("both groups out of 100, from the same analysis",
                        "every figure out of 100; each result gives both groups from one analysis" if not mixed
                        else None, None)])


def _uncertainty(tp: TrialPage) -> tuple[str, str]:
    """6. How uncertain the probabilities are; the results without a range are named."""
    ranged = [r for r in tp.trial.results if any(getattr(v, "ci95", None) for v in r.values.values())
              or any(c.ci95 for c in r.comparisons)]
    bare = [r.id for r in tp.trial.results if r not in ranged]
    state, where = _parts(tp, [("ranges of likely values", "the disclosures and chart tables" if ranged else None,
                                None)])
    gaps = "; no range given by the sources for " + ", ".join(bare) if bare and ranged else ""
    side = "; side-effect tables give no ranges" if tp.trial.side_effects and ranged else ""
    return state, where + gaps + side


def _more_than_one_view(tp: TrialPage) -> tuple[str, str]:
    """7. More than one way of viewing the probabilities."""
    charts = _charts_on_page(tp)
    return _parts(tp, [("a chart and a table of the same numbers",
                        f"{len(charts)} charts, each with 'Show the numbers'" if charts else None, None)])


def _balanced(tp: TrialPage) -> tuple[str, str]:
    """8. Benefits and harms in a balanced way, in the same formats."""
    charts = _charts_on_page(tp)
    harms = [c.id for c in charts if c.kind == "side-effects" or getattr(c, "side_effect", None)]
    benefits = [c.id for c in charts if c.id not in harms]
    return _parts(tp, [("benefits drawn", ", ".join(benefits) or None, None),
                       ("harms drawn as benefits are", ", ".join(harms) or None, None),
                       ("overall survival beside the main result and a harm in the key points", "key points", None)])


IPDAS: list[tuple[str, Callable[[TrialPage], tuple[str, str]]]] = [
    ("Probabilities of outcomes for each option", _each_option),
    ("The group of patients they apply to", _reference_class),
    ("Event rates as natural frequencies", _natural_frequencies),
    ("The time period they apply over", _time_period),
    ("Same denominator and time period for each option", _same_denominator),
    ("How uncertain they are", _uncertainty),
    ("More than one way of viewing them", _more_than_one_view),
    ("Balanced, to limit framing", _balanced),
]


def elements(standard: list[tuple[str, Callable[[TrialPage], tuple[str, str]]]], tp: TrialPage) -> list[Element]:
    """Every element of a standard for one trial and its page."""
    return [Element(i, name, *find(tp)) for i, (name, find) in enumerate(standard, start=1)]


# ---- pages ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckCount:
    name: str
    found: int


@dataclass(frozen=True)
class PageReport:
    """One page as the report shows it."""

    title: str
    url: str  # from the site root
    source: str  # its Markdown file
    grade: float
    smog: float
    words: int
    minutes: int
    sections_over: list[str]  # '## ' sections above the grade limit
    terms: list[str]
    checks: list[CheckCount]  # every wording check, with how many findings on this page
    other_warnings: list[str]
    last_reviewed: str
    next_review: str
    overdue: bool
    clinical_review: str
    notes: list[str]  # 'line N: ...' notes to editors for clinical review


def page_report(page: Page, body: PageBody, warnings: list[SourceError], overdue: bool, limit: float) -> PageReport:
    """How one page reads and what the checks found in it."""
    mine = [w for w in warnings if w.path == page.doc.path]
    review = page.meta.clinical_review
    return PageReport(
        page.meta.title, page.url, page.doc.path, body.grade, body.smog,
        body.words, math.ceil(body.words / WORDS_A_MINUTE),
        [s.heading for s in body.sections if s.grade > limit and s.words >= SECTION_WORDS],
        sorted((t.term for t in body.terms), key=str.lower),
        [CheckCount(c.name, sum(w.field == c.name for w in mine)) for c in CHECKS],
        [str(w) for w in mine if w.field not in {c.name for c in CHECKS}],
        wording.long_date(page.meta.last_reviewed), wording.long_date(page.meta.next_review), overdue,
        f"{'; '.join(review.by)}, {wording.long_date(review.date)}" if review else "not yet",
        [f"line {page.doc.body_line + page.doc.body[:m.start()].count(chr(10))}: {' '.join(m.group(1).split())}"
         for m in NOTE.finditer(page.doc.body)])


def trial_page(trial: Trial, project: Project, bodies: dict[str, PageBody], warnings: list[SourceError]) -> TrialPage:
    """A trial with the page that presents it, if any."""
    page = next((p for p in project.pages if p.kind == "trial" and p.meta.trial == trial.id), None)
    body = bodies.get(page.url) if page else None
    return TrialPage(trial, page, body, [w for w in warnings if page and w.path == page.doc.path])


# ---- the whole report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteItem:
    name: str
    value: str
    missing: bool  # still to be declared or listed: shown in bold


@dataclass(frozen=True)
class Standard:
    anchor: str
    caption: str
    elements: list[Element]


@dataclass(frozen=True)
class TrialReport:
    id: str
    name: str
    title: str
    url: str | None  # its page, from the site root
    standards: list[Standard]
    annex_counts: str
    ipdas_counts: str


@dataclass(frozen=True)
class AuthorReport:
    """What templates/report.html shows."""

    site_title: str
    language: str
    limit: float
    pace: int
    site_items: list[SiteItem]
    trials: list[TrialReport]
    pages: list[PageReport]
    review_points: list[str]


def _counts(found: list[Element]) -> str:
    """'8 present, 2 stated as not available, 0 missing'."""
    return ", ".join(f"{sum(e.state == state for e in found)} {state}" for state in (PRESENT, NOT_AVAILABLE, MISSING))


def trial_report(tp: TrialPage) -> TrialReport:
    """One trial's Annex V elements and IPDAS items."""
    annex, ipdas = elements(ANNEX_V, tp), elements(IPDAS, tp)
    trial = tp.trial
    title = tp.page.meta.title if tp.page else trial.title
    return TrialReport(trial.id, trial.name, title, tp.page.url if tp.page else None, [
        Standard(f"annex-v-{trial.id}", f"{trial.name}: the ten elements of an EU lay summary "
                 "(Regulation 536/2014, Annex V)", annex),
        Standard(f"ipdas-{trial.id}", f"{trial.name}: the IPDAS items on presenting probabilities", ipdas)],
        _counts(annex), _counts(ipdas))


def _site_items(project: Project) -> list[SiteItem]:
    """The site's trust statements, each marked when still missing."""
    site = project.site
    funding, ties = wording.declared(site.funding), wording.declared(site.conflicts_of_interest)
    ways = [w for w in (site.feedback.email, site.feedback.form, site.feedback.issues) if w]
    return [SiteItem("Published by", site.publisher, False),
            SiteItem("Who pays for the site", funding[0], funding[1]),
            SiteItem("Conflicts of interest", ties[0], ties[1]),
            SiteItem("How readers reach us", ", ".join(ways), False),
            SiteItem("Support contacts at the foot of trial pages",
                     ", ".join(c.name for c in site.support) or "none listed yet", not site.support),
            SiteItem("Corrections logged", str(len(project.corrections)), False)]


def _review_points(project: Project, pages: list[PageReport], trials: list[TrialPage]) -> list[str]:
    """What a clinician should check: notes left in pages, and what the build says without a source."""
    points = [f"{p.title} ({p.source}), {note}" for p in pages for note in p.notes]
    for tp in trials:
        if tp.page is not None:
            points.append(f"{tp.page.meta.title}: the page says care may have changed since the trial; "
                          "check whether anything should be said about today's care, with a source.")
        points += [f"{tp.trial.name}: no source we read gives this; check whether one does: {n.text}"
                   for n in tp.trial.not_available]
    unchecked = sum(p.clinical_review == "not yet" for p in pages)
    if unchecked:
        points.append(f"{unchecked} of {len(pages)} pages have not been checked by a clinician.")
    return points


def author_report(project: Project, bodies: dict[str, PageBody], warnings: list[SourceError],
                  notices: list[SourceError]) -> AuthorReport:
    """The report on every page and trial of the site."""
    limit = float(project.site.max_reading_grade)
    due = {n.path for n in notices if n.field == "next_review"}
    pages = [page_report(p, bodies[p.url], warnings, p.doc.path in due, limit)
             for p in sorted(project.pages, key=lambda p: p.url) if p.url in bodies]
    trials = [trial_page(t, project, bodies, warnings) for _, t in sorted(project.trials.items())]
    return AuthorReport(project.site.title, project.site.language, limit, WORDS_A_MINUTE, _site_items(project),
                        [trial_report(tp) for tp in trials], pages, _review_points(project, pages, trials))
