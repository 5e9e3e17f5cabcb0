"""Shared helpers for the browser and HTML tests: build the real site, serve it on localhost, launch Chromium."""
from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TRIAL_PAGE = "trials/bolero-2/index.html"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def site_pages(site: Path) -> list[Path]:
    """Every built page (index.html files), relative to the site folder, home page first."""
    pages = sorted(p.relative_to(site) for p in site.glob("**/index.html"))
    assert pages, f"no index.html pages found under {site}"
    return pages


def page_url(origin: str, page: Path) -> str:
    """The served URL of a built page: the folder URL for index.html files."""
    folder = page.parent.as_posix()
    return f"{origin}/" if folder == "." else f"{origin}/{folder}/"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static file handler that does not log every request to stderr."""

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


def serve(site: Path):
    """Serve `site` on 127.0.0.1 on a free port in a daemon thread; return (server, origin)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


def chromium_path() -> str:
    """Path to Debian's Chromium; the test fails (never skips) when it is missing."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is missing: install Debian's chromium package (expected at /usr/bin/chromium); "
                "browser tests cannot run without it.", pytrace=False)


def format_axe_violations(page: str, violations: list[dict]) -> str:
    """One readable block per violation: id, impact, help, how to fix, and every offending node's target."""
    lines = []
    for v in violations:
        lines.append(f"{page}: {v['id']} ({v.get('impact')}): {v['help']} [{v.get('helpUrl', '')}]")
        summary = " ".join((v["nodes"][0].get("failureSummary") or "").split()) if v["nodes"] else ""
        lines.append(f"  {summary[:400]}")
        for node in v["nodes"]:
            lines.append(f"  - {' '.join(node['target'])}  html: {' '.join(node.get('html', '').split())[:120]}")
    return "\n".join(lines)


# Elements sticking out past the viewport's right edge, ignoring those inside a horizontal scroller.
WIDE_ELEMENTS_JS = """(limit) => {
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { \
if (scrolls(p)) return true; } return false; };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const right = el.getBoundingClientRect().right;
    if (right > limit && !inScroller(el)) out.push([Math.round(right), describe(el)]);
  }
  out.sort((a, b) => b[0] - a[0]);
  return out.slice(0, 10);
}"""


# WCAG 1.4.12 Text Spacing: what a reader may set, all at once (the W3C's test values).
TEXT_SPACING_CSS = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
                    "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")

# Chart labels that leave their picture (and are cut off) or cover another label: [problem, chart, label(s)].
CHART_LABEL_PROBLEMS_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('.chart-image svg')) {
    const chart = svg.getAttribute('aria-labelledby'), view = svg.viewBox.baseVal, toSvg = svg.getCTM().inverse();
    const boxes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
      const b = t.getBBox(), m = t.getCTM().multiply(toSvg), corner = (x, y) => {
        const p = svg.createSVGPoint(); p.x = x; p.y = y; return p.matrixTransform(m); };
      const a = corner(b.x, b.y), z = corner(b.x + b.width, b.y + b.height);
      return [t.textContent, a.x, a.y, z.x, z.y];
    });
    for (const [text, x1, y1, x2, y2] of boxes) {
      if (x1 < view.x - 0.5 || y1 < view.y - 0.5 || x2 > view.x + view.width + 0.5 || y2 > view.y + view.height + 0.5)
        out.push(['cut off', chart, text]);
    }
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
      if (a[1] < b[3] - 1 && b[1] < a[3] - 1 && a[2] < b[4] - 1 && b[2] < a[4] - 1)
        out.push(['overlap', chart, a[0] + ' / ' + b[0]]);
    }));
  }
  return out;
}"""
