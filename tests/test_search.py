"""Search: content/search.md turns it on; the real Pagefind indexer runs at build time; nothing else loads it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_pipeline import _tree

from trialsite.pipeline import build

SEARCH_MD = """---
title: Search this site
summary: Find a word on any page of this site.
authors: [test team]
last_reviewed: 2026-01-01
next_review: 2027-01-01
menu: false
---

Type a word and choose Search.
"""


@pytest.fixture
def searchable(tiny_project) -> Path:
    """The tiny project with a search page."""
    (tiny_project / "content" / "search.md").write_text(SEARCH_MD)
    return tiny_project


def _pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every built HTML page, parsed, by its path in the site."""
    return {p.relative_to(site).as_posix(): BeautifulSoup(p.read_text(), "html.parser")
            for p in sorted(site.rglob("*.html"))}


def test_a_search_page_adds_pagefinds_index_and_only_what_its_script_needs(searchable, tmp_path):
    """The index is made by Pagefind itself; its ready-made interfaces are left out."""
    out = tmp_path / "site"
    result = build(searchable, out, strict=True)
    assert not result.errors, result.errors
    made = sorted(p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").rglob("*") if p.is_file())
    assert {"pagefind.js", "pagefind-entry.json", "wasm.en.pagefind"} <= set(made)
    assert any(name.startswith("index/") for name in made) and any(name.startswith("fragment/") for name in made)
    assert not [name for name in made if "-ui." in name or "highlight" in name or "playground" in name]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".search-")]  # the indexer's folder is gone


def test_a_rebuild_with_search_keeps_the_index_files_that_did_not_change(searchable, tmp_path):
    """The index files are moved from the indexer's folder into the new site, or, where the last site holds the
    same bytes, linked from it (same inode): a deploy that compares times copies only what changed."""
    out = tmp_path / "site"
    assert not build(searchable, out).errors
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    page = searchable / "content" / "explainers" / "median.md"
    page.write_text(page.read_text() + "\nHalf had less, half had more.\n")
    assert not build(searchable, out).errors
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    kept = [name for name in after if before.get(name) == after[name]]
    assert "pagefind/pagefind.js" in kept and len(kept) < len(after)


def test_the_index_holds_the_reader_pages_but_not_the_search_page_report_or_404(searchable, tmp_path):
    """One fragment per indexed page: every Markdown page but the search page itself."""
    out = tmp_path / "site"
    assert not build(searchable, out).errors
    readers = [p for p in _pages(out) if p.endswith("index.html") and not p.startswith(("search/", "report/"))]
    fragments = list((out / "pagefind" / "fragment").iterdir())
    assert len(fragments) == len(readers)


def test_building_with_search_twice_gives_identical_bytes(searchable, tmp_path):
    """Pagefind's output is deterministic too."""
    assert not build(searchable, tmp_path / "one").errors
    assert not build(searchable, tmp_path / "two").errors
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_every_reader_page_has_a_search_box_that_works_without_javascript(searchable, tmp_path):
    """A plain GET form to the search page, relative to each page, with a visible label."""
    out = tmp_path / "site"
    assert not build(searchable, out).errors
    for name, soup in _pages(out).items():
        if name in ("search/index.html", "report/index.html"):
            continue
        form = soup.select_one("header form[role=search]")
        assert form is not None, name
        depth = name.count("/")
        expected = "/tiny/search/" if name == "404.html" else "../" * depth + "search/"  # 404: from the site's path
        assert form["action"] == expected and form.get("method") == "get", name
        field = form.select_one("input[name=q]")
        assert form.select_one(f"label[for={field['id']}]").get_text() == "Search this site", name


def test_every_page_keeps_the_strict_policy_and_only_the_search_page_loads_its_script(searchable, tmp_path):
    """Pagefind runs its WebAssembly in its worker: no page allows 'wasm-unsafe-eval'; search.js is the search page's"""
    out = tmp_path / "site"
    assert not build(searchable, out).errors
    for name, soup in _pages(out).items():
        if name == "report/index.html":
            continue
        policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        scripts = [s["src"] for s in soup.select("script[src]")]
        assert "script-src 'self';" in policy and "eval" not in policy, name
        assert any(s.endswith("static/js/search.js") for s in scripts) == (name == "search/index.html"), name
        assert not [s for s in scripts if "pagefind" in s], name


def test_without_javascript_the_search_page_lists_every_reader_page(searchable, tmp_path):
    """The site index: every Markdown page but the search page, each once, grouped by kind."""
    out = tmp_path / "site"
    assert not build(searchable, out).errors
    soup = _pages(out)["search/index.html"]
    listed = [a["href"] for a in soup.select(".site-index a")]
    readers = ["../" + p[: -len("index.html")] for p in _pages(out)
               if p.endswith("index.html") and not p.startswith(("search/", "report/"))]
    assert sorted(listed) == sorted(readers)
    assert [h.get_text() for h in soup.select(".site-index h3")] == ["Trials", "Explainers", "Other pages"]
    assert "Search needs JavaScript" in soup.select_one("noscript").get_text()


