"""The link checker: every internal link and anchor of the rendered site leads somewhere, each resolved once."""
from __future__ import annotations

from types import SimpleNamespace

from trialsite import links
from trialsite.links import check_links
from trialsite.project import Page


def _page(kind: str, slug: str, body: str) -> Page:
    """A page whose Markdown body is `body` (only what the checker reads: its path, body and first body line)."""
    doc = SimpleNamespace(path=f"content/{slug}.md", body=body, body_line=5)
    return Page(kind, slug, doc, None)  # type: ignore[arg-type]


def _html(*hrefs: str, ids: tuple[str, ...] = ()) -> bytes:
    """A page with these links and ids."""
    anchors = "".join(f'<a href="{h}">x</a>' for h in hrefs) + "".join(f'<h2 id="{i}">x</h2>' for i in ids)
    return f"<html><body>{anchors}</body></html>".encode()


def test_relative_links_resolve_from_their_page():
    """'../glossary/#term-x' from an explainer is the glossary's anchor; a missing page or anchor is an error."""
    pages = [_page("explainer", "median", "See [x](../../glossary/#term-x) and [y](../../nowhere/) and [z](#gone)."),
             _page("page", "glossary", "Terms.")]
    files = {"explainers/median/index.html": _html("../../glossary/#term-x", "../../nowhere/", "#gone"),
             "glossary/index.html": _html(ids=("term-x",))}
    errors = [str(e) for e in check_links(files, pages, "/")]
    assert errors == [
        "content/median.md:5: (link): '#gone' points at an anchor '#gone' that the page does not have",
        "content/median.md:5: (link): '../../nowhere/' points at a page or file that the build does not make",
    ]


def test_a_link_from_the_host_root_is_refused_with_the_relative_form():
    """'/glossary/' breaks when the site is opened from another folder; the message gives the relative address."""
    pages = [_page("explainer", "median", "See [x](/repo/glossary/).")]
    files = {"explainers/median/index.html": _html("/repo/glossary/"), "glossary/index.html": _html()}
    [error] = check_links(files, pages, "/repo/")
    assert error.message.endswith("write it relative to this page, here '../../glossary/'")


def test_links_to_what_was_not_made_because_of_other_errors_are_not_reported():
    """A page or folder left out because of an error already reported is not a broken link too."""
    pages = [_page("home", "index", "[a](trials/broken/) [b](static/img/refused.svg)")]
    files = {"index.html": _html("trials/broken/", "static/img/refused.svg")}
    assert check_links(files, pages, "/") != []
    assert check_links(files, pages, "/", frozenset({"trials/broken/", "static/img/refused.svg"})) == []


def test_a_link_repeated_on_sibling_pages_is_resolved_once(monkeypatch):
    """The same menu on 50 explainers costs one resolution per link, not one per page."""
    calls = []
    real = links._problem
    monkeypatch.setattr(links, "_problem", lambda *args: calls.append(args[0]) or real(*args))
    pages = [_page("explainer", f"e{i}", "Text.") for i in range(50)]
    files = {f"explainers/e{i}/index.html": _html("../../static/site.css", "#top", ids=("top",)) for i in range(50)}
    files["static/site.css"] = b""
    assert check_links(files, pages, "/") == []
    assert calls.count("../../static/site.css") == 1
    assert calls.count("#top") == 50  # a link within its own page depends on the page


def test_pages_scanned_where_they_were_rendered_give_the_errors_of_pages_read_back():
    """Ids and links worked out where each page is rendered (`page_links`) give the very errors found by reading the
    pages back, for a page with no link or id, ids used twice, and addresses with odd characters."""
    pages = [_page("explainer", "median", "[a](../../glossary/#term-x) [b](#gone) [c](../../a%20b/?q=1&amp;r=2)"),
             _page("page", "glossary", "## Twice\n\n## Twice"), _page("page", "empty", "Nothing.")]
    files = {"explainers/median/index.html": _html("../../glossary/#term-x", "#gone", "../../a%20b/?q=1&amp;r=2",
                                                   "https://example.org/#x", ids=("top",)),
             "glossary/index.html": _html(ids=("term-y", "twice", "twice")),
             "empty/index.html": b"<html><body></body></html>"}
    scanned = {name: links.page_links(html.decode()) for name, html in files.items()}
    read_back = [str(e) for e in check_links(files, pages, "/")]
    assert [str(e) for e in check_links(files, pages, "/", scanned=scanned)] == read_back
    assert len(read_back) == 4 and scanned["empty/index.html"] == links.PageLinks("", (), "")
    assert scanned["glossary/index.html"].twice == ("twice",)
