"""Files every site has besides its pages: a 404 page that works at any depth, robots.txt and the icons."""
from __future__ import annotations

import re
import struct

from bs4 import BeautifulSoup

from trialsite.pipeline import build

BASE = "https://example.org/repo/"


def _built(project):
    """Build the project under a sub-path; return the site folder."""
    result = build(project, project / "_site", base_url=BASE)
    assert not result.errors, [str(e) for e in result.errors]
    return project / "_site"


def test_the_404_page_links_from_the_site_path(tiny_project):
    """Every link, style sheet and icon of 404.html starts at the site's path, and each leads to a built file."""
    site = _built(tiny_project)
    soup = BeautifulSoup((site / "404.html").read_text(), "html.parser")
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    addresses = [el.get("href") or el.get("src") for el in soup.select("[href], [src]")]
    inside = [a for a in addresses if not a.startswith(("#", "https://"))]
    assert inside and all(a.startswith("/repo/") for a in inside), inside
    for address in inside:
        path = address.removeprefix("/repo/").split("#")[0]
        assert (site / path).is_file() or (site / path / "index.html").is_file(), address
    assert soup.h1.get_text() == "Page not found"


def test_robots_lets_readers_pages_be_listed_but_not_the_report(tiny_project):
    """robots.txt allows the site, keeps the author report out and names the sitemap."""
    site = _built(tiny_project)
    assert (site / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /repo/\nDisallow: /repo/report/\n\nSitemap: https://example.org/repo/sitemap.xml\n")


def test_every_page_names_its_icons(tiny_project):
    """Each page links an SVG and a PNG favicon and a touch icon, and the files are built."""
    site = _built(tiny_project)
    for page in site.rglob("*.html"):
        icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page.read_text())
        assert len(icons) == 3, page
    for name in ("favicon.svg", "favicon-32.png", "apple-touch-icon.png"):
        assert (site / "static" / "img" / name).stat().st_size > 0


def _page_links(html: str, within: str) -> list[str]:
    """Addresses of the pages linked inside an element (glossary words and places on a page aside)."""
    region = BeautifulSoup(html, "html.parser").select_one(within)
    return [a["href"].split("#")[0] for a in region.select("a[href]")
            if "term" not in (a.get("class") or []) and "#" not in a["href"] and "://" not in a["href"]]


def test_the_home_page_lists_each_page_once(real_site):
    """The body, the trial list and the explainers never repeat a page; the explainers page is in the menu instead."""
    html = (real_site / "index.html").read_text()
    links = _page_links(html, "main")
    assert links and len(links) == len(set(links)), sorted(links)
    assert "explainers/" in _page_links(html, "nav[aria-label=Main]")
    assert not BeautifulSoup(html, "html.parser").select("#explainers")


def test_without_an_explainers_page_the_home_page_lists_the_explainers(built_tiny):
    """A site with no content/explainers.md still leads readers to every explainer from its home page."""
    site, _ = built_tiny
    html = (site / "index.html").read_text()
    assert [a["href"] for a in BeautifulSoup(html, "html.parser").select("#explainers ~ ul a")] == [
        "explainers/median/"]