def test_without_a_search_page_there_is_no_index_and_no_search_box(tiny_project, tmp_path):
    """Search is on only when content/search.md exists."""
    out = tmp_path / "site"
    assert not build(tiny_project, out).errors
    assert not (out / "pagefind").exists()
    assert not [name for name, soup in _pages(out).items() if soup.select("form[role=search]")]


def test_a_missing_indexer_is_one_error_at_the_search_page_and_nothing_is_written(searchable, tmp_path, monkeypatch):
    """No traceback: the author learns what is missing and how to install it."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    out = tmp_path / "site"
    result = build(searchable, out)
    assert [str(e) for e in result.errors] == [
        "content/search.md:1: (search): search needs Pagefind's indexer (the 'pagefind-bin' package); "
        "install it with: make site"]
    assert not out.exists()


def test_a_failing_indexer_reports_what_it_said(searchable, tmp_path, monkeypatch):
    """An indexer that exits with an error: its last line reaches the author."""
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: no space left' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    result = build(searchable, tmp_path / "site")
    assert [str(e) for e in result.errors] == [
        "content/search.md:1: (search): the search indexer (Pagefind) failed: Error: no space left"]


def test_an_indexer_still_running_when_the_build_stops_is_stopped_and_its_folder_removed(tmp_path, monkeypatch):
    """search.Indexing.close: the indexer runs while the build writes other files; if the build stops there, the
    indexer is stopped at once and its copy of the pages removed."""
    import time

    from trialsite.search import start_index

    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    indexing = start_index([("a/index.html", b"<html><body><main>A page</main></body></html>")])
    folder = Path(indexing._folder.name)
    assert (folder / "site" / "a" / "index.html").is_file()
    started = time.monotonic()
    indexing.close()
    assert time.monotonic() - started < 5
    assert not folder.exists()
    assert indexing._process is not None and indexing._process.poll() is not None


def test_the_indexer_is_found_where_pagefind_itself_looks(monkeypatch, tmp_path):
    """search._pagefind_binary finds the binary pagefind.service.get_executable gives, without importing it: the
    installed one, and the one PAGEFIND_BINARY_PATH names."""
    from pagefind.service import get_executable

    from trialsite.search import _pagefind_binary

    assert _pagefind_binary() == Path(get_executable()) and _pagefind_binary().is_file()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pagefind"))
    assert _pagefind_binary() == Path(get_executable()) == tmp_path / "pagefind"


def test_a_written_page_reaches_the_indexer_as_a_link_and_one_in_memory_as_its_bytes(tmp_path):
    """The indexer's folder links the staged page (no copy of its bytes); a page kept in memory is written there."""
    from trialsite.search import _place
    staged = tmp_path / "staged.html"
    staged.write_bytes(b"<html>staged</html>")
    _place(staged, tmp_path / "linked.html")
    _place(b"<html>kept</html>", tmp_path / "written.html")
    assert (tmp_path / "linked.html").stat().st_ino == staged.stat().st_ino
    assert (tmp_path / "linked.html").read_bytes() == b"<html>staged</html>"
    assert (tmp_path / "written.html").read_bytes() == b"<html>kept</html>"


def test_pages_written_in_the_staging_folder_are_indexed_where_they_are_and_others_are_put_in_a_folder(tmp_path):
    """search._pages_for_indexer: pages the build wrote are named in Pagefind's glob, nothing copied or linked; a page
    kept in memory, or one whose path means something else in a glob, sends every page to a folder of copies."""
    from trialsite.search import EVERY_PAGE, _pages_for_indexer
    staging, copies = tmp_path / "staging", tmp_path / "copies"
    for rel_path in ("index.html", "explainers/a-b/index.html"):
        (staging / rel_path).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel_path).write_bytes(b"<html></html>")
    written = [(p, staging / p) for p in ("index.html", "explainers/a-b/index.html")]
    assert _pages_for_indexer(written, staging, copies) == (staging, "{index.html,explainers/a-b/index.html}")
    assert not copies.exists()
    for pages in ([*written, ("b/index.html", b"<html>kept</html>")],
                  [*written[:1], ("c{d}/index.html", staging / "c{d}/index.html")]):
        if isinstance(pages[-1][1], Path):
            pages[-1][1].parent.mkdir(parents=True)
            pages[-1][1].write_bytes(b"<html>odd</html>")
        assert _pages_for_indexer(pages, staging, copies) == (copies, EVERY_PAGE)
        assert sorted(p.relative_to(copies).as_posix() for p in copies.rglob("*.html")) == sorted(p for p, _ in pages)
        shutil.rmtree(copies)
    assert _pages_for_indexer(written, None, copies) == (copies, EVERY_PAGE)
