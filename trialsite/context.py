"""The typed context each template sees, one type per page kind, built in one place."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

from . import wording
from .checks import page_source_keys
from .figures import Figure
from .markdown_stage import Prose
from .project import Page, Project, code_to_approve, term_anchor
from .schema import OWN_WORDING, Correction, Term, Trial, source_keys
from .search import FOLDER, SEARCH_PAGE
from .urls import absolute, base_path_of, relative, to_root


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    summary: str = ""
    current: bool = False  # the link leads to the page it is on


@dataclass(frozen=True)
class Declared:
    """A trust statement from site.yaml, and whether it is still to be declared (shown so, and reported)."""

    text: str
    pending: bool


@dataclass(frozen=True)
class FigureBlock:
    """A chart in a page body, ready for the `figure` macro of templates/partials/_chart.html."""

    figure: Figure
    csv_url: str
    sources: tuple[SourceView, ...] = ()  # the figure's sources, with this page's numbers
    kind: str = "chart"


@dataclass(frozen=True)
class SourceView:
    key: str
    number: int
    citation: str
    url: str
    doi: str | None
    pmid: str | None
    note: str | None
    copy_host: str | None = None  # where we read a copy, when the original could not be read
    short: str = ""  # e.g. 'Yardley et al., 2013': how paper names it, where the numbered list is not printed


@dataclass(frozen=True)
class Review:
    publisher: str
    authors: list[str]
    last_reviewed: str
    last_reviewed_iso: str
    next_review: str
    next_review_iso: str
    reviewed_by: list[str] | None
    reviewed_on: str | None = None
    reviewed_on_iso: str | None = None
    changed_since_review: bool = False  # the page or its trial's data changed after the clinician approved it


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    sources: list[SourceView]
    url: str | None = None  # a registry entry readers can open


@dataclass(frozen=True)
class ArmView:
    label: str
    randomised: int
    treatments: list[str]


@dataclass(frozen=True)
class AnalysisView:
    anchor: str
    name: str
    follow_up: str
    data_cutoff: str
    description: str
    sources: list[SourceView]


@dataclass(frozen=True)
class Dated:
    date: str
    text: str
    sources: list[SourceView]
    detail: str | None = None  # e.g. who an approval is for, folded under the line


@dataclass(frozen=True)
class LaterTrialView:
    name: str
    what: str
    status: str | None
    sources: list[SourceView]


@dataclass(frozen=True)
class TrialView:
    name: str
    title: str
    condition: str
    facts: list[Fact]
    arms: list[ArmView]
    inclusion: list[str]
    exclusion: list[str]
    analyses: list[AnalysisView]
    people: str  # how many took part, for the thank-you
    since: list[Dated]  # what happened after the trial: approvals, then `since` entries
    later_trials: list[LaterTrialView]
    later_trials_unknown: list[str]  # what the page says when no source names later trials
    not_available: list[str]  # what the sources we could read do not give


@dataclass(frozen=True)
class TermView:
    anchor: str
    term: str
    aliases: list[str]
    definition: str
    source: SourceView | None
    source_short: str  # e.g. 'Baselga et al., 2012': the glossary page links it to the full citation
    abbreviation: str | None  # shown after the term: 'progression-free survival (PFS)'
    stands_for: str | None  # shown after a term that is an abbreviation: 'HER2 (human epidermal ...)'


@dataclass(frozen=True)
class LetterGroup:
    """The glossary entries under one letter heading, and the letter's anchor, e.g. 'letter-a'."""

    letter: str
    anchor: str
    terms: list[TermView]


SITE_CARD = "static/img/social-card.png"
STATEMENTS = ("accessibility", "privacy")  # optional pages every footer links to when they exist


@dataclass(frozen=True)
class FeedbackView:
    """How readers reach the team (site.yaml `feedback`)."""

    email: str | None
    form: str | None
    form_note: str | None
    issues: str | None


@dataclass(frozen=True)
class SupportView:
    """A helpline or support organisation, with where its details come from and when they were checked."""

    name: str
    what: str
    phone: str | None
    url: str
    where: str | None
    source: SourceView
    checked: str
    checked_iso: str


