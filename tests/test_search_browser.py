"""Search in a real Chromium: the real site, its real Pagefind index, at the host's root and under a sub-path."""
from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

import pytest
from browser_support import TRIAL_PAGE, WCAG_TAGS, format_axe_violations, page_url, serve, site_pages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from audit import serve as pages_like_serve  # noqa: E402 - the audit script's GitHub Pages-like server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def origin(real_site):
    """The real site served at the host's root."""
    server, url = serve(real_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def repo_origin(real_site, tmp_path_factory):
    """The real site served under /repo/, as GitHub Pages serves a project site; yields the site's address."""
    server, url = pages_like_serve(real_site, "/repo/", tmp_path_factory.mktemp("host"))
    yield url.rstrip("/")
    server.shutdown()
    server.server_close()


def _search(browser, url: str, java_script: bool = True):
    """Open a page in a new context; return (context, page)."""
    context = browser.new_context(java_script_enabled=java_script)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return context, page


def _results(page) -> list[tuple[str, str]]:
    """(address, text) of each result once the search has answered."""
    page.locator(".search-results > ol > li").first.wait_for(timeout=15000)
    return [(li.locator("a").first.get_attribute("href") or "", li.inner_text())
            for li in page.locator(".search-results > ol > li").all()]


def test_searching_stomatitis_finds_the_side_effects_text(browser, origin):
    """The side-effects explainer and the trial page come up, with the word marked in their excerpts."""
    context = browser.new_context()
    page, complaints = context.new_page(), []
    page.on("console", lambda message: complaints.append(message.text) if message.type == "error" else None)
    page.goto(f"{origin}/search/?q=stomatitis", wait_until="load")
    results = _results(page)
    status = page.locator(".search-status").inner_text()
    marks = page.locator(".search-results mark").all_inner_texts()
    context.close()
    addresses = [url for url, _ in results]
    assert "/explainers/side-effects-and-grades/" in addresses and "/trials/bolero-2/" in addresses
    assert any("mouth sores" in text.lower() for url, text in results if "side-effects" in url)
    assert marks and all("stomatitis" in mark.lower() for mark in marks)
    assert status == f"{len(results)} pages use “stomatitis”."
    assert not complaints, complaints  # e.g. a Content-Security-Policy refusal


def test_a_word_no_page_uses_says_so_and_points_to_the_list(browser, origin):
    """No results: a plain sentence in the status region, and the list of every page is still there."""
    context, page = _search(browser, f"{origin}/search/?q=zzyzxq")
    status = page.locator(".search-status")
    status.filter(has_text="No page").wait_for(timeout=15000)
    hidden = page.locator(".search-results").is_hidden()
    index_links = page.locator(".site-index a").count()
    context.close()
    assert hidden and index_links > 20


def test_the_header_box_on_any_page_searches_by_keyboard(browser, origin):
    """Type in the trial page's header box and press Enter: the search page shows what matches."""
    context, page = _search(browser, page_url(origin, Path(TRIAL_PAGE)))
    page.get_by_role("searchbox", name="Search this site").fill("hyperglycemia")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=hyperglycemia")
    results = _results(page)
    typed = page.get_by_role("searchbox", name="Search this site").input_value()
    context.close()
    assert results and typed == "hyperglycemia"


def test_results_link_under_the_sites_sub_path(browser, repo_origin):
    """Served under /repo/, every result address starts with /repo/ and the server has it."""
    context, page = _search(browser, f"{repo_origin}/search/?q=stomatitis")
    results = _results(page)
    context.close()
    addresses = [url for url, _ in results]
    assert addresses and all(url.startswith("/repo/") for url in addresses)
    host = repo_origin[: -len("/repo")]
    assert all(urllib.request.urlopen(host + url.split("#")[0]).status == 200 for url in addresses)


def test_pages_other_than_search_load_nothing_of_search(browser, origin, real_site):
    """Pagefind's files and the search script are fetched on the search page only, and only when searching."""
    context = browser.new_context()
    page, fetched = context.new_page(), []
    page.on("request", lambda request: fetched.append(request.url))
    for path in site_pages(real_site):
        if path.parts[0] != "search":
            page.goto(page_url(origin, path), wait_until="networkidle")
    before = [url for url in fetched if "/pagefind/" in url or url.endswith("search.js")]
    page.goto(f"{origin}/search/", wait_until="networkidle")
    unsearched = [url for url in fetched if "/pagefind/" in url]
    context.close()
    assert not before, before
    assert not unsearched, "the index loaded before the reader searched: " + ", ".join(unsearched)


def test_without_javascript_the_header_box_leads_to_a_list_of_every_page(browser, origin, real_site):
    """The form still goes to the search page, which says why there are no results and lists every page."""
    context, page = _search(browser, f"{origin}/", java_script=False)
    page.get_by_role("searchbox", name="Search this site").fill("stomatitis")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=stomatitis")
    note = page.locator("noscript").first.inner_text() if page.locator("noscript").count() else ""
    listed = page.locator(".site-index a").count()
    visible_note = page.get_by_text("Search needs JavaScript").is_visible()
    context.close()
    readers = [p for p in site_pages(real_site) if p.parts[0] not in ("search", "report")]
    assert visible_note or "Search needs JavaScript" in note
    assert listed == len(readers)


def test_axe_finds_no_violations_on_the_search_page_with_results(browser, origin):
    """The results as a reader sees them, in both colour schemes."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS + ["best-practice"]}, "resultTypes": ["violations"]}
    found = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{origin}/search/?q=mouth+sores", wait_until="load")
        _results(page)
        violations = Axe().run(page, options=options).response["violations"]
        found += [format_axe_violations(f"search ({scheme})", violations)] if violations else []
        context.close()
    assert not found, "\n".join(found)
