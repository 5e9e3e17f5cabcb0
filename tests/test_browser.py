"""Browser tests: the built site in a real Chromium (axe-core, small screens, no JavaScript, no third parties)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import TRIAL_PAGE, WCAG_TAGS, WIDE_ELEMENTS_JS, format_axe_violations, page_url, serve, site_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def site(real_site) -> Path:
    """The real site, built once per session (conftest.py)."""
    return real_site


@pytest.fixture(scope="session")
def origin(site):
    """The site served on 127.0.0.1; yields the origin, e.g. http://127.0.0.1:PORT."""
    server, url = serve(site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def pages(site) -> list[Path]:
    """Every built page, relative to the site folder."""
    return site_pages(site)


@pytest.fixture(scope="session")
def axe_results(browser, origin, pages) -> dict[str, dict]:
    """axe-core results (WCAG 2.0/2.1/2.2 A and AA rules) for every page, run once per session."""
    from axe_playwright_python.sync_playwright import Axe

    axe, results = Axe(), {}
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    context = browser.new_context()
    for page_path in pages:
        page = context.new_page()
        page.goto(page_url(origin, page_path), wait_until="load")
        results[page_path.as_posix()] = axe.run(page, options=options).response
        page.close()
    context.close()
    return results


def test_axe_finds_no_wcag_violations(axe_results):
    """axe-core reports no WCAG 2.2 A/AA violation on any page."""
    report = [format_axe_violations(name, r["violations"]) for name, r in axe_results.items() if r["violations"]]
    assert not report, "axe-core violations:\n" + "\n".join(report)


def test_axe_ran_color_contrast(axe_results):
    """The color-contrast rule actually ran on the trial page (so contrast is never silently unchecked)."""
    result = axe_results[TRIAL_PAGE]
    ran = {rule["id"] for kind in ("passes", "violations", "incomplete") for rule in result[kind]}
    assert "color-contrast" in ran, (
        f"color-contrast did not run; inapplicable: {[r['id'] for r in result['inapplicable']]}")


def test_no_horizontal_scroll_at_320px(browser, origin, pages):
    """At a 320 CSS px wide viewport no page scrolls sideways (WCAG 1.4.10 Reflow)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page, problems = context.new_page(), []
    for page_path in pages:
        page.goto(page_url(origin, page_path), wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            problems.append(f"{page_path}: scrollWidth {width}px; widest: {page.evaluate(WIDE_ELEMENTS_JS, 320)}")
    context.close()
    assert not problems, "pages wider than 320px:\n" + "\n".join(problems)


def _text_of_id(page, element_id: str) -> str:
    """The stripped text of the element with this id, or "" when there is none."""
    found = page.locator(f'[id="{element_id}"]')
    return (found.first.text_content() or "").strip() if found.count() else ""


def _check_chart(figure, origin: str, request) -> list[str]:
    """Everything a chart must offer without JavaScript; returns the problems found."""
    name, problems = figure.get_attribute("id"), []
    svg = figure.locator('svg[role="img"]')
    if svg.count() != 1:
        return [f"{name}: expected one svg[role=img], found {svg.count()}"]
    ids = (svg.get_attribute("aria-labelledby") or "").split()
    if not ids or not all(_text_of_id(figure.page, i) for i in ids):
        problems.append(f"{name}: svg aria-labelledby={ids} does not resolve to elements with text")
    if not figure.locator("p.chart-summary").inner_text().strip():
        problems.append(f"{name}: no summary beside the chart")
    box = svg.bounding_box()
    if not box or box["width"] <= 100:
        problems.append(f"{name}: svg rendered box {box} is not wider than 100px")
    if not (figure.locator("figcaption").count() and figure.locator("figcaption").first.inner_text().strip()):
        problems.append(f"{name}: no figcaption with text")
    if not figure.locator("table th[scope]").count():
        problems.append(f"{name}: no table with th[scope]")
    return problems + _check_csv(figure, name, origin, request)


def _check_csv(figure, name: str, origin: str, request) -> list[str]:
    """The chart's CSV link fetches from the local server with status 200 and more than one line."""
    links = figure.locator('a[href$=".csv"]')
    if not links.count():
        return [f"{name}: no CSV link"]
    url = links.first.evaluate("a => a.href")  # resolved against the page, as a click would
    response = request.get(url)
    lines = response.text().strip().splitlines() if response.ok else []
    if response.status != 200 or len(lines) < 2:
        return [f"{name}: CSV {url} gave status {response.status} and {len(lines)} lines"]
    return []


def test_charts_work_without_javascript(browser, origin):
    """With JavaScript off every chart still has a labelled, described, visible SVG, a caption, a table and a CSV."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    figures = page.locator("figure.chart").all()
    problems = [p for figure in figures for p in _check_chart(figure, origin, context.request)]
    context.close()
    assert figures, "the trial page has no figure.chart"
    assert not problems, "charts without JavaScript:\n" + "\n".join(problems)


def test_nothing_loads_from_another_host(browser, origin, pages):
    """Every request a page makes goes to the local server (or is a data: URL): no CDNs, fonts or trackers."""
    context = browser.new_context()
    page, requests = context.new_page(), []
    page.on("request", lambda request: requests.append((page.url, request.url)))
    for page_path in pages:
        page.goto(page_url(origin, page_path), wait_until="networkidle")
    context.close()
    foreign = sorted({f"{on}: {url}" for on, url in requests
                      if not (url.startswith(origin + "/") or url.startswith("data:"))})
    assert requests, "no requests were recorded"
    assert not foreign, "requests to other hosts:\n" + "\n".join(foreign)


CHART_TEXT_JS = """() => [...document.querySelectorAll('.chart-image svg')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return [svg.getAttribute('aria-labelledby'), Math.min(...sizes)];
})"""


@pytest.mark.parametrize("width", [320, 375])
def test_chart_text_is_at_least_12px_on_a_phone(browser, origin, width):
    """Every chart's smallest text, as drawn at a phone's width, is 12 CSS px or more."""
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    sizes = page.evaluate(CHART_TEXT_JS)
    context.close()
    assert len(sizes) >= 3
    small = [(chart, round(size, 1)) for chart, size in sizes if size < 12]
    assert not small, f"chart text under 12 px at {width} px: {small}"


def test_tables_fit_a_320px_phone_without_scrolling(browser, origin):
    """With every table open, no table of numbers is wider than its box at 320 px: rows reflow into blocks."""
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    boxes = page.evaluate("[...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])")
    captions = page.evaluate("[...document.querySelectorAll('caption')].map(c => c.scrollWidth <= c.clientWidth)")
    context.close()
    assert len(boxes) >= 3 and all(scroll <= client for scroll, client in boxes), boxes
    assert all(captions)


def test_key_points_start_within_two_phone_screens(browser, origin):
    """On a 375 x 667 phone the key points begin within the first two screens of the trial page."""
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    top = page.evaluate("document.getElementById('key-points').getBoundingClientRect().top / innerHeight")
    context.close()
    assert top < 2, f"key points start on screen {top + 1:.1f}"


# What a reader sees of <main> before opening anything: no chart SVG text, no words for screen readers only, nothing
# inside a closed <details> but its summary. Counted as the issue counts them, at 375 px.
VISIBLE_TEXT = """() => {
  const main = document.querySelector('main');
  const copy = main.cloneNode(true);
  const live = [...main.querySelectorAll('*')], copied = [...copy.querySelectorAll('*')];
  live.forEach((el, i) => {
    const style = getComputedStyle(el);
    const hidden = style.position === 'absolute' && parseFloat(style.width) <= 1;  // .visually-hidden
    const folded = el.closest('details:not([open])') && !el.closest('summary') && el.tagName !== 'DETAILS';
    if (el.tagName.toLowerCase() === 'svg' || hidden || folded) copied[i].remove();
  });
  copy.style.position = 'absolute'; copy.style.left = '-10000px'; copy.style.width = main.clientWidth + 'px';
  document.body.appendChild(copy);
  const text = copy.innerText;
  copy.remove();
  return text;
}"""


def _sentences(text: str) -> list[str]:
    """Sentences and lines of visible text (a list item, a heading or a table cell ends one)."""
    return [s.strip() for line in text.splitlines() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", line) if s.strip()]


def _words(text: str) -> list[str]:
    """Words, not marks such as the '·' between the parts of a label."""
    return [word for word in text.split() if re.search(r"\w", word)]


def test_the_trial_page_shows_at_most_2000_words_and_few_long_sentences(browser, origin):
    """At 375 px: at most 2,000 words visible before any disclosure is opened; at most 5 sentences over 25 words;
    overall survival within a few screens of the key points."""
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    text = page.evaluate(VISIBLE_TEXT)
    survival = page.evaluate("document.getElementById('how-long-women-lived').getBoundingClientRect().top"
                             " / innerHeight")
    context.close()
    long_sentences = [s for s in _sentences(text) if len(_words(s)) > 25]
    assert len(_words(text)) <= 2000
    assert len(long_sentences) <= 5, long_sentences
    assert survival < 8, f"overall survival starts on screen {survival + 1:.1f}"