@dataclass(frozen=True)
class CorrectionView:
    """One entry of the corrections log, with the page it corrected."""

    date: str
    date_iso: str
    page_title: str | None  # None: the whole site
    page_url: str | None  # from the site root: templates write it after `page.root`
    what: str
    why: str


@dataclass(frozen=True)
class SocialCard:
    """The picture a link to a page shows where it is shared (Open Graph), with its text; size when known."""

    url: str  # absolute: it leaves the site
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class TrialCard:
    """One trial as the home, about and sources pages list it, made from its data."""

    name: str
    title: str
    condition: str
    people: str
    url: str  # from the site root: templates write it after `page.root`


@dataclass(frozen=True)
class PageContext:
    """Everything any page's template may use; each page kind below adds only what it shows."""

    site_title: str
    tagline: str
    language: str
    publisher: str
    feedback: FeedbackView
    license: str | None
    funding: Declared  # who pays for the site, or visibly 'not yet declared'
    conflicts_of_interest: Declared
    root: str  # the relative way to the site root, e.g. '../../'; every internal link starts with it
    site_url: str
    canonical_url: str
    nav: list[Link]
    kind: str
    title: str
    summary: str
    blocks: list[Prose | FigureBlock]
    review: Review
    sources: list[SourceView]
    trials_on_site: list[TrialCard]  # every trial with a page, from its data, for any page that lists them
    contents: list[Link]  # the body's sections, for an "On this page" list
    statements: list[Link]  # the site's accessibility statement and privacy note, when it has them (footer)
    terms: list[TermView]  # the glossary entries the body links to, for their popovers (none: no script either)
    search: str | None  # the search page (the header's search box sends words there); None: the site has no search
    card: SocialCard  # the trial's chart for a trial page with `card_chart`, else the site's card


@dataclass(frozen=True)
class HomeContext(PageContext):
    """The home page: it lists the explainers when no explainers page is in the menu (every page can list the
    trials: `trials_on_site`)."""

    pages: ClassVar[str] = "the home page"

    explainers: list[Link]


@dataclass(frozen=True)
class Printout:
    """What a trial page adds on paper after its key points (its trial's `printout`): tables and questions."""

    tables: list[FigureBlock]  # each printed with the analyses its numbers come from and its sources
    questions: list[str]


@dataclass(frozen=True)
class TrialContext(PageContext):
    """A trial page: the generated parts of its trial."""

    pages: ClassVar[str] = "trial pages"

    trial: TrialView
    support: list[SupportView]  # helplines at the foot of the page; [] until checked ones are listed
    printout: Printout


@dataclass(frozen=True)
class ExplainerContext(PageContext):
    """An explainer: it links a few related explainers, and the page that lists them all."""

    pages: ClassVar[str] = "explainers"

    explainers: list[Link]  # at most RELATED, however many explainers the site has
    all_explainers: str | None  # the explainers page, when the site has one in its menu


@dataclass(frozen=True)
class GlossaryContext(PageContext):
    """The glossary page (content/glossary.md): every term."""

    pages: ClassVar[str] = "the glossary page"

    glossary: list[TermView]
    letters: list[LetterGroup]  # A to Z, each letter with its entries (empty when no term starts with it)


@dataclass(frozen=True)
class SourcesContext(PageContext):
    """The sources page (content/sources.md): every source."""

    pages: ClassVar[str] = "the sources page"

    all_sources: list[SourceView]


@dataclass(frozen=True)
class ExplainerListContext(PageContext):
    """The list of explainers (content/explainers.md), reachable from the main menu."""

    pages: ClassVar[str] = "the explainers page"

    explainers: list[Link]


@dataclass(frozen=True)
class IndexGroup:
    """One group of the site index: a heading, its anchor and its pages."""

    heading: str
    anchor: str
    links: list[Link]


@dataclass(frozen=True)
class SearchContext(PageContext):
    """The search page (content/search.md): the search box and, for readers without JavaScript, every page."""

    pages: ClassVar[str] = "the search page"

    site_index: list[IndexGroup]
    index_folder: str  # Pagefind's files, relative to the page


