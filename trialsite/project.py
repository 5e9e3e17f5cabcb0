"""Load and validate every input of a project into one object, collecting all errors."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check_trial
from .errors import SourceError
from .load import LineIndex, MarkdownDoc, read_markdown, read_yaml
from .schema import FrontMatter, Glossary, Site, Source, SourceList, Term, Trial, validate


@dataclass
class Page:
    """One Markdown page with validated front matter."""

    kind: str  # "home", "page", "explainer" or "trial"
    slug: str
    doc: MarkdownDoc
    meta: FrontMatter

    @property
    def url(self) -> str:
        """Address relative to the site root, ending in '/' (empty for the home page)."""
        return {"home": "", "page": f"{self.slug}/", "explainer": f"explainers/{self.slug}/",
                "trial": f"trials/{self.slug}/"}[self.kind]


@dataclass
class Project:
    """Everything the build knows about, validated."""

    root: Path
    site: Site
    sources: dict[str, Source]
    glossary: dict[str, Term]  # lower-case term or alias -> entry
    terms: list[Term]
    trials: dict[str, Trial]
    trial_files: dict[str, str] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)


def term_anchor(term: Term) -> str:
    """Anchor of a glossary entry, e.g. 'term-progression-free-survival'."""
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.term.lower()).strip("-")


def load_project(root: Path) -> tuple[Project | None, list[SourceError]]:
    """Read site.yaml, data/ and content/; validate all of it; return every error found."""
    errors: list[SourceError] = []
    site, _ = _load_model(root / "site.yaml", root, Site, errors)
    source_list, _ = _load_model(root / "data" / "sources.yaml", root, SourceList, errors)
    glossary_model, glossary_doc = _load_model(root / "data" / "glossary.yaml", root, Glossary, errors)
    sources = {s.key: s for s in source_list.sources} if source_list else {}
    glossary = _glossary_index(glossary_model, glossary_doc, sources, errors)
    trials, trial_files = {}, {}
    for path in sorted((root / "data" / "trials").glob("*.yaml")):
        doc, found = read_yaml(path, root)
        errors += found
        trial, found = validate(Trial, doc) if doc else (None, [])
        errors += found
        if trial is None:
            continue
        if trial.id != path.stem:
            errors.append(doc.index.error(("id",), f"must match the file name '{path.stem}'"))
        errors += check_trial(trial, doc.index, set(sources), set(glossary))
        trials[trial.id] = trial
        trial_files[trial.id] = doc.index.path
    # A page naming a trial whose file has errors gets no second error of its own.
    trial_ids = {p.stem for p in (root / "data" / "trials").glob("*.yaml")}
    pages = _load_pages(root, set(sources), trial_ids, errors)
    if errors or site is None:
        return None, errors
    terms = glossary_model.terms if glossary_model else []
    return Project(root, site, sources, glossary, terms, trials, trial_files, pages), errors


def _load_model(path: Path, root: Path, model, errors: list):
    """Read one YAML file and validate it against a model; (None, doc) when anything is wrong."""
    if not path.exists():
        errors.append(SourceError(path.relative_to(root).as_posix(), 1, "(file)", "file is missing"))
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
        if term.source and term.source not in sources:
            errors.append(doc.index.error(("terms", i, "source"), f"unknown source '{term.source}' (not in data/sources.yaml)"))
        for name in [term.term, *term.aliases]:
            if name.lower() in index:
                errors.append(doc.index.error(("terms", i, "term"), f"'{name}' is already defined"))
            index[name.lower()] = term
    return index


def _load_pages(root: Path, source_keys: set[str], trials: set[str], errors: list) -> list[Page]:
    """Read content/*.md, content/explainers/*.md and content/trials/*.md."""
    content = root / "content"
    found: list[tuple[str, Path]] = [("page", p) for p in sorted(content.glob("*.md"))]
    found += [("explainer", p) for p in sorted((content / "explainers").glob("*.md"))]
    found += [("trial", p) for p in sorted((content / "trials").glob("*.md"))]
    pages = []
    for kind, path in found:
        page = _load_page(kind, path, root, source_keys, trials, errors)
        if page is not None:
            pages.append(page)
    return pages


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
        if key not in source_keys:
            errors.append(index.error(("sources", i), f"unknown source '{key}' (not in data/sources.yaml)"))
    if meta.next_review <= meta.last_reviewed:
        errors.append(index.error(("next_review",), "must be after last_reviewed"))
    if kind == "trial":
        if meta.trial is None:
            errors.append(index.error(("trial",), "required field is missing (a trial page names its trial)"))
        elif meta.trial not in trials:
            errors.append(index.error(("trial",), f"unknown trial '{meta.trial}' (known: {', '.join(sorted(trials)) or 'none'})"))
    elif meta.trial is not None:
        errors.append(index.error(("trial",), "only pages in content/trials/ present a trial"))
    if kind == "page" and path.stem == "index":
        kind = "home"
    return Page(kind, path.stem, doc, meta)
