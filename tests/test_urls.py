"""One module owns addresses: internal links are relative, so one build works at '/', under '/<repo>/' and in _site/."""
from __future__ import annotations

import html
import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browser_support import serve, site_pages

from trialsite.urls import as_browser_reads, relative, split_url, to_root

LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


@pytest.mark.parametrize("page, target, expect", [
    ("", "glossary/", "glossary/"),
    ("", "", "./"),
    ("glossary/", "", "../"),
    ("trials/x/", "static/css/site.css", "../../static/css/site.css"),
    ("trials/x/", "trials/x/#analysis-final", "#analysis-final"),
    ("explainers/median/", "trials/x/#analysis-final", "../../trials/x/#analysis-final"),
])
def test_relative_addresses(page, target, expect):
    """A site-relative target as written on a page; a place on the same page is only its anchor."""
    assert relative(page, target) == expect


def test_to_root_counts_the_folders():
    """The way up from a page to the site root."""
    assert [to_root(p) for p in ("", "sources/", "trials/bolero-2/")] == ["", "../", "../../"]


def test_addresses_are_read_as_a_browser_reads_them():
    """Tabs and line ends inside, and control characters at the ends, are dropped; '\\' becomes '/'."""
    assert as_browser_reads(" /\n/evil.example/x.png\t") == "//evil.example/x.png"
    assert as_browser_reads("/\\evil.example/") == "//evil.example/"
    assert split_url("http://[oops/") is None and split_url("http://example.org:99999/") is None


def _internal_links(origin: str, url: str, page_html: str) -> set[str]:
    """Every address a page links to or loads on the same server, resolved as the browser would."""
    found = set()
    for href in LINK.findall(page_html):
        target = urljoin(url, html.unescape(href))
        if target.startswith(origin):
            found.add(target.split("#", 1)[0])
    return found


@pytest.mark.parametrize("prefix", ["", "/trialsite"])
def test_default_build_works_served_from_any_folder(real_site, tmp_path, prefix):
    """The real site, served at '/' (python -m http.server -d _site) or under '/<repo>/': every link resolves."""
    served = tmp_path / "served"
    shutil.copytree(real_site, served / prefix.strip("/") if prefix else served)
    server, origin = serve(served)
    try:
        base = origin + prefix + "/"
        broken, seen = [], 0
        for page in site_pages(served / prefix.strip("/") if prefix else served):
            url = base if page.parent == Path(".") else f"{base}{page.parent.as_posix()}/"
            body = urllib.request.urlopen(url).read().decode("utf-8")
            for link in sorted(_internal_links(origin, url, body)):
                seen += 1
                try:
                    urllib.request.urlopen(link).read()
                except OSError as exc:
                    broken.append(f"{url} -> {link}: {exc}")
    finally:
        server.shutdown()
        server.server_close()
    assert seen > 50 and not broken, "\n".join(broken)