@dataclass(frozen=True)
class CorrectionsContext(PageContext):
    """The corrections page (content/corrections.md): the log, newest first."""

    pages: ClassVar[str] = "the corrections page"

    corrections: list[CorrectionView]


KIND_CONTEXTS = (HomeContext, TrialContext, ExplainerContext, GlossaryContext, SourcesContext, CorrectionsContext,
                 ExplainerListContext, SearchContext)


def pages_with(name: str) -> list[str]:
    """Which pages' contexts have a field of this name (for a template that uses it elsewhere)."""
    return [context.pages for context in KIND_CONTEXTS if name in {f.name for f in fields(context)}
            and name not in {f.name for f in fields(PageContext)}]


@dataclass(frozen=True)
class SiteParts:
    """What every page's context shares, computed once per build rather than once per page."""

    pages: list[Page]  # by title
    nav_pages: list[Page]  # home, each trial, then the other pages
    nav: list[NavEntry]  # the main menu: the nav pages, with many trials as one link to the home page's list
    glossary: list[TermView]
    all_sources: list[SourceView]
    trial_cards: list[TrialCard]
    corrections: list[CorrectionView]
    support: list[SupportView]
    statements: list[Page]  # content/accessibility.md and content/privacy.md, when present
    search_page: Page | None  # content/search.md, when present: the site then has search
    explainers_page: Page | None  # content/explainers.md in the menu: it lists the explainers, so home need not
    social_cards: Mapping[str, SocialCard]  # by trial id: the picture a link to a trial page shows where it is shared
    related: dict[str, list[Page]]  # by explainer address: a few explainers on the same ideas (related_explainers)

    @cached_property
    def terms_by_anchor(self) -> dict[str, TermView]:
        """Each glossary entry by its anchor, for the entries a page links to."""
        return {view.anchor: view for view in self.glossary}


MENU_TRIALS = 5  # more trials in the menu than this, and it shows one link to the home page's list of trials instead,
# so that no page's menu grows with the number of trials
TRIALS_ANCHOR = "trials"  # the home page's list of trials (templates/index.html)


@dataclass(frozen=True)
class NavEntry:
    """One link of the main menu: its words, its site address, and the page it opens (None: a part of the home page)."""

    title: str
    url: str
    page: Page | None


def _menu(project: Project, nav_pages: list[Page]) -> list[NavEntry]:
    """The main menu: each nav page, but more than MENU_TRIALS trials as one link to the home page's list of them."""
    trials = [p for p in nav_pages if p.kind == "trial"]
    home = next((p for p in project.pages if p.kind == "home"), None)
    entries = []
    for page in nav_pages:
        if page.kind != "trial" or len(trials) <= MENU_TRIALS or home is None:
            entries.append(NavEntry(_nav_label(page, project), page.url, page))
        elif page is trials[0]:
            entries.append(NavEntry(wording.TRIALS_MENU, f"{home.url}#{TRIALS_ANCHOR}", None))
    return entries


def site_parts(project: Project, social_cards: Mapping[str, SocialCard] | None = None,
               related: dict[str, list[Page]] | None = None) -> SiteParts:
    """The shared parts of every page's context; `social_cards` are the trials' own cards, by trial id, and `related`
    each explainer's related explainers."""
    order = {"home": 0, "trial": 1, "page": 2}
    nav_pages = sorted((p for p in project.pages if p.kind in order and p.meta.menu),
                       key=lambda p: (order[p.kind], p.meta.title.lower()))
    return SiteParts(
        pages=sorted(project.pages, key=lambda p: (p.meta.title.lower(), p.url)),
        nav_pages=nav_pages,
        nav=_menu(project, nav_pages),
        glossary=[_term_view(t, project) for t in sorted(project.terms, key=lambda t: t.term.lower())],
        all_sources=[_source_view(project, key, i) for i, key in enumerate(sorted(project.sources), start=1)],
        trial_cards=[_trial_card(project.trials[p.meta.trial], p.url)
                     for p in sorted(project.pages, key=lambda p: p.meta.title.lower())
                     if p.kind == "trial" and p.meta.trial in project.trials],
        statements=[p for slug in STATEMENTS for p in project.pages if p.kind == "page" and p.slug == slug],
        search_page=next((p for p in project.pages if p.kind == "page" and p.slug == SEARCH_PAGE), None),
        explainers_page=next((p for p in nav_pages if p.kind == "page" and p.slug == "explainers"), None),
        social_cards={} if social_cards is None else social_cards,  # a mapping worked out when first read
        related=related or {},
        corrections=[_correction_view(c, project) for c in sorted(project.corrections, key=lambda c: c.date,
                                                                  reverse=True)],
        support=[SupportView(c.name, c.what, c.phone, c.url, c.where, _source_view(project, c.source, 0),
                             wording.long_date(c.checked), c.checked.isoformat()) for c in project.site.support],
    )


