"""Hostile input: script payloads in every free-text field and raw HTML in Markdown never run; each page has the CSP."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from browser_support import TRIAL_PAGE, page_url, serve, site_pages
from bs4 import BeautifulSoup
from conftest import copy_project

from trialsite.pipeline import build
from trialsite.schema import NOT_STATED, OWN_WORDING

pytestmark = pytest.mark.browser

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")
FIELD_PAYLOAD = (' <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
                 '<svg onload="window.__pwned=1">')
MARKDOWN_PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src="data:,x" onerror="window.__pwned=1" alt="x">',  # data: fails to load but passes the link check
    '<svg onload="window.__pwned=1"></svg>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<base href="https://evil.example/">',
    "[click](javascript:window.__pwned=1)",
    '<a href="javascript:window.__pwned=1">x</a>',
    '<object data="x"></object>',
    '<form action="https://evil.example/"><button>go</button></form>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<details open ontoggle="window.__pwned=1"><summary>s</summary>t</details>',
]
MARKDOWN_PAGE = "content/explainers/median.md"
# Chromium 156 logs "... violates the following Content Security Policy directive ..."; older ones "Refused to ...".
CSP_MESSAGE = re.compile(r"Refused to|Content Security Policy", re.IGNORECASE)
ACTIVE_TAGS = ["script", "iframe", "base", "object", "embed", "form", "style"]
HANDLER = re.compile(r"^on[a-z]+$", re.IGNORECASE)
SCRIPT_URL = re.compile(r"^(javascript|vbscript):", re.IGNORECASE)
SITE_SCRIPT = re.compile(r"^(\.\./)*static/js/glossary\.js$")  # the site's own, on pages with glossary words


@dataclass
class Visit:
    """What one page did in Chromium."""

    pwned: object = None
    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    windows: int = 0
    left_for: str | None = None
    charts: list[tuple[str, float]] = field(default_factory=list)


def _poison(value):
    """The value with FIELD_PAYLOAD appended to every string that contains a space (free text, not ids or keywords)."""
    if isinstance(value, dict):
        return {key: _poison(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_poison(item) for item in value]
    if isinstance(value, str) and " " in value and value not in (NOT_STATED, OWN_WORDING):
        return value + FIELD_PAYLOAD
    return value


def _dump(data) -> str:
    """YAML text that keeps dates as dates and the key order of the source."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _poison_project(project: Path) -> None:
    """Poison site.yaml, data/**/*.yaml and all front matter; append every raw-HTML attack to one Markdown page."""
    for path in [project / "site.yaml", *project.glob("data/**/*.yaml")]:
        path.write_text(_dump(_poison(yaml.safe_load(path.read_text(encoding="utf-8")))), encoding="utf-8")
    for path in project.glob("content/**/*.md"):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        path.write_text(f"---\n{_dump(_poison(yaml.safe_load(front)))}---\n{body}", encoding="utf-8")
    page = project / MARKDOWN_PAGE
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n\n".join(MARKDOWN_PAYLOADS) + "\n"
    page.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def payload_build(tmp_path_factory):
    """The tiny project with payloads everywhere, built non-strictly; returns (site folder, BuildResult)."""
    project = copy_project("tiny", tmp_path_factory.mktemp("payloads"))
    _poison_project(project)
    assert (project / "site.yaml").read_text().count("__pwned") >= 3, "the payload was not written into site.yaml"
    out = project / "_site"
    return out, build(project, out, base_url="https://example.org/")


@pytest.fixture(scope="session")
def payload_site(payload_build) -> Path:
    """The built payload site; fails when the build did not produce it."""
    site, result = payload_build
    assert not result.errors, "payload build failed:\n" + "\n".join(str(e) for e in result.errors)
    return site


def _visit_all(browser, site: Path) -> dict[str, Visit]:
    """Serve `site` and visit every page once; keyed by the page's path in the site."""
    server, origin = serve(site)
    try:
        return {page.as_posix(): _visit(browser, origin, page) for page in site_pages(site)}
    finally:
        server.shutdown()
        server.server_close()


