"""The whole build as named stages, one report through all of them; the site is written only when it is clean."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import pickle
import re
import sys
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

import jinja2

from . import chart_engine, manifest, syllables, wording
from .author_report import author_report
from .cache import Cache, Pack
from .cache import key as cache_key
from .context import (
    FigureBlock,
    SiteParts,
    SocialCard,
    build_page_context,
    not_found_context,
    pages_with,
    related_explainers,
    site_parts,
)
from .errors import Report, SourceError, option_error
from .figures import (
    CHARTS,
    NO_CACHE,
    CardImage,
    Figure,
    card_drawing,
    draw_into,
    figure_drawing,
    make_card,
    make_figure,
)
from .inputs import input_files
from .links import PageLinks, check_links, page_links
from .manifest import LIBRARIES, build_day, installed_version
from .markdown_stage import ChartRef, PageBody, convert_page
from .minify import minified
from .progress import Progress
from .project import PAGE_KINDS, Page, Project, code_to_approve, load_project
from .read import read_text, read_yaml, rel_path, unreadable
from .readability import Grades
from .render import make_environment, render
from .sanitise import csp_problem
from .schema import base_url_problem, by_id
from .search import Indexing, SearchError, start_index
from .starter import placeholders
from .urls import absolute, base_path_of, relative
from .workers import Pending, Workers, default_jobs
from .write import (
    OutputCollision,
    OutputError,
    SiteWriter,
    output_problem,
    recover_interrupted,
    settled,
    staged_writer,
)

SILENT = Progress(enabled=False)
REPORT = "report/index.html"  # the author report: made every build, linked from no reader page


@dataclass
class BuildResult(Report):
    """What a build found (its report) and did."""

    files: int = 0


def build(root: Path, out: Path, base_url: str | None = None, strict: bool = False,
          out_label: str | None = None, jobs: int | None = None, drawers: Workers | None = None,
          last_site: Path | None = None, inputs_held: Callable[[], bool] | None = None) -> BuildResult:
    """Build the project at `root` into `out`; leave `out` untouched unless everything succeeded.

    The stages: options -> load and validate -> Markdown blocks -> figures for the charts pages place -> page
    contexts and templates -> check output -> write. One report goes through all of them, so an author sees
    every problem of a run at once; nothing is written unless the report is clean. `jobs` worker processes (default:
    one per core) convert pages and draw charts; `drawers`, workers started before the build (see
    `workers.start_drawers`), draw the charts instead. Files whose bytes are unchanged are linked from the last site:
    `last_site` (an earlier build elsewhere, as the preview's last good build), else the site in `out`.
    `inputs_held` says whether the inputs are still as before the build read them (default: a `manifest.Snapshot`
    taken now); the caches keep what the build made only if so.
    """
    root = root.resolve()
    out = settled(out if out.is_absolute() else root / out)
    out_label = str(out) if out_label is None else out_label
    report = BuildResult()
    if not _options_ok(root, out, base_url, out_label, report):
        return report
    cache = Cache(root, inputs_held or manifest.Snapshot(root, {}))
    grades = Grades(cache)
    chart_engine.drawing_for(root)  # charts this process draws are measured with fonts that suit the project
    inputs = load_and_validate(root, report, grades)
    if inputs is None:
        report.tidy()
        return report
    project, static = inputs
    base_url = base_url or project.site.base_url
    progress = Progress()
    try:
        _WORK.update(project=project, grades=grades)  # before the workers fork: they read it
        # Each file goes to the staging folder as it is rendered; the staging folder replaces `out` only if the
        # report is clean, and is removed otherwise.
        with Workers(jobs or default_jobs()) as workers, staged_writer(root, out, out_label, last_site) as writer:
            pictures = draw_ahead(project, cache, drawers or workers)
            # A few pages are converted here while pictures are drawn: forked page workers would take the drawing
            # workers' cores (a site of 31 pages and 11 charts: 0.07 s quicker cold).
            few = pictures.working and len(project.pages) < FEW_PAGES
            env = make_environment(root / "templates", cache.folder / "templates" if cache.folder else None)
            # The templates are compiled here while the workers convert the pages, so that rendering workers, forked
            # later, have them compiled (each compiled them again: 0.06-0.1 s a worker).
            bodies = markdown_blocks(project, report, grades, progress, cache, Workers(1) if few else workers,
                                     meanwhile=lambda: compile_templates(env))
            grades.save()
            syllables.release()  # every page is graded
            # Pages without a chart or a card are rendered while the workers still draw: figures and cards wait for
            # the pictures only when a page first asks for one.
            figures = placed_figures(project, bodies, cache, progress, drawn=pictures.get)
            cards = WhenAsked(lambda: (pictures.get(), social_cards(project, bodies, cache))[1])
            site = render_site(project, bodies, figures, cards, static, base_url, report, env, progress, writer,
                               jobs or default_jobs(), cache)
            try:  # the links are checked while Pagefind indexes the pages
                progress.stage("Checking links", 1)
                check_output(site, project, base_url, report)
                if site.indexing is not None:
                    progress.stage("Indexing for search", 1)
                    _add_search_index(site, site.indexing, report)
            finally:
                if site.indexing is not None:
                    site.indexing.close()  # a build stopped half-way leaves no indexer running and no folder behind
            report.tidy()
            if report.failed(strict):
                return report
            site.writer.commit(out, root, out_label)
    except OutputError as exc:
        report.errors.append(option_error("--out", str(exc)))
        return report
    finally:
        progress.close()
    report.files = len(site.writer.files)
    return report


def _options_ok(root: Path, out: Path, base_url: str | None, out_label: str, report: Report) -> bool:
    """Refuse a wrong root, output folder or base URL before reading anything, and put back a killed build's site."""
    problem = root_problem(root)
    if problem:
        report.errors.append(option_error("--root", problem))
        return False
    problem = output_problem(root, out, out_label)
    if problem:
        report.errors.append(option_error("--out", problem))
        return False
    problem = base_url_problem(base_url) if base_url is not None else None
    if problem:
        report.errors.append(option_error("--base-url", problem))
        return False
    try:
        recover_interrupted(root, out, out_label)  # so that even a failing build leaves the last good site in place
    except OutputError as exc:
        report.errors.append(option_error("--out", str(exc)))
        return False
    return True


def root_problem(root: Path) -> str | None:
    """Why `root` is not a project folder: missing, a file, or holding none of a project's inputs."""
    if not root.is_dir():
        return f"'{root}' is not a folder"
    if not any((root / name).exists() for name in ("site.yaml", "data", "content")):
        return (f"'{root}' holds no site.yaml, data/ or content/, so it is not a trialsite project; "
                "run build.py in the project folder, or name that folder with --root")
    return None


def load_and_validate(root: Path, report: Report, grades: Grades | None = None) -> tuple[Project, list[Path]] | None:
    """Every input read and checked: the project and the static files, or None when no page can be rendered.

    Pages are still rendered when only some trials are broken, so that an author sees the data errors and
    the page errors in one run.
    """
    project, errors = load_project(root)
    report.errors += errors
    for template in input_files(root, "templates", report.errors):  # refuse links out, and text Jinja cannot read
        report.errors += read_text(template, rel_path(template, root))[1]
    if not (root / "templates").exists():
        report.errors.append(SourceError("templates", 1, "(folder)", "folder is missing: it holds the page templates"))
    static = input_files(root, "static", report.errors)
    # A started trial's placeholders: warnings, so that a draft builds but never publishes with --strict.
    report.warnings += placeholders(root, input_files(root, "data", []) + input_files(root, "content", []))
    if project is not None:
        report.warnings += glossary_grades(root, project, grades)
        report.errors += _missing_required_pages(project)
        report.notices += overdue_reviews(project, build_date()) + changed_since_review(project)
    if project is None or any(e.path == "templates" or e.path.startswith("templates/") for e in report.errors):
        return None
    return project, static


def glossary_grades(root: Path, project: Project, grades: Grades | None = None) -> list[SourceError]:
    """A glossary definition that reads above the site's grade limit, at its line (a popover shows it on any page)."""
    doc, _ = read_yaml(root / "data" / "glossary.yaml", root)
    limit = float(project.site.max_reading_grade)
    found = []
    grades = grades or Grades()
    for i, term in enumerate(project.terms):
        grade = grades.flesch_kincaid(term.definition)
        if grade > limit and doc is not None:
            found.append(doc.index.error(("terms", i, "definition"),
                                         f"reads at grade {grade:.1f}, above the limit of {limit:g}; use shorter "
                                         "sentences and everyday words"))
    return found


def markdown_blocks(project: Project, report: Report, grades: Grades | None = None,
                    progress: Progress = SILENT, cache: Cache = NO_CACHE, workers: Workers | None = None,
                    meanwhile: Callable[[], None] = lambda: None) -> dict[str, PageBody]:
    """Each page's body as blocks of prose and chart references, by address; broken trials' pages are left out.

    A page whose front matter and body, the project's data and page list, and the code that converts it are as in an
    earlier build is taken from the cache (`.cache/pages.pack`): editing one page converts that page only. The others
    are converted by the workers, when there are enough of them to repay starting the workers; `meanwhile` runs here
    while they do (or before the pages are converted here).
    """
    grades = grades or Grades()
    found: dict[int, PageBody] = {}
    missing: dict[int, str] = {}
    shared = _shared_inputs(project)
    progress.stage("Reading pages", len(project.pages))
    with cache.pack(PAGES) as stored_bodies:
        for number, page in enumerate(project.pages):
            if page.meta.trial in project.broken_trials:
                progress.step()
                continue
            name = cache_key("page", render_version(), shared, page.doc.path, page.kind, page.doc.body_line,
                             page.doc.body, page.meta.model_dump_json())
            body = _cached_body(stored_bodies.get(name), project)
            if body is None:
                missing[number] = name
            else:
                found[number] = body
                progress.step()
        _WORK.update(project=project, grades=grades)  # what a converting worker reads (a forked one: what it had)
        converted = (workers or Workers(1)).map(_convert_stored, list(missing))
        meanwhile()
        for (number, name), (stored, new_grades) in zip(missing.items(), converted, strict=True):
            progress.step()
            grades.add(new_grades)
            stored_bodies.put(name, stored)
            # A body that does not come back whole from its pickle (never seen) is converted here instead.
            found[number] = _cached_body(stored, project) or convert_page(project.pages[number], project, grades)
    bodies = {}
    for number in sorted(found):  # the report in page order, however the work was shared
        body = found[number]
        report.errors += body.errors
        report.warnings += body.warnings
        bodies[project.pages[number].url] = body
    return bodies


_WORK: dict = {}  # the project and grades a worker converts with, set before the workers fork
FEW_PAGES = 64  # fewer pages than this are converted in the build's own process while charts are drawn


def _convert_stored(number: int) -> tuple[bytes, tuple[dict[str, float], dict[str, int]]]:
    """Convert page `number` of the project: its body as the cache stores it, and the grades and words' syllables
    worked out for it."""
    project, grades = _WORK["project"], _WORK["grades"]
    body = convert_page(project.pages[number], project, grades)
    return pickle.dumps(_storable(body)), grades.take_new()


PAGES = "pages"  # the cache's area for converted page bodies; a change to trialsite's code or a library's version
# (render_version) converts every page again


@dataclass(frozen=True)
class StoredChart:
    """A ChartRef as the cache keeps it: by its trial's id."""

    trial_id: str
    chart_id: str


def _shared_inputs(project: Project) -> str:
    """A hash of what every page's body may read: site.yaml, every data file (as the project reads them: through
    links to folders inside the project too) and the list of pages."""
    root = project.root
    files = [root / "site.yaml", *input_files(root, "data", [])]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update("\0".join(sorted(p.doc.path for p in project.pages)).encode())
    return digest.hexdigest()


def _storable(body: PageBody) -> PageBody:
    """A body for the cache: charts name their trial by id (the trial itself is rebuilt from data each build)."""
    blocks: list = [StoredChart(b.trial.id, b.chart_id) if isinstance(b, ChartRef) else b for b in body.blocks]
    return replace(body, blocks=blocks)


def _cached_body(data: bytes | None, project: Project) -> PageBody | None:
    """A body from the cache with its charts' trials restored, or None."""
    if data is None:
        return None
    try:
        body = pickle.loads(data)  # noqa: S301 - our own cache, written by this function's twin
        return replace(body, blocks=[ChartRef(project.trials[b.trial_id], b.chart_id) if isinstance(b, StoredChart)
                                     else b for b in body.blocks])
    except Exception:  # noqa: BLE001 - a damaged or foreign cache file is a miss, never a failed build
        return None


def placed_figures(project: Project, bodies: dict[str, PageBody], cache: Cache = NO_CACHE,
                   progress: Progress = SILENT, drawn: Callable[[], object] | None = None) -> PlacedFigures:
    """A figure (SVG, description, table, CSV) for each chart that some page places or prints, and only those. With
    `drawn` (which waits for the drawing workers) and a cache, each figure is made when a page first asks for it."""
    wanted = {(b.trial.id, b.chart_id) for body in bodies.values() for b in body.blocks if isinstance(b, ChartRef)}
    wanted |= {(trial.id, chart_id) for page in project.pages if page.kind == "trial" and page.url in bodies
               for trial in [project.trials.get(page.meta.trial or "")] if trial and trial.printout
               for chart_id in trial.printout.tables}  # the tables a trial page prints
    figures = PlacedFigures(project, sorted(wanted), cache, drawn)
    if drawn is not None and cache.folder is not None:
        return figures
    progress.stage("Drawing charts", len(figures))
    for placed in figures:
        progress.step()
        figures.draw(placed)
    return figures


RECENT_FIGURES = 32  # figures kept made: more than any one page shows

K = TypeVar("K")
V = TypeVar("V")


class WhenAsked(Mapping[K, V]):
    """A mapping worked out when it is first read, e.g. the social cards, which wait for the drawing workers."""

    def __init__(self, work: Callable[[], Mapping[K, V]]) -> None:
        self._work = work
        self._made: Mapping[K, V] | None = None

    def _mapping(self) -> Mapping[K, V]:
        """The mapping, worked out now if it was not yet."""
        if self._made is None:
            self._made = self._work()
        return self._made

    def __getitem__(self, key: K) -> V:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


class PlacedFigures(Mapping[tuple[str, str], Figure]):
    """The figures pages place, by (trial id, chart id). With a cache, a figure is made again from its stored
    picture each time it is asked for (a millisecond), so that a thousand trials' figures are never held at once."""

    def __init__(self, project: Project, placed: list[tuple[str, str]], cache: Cache,
                 drawn: Callable[[], object] | None = None) -> None:
        self._project, self._placed, self._cache = project, placed, cache
        self._drawn = drawn  # waits until the workers have drawn the pictures into the cache
        self._kept: dict[tuple[str, str], Figure] | None = {} if cache.folder is None else None
        self._recent: OrderedDict[tuple[str, str], Figure] = OrderedDict()  # a page's charts, asked for twice

    def draw(self, placed: tuple[str, str]) -> None:
        """Make the figure now, drawing its picture into the cache if it is not there yet."""
        figure = self._make(placed)
        if self._kept is not None:
            self._kept[placed] = figure

    def __getitem__(self, placed: tuple[str, str]) -> Figure:
        if self._kept is not None:
            return self._kept[placed]
        if placed not in self._recent:
            if placed not in self._placed:
                raise KeyError(placed)
            self._recent[placed] = self._make(placed)
            if len(self._recent) > RECENT_FIGURES:
                self._recent.popitem(last=False)
        return self._recent[placed]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._placed)

    def __len__(self) -> int:
        return len(self._placed)

    def _make(self, placed: tuple[str, str]) -> Figure:
        """The figure of one placed chart."""
        if self._drawn is not None:
            self._drawn()
        trial = self._project.trials[placed[0]]
        return make_figure(trial, by_id(trial.charts, placed[1]), self._cache)