def test_a_trial_with_a_card_chart_gets_its_own_social_card(tiny_project, tmp_path):
    """The chart the trial's data names, drawn as a PNG by vl-convert, linked with its size and its numbers in words."""
    trial = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    trial.write_text(trial.read_text() + "card_chart: pfs\n")
    site = _built(tiny_project)
    png = (site / "trials" / "tiny-trial" / "card.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    soup = BeautifulSoup((site / "trials" / "tiny-trial" / "index.html").read_text(), "html.parser")
    meta = {m["property"]: m["content"] for m in soup.select("meta[property^='og:image']")}
    assert meta["og:image"] == BASE + "trials/tiny-trial/card.png"
    assert (int(meta["og:image:width"]), int(meta["og:image:height"])) == struct.unpack(">II", png[16:24])
    assert meta["og:image:alt"].startswith("TINY-1: Median time before the illness got worse. ")
    assert re.search(r"\d+(\.\d+)? months with", meta["og:image:alt"])
    home = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    assert home.select_one("meta[property='og:image']")["content"] == BASE + "static/img/social-card.png"
    again = tmp_path / "again"
    assert not build(tiny_project, again, base_url=BASE).errors
    assert (again / "trials" / "tiny-trial" / "card.png").read_bytes() == png


def test_each_explainer_links_a_few_related_explainers_and_the_full_list(real_site):
    """At most five, never itself, chosen by shared glossary words: the list does not grow with the site."""
    explainers = sorted((real_site / "explainers").glob("*/index.html"))
    assert len(explainers) >= 19
    for path in explainers:
        links = [a["href"] for a in BeautifulSoup(path.read_text(), "html.parser").select("nav.more a")]
        assert 1 <= len(links) - 1 <= 5 and links[-1] == "../../explainers/", path
        assert f"../../explainers/{path.parent.name}/" not in links, path
    pfs = BeautifulSoup((real_site / "explainers" / "progression-free-survival" / "index.html").read_text(),
                        "html.parser")
    assert "../../explainers/overall-survival/" in [a["href"] for a in pfs.select("nav.more a")]


def test_style_sheets_and_scripts_are_published_without_comments_and_spaces(tiny_project):
    """A .css or .js file of static/ reaches readers minified (a /*! notice stays); any other file as written."""
    static = tiny_project / "static"
    (static / "css" / "extra.css").write_text(
        "/*! Licence: keep me */\n/* for authors */\n.chart svg text:not([fill]) {\n  fill : #1a1a1a ;\n}\n"
        'td::before { content: attr(data-label) ": "; width: calc(100% - 2rem); }\n')
    (static / "js").mkdir(exist_ok=True)
    (static / "js" / "extra.js").write_text("/* for authors */\nvar label = `a ${1 + 2}`; // why\nvar r = /a b/g;\n")
    (static / "notes.txt").write_text("/* kept */  as   written\n")
    site = _built(tiny_project)
    assert (site / "static" / "css" / "extra.css").read_text() == (
        '/*! Licence: keep me */.chart svg text:not([fill]){fill:#1a1a1a}'
        'td::before{content:attr(data-label) ": ";width:calc(100% - 2rem)}')
    assert (site / "static" / "js" / "extra.js").read_text() == "var label=`a ${1 + 2}`;var r=/a b/g;"
    assert (site / "static" / "notes.txt").read_text() == "/* kept */  as   written\n"
    written = (tiny_project / "static" / "css" / "site.css").read_bytes()
    assert len((site / "static" / "css" / "site.css").read_bytes()) < 0.8 * len(written)


def test_the_folders_the_build_fills_are_the_ones_no_page_may_take():
    """project.BUILT_FOLDERS names every top-level folder the build writes besides pages: the author report, the
    search index and static/ (the bad-input cases pin the message)."""
    from trialsite import pipeline, project, search

    assert {pipeline.REPORT.split("/")[0], search.FOLDER, "static"} == set(project.BUILT_FOLDERS)


def test_pages_named_like_the_layout_or_the_site_files_are_plain_pages(tiny_project):
    """A page named '404' or 'base' is rendered with page.html, not with the layout or the page-not-found page."""
    for slug in ("404", "base"):
        (tiny_project / "content" / f"{slug}.md").write_text(
            "---\ntitle: A page named " + slug + "\nsummary: B\nauthors: [Test writers]\nlast_reviewed: 2026-01-01\n"
            "next_review: 2027-01-01\n---\nSome plain words.\n")
    site = _built(tiny_project)
    for slug in ("404", "base"):
        soup = BeautifulSoup((site / slug / "index.html").read_text(), "html.parser")
        assert soup.h1.get_text(strip=True) == f"A page named {slug}"
        assert "Some plain words." in soup.main.get_text()
