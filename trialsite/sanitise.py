"""What an author's HTML in Markdown may contain: an allowlist, the problems it finds, and nh3 to enforce it.

An author's HTML runs no scripts and loads nothing from other hosts; the only script a page may load is the site's
own (static/js/glossary.js, added by templates/base.html), which the Content-Security-Policy limits to the site.
The build's own markup (numbers as <data value>, glossary and analysis links, heading ids) is on the allowlist
too, so the same cleaning applies to the whole page body.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from .urls import as_browser_reads, split_url

TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "b", "i", "code", "pre",
        "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "caption", "img", "sup", "sub", "abbr",
        "details", "summary", "data", "dl", "dt", "dd", "kbd", "mark", "small", "s", "q", "cite", "span", "div"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "abbr": {"title"},
              "data": {"value"}, "ol": {"start"}, "details": {"open"}, "th": {"scope", "colspan", "rowspan"},
              "td": {"colspan", "rowspan"}, "q": {"cite"},
              **{f"h{n}": {"id"} for n in range(1, 7)}}
CLASSES = {"a": {"term", "analysis", "analysis-tag"}, "th": {"align-left", "align-center", "align-right"},
           "td": {"align-left", "align-center", "align-right"}}
SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "cite"}
# Markdown's tables give column alignment as inline style, which the Content-Security-Policy blocks: use classes.
ALIGN_STYLE = re.compile(r' style="text-align: (left|center|right);"')


@dataclass(frozen=True)
class HtmlProblem:
    """Something in a page's HTML that is not allowed: what to look for in the source, and what to say."""

    needle: str
    message: str
    error: bool  # an error fails the build; otherwise it is removed with a warning (an error with --strict)


def clean(html: str) -> str:
    """The page body with everything outside the allowlist removed."""
    html = ALIGN_STYLE.sub(r' class="align-\1"', html)
    return nh3.clean(html, tags=TAGS, attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     allowed_classes={k: set(v) for k, v in CLASSES.items()}, url_schemes=SCHEMES,
                     link_rel=None, strip_comments=True, clean_content_tags={"script", "style"})


def problems(html: str) -> list[HtmlProblem]:
    """Every tag, attribute and address in `html` that the allowlist removes or that loads from elsewhere."""
    finder = _ProblemFinder()
    finder.feed(ALIGN_STYLE.sub(r' class="align-\1"', html))
    finder.close()
    return list(dict.fromkeys(finder.found))


def problems_of_tags(tags: Iterable[tuple[str, list[tuple[str, str | None]]]]) -> list[HtmlProblem]:
    """`problems` of HTML whose opening tags, in order, are these (name and attributes as an HTML parser reads them,
    a table cell's alignment already a class): for HTML the build made from an element tree, without parsing it."""
    checker = _TagChecker()
    for tag, attrs in tags:
        checker.handle_starttag(tag, attrs)
    return list(dict.fromkeys(checker.found))


ALIGN_VALUE = re.compile(r"text-align: (left|center|right);")  # ALIGN_STYLE's value