def draw_ahead(project: Project, cache: Cache, workers: Workers) -> Pending:
    """Start workers drawing every chart and card the trial pages may show that the cache lacks into the cache,
    while the pages are converted; `placed_figures` and `social_cards` then find them there. Without workers or a
    cache folder, nothing."""
    wanted = []
    for page in project.pages:
        trial = project.trials.get(page.meta.trial or "") if page.kind == "trial" else None
        if trial is None or trial.id in project.broken_trials:
            continue
        try:
            wanted += [figure_drawing(trial, spec) for spec in trial.charts]
            wanted += [card_drawing(trial, by_id(trial.charts, trial.card_chart))] if trial.card_chart else []
        except Exception:  # noqa: BLE001, S112 - drawn (and its error reported) where the build places it
            continue
    missing = list({d.name: d for d in wanted if not cache.has(CHARTS, d.name)}.values())
    # A process whose vl-convert engine runs must not fork drawers: a fork copies no engine threads, and hangs.
    if workers.inline or not missing or cache.folder is None or "vl_convert" in sys.modules:
        return Pending(list)
    # One drawer takes them all (so that it can overlap Altair and vl-convert); several share them in small batches.
    size = len(missing) if workers.jobs == 1 else DRAWN_TOGETHER
    return workers.map_later(partial(draw_into, cache), [missing[i:i + size] for i in range(0, len(missing), size)])