def _visit(browser, origin: str, page_path: Path) -> Visit:
    """Open one page in a fresh context, open every <details>, and record scripts, dialogs, requests and CSP reports."""
    context, seen = browser.new_context(), Visit()
    context.on("dialog", lambda d: (seen.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    context.on("request", lambda r: None if _is_local(r.url, origin) else seen.foreign.append(r.url))
    context.on("console", lambda m: seen.csp.append(m.text) if CSP_MESSAGE.search(m.text) else None)
    page = context.new_page()
    url = page_url(origin, page_path)
    page.goto(url, wait_until="load")
    _open_all_details(page)
    page.wait_for_load_state("networkidle")
    seen.left_for = None if page.url == url else page.url
    seen.pwned = page.evaluate("window.__pwned")
    seen.windows = len(context.pages)
    seen.charts = [(svg.get_attribute("aria-labelledby") or "?", (svg.bounding_box() or {}).get("width", 0))
                   for svg in page.locator('svg[role="img"]').all()]
    context.close()
    return seen


def _is_local(url: str, origin: str) -> bool:
    """True for requests to the local server and for data: URLs."""
    return url.startswith(origin + "/") or url.startswith("data:")


def _open_all_details(page) -> None:
    """Click the summary of every closed <details> so that toggle handlers would fire."""
    for details in page.locator("details").all():
        if not details.evaluate("d => d.open"):
            details.locator("summary").first.click()


@pytest.fixture(scope="session")
def payload_visits(browser, payload_site) -> dict[str, Visit]:
    """Every page of the payload site, visited in Chromium."""
    return _visit_all(browser, payload_site)


@pytest.fixture(scope="session")
def real_visits(browser, real_site) -> dict[str, Visit]:
    """Every page of the real BOLERO-2 site, visited in Chromium."""
    return _visit_all(browser, real_site)


def _soups(site: Path) -> dict[str, BeautifulSoup]:
    """Every built HTML file, parsed, keyed by its path in the site."""
    files = sorted(site.glob("**/*.html"))
    assert files, f"no HTML files under {site}"
    return {f.relative_to(site).as_posix(): BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser") for f in files}


def _active_content(soup: BeautifulSoup) -> list[str]:
    """Elements and attributes that could run script, leave the site or be blocked by the CSP."""
    found = [f"<{tag.name}>" for tag in soup.find_all(ACTIVE_TAGS) if not _site_script(tag)]
    found += [f"<meta http-equiv={tag['http-equiv']}>" for tag in soup.find_all("meta", attrs={"http-equiv": True})
              if tag["http-equiv"].strip().lower() == "refresh"]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if HANDLER.match(name) or name == "style" or SCRIPT_URL.match(re.sub(r"[\s\x00-\x1f]", "", text)):
                found.append(f"<{tag.name} {name}={text[:60]!r}>")
    return found


def _site_script(tag) -> bool:
    """The site's own popover script: loaded from static/js in <head>, with nothing written inline."""
    return (tag.name == "script" and bool(SITE_SCRIPT.match(tag.get("src", ""))) and not tag.get_text()
            and tag.parent is not None and tag.parent.name == "head")


def _csp_problems(soup: BeautifulSoup) -> list[str]:
    """Problems with the page's CSP meta: missing, repeated, different, outside <head> or after another element."""
    metas = soup.find_all("meta", attrs={"http-equiv": re.compile(r"^\s*content-security-policy\s*$", re.IGNORECASE)})
    if len(metas) != 1:
        return [f"expected one CSP meta, found {len(metas)}"]
    meta, problems = metas[0], []
    if meta.get("content") != CSP:
        problems.append(f"CSP is {meta.get('content')!r}")
    if meta.parent is None or meta.parent.name != "head":
        problems.append("CSP meta is not a child of <head>")
    before = [t.name for t in meta.find_previous_siblings(True) if not (t.name == "meta" and t.has_attr("charset"))]
    if before:
        problems.append(f"CSP meta comes after {before}")
    return problems


def test_payload_build_has_no_errors(payload_build):
    """Payloads in every text field and raw HTML in Markdown give warnings at most, never a build error."""
    _, result = payload_build
    assert not result.errors, "payload build failed:\n" + "\n".join(str(e) for e in result.errors)


def test_payload_pages_run_no_script(payload_visits):
    """No page sets window.__pwned, opens a dialog or a window, or navigates away, even with every <details> opened."""
    problems = [f"{name}: window.__pwned={v.pwned!r}, dialogs={v.dialogs}, windows={v.windows}, left for {v.left_for}"
                for name, v in payload_visits.items()
                if v.pwned is not None or v.dialogs or v.windows != 1 or v.left_for]
    assert not problems, "payloads took effect:\n" + "\n".join(problems)


def test_payload_pages_request_nothing_from_other_hosts(payload_visits):
    """No payload page requests anything from, or navigates to, another host."""
    foreign = [f"{name}: {url}" for name, v in payload_visits.items() for url in v.foreign]
    assert not foreign, "requests to other hosts:\n" + "\n".join(foreign)


def test_payload_html_has_no_active_content(payload_site):
    """No built HTML has script (but the site's own popover script), iframe, base, object, embed, form, style or
    refresh elements, on* handlers, style attributes or javascript: URLs (text that merely shows the payload is
    fine)."""
    soups = _soups(payload_site)
    unshown = [name for name, soup in soups.items() if FIELD_PAYLOAD.strip() not in soup.get_text()]
    problems = [f"{name}: {item}" for name, soup in soups.items() for item in _active_content(soup)]
    assert not unshown, f"pages that do not show the field payload as text: {unshown}"
    assert not problems, "active content in the built HTML:\n" + "\n".join(problems)


def test_payload_pages_carry_the_csp(payload_site):
    """Every payload page has exactly one CSP meta, first in <head> after the charset, with the site's policy."""
    problems = [f"{page}: {p}" for page in site_pages(payload_site)
                for p in _csp_problems(BeautifulSoup((payload_site / page).read_text(encoding="utf-8"), "html.parser"))]
    assert not problems, "\n".join(problems)


def test_tiny_pages_carry_the_csp(built_tiny):
    """Every page of the tiny project carries the CSP meta with the site's policy (no browser needed)."""
    site, result = built_tiny
    assert not result.failed(strict=True), "\n".join(str(e) for e in result.errors + result.warnings)
    problems = [f"{page}: {p}" for page in site_pages(site)
                for p in _csp_problems(BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser"))]
    assert not problems, "\n".join(problems)


def test_real_charts_render_under_the_csp(real_visits):
    """Under the CSP every chart svg[role=img] on the BOLERO-2 page is drawn wider than 100 px."""
    charts = real_visits[TRIAL_PAGE].charts
    narrow = [f"{name}: {width}px" for name, width in charts if width <= 100]
    assert charts, f"no svg[role=img] on {TRIAL_PAGE}"
    assert not narrow, "charts not drawn under the CSP:\n" + "\n".join(narrow)


def test_real_site_has_no_csp_violations(real_visits):
    """Chromium reports no CSP violation on any page of the real site."""
    reports = [f"{name}: {text}" for name, v in real_visits.items() for text in v.csp]
    assert not reports, "CSP violations:\n" + "\n".join(reports)


def test_csp_violations_are_reported(browser, tmp_path):
    """A probe page with the site's CSP and inline style and script makes Chromium report violations we can see."""
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}"><title>probe</title>'
        '<style>p{color:red}</style></head><body><p style="color:red">probe</p><script>window.__pwned=1</script>'
        "</body></html>", encoding="utf-8")
    visit = _visit_all(browser, tmp_path)["index.html"]
    assert visit.pwned is None, "the inline script ran despite script-src 'self'"
    assert len(visit.csp) >= 3, f"expected reports for <style>, style= and <script>, got {visit.csp}"


def test_table_alignment_survives_the_csp(browser, tmp_path):
    """Markdown column alignment, which python-markdown writes as inline style, still aligns cells under the CSP."""
    project = copy_project("tiny", tmp_path)
    page = project / MARKDOWN_PAGE
    table = "| Group | People |\n|:--|--:|\n| A | 30 |\n"
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + table, encoding="utf-8")
    result = build(project, project / "_site", base_url="https://example.org/")
    assert not result.errors, "\n".join(str(e) for e in result.errors)
    server, origin = serve(project / "_site")
    try:
        context = browser.new_context()
        view = context.new_page()
        view.goto(page_url(origin, Path("explainers/median/index.html")), wait_until="load")
        aligned = view.evaluate(
            "[...document.querySelectorAll('main table td')].map(c => getComputedStyle(c).textAlign)")
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert aligned == ["left", "right"]