class _TagChecker:
    """Notes each problem of the opening tags it is shown, in order."""

    def __init__(self) -> None:
        self.found: list[HtmlProblem] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check one opening tag and its attributes."""
        if tag == "h1":
            self.found.append(HtmlProblem("<h1", "the page title is the only top-level heading; use <h2> here", True))
            return
        if tag not in TAGS:
            self.found.append(HtmlProblem(f"<{tag}", f"the HTML tag <{tag}> is not allowed in pages and was left out"
                                          f"{_why(tag)}", False))
            return
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            self.found.append(HtmlProblem(dict(attrs).get("src") or "<img", "this image has no alt text; describe it "
                                          "in the brackets of ![...](...) or in alt=\"...\"", False))

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        """Check one attribute: allowed for this tag, and any address it holds is safe."""
        if name.startswith("on"):
            self.found.append(HtmlProblem(name, f"the '{name}' attribute on <{tag}> was left out: pages run no scripts",
                                          False))
        elif name == "class":
            return  # unknown classes are dropped quietly: they change only the look
        elif name not in ATTRIBUTES.get(tag, set()):
            self.found.append(HtmlProblem(name, f"the '{name}' attribute on <{tag}> is not allowed and was left out",
                                          False))
        elif name in URL_ATTRIBUTES:
            self._check_address(tag, name, value.strip())

    def _check_address(self, tag: str, name: str, value: str) -> None:
        """A link may go anywhere on the web; a file the page loads must come from this site."""
        parts = split_url(as_browser_reads(value))
        if parts is None or "\\" in value:
            hint = "addresses use '/', never '\\'" if "\\" in value else "check its spelling"
            self.found.append(HtmlProblem(value, f"'{_short(value)}' is not a valid address; {hint}", True))
            return
        scheme = parts.scheme.lower()
        if scheme and scheme not in SCHEMES:
            self.found.append(HtmlProblem(value, f"the address '{_short(value)}' was left out: only http, https, "
                                          "mailto and tel addresses, and addresses inside the site, are allowed",
                                          False))
        elif tag == "img" and (scheme or parts.netloc):
            self.found.append(HtmlProblem(value, f"the image '{_short(value)}' loads from another site; put the file "
                                          "in static/ and use its address there", True))


class _ProblemFinder(_TagChecker, HTMLParser):
    """Walks the HTML once, noting each problem in the order it appears."""

    def __init__(self) -> None:
        _TagChecker.__init__(self)
        HTMLParser.__init__(self, convert_charrefs=True)

    handle_startendtag = _TagChecker.handle_starttag


def _why(tag: str) -> str:
    """A short reason for the tags authors are most likely to try."""
    if tag in ("script", "noscript"):
        return ": pages run no scripts"
    if tag in ("iframe", "object", "embed", "frame", "frameset", "video", "audio", "source", "link"):
        return ": pages load nothing from other places; link to it instead"
    if tag == "style":
        return ": the look of the site comes from static/css"
    return ""


def _short(value: str) -> str:
    """An address cut to a readable length for a message."""
    return value if len(value) <= 60 else value[:57] + "..."


# A file in static/ is published as it is, outside the pages' checks and their Content-Security-Policy.
STATIC_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
SVG_SCRIPT = re.compile(rb"<script|<foreignobject|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def active_content(name: str, data: bytes) -> str | None:
    """Why a file in static/ could run script when opened, or None."""
    lower = name.lower()
    if lower.endswith(STATIC_PAGE_SUFFIXES):
        return ("an HTML page in static/ would be published without the site's checks and its "
                "Content-Security-Policy; write it as a Markdown page in content/ instead")
    if lower.endswith((".svg", ".svgz", ".xml")) and SVG_SCRIPT.search(data):
        return "this file holds script (<script>, an on...= attribute or a javascript: address); remove it"
    return None


CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', re.IGNORECASE)
CSP_REQUIRED = ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'")
CSP_FORBIDDEN = ("'unsafe-inline'", "'unsafe-eval'")
CSP_SCRIPT_SOURCES = {"'self'", "'none'"}  # the site's own script file, or none: never another host


def csp_problem(page_html: str) -> str | None:
    """Why a built page's Content-Security-Policy is missing or too weak, or None."""
    head = page_html.split("</head>", 1)[0]
    found = CSP_META.findall(head)
    if len(found) != 1:
        return ("every page must carry one <meta http-equiv=\"Content-Security-Policy\"> in its <head> "
                "(see templates/base.html in a new project)")
    missing = [rule for rule in CSP_REQUIRED if rule not in found[0]]
    allowed = [word for word in CSP_FORBIDDEN if word in found[0]]
    if missing or allowed:
        return ("the page's Content-Security-Policy must include " + "; ".join(CSP_REQUIRED)
                + " and must not allow 'unsafe-inline' or 'unsafe-eval'")
    scripts = [rule.split()[1:] for rule in found[0].split(";") if rule.split()[:1] == ["script-src"]]
    if any(not set(sources) <= CSP_SCRIPT_SOURCES for sources in scripts):
        return ("the page's Content-Security-Policy may let scripts come only from the site itself: "
                "script-src 'self' (or 'none')")
    return None