DRAWN_TOGETHER = 6  # pictures a drawer takes at a time, when there are several drawers


def social_cards(project: Project, bodies: dict[str, PageBody], cache: Cache = NO_CACHE) -> dict[str, CardImage]:
    """The social card of each trial that has a page and names a `card_chart`, by trial id."""
    return {trial.id: make_card(trial, by_id(trial.charts, trial.card_chart), cache)
            for page in project.pages if page.kind == "trial" and page.url in bodies
            for trial in [project.trials.get(page.meta.trial or "")] if trial and trial.card_chart}


def card_path(trial_id: str) -> str:
    """Where a trial's social card goes in the site."""
    return f"trials/{trial_id}/card.png"


@dataclass
class RenderedSite:
    """Every file of the site in memory, and which page each HTML file is."""

    writer: SiteWriter
    pages: list[Page]  # the pages that rendered
    templates: dict[str, str]  # page address -> the template that rendered it
    scans: dict[str, PageScan] = field(default_factory=dict)  # by file name: what check_output needs of each page
    indexing: Indexing | None = None  # Pagefind, indexing the reader pages, until its files are added


@dataclass(frozen=True)
class PageScan:
    """What the output checks need of one rendered page, worked out where it was rendered."""

    links: PageLinks
    weak_policy: str | None  # why its Content-Security-Policy is missing or too weak


