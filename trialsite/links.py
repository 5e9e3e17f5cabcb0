"""Check that every internal link and anchor of the built site points at something that exists."""
from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote

from .errors import SourceError
from .project import Page
from .urls import as_browser_reads, split_url

HREF = re.compile(r'\s(?:href|src)="([^"]*)"')
ID = re.compile(r'\sid="([^"]+)"')


def check_links(files: dict[str, bytes], pages: list[Page], base_path: str) -> list[SourceError]:
    """A broken internal link or anchor in a page is an error pointing at the page's source line."""
    ids = {name: set(ID.findall(body.decode("utf-8"))) for name, body in files.items() if name.endswith(".html")}
    errors = []
    for page in pages:
        name = page.url + "index.html"
        text = files[name].decode("utf-8")
        for href in sorted(set(HREF.findall(text))):
            problem = _problem(href, base_path + page.url, base_path, files, ids, name)
            if problem:
                shown = html.unescape(href)
                errors.append(SourceError(page.doc.path, _line_of(page, shown), "(link)", f"'{shown}' {problem}",
                                          ref=f"link:{shown}:{problem}"))  # one broken address, one message
    return errors


def _problem(href: str, page_path: str, base_path: str, files, ids, name) -> str | None:
    """Why an internal link is broken, or None when it works (external links are not checked)."""
    parts = split_url(as_browser_reads(html.unescape(href)))
    if parts is None:
        return "is not a valid address; check its spelling"
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "data:")):
        return None
    if not parts.path:
        target = name
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path)))
        path += "/" if parts.path.endswith("/") and not path.endswith("/") else ""
        base_path = unquote(base_path)  # the site may live under '/a%20b/'; the path above is unquoted too
        if not path.startswith(base_path):
            return f"points outside the site's base path {base_path}"
        target = path[len(base_path):]
        target = target + "index.html" if target.endswith("/") or target == "" else target
        if target not in files:
            return "points at a page or file that the build does not make"
    if parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
        return f"points at an anchor '#{parts.fragment}' that the page does not have"
    return None


def _line_of(page: Page, href: str) -> int:
    """The body line that contains the link, or the first line of the body."""
    for number, line in enumerate(page.doc.body.split("\n"), start=page.doc.body_line):
        if href in line:
            return number
    return page.doc.body_line
