"""The whole build: load and validate -> render everything, collecting every error -> write only if there is none."""
from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .context import FigureBlock, SiteParts, build_page_context, site_parts
from .errors import SourceError, one_per_cause, option_error
from .figures import make_figure
from .inputs import input_files
from .links import check_links
from .load import read_text, rel_path, unreadable
from .markdown_stage import ChartRef, convert_page
from .project import Page, Project, load_project
from .render import make_environment, render
from .sanitise import csp_problem
from .schema import base_url_problem
from .urls import absolute, base_path_of, relative
from .write import OutputCollision, OutputError, SiteWriter, output_problem, recover_interrupted


@dataclass
class BuildResult:
    """What a build found and did."""

    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    files: int = 0

    def failed(self, strict: bool) -> bool:
        """A build fails on any error, and on any warning in strict mode."""
        return bool(self.errors) or (strict and bool(self.warnings))


def build(root: Path, out: Path, base_url: str | None = None, strict: bool = False,
          out_label: str | None = None) -> BuildResult:
    """Build the project at `root` into `out`; leave `out` untouched unless everything succeeded."""
    root = root.resolve()
    out = out if out.is_absolute() else root / out
    # Refuse a wrong output folder or base URL before reading anything: these are the author's options, not files.
    out_label = str(out) if out_label is None else out_label
    if root_problem(root):
        return BuildResult(errors=[option_error("--root", root_problem(root))])
    problem = output_problem(root, out, out_label)
    if problem:
        return BuildResult(errors=[option_error("--out", problem)])
    if base_url is not None and base_url_problem(base_url):
        return BuildResult(errors=[option_error("--base-url", base_url_problem(base_url))])
    try:
        recover_interrupted(root, out, out_label)  # so that even a failing build leaves the last good site in place
    except OutputError as exc:
        return BuildResult(errors=[option_error("--out", str(exc))])
    # Validate every input first; pages are still rendered when only some trials are broken, so an
    # author sees the data errors and the page errors in one run. Nothing is written unless all is clean.
    project, errors = load_project(root)
    for template in input_files(root, "templates", errors):  # refuse links out, and text Jinja cannot read
        errors += read_text(template, rel_path(template, root))[1]
    if not (root / "templates").exists():
        errors.append(SourceError("templates", 1, "(folder)", "folder is missing: it holds the page templates"))
    static = input_files(root, "static", errors)
    if project is None or any(e.path == "templates" or e.path.startswith("templates/") for e in errors):
        return BuildResult(errors=one_per_cause(errors))
    base_url = base_url or project.site.base_url
    result = BuildResult(errors=list(errors))
    writer = _render_site(project, static, base_url, result)
    # One broken template fails every page that uses it: say so once. A missing key is reported once.
    result.errors = one_per_cause(result.errors)
    result.warnings = sorted(set(result.warnings))
    if result.failed(strict):
        return result
    try:
        writer.commit(out, root, out_label)
    except OutputError as exc:
        result.errors.append(option_error("--out", str(exc)))
        return result
    result.files = len(writer.files)
    return result


def root_problem(root: Path) -> str | None:
    """Why `root` is not a project folder: missing, a file, or holding none of a project's inputs."""
    if not root.is_dir():
        return f"'{root}' is not a folder"
    if not any((root / name).exists() for name in ("site.yaml", "data", "content")):
        return (f"'{root}' holds no site.yaml, data/ or content/, so it is not a trialsite project; "
                "run build.py in the project folder, or name that folder with --root")
    return None