@dataclass(frozen=True)
class RenderedPage:
    """One page rendered (by a worker, or here): the template that made it, if it was written, and its errors."""

    number: int
    template: str | None
    errors: list[SourceError]
    scan: PageScan | None
    digest: str = ""  # the SHA-256 of its bytes


RENDERED = "rendered"  # the cache's area: what each page without pictures rendered to, by what it was rendered from


@dataclass(frozen=True)
class Earlier:
    """A page as an earlier build rendered it: its bytes' SHA-256, its template and what the output checks need."""

    digest: str
    template: str
    scan: PageScan


class RenderedBefore:
    """Pages without pictures as an earlier build rendered them (`.cache/rendered.pack`): a page whose own file, whose
    related explainers and whose site (`site_inputs`) are as they were then is linked from the last site, when its
    file there still holds the bytes rendered then, instead of being rendered again (`_render_numbered`). A page with
    a chart or a card is always rendered."""

    def __init__(self, stored: Pack, site_inputs: str, shared: SiteParts) -> None:
        self.stored, self.site_inputs, self.shared = stored, site_inputs, shared

    def key(self, page: Page, template: str) -> str:
        """The name of what this page renders to with this template."""
        related = [other.url for other in self.shared.related.get(page.url, [])]
        parts = (self.site_inputs, page.doc.path, str(page.doc.body_line), page.doc.body, template, *related)
        return hashlib.sha256("".join(f"{len(part)}:{part}" for part in parts).encode()).hexdigest()

    def earlier(self, key: str) -> Earlier | None:
        """What the page of this key rendered to before, or None."""
        data = self.stored.get(key)
        if data is None:
            return None
        try:
            earlier = pickle.loads(data)  # noqa: S301 - our own cache, written by `keep`
        except Exception:  # noqa: BLE001 - a damaged cache entry is a miss, never a failed build
            return None
        return earlier if isinstance(earlier, Earlier) else None

    def keep(self, key: str, rendered: RenderedPage) -> None:
        """Remember a page rendered without errors, for the next build (one taken from before is kept already)."""
        if rendered.template is not None and rendered.scan is not None and not rendered.errors and rendered.digest:
            self.stored.put(key, pickle.dumps(Earlier(rendered.digest, rendered.template, rendered.scan)))


