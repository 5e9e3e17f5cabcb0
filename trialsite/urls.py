"""Addresses as a browser reads them: the one place that splits and normalises a URL."""
from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

# Browsers drop tabs and line ends anywhere in an address, and spaces and control characters at its ends.
DROPPED = re.compile(r"[\t\n\r]")
EDGES = "".join(chr(c) for c in range(0x21))


def split_url(url: str) -> SplitResult | None:
    """An address split into its parts, or None when it cannot be one (e.g. 'http://[oops/' or port 99999)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError:
        return None
    return parts


def as_browser_reads(url: str) -> str:
    """The address a browser follows: '/\\evil.example/x' and '/&#10;/evil.example' both become '//evil.example'."""
    return DROPPED.sub("", url).strip(EDGES).replace("\\", "/")


def to_root(page_url: str) -> str:
    """The way from a page to the site root: '' from the home page, '../' from 'glossary/', '../../' from 'trials/x/'.

    Every internal link is relative, so one build works at '/', under '/<repo>/' and opened from _site/.
    """
    return "../" * page_url.count("/")


def relative(from_page: str, target: str) -> str:
    """The address of `target` (site-relative, e.g. 'glossary/#term-x') as written on the page at `from_page`."""
    page, hash_, fragment = target.partition("#")
    if hash_ and page == from_page:
        return "#" + fragment  # a place on the same page
    return to_root(from_page) + target or "./"


def absolute(base_url: str, target: str) -> str:
    """A full address, for what leaves the site: canonical links, social cards, the sitemap."""
    return base_url + target


def base_path_of(base_url: str) -> str:
    """The path part of the base URL: '/' or '/repo/'."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"