@dataclass(frozen=True)
class NotFoundContext:
    """The page a host shows for an address it lacks (404.html), at any depth: its links start at the site's path."""

    site_title: str
    tagline: str
    language: str
    publisher: str
    license: str | None
    funding: Declared
    conflicts_of_interest: Declared
    root: str  # the site's path on its host, e.g. '/trialsite/', since the page is served at any depth
    site_url: str
    canonical_url: str
    nav: list[Link]
    title: str
    summary: str
    terms: list[TermView]
    trials_on_site: list[TrialCard]
    statements: list[Link]
    search: str | None
    card: SocialCard


def not_found_context(project: Project, shared: SiteParts, base_url: str) -> NotFoundContext:
    """What templates/404.html shows: the menu and the trials, linked from the site's own path."""
    path = base_path_of(base_url)
    return NotFoundContext(
        project.site.title, project.site.tagline, project.site.language, project.site.publisher, project.site.license,
        Declared(*wording.declared(project.site.funding)),
        Declared(*wording.declared(project.site.conflicts_of_interest)),
        path, base_url, absolute(base_url, "404.html"),
        [Link(entry.title, path + entry.url) for entry in shared.nav],
        wording.NOT_FOUND_TITLE, wording.NOT_FOUND_SUMMARY, [], shared.trial_cards,
        [Link(p.meta.title, path + p.url) for p in shared.statements],
        path + shared.search_page.url if shared.search_page else None, _site_card(project, base_url))


def _correction_view(correction: Correction, project: Project) -> CorrectionView:
    """A correction with the title of the page it changed."""
    page = next((p for p in project.pages if p.url == correction.page), None)
    return CorrectionView(wording.long_date(correction.date), correction.date.isoformat(),
                          page.meta.title if page else None, correction.page, correction.what, correction.why)


