"""Load and validate every input of a project into one object, collecting all errors."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check_trial
from .errors import SourceError, unknown
from .inputs import input_file, input_files
from .model import share_field_sets
from .read import LineIndex, MarkdownDoc, YamlDoc, read_markdown, read_yaml, rel_path
from .schema import (
    OWN_WORDING,
    SLUG,
    Correction,
    CorrectionLog,
    FrontMatter,
    Glossary,
    M,
    Site,
    Source,
    SourceList,
    Term,
    Trial,
    validate,
)


@dataclass
class Page:
    """One Markdown page with validated front matter."""

    kind: str  # a name in PAGE_KINDS: "home", "page", "explainer", "trial", ...
    slug: str
    doc: MarkdownDoc
    meta: FrontMatter

    @property
    def url(self) -> str:
        """Address relative to the site root, ending in '/' (empty for the home page)."""
        return page_url(self.kind, self.slug)


def page_url(kind: str, slug: str) -> str:
    """The address of a page of this kind and file name, relative to the site root."""
    return PAGE_KINDS[kind].address.format(slug=slug)


@dataclass(frozen=True)
class PageKind:
    """One kind of page: the folder its Markdown files are in, its address and its template."""

    name: str
    folder: str  # e.g. 'content/explainers'
    address: str  # relative to the site root, with {slug} for the file name: 'explainers/{slug}/'
    template: str  # in templates/; a plain page uses '<file name>.html' instead when there is one


PAGE_KINDS: dict[str, PageKind] = {}
# Folders of the site that the build itself fills, so that no page of content/ may take their address.
BUILT_FOLDERS = {"report": "the report for authors", "pagefind": "the search index", "static": "the files of static/"}


def register_page_kind(kind: PageKind) -> PageKind:
    """Add a kind of page to the registry (a new kind needs a template; see docs/architecture.md)."""
    PAGE_KINDS[kind.name] = kind
    return kind


register_page_kind(PageKind("home", "content", "", "index.html"))  # content/index.md
register_page_kind(PageKind("page", "content", "{slug}/", "page.html"))
register_page_kind(PageKind("explainer", "content/explainers", "explainers/{slug}/", "explainer.html"))
register_page_kind(PageKind("trial", "content/trials", "trials/{slug}/", "trial.html"))


def _kind_in(folder: str) -> str | None:
    """The kind of the pages a content folder holds (content/index.md itself is the home page)."""
    return next((k.name for k in PAGE_KINDS.values() if k.folder == folder and k.name != "home"), None)


@dataclass
class Project:
    """Everything the build knows about, validated."""

    root: Path
    site: Site
    sources: dict[str, Source]
    glossary: dict[str, Term]  # lower-case term or alias -> entry
    terms: list[Term]
    trials: dict[str, Trial]
    pages: list[Page] = field(default_factory=list)
    broken_trials: set[str] = field(default_factory=set)
    page_urls: set[str] = field(default_factory=set)  # of every page content/ names, loaded or not
    corrections: list[Correction] = field(default_factory=list)


def term_anchor(term: Term) -> str:
    """Anchor of a glossary entry, e.g. 'term-progression-free-survival'."""
    # Letters of any script count, so α-blocker and β-blocker get different anchors.
    return "term-" + re.sub(r"[\W_]+", "-", term.term.lower()).strip("-")


FOLDERS = {"content": "it holds the pages", "data": "it holds the trials, the sources and the glossary"}


def load_project(root: Path) -> tuple[Project | None, list[SourceError]]:
    """Read site.yaml, data/ and content/; validate all of it; return every error found.

    The project comes back even with errors when the site can still be rendered, so that the
    pages' own errors are found in the same run; trials with errors are left out of it.
    """
    errors: list[SourceError] = []
    site, site_doc = _load_model(root, "site.yaml", Site, errors)
    missing = [name for name in FOLDERS if not (root / name).is_dir() and not (root / name).is_symlink()]
    if missing:  # every file inside would be reported missing too: say it once, for the folder
        return None, errors + [SourceError(name, 1, "(folder)", "is a file; it must be a folder"
                                           if (root / name).exists() else f"folder is missing: {FOLDERS[name]}")
                               for name in missing]
    source_list, _ = _load_model(root, "data/sources.yaml", SourceList, errors)
    glossary_model, glossary_doc = _load_model(root, "data/glossary.yaml", Glossary, errors)
    log, log_doc = _load_model(root, "data/corrections.yaml", CorrectionLog, errors)
    sources = {s.key: s for s in source_list.sources} if source_list else {}
    # When a file of keys is broken, references to it are not checked: its own errors are the cause.
    known_sources = set(sources) if source_list else None
    if site is not None and site_doc is not None and known_sources is not None:
        unknown_support = [(i, c.source) for i, c in enumerate(site.support) if c.source not in known_sources]
        errors += [site_doc.index.error(("support", i, "source"), unknown_source(key), ref=f"source:{key}")
                   for i, key in unknown_support]
        site = None if unknown_support else site  # the trial pages could not cite it
    before = len(errors)
    glossary = _glossary_index(glossary_model, glossary_doc, known_sources, errors)
    glossary_broken = len(errors) > before  # e.g. a term cites an unknown source: the glossary page cannot show it
    known_terms = set(glossary) if glossary_model else None
    trials, broken = {}, set()
    data_files = input_files(root, "data", errors)
    if any(e.field == "(folder)" for e in errors):  # an unreadable folder: pages would only report its trials unknown
        return None, errors
    for path in [p for p in data_files if p.parent == root / "data" / "trials" and p.suffix != ".yaml"]:
        errors.append(SourceError(rel_path(path, root), 1, "(file name)", "a trial file ends in .yaml"))
    for path in [p for p in data_files if p.parent == root / "data" / "trials" and p.suffix == ".yaml"]:
        if not SLUG.match(path.stem):  # the trial's id, and so its address, must be the file name
            errors.append(SourceError(rel_path(path, root), 1, "(file name)", _slug_message(path.stem, ".yaml")))
            broken.add(path.stem)
            continue
        trial, _, found = _load_trial(path, root, known_sources, known_terms)
        errors += found
        if found or trial is None:
            broken.add(path.stem)  # pages that use it are not rendered, so they add no errors of their own
            continue
        share_field_sets(trial)
        trials[trial.id] = trial
    pages, page_urls = _load_pages(root, known_sources, set(trials) | broken, errors)
    content_unread = any(e.path.startswith("content") and e.field in ("(file)", "(folder)") for e in errors)
    if log is not None and log_doc is not None and not content_unread:  # else its pages' addresses are not all known
        addresses = {url or '""' for url in page_urls}  # the home page's address is written ""
        errors += [log_doc.index.error(("corrections", i, "page"), unknown("page address", c.page, addresses))
                   for i, c in enumerate(log.corrections) if c.page is not None and c.page not in page_urls]
    # Without the site settings, sources and glossary no page can be rendered; otherwise go on, to find more errors.
    if site is None or source_list is None or glossary_model is None or glossary_broken or log is None:
        return None, errors
    terms = glossary_model.terms if glossary_model else []
    return Project(root, site, sources, glossary, terms, trials, pages, broken, page_urls, log.corrections), errors


def _load_trial(path: Path, root: Path, source_keys: set[str] | None, glossary: set[str] | None):
    """Read, validate and cross-check one trial file: (trial or None, doc, errors)."""
    doc, errors = read_yaml(path, root)
    if doc is None:
        return None, None, errors
    trial, found = validate(Trial, doc)
    errors += found
    if trial is None:
        return None, doc, errors
    if trial.id != path.stem:
        errors.append(doc.index.error(("id",), f"must match the file name '{path.stem}'"))
    return trial, doc, errors + check_trial(trial, doc.index, source_keys, glossary)


def _load_model(root: Path, rel: str, model: type[M], errors: list) -> tuple[M | None, YamlDoc | None]:
    """Read one YAML file and validate it against a model; (None, doc) when anything is wrong."""
    path = input_file(root, rel, errors)
    if path is None:
        return None, None
    doc, found = read_yaml(path, root)
    errors += found
    if doc is None:
        return None, None
    value, found = validate(model, doc)
    errors += found
    return value, doc


def _glossary_index(glossary: Glossary | None, doc, sources, errors: list) -> dict[str, Term]:
    """Map every term and alias, lower-cased, to its entry; duplicates and unknown sources are errors."""
    if glossary is None:
        return {}
    index: dict[str, Term] = {}
    for i, term in enumerate(glossary.terms):
        if term.source != OWN_WORDING and sources is not None and term.source not in sources:
            errors.append(doc.index.error(("terms", i, "source"), unknown_source(term.source),
                                          ref=f"source:{term.source}"))
        anchor = term_anchor(term)
        same = next((t for t in glossary.terms[:i] if term_anchor(t) == anchor), None)
        if same is not None:
            errors.append(doc.index.error(("terms", i, "term"), f"'{term.term}' and '{same.term}' would share the "
                                                               f"address #{anchor}; reword one of them"))
        if term.abbreviation and term.stands_for:
            errors.append(doc.index.error(("terms", i, "stands_for"), "give 'abbreviation' (the short form of the "
                                          "term) or 'stands_for' (when the term is the short form), not both"))
        for name in link_names(term):
            if name.lower() in index:
                errors.append(doc.index.error(("terms", i, "term"), f"'{name}' is already defined"))
            index[name.lower()] = term
    return index


def link_names(term: Term) -> list[str]:
    """Every name a page may link an entry by: the term, its abbreviation or what it stands for, its aliases."""
    short_or_long = term.abbreviation or term.stands_for  # an entry with both is an error, reported once
    return [term.term, *([short_or_long] if short_or_long else []), *term.aliases]


def abbreviations(terms: list[Term]) -> dict[str, tuple[str, Term]]:
    """Each abbreviation the glossary knows, with the words it stands for and its entry: PFS -> progression-free
    survival, HER2 -> human epidermal growth factor receptor 2."""
    found = {}
    for term in terms:
        if term.abbreviation:
            found[term.abbreviation] = (term.term, term)
        elif term.stands_for:
            found[term.term] = (term.stands_for, term)
    return found


def unknown_source(key: str) -> str:
    """Message for a source key that data/sources.yaml does not define."""
    return f"unknown source '{key}' (not in data/sources.yaml)"



def _load_pages(root: Path, source_keys: set[str] | None, trials: set[str],
                errors: list) -> tuple[list[Page], set[str]]:
    """Read the Markdown files of every page kind's folder (content/, content/explainers/, ...); names become addresses.

    Also gives the address of every page named, even one whose front matter is broken: links to it are not
    reported as broken, since its own errors are the cause.
    """
    pages, urls = [], set()
    for path in input_files(root, "content", errors):
        kind = _kind_in(rel_path(path.parent, root))
        if kind is None or path.suffix != ".md":
            errors.append(SourceError(rel_path(path, root), 1, "(file name)", _not_a_page(path, root)))
            continue
        if not SLUG.match(path.stem):
            errors.append(SourceError(rel_path(path, root), 1, "(file name)", _slug_message(path.stem)))
            continue
        if kind == "page" and path.stem in BUILT_FOLDERS:
            errors.append(SourceError(rel_path(path, root), 1, "(file name)",
                                      f"the address '{path.stem}/' holds {BUILT_FOLDERS[path.stem]}, which the build "
                                      f"makes; give the page another name, such as '{path.stem}-page.md'"))
            continue
        urls.add(page_url("home" if kind == "page" and path.stem == "index" else kind, path.stem))
        page = _load_page(kind, path, root, source_keys, trials, errors)
        if page is not None:
            pages.append(page)
    return pages, urls


def _not_a_page(path: Path, root: Path) -> str:
    """Why a file in content/ is not read as a page."""
    if _kind_in(rel_path(path.parent, root)) is None:
        folders = list(dict.fromkeys(f"{k.folder}/" for k in PAGE_KINDS.values()))
        return (f"pages go in {', '.join(folders[:-1])} or {folders[-1]}; other files, such as images, "
                "go in static/")
    return f"'{path.name}' is not a page: pages end in .md; other files, such as images, go in static/"


def _slug_message(stem: str, suffix: str = ".md") -> str:
    """Why a file name cannot become a web address, with a name that can."""
    better = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    hint = f", such as '{better}{suffix}'" if better else ""
    return (f"'{stem}' cannot be part of a web address; name the file with lower-case letters, digits "
            f"and hyphens{hint}")


def _trial_problem(kind: str, trial: str | None, trials: set[str]) -> str | None:
    """What is wrong with a page's `trial` field, if anything."""
    if kind != "trial":
        return "only pages in content/trials/ present a trial" if trial is not None else None
    if trial is None:
        return "required field is missing (a trial page names its trial)"
    if trial not in trials:
        return f"unknown trial '{trial}' (known: {', '.join(sorted(trials)) or 'none'})"
    return None


