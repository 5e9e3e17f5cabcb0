"""Browser tests: the built site in a real Chromium (axe-core, small screens, no JavaScript, no third parties)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import (
    CHART_LABEL_PROBLEMS_JS,
    ROOT,
    TEXT_SPACING_CSS,
    TRIAL_PAGE,
    WCAG_TAGS,
    WIDE_ELEMENTS_JS,
    format_axe_violations,
    page_url,
    serve,
    site_pages,
)

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


@pytest.mark.parametrize("width", [320, 1280])
def test_wider_text_spacing_cuts_off_no_chart_label_and_widens_no_page(browser, origin, pages, width):
    """WCAG 1.4.12: with a reader's text spacing every chart label stays whole and apart; nothing scrolls sideways."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)  # to add the spacing
    page, problems, charts = context.new_page(), [], 0
    for page_path in pages:
        page.goto(page_url(origin, page_path), wait_until="load")
        assert page.evaluate(CHART_LABEL_PROBLEMS_JS) == [], f"{page_path}: labels break before any spacing is added"
        page.add_style_tag(content=TEXT_SPACING_CSS)
        charts += page.locator(".chart-image svg").count()
        problems += [f"{page_path}: {p}" for p in page.evaluate(CHART_LABEL_PROBLEMS_JS)]
        problems += [f"{page_path}: {w}" for w in page.evaluate(WIDE_ELEMENTS_JS, width)]
    context.close()
    assert charts >= 9, f"only {charts} charts were measured"
    assert not problems, "with wider text spacing:\n" + "\n".join(problems)


def test_each_charts_controls_have_their_own_accessible_names(browser, origin):
    """The "Show the numbers" disclosure and the CSV link of each chart name the chart, as Chromium exposes them."""
    page = browser.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    names = []
    for figure in page.locator("figure.chart").all():
        title = figure.locator("figcaption").inner_text()
        closed = figure.aria_snapshot()  # the closed disclosure is a group named by its summary
        figure.locator("summary").click()  # open, so that the link is in the accessibility tree
        tree = figure.aria_snapshot().replace("''", "'")  # YAML doubles an apostrophe inside single quotes
        names.append((title, bool(re.search(rf'group: "Show the numbers ?: {re.escape(title)}"', closed)),
                       bool(re.search(rf'link "Download these numbers \(CSV file\) ?: {re.escape(title)}"', tree))))
    page.close()
    titles = [title for title, _, _ in names]
    assert len(titles) >= 9 and len(set(titles)) == len(titles)
    assert [(t, True, True) for t in titles] == names


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


# Glossary popovers (static/js/glossary.js) on an explainer that links to the glossary.
TERM_PAGE = Path("explainers/median/index.html")
TERM = 'main a.term[href$="#term-median"]'
POPOVER = "#popover-term-median"


def _definition(term: str) -> str:
    """The glossary's definition of a term, read from data/glossary.yaml."""
    from trialsite.project import load_project

    project, _ = load_project(ROOT)
    return project.glossary[term].definition


@pytest.fixture
def term_page(browser, origin):
    """A fresh tab on the explainer, with the mouse parked away from every word."""
    context = browser.new_context(viewport={"width": 375, "height": 700})
    page = context.new_page()
    page.goto(page_url(origin, TERM_PAGE), wait_until="load")
    page.mouse.move(1, 1)
    yield page
    context.close()


def test_a_glossary_word_shows_its_definition_on_hover_until_dismissed(term_page):
    """Hover: the popover shows the term, its definition and a link to the glossary; it stays while the pointer
    moves onto it (hoverable) and after a wait (persistent); Esc closes it (dismissible)."""
    page, term = term_page, term_page.locator(TERM).first
    popover = page.locator(POPOVER)
    assert term.get_attribute("aria-expanded") == "false" and term.get_attribute("aria-controls") == POPOVER[1:]
    term.hover()
    assert popover.is_visible() and term.get_attribute("aria-expanded") == "true"
    assert _definition("median") in popover.inner_text()
    assert popover.locator("a").get_attribute("href") == "../../glossary/#term-median"
    assert popover.locator("a").text_content() == "More in the glossary: median"  # the term for a screen reader
    page.locator(f"{POPOVER} .term-popover-text").hover()
    page.wait_for_timeout(1000)
    assert popover.is_visible()
    page.keyboard.press("Escape")
    assert not popover.is_visible() and term.get_attribute("aria-expanded") == "false"


def test_a_glossary_word_shows_its_definition_on_keyboard_focus(term_page):
    """Tab to the word: the popover opens; Tab reaches its link; Esc closes it and puts focus back on the word."""
    page, popover = term_page, term_page.locator(POPOVER)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", TERM):
            break
    assert page.evaluate("document.activeElement.textContent") == "median"
    assert popover.is_visible()
    description = page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
                                ".textContent")
    assert description == _definition("median")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "term-popover-more" and popover.is_visible()
    page.keyboard.press("Escape")
    assert not popover.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "median"


