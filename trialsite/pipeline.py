"""The whole build: load and validate -> render everything, collecting every error -> write only if there is none."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .content import render_page
from .context import base_path_of, build_page_context
from .errors import SourceError
from .figures import Figure, make_figure
from .links import check_links
from .project import Page, Project, load_project
from .render import make_environment, render
from .schema import Trial
from .write import OutputCollision, SiteWriter


@dataclass
class BuildResult:
    """What a build found and did."""

    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    files: int = 0
    grades: dict[str, float] = field(default_factory=dict)

    def failed(self, strict: bool) -> bool:
        """A build fails on any error, and on any warning in strict mode."""
        return bool(self.errors) or (strict and bool(self.warnings))


def build(root: Path, out: Path, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Build the project at `root` into `out`; leave `out` untouched unless everything succeeded."""
    # Validate every input first; pages are still rendered when only some trials are broken, so an
    # author sees the data errors and the page errors in one run. Nothing is written unless all is clean.
    project, errors = load_project(root)
    if project is None:
        return BuildResult(errors=sorted(errors))
    base_url = base_url or project.site.base_url
    if not base_url.endswith("/") or "://" not in base_url:
        return BuildResult(errors=[SourceError("site.yaml", 1, "base_url", f"'{base_url}' must be an absolute URL ending in '/'")])
    result = BuildResult(errors=list(errors))
    env = make_environment(root / "templates")
    citations = {key: source.citation for key, source in project.sources.items()}
    figures = {(t.id, c.id): make_figure(t, c, citations) for t in project.trials.values() for c in t.charts}
    writer = SiteWriter()
    # Render every page before writing any file: a failure half way must not leave half a site.
    for page in project.pages:
        if page.meta.trial in project.broken_trials:
            continue
        html = _render_page(page, project, env, figures, base_url, result)
        if html is not None:
            _add(writer, page.url + "index.html", html, page.doc.path, result)
    for (trial_id, _), figure in sorted(figures.items()):
        _add(writer, f"trials/{trial_id}/data/{figure.csv_name}", figure.csv, "data/trials", result)
    _check_required_pages(project, result)
    if (root / "static").is_dir():
        writer.add_tree(root / "static", "static")
    writer.add("sitemap.xml", _sitemap(project, base_url))
    writer.add(".nojekyll", "")
    if not result.errors:
        result.errors += check_links(writer.files, project.pages, base_path_of(base_url))
    # One broken template fails every page that uses it: say so once.
    result.errors = sorted(set(result.errors))
    result.warnings = sorted(set(result.warnings))
    if result.failed(strict):
        return result
    writer.commit(out)
    result.files = len(writer.files)
    return result


def _render_page(page: Page, project: Project, env: jinja2.Environment, figures: dict, base_url: str,
                 result: BuildResult) -> str | None:
    """Markdown, then the page template; errors are collected, not raised."""
    base_path = base_path_of(base_url)

    def chart_html(trial: Trial, chart_id: str) -> str:
        figure: Figure = figures[(trial.id, chart_id)]
        csv_url = f"{base_path}trials/{trial.id}/data/{figure.csv_name}"
        return str(env.get_template("partials/_chart.html").module.figure(figure, csv_url))

    try:
        body = render_page(page, project, base_path, chart_html)
        result.errors += body.errors
        result.warnings += body.warnings
        result.grades[page.doc.path] = body.grade
        context = build_page_context(page, Markup(body.html), project, base_url)
        return render(env, _template_for(page, env), context)
    except jinja2.TemplateError as exc:
        result.errors.append(_template_error(exc))
        return None


def _template_for(page: Page, env: jinja2.Environment) -> str:
    """index.html for home, trial.html, explainer.html, <slug>.html if a page has its own, else page.html."""
    if page.kind == "home":
        return "index.html"
    if page.kind in ("trial", "explainer"):
        return f"{page.kind}.html"
    own = f"{page.slug}.html"
    return own if own in env.list_templates() else "page.html"


def _template_error(exc: jinja2.TemplateError) -> SourceError:
    """Point a template error at its template file and line."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if "templates" in frame.filename.replace("\\", "/"):
                name, line = frame.filename, frame.lineno
                break
    norm = (name or "").replace("\\", "/")
    path = "templates/" + norm.rsplit("/templates/", 1)[-1] if "/templates/" in norm else (norm or "templates")
    return SourceError(path, line or 1, "template", exc.message or str(exc))


def _add(writer: SiteWriter, rel_path: str, content: str, origin: str, result: BuildResult) -> None:
    """Queue a file; a second write to the same path is an error, not an overwrite."""
    try:
        writer.add(rel_path, content)
    except OutputCollision as exc:
        result.errors.append(SourceError(origin, 1, "(output)", str(exc)))


def _check_required_pages(project: Project, result: BuildResult) -> None:
    """Glossary links and source links need their pages."""
    slugs = {p.slug for p in project.pages if p.kind == "page"}
    for slug in ("glossary", "sources"):
        if slug not in slugs:
            result.errors.append(SourceError(f"content/{slug}.md", 1, "(file)", f"file is missing: every site has a {slug} page"))
    if not any(p.kind == "home" for p in project.pages):
        result.errors.append(SourceError("content/index.md", 1, "(file)", "file is missing: the home page"))


def _sitemap(project: Project, base_url: str) -> str:
    """sitemap.xml with each page's last review date as lastmod."""
    entries = "".join(
        f"  <url><loc>{base_url}{p.url}</loc><lastmod>{p.meta.last_reviewed.isoformat()}</lastmod></url>\n"
        for p in sorted(project.pages, key=lambda p: p.url))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n")