def _load_page(kind, path, root, source_keys, trials, errors) -> Page | None:
    """Read one page and check its front matter."""
    doc, found = read_markdown(path, root)
    errors += found
    if doc is None:
        return None
    meta, found = validate(FrontMatter, doc.meta)
    errors += found
    if meta is None:
        return None
    index: LineIndex = doc.meta.index
    for i, key in enumerate(meta.sources):
        if source_keys is not None and key not in source_keys:
            errors.append(index.error(("sources", i), unknown_source(key), ref=f"source:{key}"))
    if source_keys is not None:  # the page is still checked and rendered, without the unknown sources
        meta = meta.model_copy(update={"sources": [k for k in meta.sources if k in source_keys]})
    if meta.next_review <= meta.last_reviewed:
        errors.append(index.error(("next_review",), "must be after last_reviewed"))
    problem = _trial_problem(kind, meta.trial, trials)
    if problem:
        errors.append(index.error(("trial",), problem, ref=f"trial:{meta.trial}" if "unknown" in problem else None))
        return None  # its body cannot be checked without the right trial
    if kind == "page" and path.stem == "index":
        kind = "home"
    return Page(kind, path.stem, doc, meta)


def inputs_code(page: Page, trial: Trial | None) -> str:
    """Twelve hex characters that change whenever the page's words, its front matter (but its clinical review) or
    its trial's data change: what a clinical review approves."""
    meta = page.meta.model_dump(mode="json", exclude={"clinical_review"})
    parts = [page.doc.body, json.dumps(meta, sort_keys=True), trial.model_dump_json() if trial else ""]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:12]


def code_to_approve(page: Page, project: Project) -> str | None:
    """The page's inputs code when it changed after its clinical review; None when unreviewed or unchanged."""
    review = page.meta.clinical_review
    if review is None:
        return None
    now = inputs_code(page, project.trials.get(page.meta.trial) if page.meta.trial else None)
    return now if now != review.approved else None