def site_inputs(project: Project, env: jinja2.Environment, base_url: str) -> str | None:
    """A hash of everything a page's rendering may read besides its own file and its related explainers: the code and
    the libraries, the base URL, site.yaml, the data, the templates, and every page's address and front matter. (Not
    the day, which only the author report shows, nor the static files, which pages name but never read.) Every file
    below templates/ counts, found as the project's inputs are (Jinja's own list leaves out folders reached through a
    link, whose templates it still loads). None when a template cannot be read: that build renders every page."""
    digest = hashlib.sha256("\0".join((render_version(), base_url, _shared_inputs(project))).encode())
    try:
        for path in input_files(project.root, "templates", []):
            digest.update(f"\0{rel_path(path, project.root)}\0".encode() + path.read_bytes())
    except OSError:
        return None
    for page in project.pages:
        digest.update(f"\0{page.url}\0{page.kind}\0{page.doc.path}\0{page.meta.model_dump_json()}".encode())
    return digest.hexdigest()


@functools.cache
def render_version() -> str:
    """Every module of the build's own code (any may shape a page), Python's version and the libraries'."""
    code = hashlib.sha256(b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))))
    return code.hexdigest() + sys.version + "".join(f";{name}={installed_version(name)}" for name in LIBRARIES)


def render_site(project: Project, bodies: dict[str, PageBody], figures: Mapping[tuple[str, str], Figure],
                cards: Mapping[str, CardImage], static: list[Path], base_url: str, report: Report,
                env: jinja2.Environment, progress: Progress = SILENT, writer: SiteWriter | None = None,
                jobs: int = 1, cache: Cache = NO_CACHE) -> RenderedSite:
    """Render every page, chart table and file of the site into `writer` (by default one that keeps them in
    memory) with the templates of `env`, collecting errors. The pages that show a chart or a trial's
    card come last, so that the others are rendered while the charts are still being drawn. With `jobs` above one
    and a staging folder, forked workers render the pages straight into it. When the site has search, Pagefind is
    left indexing the reader pages (`RenderedSite.indexing`): the caller adds its files and closes it."""
    root = project.root
    site = RenderedSite(writer or SiteWriter(), [], {})
    # Once per build: no per-page work that grows with the number of pages.
    social = WhenAsked(lambda: {trial_id: SocialCard(absolute(base_url, card_path(trial_id)), card.alt, card.width,
                                                     card.height) for trial_id, card in cards.items()})
    shared = site_parts(project, social, related_explainers(project, {url: body.terms for url, body in bodies.items()}))
    _RENDERING.update(project=project, bodies=bodies, env=env, figures=figures, base_url=base_url, shared=shared,
                      templates=set(env.list_templates()), writer=site.writer)
    def other_files() -> None:
        """The static files, the author report, 404.html, robots.txt and the sitemap: made while the pages are."""
        for origin, field_name, message in site.writer.add_files(static, root / "static", "static", root, minified):
            report.errors.append(SourceError(origin, 1, field_name, message))
        _add_site_files(site, env, project, bodies, shared, base_url, report)

    inputs = site_inputs(project, env, base_url)
    try:
        with cache.pack(RENDERED) as stored:
            before = RenderedBefore(stored, inputs, shared) if inputs is not None else None
            _render_pages(site, project, bodies, cards, report, progress, jobs, meanwhile=other_files, before=before)
    finally:
        _RENDERING.clear()  # a preview server builds again and again: keep no build's pages
    indexing = None
    if shared.search_page is not None and not report.errors:
        paths = sorted(p.url + "index.html" for p in site.pages if p is not shared.search_page)
        indexing = start_index(((path, site.writer.written(path)) for path in paths),  # never all pages in memory
                               site.writer.staging, shared.search_page.doc.path)
    try:  # Pagefind indexes the pages in its own process while the other files are made and written
        for trial_id, card in sorted(cards.items()):
            _add(site.writer, card_path(trial_id), card.png(), f"data/trials/{trial_id}.yaml", report)
        for (trial_id, chart_id), figure in sorted(figures.items()):
            _add(site.writer, _csv_path(trial_id, chart_id), figure.csv, f"data/trials/{trial_id}.yaml", report)
    except BaseException:
        if indexing is not None:
            indexing.close()  # a build stopped half-way leaves no indexer running and no folder behind
        raise
    site.indexing = indexing
    return site


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every template of the environment now (kept in its cache and in the build's cache); one with a mistake
    is left to be reported where a page uses it."""
    for name in env.list_templates(extensions=["html", "xml"]):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001, S112 - reported with the page that uses it, in the author's words
            continue


def _render_pages(site: RenderedSite, project: Project, bodies: dict[str, PageBody], cards: Mapping[str, CardImage],
                  report: Report, progress: Progress, jobs: int, meanwhile: Callable[[], None] = lambda: None,
                  before: RenderedBefore | None = None) -> None:
    """Render the pages into the site's writer: first those without pictures (each linked from the last site instead
    when `before` has it), then, once the pictures are drawn, the others; by forked workers when there are enough of
    them (see RENDERED_APART). `meanwhile` runs here while the workers render the first pages (or before them,
    without workers): before waiting for any picture."""
    numbers = [number for number, page in enumerate(project.pages) if page.url in bodies]
    later = [number for number in numbers if _shows_pictures(project.pages[number], bodies)]
    first = sorted(set(numbers) - set(later))
    progress.stage("Writing pages", len(project.pages) - len(later))
    for _ in range(len(project.pages) - len(numbers)):
        progress.step()
    keys = _keys_before(before, project, first, site.writer) if before is not None else {}
    done = {}
    for part in (first, later):
        if part is later:
            progress.stage("Drawing charts", 1)  # a thousand trials' charts take minutes: say what the build waits for
            len(cards)  # waits for the pictures: workers forked from here on find them in the cache
            progress.step()
            progress.stage("Writing pages with charts", len(later))
        apart = (jobs > 1 and len(part) >= RENDERED_APART and site.writer.staging is not None
                 and "vl_convert" not in sys.modules)  # see draw_ahead
        with Workers(jobs if apart else 1) as renderers:
            results = renderers.map(_render_numbered, part)
            if part is first:
                meanwhile()
            for rendered in results:
                progress.step()
                done[rendered.number] = rendered
                if before is not None and rendered.number in keys:
                    before.keep(keys[rendered.number], rendered)
    for number, rendered in sorted(done.items()):  # in the project's order, however they were rendered
        page = project.pages[number]
        report.errors += rendered.errors
        if rendered.template is not None and rendered.scan is not None:
            site.writer.adopt(page.url + "index.html", page.doc.path)  # a worker wrote it into the staging folder
            site.pages.append(page)
            site.templates[page.url] = rendered.template
            site.scans[page.url + "index.html"] = rendered.scan


def _keys_before(before: RenderedBefore, project: Project, numbers: list[int], writer: SiteWriter) -> dict[int, str]:
    """Each of these pages' names in `before`; what each rendered to before goes to the rendering workers (in
    _RENDERING, before they fork) when there is a last site to link it from."""
    keys = {number: before.key(project.pages[number], _template_for(project.pages[number], _RENDERING["templates"]))
            for number in numbers}
    if writer.previous is not None:
        _RENDERING["earlier"] = {number: earlier for number, key in keys.items()
                                 for earlier in [before.earlier(key)] if earlier is not None}
    return keys


_RENDERING: dict = {}  # what a page is rendered with, set before rendering workers fork
# Pages that repay forking workers to render them (about 0.5 ms a page, against some 30 ms of CPU to fork the workers,
# taken from the drawing workers while they still draw): a site of 31 pages builds 0.04 s quicker in one process.
RENDERED_APART = 200


def _render_numbered(number: int) -> RenderedPage:
    """Render page `number` of the project into the writer (in a forked worker: into the staging folder), or link it
    from the last site when it was rendered before from the same inputs and is still there (see RenderedBefore)."""
    work, page = _RENDERING, _RENDERING["project"].pages[number]
    earlier = work.get("earlier", {}).get(number)
    if earlier is not None and work["writer"].add_from_before(page.url + "index.html", earlier.digest, page.doc.path):
        return RenderedPage(number, earlier.template, [], earlier.scan, earlier.digest)
    report = Report()
    template = _template_for(page, work["templates"])
    html = _render_page(page, work["bodies"][page.url], template, work["project"], work["env"], work["figures"],
                        work["base_url"], work["shared"], report)
    if html is None or not _add(work["writer"], page.url + "index.html", html, page.doc.path, report):
        return RenderedPage(number, None, report.errors, None)
    return RenderedPage(number, template, report.errors, PageScan(page_links(html), csp_problem(html)),
                        hashlib.sha256(html.encode("utf-8")).hexdigest())


def _shows_pictures(page: Page, bodies: dict[str, PageBody]) -> bool:
    """Whether a page shows a chart or is a trial page (whose card and printed tables come from the pictures)."""
    body = bodies.get(page.url)
    return page.kind == "trial" or body is not None and any(isinstance(b, ChartRef) for b in body.blocks)


def _add_site_files(site: RenderedSite, env: jinja2.Environment, project: Project, bodies: dict[str, PageBody],
                    shared: SiteParts, base_url: str, report: Report) -> None:
    """The author report, 404.html, robots.txt, the sitemap and .nojekyll."""
    # The author report holds every warning and notice: all are known once the pages are converted (rendering, the
    # link check and search add errors only, which stop the build). No reader page links to it.
    authors = _render_or_report(env, "report.html", author_report(project, bodies, report.warnings, report.notices),
                                report)
    if authors is not None:
        site.writer.add(REPORT, authors)
    missing = _render_or_report(env, "404.html", not_found_context(project, shared, base_url), report)
    if missing is not None:
        site.writer.add("404.html", missing)
    site.writer.add("robots.txt", wording.ROBOTS.format(path=base_path_of(base_url), sitemap=absolute(base_url,
                                                                                                     "sitemap.xml")))
    sitemap = _render_or_report(env, "sitemap.xml", _sitemap(project, base_url), report)
    if sitemap is not None:
        site.writer.add("sitemap.xml", sitemap)
    site.writer.add(".nojekyll", "")


def _add_search_index(site: RenderedSite, indexing: Indexing, report: Report) -> None:
    """Wait for the index and add it to the site."""
    try:
        index = indexing.result()
    except SearchError as exc:
        report.errors.append(SourceError(indexing.origin, 1, "(search)", str(exc)))
        return
    for path, made in index.items():
        site.writer.move_in(path, made, indexing.origin)


def check_output(site: RenderedSite, project: Project, base_url: str, report: Report) -> None:
    """Every page keeps the content security policy; every internal link and anchor leads somewhere."""
    for page in site.pages:
        name = page.url + "index.html"
        weak = site.scans[name].weak_policy if name in site.scans else csp_problem(site.writer.files[name].decode())
        if weak:  # the policy is what keeps any script out of the pages: a template must not drop it
            report.errors.append(SourceError(f"templates/{site.templates[page.url]}", 1, "template", weak, ref="csp"))
    # Links to what was not made because of an error already reported, and links on a line that already has
    # an error (say, a shortcode inside the address), would only repeat that error.
    unmade = {url + "index.html" for url in project.page_urls}
    unmade |= {"index.html", "glossary/index.html", "sources/index.html"}  # required: reported when missing
    unmade |= {_csv_path(t.id, c.id) for t in project.trials.values() for c in t.charts}
    unmade |= {prefix for e in report.errors for prefix in [_output_of(e.path)] if prefix is not None}
    lines = {(e.path, e.line) for e in report.errors}
    report.errors += [e for e in check_links(site.writer.files, site.pages, base_path_of(base_url), frozenset(unmade),
                                             {name: scan.links for name, scan in site.scans.items()})
                      if (e.path, e.line) not in lines]


def _output_of(input_path: str) -> str | None:
    """The site path (a file, or a folder ending in '/') made from an input file or folder, if any."""
    parts = input_path.split("/")
    if parts[0] == "static":
        return input_path
    if parts[:2] == ["data", "trials"] and len(parts) == 3:
        return f"trials/{parts[2].removesuffix('.yaml')}/"
    if parts[0] != "content" or len(parts) == 1:
        return None
    if parts[1:] == ["index.md"]:
        return "index.html"
    return "/".join(part.removesuffix(".md") for part in parts[1:]) + "/"  # content/trials/x.md -> trials/x/


def _csv_path(trial_id: str, chart_id: str) -> str:
    """Where a chart's CSV file goes in the site."""
    return f"trials/{trial_id}/data/{chart_id}.csv"