def test_a_tap_opens_the_popover_first(browser, origin):
    """On a touch screen the first tap shows the popover and stays on the page; a second tap follows the link."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, has_touch=True, is_mobile=True)
    page = context.new_page()
    url = page_url(origin, TERM_PAGE)
    page.goto(url, wait_until="load")
    page.locator(TERM).first.scroll_into_view_if_needed()
    page.tap(TERM)
    page.wait_for_timeout(500)
    popover = page.locator(POPOVER)
    visible, box, same = popover.is_visible(), popover.bounding_box(), page.url == url
    page.tap(TERM)
    page.wait_for_url("**/glossary/#term-median")
    context.close()
    assert visible and same
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, f"popover outside a 320 px screen: {box}"


def test_without_javascript_a_glossary_word_is_a_plain_link(browser, origin):
    """With JavaScript off the word links to its glossary entry and no definition text is visible."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(page_url(origin, TERM_PAGE), wait_until="load")
    term = page.locator(TERM).first
    href, expanded = term.evaluate("a => a.href"), term.get_attribute("aria-expanded")
    visible = page.locator(".term-popover").evaluate_all("ps => ps.filter(p => p.checkVisibility()).length")
    text = page.locator("main").inner_text()
    page.goto(href, wait_until="load")
    entry = page.locator("#term-median").count()
    context.close()
    assert href.endswith("/glossary/#term-median") and expanded is None and entry == 1
    assert visible == 0 and _definition("median") not in text


def test_axe_finds_no_violations_with_a_popover_open(term_page):
    """axe-core (WCAG 2.2 A/AA) reports nothing with a glossary popover open."""
    from axe_playwright_python.sync_playwright import Axe

    term_page.locator(TERM).first.hover()
    assert term_page.locator(POPOVER).is_visible()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(term_page, options=options).response["violations"]
    assert not violations, format_axe_violations(TERM_PAGE.as_posix(), violations)


def test_the_glossary_a_to_z_links_to_its_letters(browser, origin, site):
    """The glossary page's A to Z nav links only to letter headings that exist, and every term keeps its anchor."""
    from trialsite.project import load_project, term_anchor

    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(page_url(origin, Path("glossary/index.html")), wait_until="load")
    nav = page.locator('nav[aria-label="Glossary A to Z"]')
    targets = nav.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    found = [page.locator(f'h2[id="{href[1:]}"]').count() for href in targets]
    ids = set(page.locator("dl.glossary dt").evaluate_all("dts => dts.map(dt => dt.id)"))
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    project, _ = load_project(ROOT)
    assert len(targets) >= 15 and all(href.startswith("#letter-") for href in targets) and found == [1] * len(targets)
    assert ids == {term_anchor(term) for term in project.terms}
    assert width <= 320


@pytest.fixture(scope="session")
def axe_results_dark(browser, origin, pages) -> dict[str, dict]:
    """axe-core results for every page in the dark colour scheme."""
    from axe_playwright_python.sync_playwright import Axe

    axe, results = Axe(), {}
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    context = browser.new_context(color_scheme="dark")
    for page_path in pages:
        page = context.new_page()
        page.goto(page_url(origin, page_path), wait_until="load")
        results[page_path.as_posix()] = axe.run(page, options=options).response
        page.close()
    context.close()
    return results


def test_axe_finds_no_wcag_violations_in_the_dark_scheme(axe_results_dark):
    """axe-core reports no WCAG 2.2 A/AA violation on any page when the reader's device asks for dark colours."""
    report = [format_axe_violations(name, r["violations"]) for name, r in axe_results_dark.items() if r["violations"]]
    assert not report, "axe-core violations (dark):\n" + "\n".join(report)


def test_dark_scheme_darkens_the_page_and_its_charts(browser, origin):
    """In the dark scheme the page, the chart panels and the chart text all follow it; in light they do not."""
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(origin + "/trials/bolero-2/")
        colours[scheme] = page.evaluate("""() => {
            const svg = document.querySelector('.chart svg');
            const text = svg.querySelector('text:not([fill])');  // the usual colour comes from site.css
            const back = svg.querySelector('[fill="white"]');
            return [getComputedStyle(document.body).backgroundColor, getComputedStyle(text).fill,
                    getComputedStyle(back).fill];
        }""")
        context.close()
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(26, 26, 26)", "rgb(255, 255, 255)"]
    assert colours["dark"] == ["rgb(18, 20, 23)", "rgb(236, 236, 236)", "rgb(30, 34, 40)"]