def build_page_context(page: Page, blocks: list, project: Project, base_url: str, shared: SiteParts,
                       headings: list[tuple[str, str]] | None = None, terms: list[Term] | None = None,
                       printed: list[FigureBlock] | None = None) -> PageContext:
    """The context of one Markdown page, of the type its kind needs; addresses are relative to it.

    `printed` are the tables a trial page prints (its trial's `printout`), numbered with the page's sources.
    """
    trial = project.trials.get(page.meta.trial) if page.meta.trial else None
    charted = [key for block in blocks + (printed or []) if isinstance(block, FigureBlock)
               for key in block.figure.sources]
    numbered = _number_sources(project, page_source_keys(page.meta.sources, trial) + charted)
    number = lambda block: replace(block, sources=tuple(numbered[key] for key in block.figure.sources))  # noqa: E731
    blocks = [number(block) if isinstance(block, FigureBlock) else block for block in blocks]
    links = lambda kind: [Link(p.meta.title, relative(page.url, p.url), p.meta.summary, p is page)  # noqa: E731
                          for p in shared.pages if p.kind == kind]
    common: dict[str, Any] = dict(
        site_title=project.site.title, tagline=project.site.tagline, language=project.site.language,
        publisher=project.site.publisher, license=project.site.license,
        feedback=FeedbackView(**project.site.feedback.model_dump()),
        funding=Declared(*wording.declared(project.site.funding)),
        conflicts_of_interest=Declared(*wording.declared(project.site.conflicts_of_interest)),
        root=to_root(page.url), site_url=base_url, canonical_url=absolute(base_url, page.url),
        nav=[Link(entry.title, relative(page.url, entry.url), current=entry.page is page) for entry in shared.nav],
        kind=page.kind, title=page.meta.title, summary=page.meta.summary, blocks=blocks,
        review=_review(page, project), sources=list(numbered.values()), trials_on_site=shared.trial_cards,
        contents=[Link(text, f"#{anchor}") for anchor, text in headings or []],
        statements=[Link(p.meta.title, relative(page.url, p.url)) for p in shared.statements],
        terms=[shared.terms_by_anchor[term_anchor(term)] for term in terms or []],
        search=relative(page.url, shared.search_page.url) if shared.search_page else None,
        # Only a trial page asks for the cards: they wait for the charts to be drawn.
        card=(shared.social_cards.get(trial.id) if trial and page.kind == "trial" else None)
        or _site_card(project, base_url),
    )
    if page.kind == "home":
        # With a page of explainers in the menu, the home page does not list them a second time.
        return HomeContext(**common, explainers=[] if shared.explainers_page else links("explainer"))
    if page.kind == "trial" and trial:
        printout = (Printout([number(block) for block in printed or []], list(trial.printout.questions))
                    if trial.printout else Printout([], []))
        return TrialContext(**common, trial=_trial_view(trial, numbered), support=shared.support, printout=printout)
    if page.kind == "explainer":
        listing = shared.explainers_page
        return ExplainerContext(**common, explainers=[Link(p.meta.title, relative(page.url, p.url), p.meta.summary)
                                                      for p in shared.related.get(page.url, [])],
                                all_explainers=relative(page.url, listing.url) if listing else None)
    if page.slug == "glossary":
        return GlossaryContext(**common, glossary=shared.glossary, letters=_letters(shared.glossary))
    if page.slug == "sources":
        return SourcesContext(**common, all_sources=shared.all_sources)
    if page.slug == "corrections":
        return CorrectionsContext(**common, corrections=shared.corrections)
    if page.slug == "explainers":
        return ExplainerListContext(**common, explainers=links("explainer"))
    if page is shared.search_page:
        return SearchContext(**common, site_index=_site_index(page, shared),
                             index_folder=relative(page.url, FOLDER + "/"))
    return PageContext(**common)


RELATED = 5  # related explainers an explainer links to
TELLING_TERMS = 50  # a glossary word on more explainers than this says little about what a page is about


def related_explainers(project: Project, terms_by_page: dict[str, list[Term]]) -> dict[str, list[Page]]:
    """For each explainer, up to RELATED others: those sharing the most telling glossary words with it (a word counts
    more the fewer explainers use it; words on more than TELLING_TERMS count nothing), then the ones after it by title.
    Bounded work per page, whatever the site's size."""
    explainers = sorted((p for p in project.pages if p.kind == "explainer"),
                        key=lambda p: (p.meta.title.lower(), p.url))
    using: dict[str, list[Page]] = {}
    for page in explainers:
        for term in dict.fromkeys(t.term for t in terms_by_page.get(page.url, [])):
            using.setdefault(term, []).append(page)
    order = {page.url: i for i, page in enumerate(explainers)}
    related = {}
    for i, page in enumerate(explainers):
        shared: dict[str, float] = {}
        for term in dict.fromkeys(t.term for t in terms_by_page.get(page.url, [])):
            if len(using[term]) <= TELLING_TERMS:
                for other in using[term]:
                    if other is not page:
                        shared[other.url] = shared.get(other.url, 0) + 1 / len(using[term])
        chosen = sorted(shared, key=lambda url: (-shared[url], order[url]))[:RELATED]
        after = (explainers[(i + step) % len(explainers)].url
                 for step in range(1, min(RELATED, len(explainers) - 1) + 1))
        chosen += [url for url in after if url not in chosen][:RELATED - len(chosen)]
        related[page.url] = [explainers[order[url]] for url in chosen]
    return related