def _render_page(page: Page, body: PageBody, template: str, project: Project, env: jinja2.Environment,
                 figures: Mapping[tuple[str, str], Figure], base_url: str, shared: SiteParts,
                 report: Report) -> str | None:
    """One page's context and template; errors are collected, not raised."""
    blocks = [FigureBlock(figures[(b.trial.id, b.chart_id)],
                          relative(page.url, _csv_path(b.trial.id, b.chart_id)))
              if isinstance(b, ChartRef) else b for b in body.blocks]
    trial = project.trials.get(page.meta.trial or "") if page.kind == "trial" else None
    printed = [FigureBlock(figures[(trial.id, chart_id)], relative(page.url, _csv_path(trial.id, chart_id)))
               for chart_id in trial.printout.tables] if trial and trial.printout else []
    try:
        return render(env, template, build_page_context(page, blocks, project, base_url, shared, body.headings,
                                                        body.terms, printed))
    except Exception as exc:  # noqa: BLE001 - a template's own runtime error is the author's; others are ours
        report.errors.append(_template_error(exc))
        return None


def _render_or_report(env: jinja2.Environment, name: str, context: object, report: Report) -> str | None:
    """Render one template, turning its errors into the author's errors."""
    try:
        return render(env, name, context)
    except Exception as exc:  # noqa: BLE001 - see _template_error
        report.errors.append(_template_error(exc))
        return None