def _render_site(project: Project, static: list[Path], base_url: str, result: BuildResult) -> SiteWriter:
    """Render every page, chart table and file of the site into memory, collecting errors."""
    root = project.root
    env = make_environment(root / "templates")
    citations = {key: source.citation for key, source in project.sources.items()}
    figures = {(t.id, c.id): make_figure(t, c, citations) for t in project.trials.values() for c in t.charts}
    writer = SiteWriter()
    shared = site_parts(project)  # once per build: no per-page work that grows with the number of pages
    # Render every page before writing any file: a failure half way must not leave half a site.
    for page in project.pages:
        if page.meta.trial in project.broken_trials:
            continue
        html = _render_page(page, project, env, figures, base_url, shared, result)
        if html is None:
            continue
        weak = csp_problem(html)
        if weak:  # the policy is what keeps any script out of the pages: a template must not drop it
            result.errors.append(SourceError(f"templates/{_template_for(page, env)}", 1, "template", weak, ref="csp"))
        _add(writer, page.url + "index.html", html, page.doc.path, result)
    for (trial_id, _), figure in sorted(figures.items()):
        _add(writer, f"trials/{trial_id}/data/{figure.csv_name}", figure.csv, f"data/trials/{trial_id}.yaml", result)
    _check_required_pages(project, result)
    for origin, field_name, message in writer.add_files(static, root / "static", "static", root):
        result.errors.append(SourceError(origin, 1, field_name, message))
    sitemap = _render_or_report(env, "sitemap.xml", _sitemap(project, base_url), result)
    if sitemap is not None:
        writer.add("sitemap.xml", sitemap)
    writer.add(".nojekyll", "")
    if not result.errors:
        result.errors += check_links(writer.files, project.pages, base_path_of(base_url))
    return writer


def _render_page(page: Page, project: Project, env: jinja2.Environment, figures: dict, base_url: str, shared: SiteParts,
                 result: BuildResult) -> str | None:
    """Markdown, then the page template; errors are collected, not raised."""
    body = convert_page(page, project)
    result.errors += body.errors
    result.warnings += body.warnings
    blocks = [FigureBlock(figures[(b.trial.id, b.chart_id)],
                          relative(page.url, f"trials/{b.trial.id}/data/{figures[(b.trial.id, b.chart_id)].csv_name}"))
              if isinstance(b, ChartRef) else b for b in body.blocks]
    try:
        context = build_page_context(page, blocks, project, base_url, shared)
        return render(env, _template_for(page, env), context)
    except Exception as exc:  # noqa: BLE001 - a template's own runtime error is the author's; others are ours
        result.errors.append(_template_error(exc))
        return None


def _render_or_report(env: jinja2.Environment, name: str, context: object, result: BuildResult) -> str | None:
    """Render one template, turning its errors into the author's errors."""
    try:
        return render(env, name, context)
    except Exception as exc:  # noqa: BLE001 - see _template_error
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
    message = re.sub(r"'[\w.]+ object' has no attribute '(\w+)'",
                     r"there is no '\1' here (the names a template can use are listed in trialsite/context.py)", message)
    message = re.sub(r"access to attribute '(\w+)' of '[\w.]+' object is unsafe\.",
                     r"templates may not use '\1': names that start with '_' reach into Python itself", message)
    if not isinstance(exc, jinja2.TemplateError):
        message = f"the template stopped with an error: {message or 'no details'}"
    return SourceError(path, line or 1, "template", message)


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


def _add(writer: SiteWriter, rel_path: str, content: str, origin: str, result: BuildResult) -> None:
    """Queue a file; a second write to the same path is an error, not an overwrite."""
    try:
        writer.add(rel_path, content, origin)
    except OutputCollision as exc:
        result.errors.append(SourceError(origin, 1, "(output)", str(exc)))


def _check_required_pages(project: Project, result: BuildResult) -> None:
    """Glossary links and source links need their pages."""
    slugs = {p.slug for p in project.pages if p.kind == "page"}
    for slug in ("glossary", "sources"):
        if slug not in slugs:
            result.errors.append(SourceError(f"content/{slug}.md", 1, "(file)", f"file is missing: every site has a {slug} page"))
    if not (project.root / "content" / "index.md").exists():  # when it exists but is broken, its errors say why
        result.errors.append(SourceError("content/index.md", 1, "(file)", "file is missing: the home page"))


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str


def _sitemap(project: Project, base_url: str) -> list[SitemapEntry]:
    """sitemap.xml entries: each page's address with its last review date (the template escapes them)."""
    return [SitemapEntry(absolute(base_url, p.url), p.meta.last_reviewed.isoformat())
            for p in sorted(project.pages, key=lambda p: p.url)]