def _site_card(project: Project, base_url: str) -> SocialCard:
    """The site's own card (static/img/social-card.png), for pages without a card of their own."""
    return SocialCard(absolute(base_url, SITE_CARD), f"{project.site.title}: {project.site.tagline}")


def _site_index(here: Page, shared: SiteParts) -> list[IndexGroup]:
    """Every reader page by kind (trials, explainers, the rest), as the search page lists them without JavaScript."""
    groups = []
    for kinds, (heading, anchor) in wording.SITE_INDEX_GROUPS:
        links = [Link(p.meta.title, relative(here.url, p.url), p.meta.summary) for p in shared.pages
                 if p.kind in kinds and p is not here]
        if links:
            groups.append(IndexGroup(heading, anchor, links))
    return groups


def _nav_label(page: Page, project: Project) -> str:
    """'Home', a trial's short name, or the page title."""
    if page.kind == "home":
        return wording.HOME
    trial = project.trials.get(page.meta.trial) if page.meta.trial else None
    return trial.name if trial else page.meta.title


def _review(page: Page, project: Project) -> Review:
    """Who publishes and wrote the page, when it was and will be reviewed, and its clinical review, if any."""
    meta, review = page.meta, page.meta.clinical_review
    return Review(project.site.publisher, list(meta.authors), wording.long_date(meta.last_reviewed),
                  meta.last_reviewed.isoformat(), wording.long_date(meta.next_review), meta.next_review.isoformat(),
                  list(review.by) if review else None,
                  wording.long_date(review.date) if review else None, review.date.isoformat() if review else None,
                  code_to_approve(page, project) is not None)


def _number_sources(project: Project, keys: list[str]) -> dict[str, SourceView]:
    """Number a page's sources 1, 2, 3 in the order first cited."""
    unique = list(dict.fromkeys(keys))
    return {key: _source_view(project, key, i) for i, key in enumerate(unique, start=1)}


def _source_view(project: Project, key: str, number: int) -> SourceView:
    """A source as the templates show it."""
    s = project.sources[key]
    return SourceView(key, number, s.citation, s.url, s.doi, s.pmid, s.note,
                      (urlsplit(s.url).hostname or s.url) if s.read_a_copy else None,
                      wording.short_citation(s.citation))


def _trial_card(trial: Trial, url: str) -> TrialCard:
    """A trial in a list of the site's trials."""
    return TrialCard(trial.name, trial.title, trial.condition, wording.people_joined(trial.enrolled.value), url)