def _template_for(page: Page, templates: set[str]) -> str:
    """Its kind's template (index.html, trial.html, ...); a plain page uses <slug>.html when there is one, unless that
    is the layout or a file the build makes itself (a page named '404' is a page like any other)."""
    own = f"{page.slug}.html"
    if page.kind == "page" and own in templates and own not in NOT_PAGE_TEMPLATES:
        return own
    return PAGE_KINDS[page.kind].template


NOT_PAGE_TEMPLATES = {"base.html", "404.html", "report.html"}  # the layout, the page not found, the author report


def _template_error(exc: Exception) -> SourceError:
    """Point a template error at its template file and line; an error raised outside any template is ours."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if "/templates/" in frame.filename.replace("\\", "/"):
                name, line = frame.filename, frame.lineno
                break
    if isinstance(exc, jinja2.TemplateNotFound):
        return _missing_template(exc, name, line)
    if isinstance(exc, OSError) and exc.filename:  # a template file that cannot be read
        return SourceError(_template_path(str(exc.filename)), 1, "(file)", f"cannot be read: {unreadable(exc)}")
    if name is None and not isinstance(exc, jinja2.TemplateError):
        raise exc  # not the template's doing: a bug of ours, reported as an internal error
    path = _template_path(name or "")
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    # Jinja names our Python classes ("'trialsite.context.PageContext object' has no attribute 'x'"); say it plainly.
    message = re.sub(r"'[\w.]+ object' has no attribute '(\w+)'", lambda m: _no_such_name(m.group(1)), message)
    message = re.sub(r"access to attribute '(\w+)' of '[\w.]+' object is unsafe\.",
                     r"templates may not use '\1': names that start with '_' reach into Python itself", message)
    if not isinstance(exc, jinja2.TemplateError):
        message = f"the template stopped with an error: {message or 'no details'}"
    return SourceError(path, line or 1, "template", message)


def _no_such_name(name: str) -> str:
    """A name a template used that this page's context lacks, and which pages have it, if any."""
    owners = pages_with(name)
    plural = len(owners) > 1 or (owners and owners[0].endswith("s"))
    only = f": only {' and '.join(owners)} {'have' if plural else 'has'} it" if owners else ""
    return f"there is no '{name}' here{only} (the names a template can use are listed in trialsite/context.py)"


