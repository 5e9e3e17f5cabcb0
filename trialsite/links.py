"""Check that every internal link and anchor of the built site points at something that exists."""
from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from markdown.extensions.toc import slugify

from .errors import SourceError
from .project import Page
from .urls import as_browser_reads, relative, split_url

ID = re.compile(r'\sid="([^"]+)"')
# Ids and addresses (href, src) in one pass over a page (its 'id' group is empty for an address); a page's attributes
# never overlap.
ID_OR_HREF = re.compile(r'\s(?:(id)|href|src)="([^"]*)"')


SEPARATOR = "\0"  # between the ids, and between the addresses, of a PageLinks: no HTML attribute holds it


@dataclass(frozen=True)
class PageLinks:
    """What the link check needs of one page: its ids, the ids it holds twice and the addresses it links to. The ids
    and addresses are kept as one text each: a build keeps a thousand pages' worth until the check, and a text takes a
    quarter of the memory of a set of strings (34 KB a trial page)."""

    ids: str
    twice: tuple[str, ...]
    hrefs: str

    def addresses(self) -> list[str]:
        """The distinct addresses the page links to, sorted."""
        return self.hrefs.split(SEPARATOR) if self.hrefs else []


def page_links(html: str) -> PageLinks:
    """The ids and links of one page's HTML (worked out where the page is rendered, so never read back)."""
    ids: list[str] = []
    hrefs: set[str] = set()
    for is_id, value in ID_OR_HREF.findall(html):
        if not is_id:
            hrefs.add(value)
        elif value:
            ids.append(value)
    found = Counter(ids)
    return PageLinks(SEPARATOR.join(found), tuple(sorted(key for key, count in found.items() if count > 1)),
                     SEPARATOR.join(sorted(hrefs)))


class _PageIds(Mapping[str, set[str]]):
    """Each page's ids by file name, as a set made when a link first asks for an anchor on that page."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts
        self._sets: dict[str, set[str]] = {}

    def __getitem__(self, name: str) -> set[str]:
        if name not in self._sets:
            text = self._texts[name]
            self._sets[name] = set(text.split(SEPARATOR)) if text else set()
        return self._sets[name]

    def __contains__(self, name: object) -> bool:
        return name in self._texts

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def check_links(files: Mapping[str, bytes], pages: list[Page], base_path: str,
                unmade: frozenset[str] = frozenset(), scanned: Mapping[str, PageLinks] | None = None
                ) -> list[SourceError]:
    """A broken internal link or anchor in a page is an error pointing at the page's source line.

    Internal links are relative to their page; `base_path` ('/repo/') only explains a link written from the host's root.
    `unmade` holds the files (or folders, ending in '/') the build would make but did not, because of errors
    reported already: links into them are not reported again. `pages` are the pages rendered into `files`;
    `scanned` holds `page_links` of those already read, by file name (the others are read from `files`).
    """
    scanned = scanned or {}
    ids = _PageIds({name: scanned[name].ids if name in scanned else SEPARATOR.join(ID.findall(files[name].decode()))
                    for name in files if name.endswith(".html")})
    errors = []
    resolved: dict[tuple[str, str], str | None] = {}
    for page in pages:
        name = page.url + "index.html"
        links = scanned[name] if name in scanned else page_links(files[name].decode("utf-8"))
        for twice in links.twice:
            errors.append(SourceError(page.doc.path, _heading_line(page, twice), "(heading)",
                                      f"the id '{twice}' is used twice on this page, so links to it are ambiguous; "
                                      "give the heading other words"))
        for href in links.addresses():
            shown = html.unescape(href)
            # Pages in one folder read a relative link alike ('../../static/x.css' from every trial page): resolve
            # each once, so that menus and lists repeated on every page cost nothing more per page.
            key = (posixpath.dirname(page.url.rstrip("/")), shown) if _same_from_siblings(shown) else (page.url, shown)
            if key not in resolved:
                resolved[key] = _problem(shown, page.url, base_path, files, unmade, ids, name)
            problem = resolved[key]
            if problem:
                # One missing target, one message: '../static/x.css' and '../../static/x.css' are the same file.
                target = posixpath.normpath(posixpath.join("/" + page.url, unquote(shown.split("#")[0])))
                errors.append(SourceError(page.doc.path, _line_of(page, shown), "(link)", f"'{shown}' {problem}",
                                          ref=f"link:{target}:{problem.split(';')[0]}"))
    return errors


def _problem(href: str, page_url: str, base_path: str, files: Mapping[str, bytes], unmade: frozenset[str], ids,
             name: str) -> str | None:
    """Why an internal link is broken, or None when it works (external links are not checked)."""
    parts = split_url(as_browser_reads(href))
    if parts is None:
        return "is not a valid address; check its spelling"
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "data:")):
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        inside = path[len(unquote(base_path)):] if path.startswith(unquote(base_path)) else None
        hint = f", here '{relative(page_url, inside)}'" if inside is not None else ""
        return ("starts with '/', so it breaks when the site is opened from another folder; write it relative to "
                f"this page{hint}")
    if not path:
        target = name
    else:
        resolved = posixpath.normpath(posixpath.join(page_url, path))  # relative: normpath keeps a leading '..'
        if resolved == ".." or resolved.startswith("../"):
            return "points above the site's top folder"
        target = "" if resolved == "." else resolved + ("/" if path.endswith("/") else "")
        target = target + "index.html" if target.endswith("/") or target == "" else target
        if target not in files and target + "/index.html" in files:
            target += "/index.html"  # a folder's address without its final '/' still opens its page
        if target not in files and not _is_unmade(target, unmade):
            return "points at a page or file that the build does not make"
    if parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
        return f"points at an anchor '#{parts.fragment}' that the page does not have"
    return None


def _same_from_siblings(href: str) -> bool:
    """Whether a link means the same from every page in one folder (not '#x', '' or '/x', which depend on the page)."""
    return bool(href) and not href.startswith(("#", "/", "?"))


def _is_unmade(target: str, unmade: frozenset[str]) -> bool:
    """Whether a site path, or a folder it is in, was left out because of an error already reported.

    A folder may be named with or without its final '/': an error names a refused folder as it names a file.
    """
    parts = target.split("/")
    folders = ["/".join(parts[:i]) for i in range(1, len(parts))]
    return target in unmade or "/" in unmade or any(f in unmade or f + "/" in unmade for f in folders)


def _heading_line(page: Page, anchor: str) -> int:
    """The line of the heading whose id is `anchor` (as the toc extension makes ids), or the body's first line."""
    for number, line in enumerate(page.doc.body.split("\n"), start=page.doc.body_line):
        heading = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading and slugify(heading.group(1), "-") == anchor:
            return number
    return page.doc.body_line


def _line_of(page: Page, href: str) -> int:
    """The body line that contains the link, or the first line of the body."""
    for number, line in enumerate(page.doc.body.split("\n"), start=page.doc.body_line):
        if href.lower() in line.lower():
            return number
    return page.doc.body_line