def _trial_view(trial: Trial, numbered: dict[str, SourceView]) -> TrialView:
    """The generated parts of a trial page: at a glance, groups, eligibility, analyses."""
    cite = lambda value: [numbered[k] for k in source_keys(value)]  # noqa: E731
    d = trial.design
    facts = [Fact(wording.FACT_REGISTRY.format(registry=i.registry), i.value, cite(i.source), i.url)
             for i in trial.identifiers]
    if trial.purpose is not None:
        facts.append(Fact(wording.FACT_PURPOSE, trial.purpose.value, cite(trial.purpose.source)))
    if trial.started is not None:
        facts.append(Fact(wording.FACT_STARTED, wording.day_or_month(trial.started.value), cite(trial.started.source)))
    facts.append(Fact(wording.FACT_SPONSOR, trial.sponsor.value, cite(trial.sponsor.source)))
    contact = trial.sponsor_contact
    if contact is not None:
        facts.append(Fact(wording.FACT_SPONSOR_CONTACT, contact.value, cite(contact.source)))
    facts += [
              Fact(wording.FACT_PHASE, trial.phase.value, cite(trial.phase.source)),
              Fact(wording.FACT_ENROLLED, str(trial.enrolled.value), cite(trial.enrolled.source))]
    facts += [Fact(label, str(count.value), cite(count.source))
              for label, count in ((wording.FACT_RANDOMISED, trial.randomised), (wording.FACT_ANALYSED, trial.analysed))
              if count is not None]
    facts += [
              Fact(wording.FACT_RANDOMISATION, wording.randomised_in_ratio(d.randomisation_ratio.value),
                   cite(d.randomisation_ratio.source)),
              Fact(wording.FACT_BLINDING, d.blinding.value, cite(d.blinding.source)),
              Fact(wording.FACT_CONTROL, d.control.value, cite(d.control.source))]
    for name, label in wording.FACT_OPTIONAL.items():
        item = getattr(d, name)
        if item is not None:
            facts.append(Fact(label, item.value, cite(item.source)))
    for approval in trial.approvals:
        facts.append(Fact(wording.FACT_APPROVAL.format(regulator=approval.regulator),
                          f"{wording.day_or_month(approval.date.value)}: {approval.indication.value}",
                          cite(list(dict.fromkeys(source_keys(approval.date.source)
                                                  + source_keys(approval.indication.source))))))
    for population in trial.populations:
        sizes = ", ".join(f"{a.label}: {wording.size(population.sizes[a.id])}" for a in trial.arms)
        stated = [size for size in (population.sizes[a.id] for a in trial.arms) if not isinstance(size, str)]
        keys = dict.fromkeys(k for size in stated for k in source_keys(size.source))
        facts.append(Fact(population.label, sizes, [numbered[k] for k in keys]))
    arms = [ArmView(a.label, a.randomised.value,
                    [f"{t.drug.capitalize()}{' ' + t.dose if t.dose else ''}: {t.schedule}" for t in a.treatments])
            for a in trial.arms]
    analyses = [AnalysisView(f"analysis-{a.id}", a.name, wording.cell(wording.follow_up(a)),
                             wording.cell(wording.data_cutoff(a)), a.description,
                             cite(list(dict.fromkeys(a.sources + _dated_sources(a))))) for a in trial.analyses]
    since = [Dated(wording.day_or_month(a.date.value), wording.APPROVED.format(regulator=a.regulator),
                   cite(list(dict.fromkeys(source_keys(a.date.source) + source_keys(a.indication.source)))),
                   a.indication.value)
             for a in trial.approvals]
    since += [Dated(wording.day_or_month(s.date.value), s.text, cite(s.date.source)) for s in trial.since]
    return TrialView(trial.name, trial.title, trial.condition, facts, arms,
                     [c.text for c in trial.eligibility if c.kind == "inclusion"],
                     [c.text for c in trial.eligibility if c.kind == "exclusion"], analyses,
                     wording.number(trial.enrolled.value), since,
                     [LaterTrialView(t.name, t.what, t.status, cite(t.source)) for t in trial.later_trials],
                     [n.text for n in trial.not_available if n.about == "follow-up-trials"],
                     [n.text for n in trial.not_available if n.about != "follow-up-trials"])


def _dated_sources(analysis) -> list[str]:
    """Source keys behind an analysis's follow-up and data cut-off, when they are stated."""
    stated = [v for v in (analysis.follow_up, analysis.data_cutoff) if not isinstance(v, str)]
    return [k for v in stated for k in source_keys(v.source)]


def _term_view(term: Term, project: Project) -> TermView:
    """A glossary entry as the glossary page and the popovers show it."""
    source = None if term.source == OWN_WORDING else _source_view(project, term.source, 0)
    return TermView(term_anchor(term), term.term, list(term.aliases), term.definition, source,
                    wording.short_citation(source.citation) if source else "", term.abbreviation, term.stands_for)


def _letters(glossary: list[TermView]) -> list[LetterGroup]:
    """Every letter from A to Z with the entries that start with it; anything else (a digit) comes first, as '0-9'."""
    groups: dict[str, list[TermView]] = {letter: [] for letter in wording.ALPHABET}
    for view in glossary:
        first = unicodedata.normalize("NFKD", view.term)[:1].upper()
        groups.setdefault(first if first in groups else wording.NOT_A_LETTER, []).append(view)
    order = sorted(groups, key=lambda letter: (letter in wording.ALPHABET, letter))
    return [LetterGroup(letter, "letter-" + ("0-9" if letter == wording.NOT_A_LETTER else letter.lower()),
                        groups[letter]) for letter in order]