def _missing_template(exc: jinja2.TemplateNotFound, includer: str | None, line: int | None) -> SourceError:
    """A template that is not there: blamed on the template that asks for it, or on the missing file itself."""
    wanted = exc.name if isinstance(exc.name, str) else ([None] + list(getattr(exc, "templates", [])))[-1]
    if not isinstance(wanted, str):  # e.g. {% include none %}
        return SourceError(_template_path(includer or "templates"), line or 1, "template",
                           "names no template to use; give a template name in quotes")
    if includer:
        return SourceError(_template_path(includer), line or 1, "template",
                           f"uses 'templates/{wanted}', which is missing", ref=f"template:{wanted}")
    return SourceError(f"templates/{wanted}", 1, "(file)", "file is missing: the build needs this template",
                       ref=f"template:{wanted}")


def _template_path(name: str) -> str:
    """A template's file name as the author sees it, e.g. templates/partials/_chart.html."""
    norm = name.replace("\\", "/")
    return "templates/" + norm.rsplit("/templates/", 1)[-1] if "/templates/" in norm else (norm or "templates")


def _add(writer: SiteWriter, rel_path: str, content: str | bytes, origin: str, report: Report) -> bool:
    """Queue a file; a second write to the same path is an error, not an overwrite."""
    try:
        writer.add(rel_path, content, origin)
        return True
    except OutputCollision as exc:
        report.errors.append(SourceError(origin, 1, "(output)", str(exc)))
        return False


def build_date() -> dt.date:
    """The build's day (manifest.build_day: the no-op check before the build reads the same day)."""
    return build_day()


def overdue_reviews(project: Project, today: dt.date) -> list[SourceError]:
    """A page whose review date has passed: said at its `next_review` line, never a failure (even with --strict)."""
    due = "the review was due on {}; check the page against its sources, then set last_reviewed and next_review"
    return [page.doc.meta.index.error(("next_review",), due.format(wording.long_date(page.meta.next_review)))
            for page in project.pages if page.meta.next_review < today]


def changed_since_review(project: Project) -> list[SourceError]:
    """A page that changed after its clinical review: said at `approved`, with the code to approve it again."""
    found = []
    for page in project.pages:
        review, now = page.meta.clinical_review, code_to_approve(page, project)
        if review is not None and now is not None:
            found.append(page.doc.meta.index.error(("clinical_review", "approved"), (
                f"the page or its trial's data changed after the clinical review of {wording.long_date(review.date)} "
                f"(approved {review.approved}, now {now}); readers see that it changed. When a clinician has checked "
                f'it again, set approved: "{now}" and the date')))
    return found


def _missing_required_pages(project: Project) -> list[SourceError]:
    """Glossary links and source links need their pages; every footer links to the about page (who pays for the
    site), the corrections log and how the pages are made and updated; and every site has a home page."""
    errors = []
    for slug in ("glossary", "sources", "about", "corrections", "how-we-work"):
        if f"{slug}/" not in project.page_urls:  # when it exists but is broken, its own errors say why
            errors.append(SourceError(f"content/{slug}.md", 1, "(file)",
                                      f"file is missing: every site has {'an' if slug[0] in 'aeiou' else 'a'} "
                                      f"{slug} page"))
    if "" not in project.page_urls:
        errors.append(SourceError("content/index.md", 1, "(file)", "file is missing: the home page"))
    return errors


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str


def _sitemap(project: Project, base_url: str) -> list[SitemapEntry]:
    """sitemap.xml entries: each page's address with its last review date (the template escapes them)."""
    return [SitemapEntry(absolute(base_url, p.url), p.meta.last_reviewed.isoformat())
            for p in sorted(project.pages, key=lambda p: p.url)]
