"""Paper: the trial page prints as a short summary to take to a care team; every page prints without the menu."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import TRIAL_PAGE, page_url, serve

pytestmark = pytest.mark.browser

MAX_TRIAL_PAGES = 2


@pytest.fixture(scope="module")
def origin(real_site):
    """The real site served at the host's root."""
    server, url = serve(real_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def printed(browser, origin):
    """The trial page as the print style sheet lays it out (A4 width), JavaScript off as on paper."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 718, "height": 1000})
    page = context.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    page.emulate_media(media="print")
    yield page
    context.close()


def _pdf_pages(pdf: bytes) -> int:
    """The page count a PDF declares in its page tree."""
    counts = [int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf)]
    assert counts, "no page tree in the PDF"
    return max(counts)


def test_the_trial_page_prints_on_at_most_two_a4_pages(browser, origin):
    """Chromium's own print to PDF, on A4, as a reader's Print button would."""
    page = browser.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    pages = _pdf_pages(page.pdf(format="A4", prefer_css_page_size=True))
    page.close()
    assert 1 <= pages <= MAX_TRIAL_PAGES, f"the trial page prints on {pages} A4 pages"


def test_on_paper_the_trial_page_keeps_its_key_points_tables_questions_and_address(printed, real_site):
    """What a care team needs: the key points, each table with its analyses, the questions, the page's address."""
    visible = lambda selector: printed.locator(selector).first.is_visible()  # noqa: E731
    assert visible("h1") and visible("#key-points")
    tables = printed.locator(".printout .printout-table").all()
    assert len(tables) == 3 and all(table.is_visible() for table in tables)
    for table in tables:
        assert re.search(r"Which analysis: .+ \(.*follow-up.*data cut-off.*\)\. Source: .+\.", table.inner_text())
    assert printed.locator(".printout li").count() == 5
    canonical = printed.locator('link[rel="canonical"]').get_attribute("href")
    assert printed.locator(".printout-address").inner_text() == canonical


def test_on_paper_the_trial_page_leaves_out_menus_charts_and_folded_parts(printed):
    """Navigation, the search box, the charts, the later sections and every disclosure stay off paper."""
    shown = [selector for selector in ("nav", ".search-box", "figure.chart", "details", "#main-results",
                                       "#side-effects", ".sources", ".about-page", ".site-footer .footer-links")
             if any(element.is_visible() for element in printed.locator(selector).all())]
    assert not shown, f"printed but should not be: {shown}"


def test_on_screen_the_printout_is_not_shown(browser, origin):
    """The summary for paper does not lengthen the page a reader scrolls."""
    page = browser.new_page()
    page.goto(page_url(origin, Path(TRIAL_PAGE)), wait_until="load")
    hidden = page.locator(".printout").is_hidden()
    page.close()
    assert hidden


def test_other_pages_print_their_text_without_the_menu(browser, origin):
    """An explainer prints its title and text; the menu and the search box do not."""
    page = browser.new_page()
    page.goto(f"{origin}/explainers/side-effects-and-grades/", wait_until="load")
    page.emulate_media(media="print")
    title, text = page.locator("h1").is_visible(), page.locator(".prose").is_visible()
    menu, search = page.locator("nav[aria-label=Main]").is_visible(), page.locator(".search-box").is_visible()
    page.close()
    assert title and text and not menu and not search
