"""The Markdown stage: a page body becomes a list of typed blocks (prose HTML, chart references) and its findings.

Built on python-markdown's own extension API: an inline processor for `{{ shortcodes }}`, one for `[[glossary
terms]]`, a block processor for `{{ chart ID }}` lines and a tree processor for the checks that need the whole
paragraph. Code spans and fenced code blocks are never touched (python-markdown stashes them before these run).
python-markdown does not keep source lines, so a finding names the text it is about, and `SourceLines` finds
every line where that text stands outside code.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import markdown.extensions.md_in_html
import markdown.extensions.sane_lists
import markdown.extensions.tables
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor as InlineTreeprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from . import prose_checks, sanitise, wording
from .checks import page_source_keys
from .errors import SourceError
from .model import by_id
from .project import Page, Project, abbreviations, term_anchor
from .readability import Grades
from .schema import Term, Trial
from .shortcodes import CHART, ENDPOINT, HARM, BrokenTrial, Ref, ShortcodeError, resolve, split_trial
from .urls import relative

SHORTCODE = r"\{\{\s*(.*?)\s*\}\}"
SHORTCODE_PATTERN = re.compile(SHORTCODE)
TERM_LINK = r"\[\[([^\]|]+?)(?:\|([^\]]+?))?\]\]"
CHART_LINE = re.compile(r"^[ ]{0,3}\{\{\s*chart\s+([^\s}]+)\s*\}\}[ \t]*$", re.MULTILINE)
PIPE = "\x1f"  # stands for '|' inside shortcodes while the table parser runs; refused in every input file
# Characters that serialising (escapes) or a postprocessor (stashed HTML, hidden pipes) would change in a heading
SERIALISED_APART = re.compile(f"[&<>{markdown.util.STX}{markdown.util.ETX}{PIPE}]")
CHART_TAG = "trialsite-chart"  # stands in the tree for a chart until the blocks are split; never serialised
FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?\1")
DIGIT = re.compile(r"\d")
EMPTY_HEADING = re.compile(r"^ {0,3}#{1,6}\s*#*\s*$")
SHORTCODE_IN_GLOSSARY_LINK = re.compile(r"\[\[[^\]]*\{\{[^\]]*\]\]")
HAND_NUMBER = re.compile(r"(?<![\w\-.:/#])\d+(?:[.,]\d+)*%?(?![\w\-])")
MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
SHORTCODE_IN_ADDRESS = re.compile(r"\]\([^)]*(\{\{|\[\[)|<[^>]*=\s*[\"']?[^\"'>]*(\{\{|\[\[)"
                                  r"|<[a-z]+:[^>]*(\{\{|\[\[)")
TAG_START = re.compile(r"<[A-Za-z/!]")
UNEXPANDED = re.compile(r"\{\{.*?\}\}|\[\[.*?\]\]")
CODE_HTML = re.compile(r"<(code|pre)\b.*?</\1>", re.DOTALL)
STASHED = re.compile(f"{markdown.util.STX}[^{markdown.util.ETX}]*{markdown.util.ETX}")  # raw HTML, kept aside
HEADING = re.compile(r"^#{1,6}\s+")
LIST_ITEM = re.compile(r"^(?:[*+\-]|\d+[.)])\s+")
QUOTE = re.compile(r"^(?:>\s?)+")
LIST_NUMBER = re.compile(r"^\s*(?:>\s*)*\d+[.)]\s")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:")
REFERENCE_USE = re.compile(r"\[[^\]]*\]\[([^\]]+)\]")
NESTING = re.compile(r"[\s>*_+\-\[\d.]*")
# Elements whose text is a unit of prose: the analysis check and the reading grade work on these.
PROSE_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "h2", "h3", "h4", "h5", "h6", "summary", "caption"}
GRADED_BLOCKS = PROSE_BLOCKS - {"td", "th", "caption"}  # a reader's grade leaves tables aside
SECTION_WORDS = 80  # a shorter section gives too few sentences for a steady grade
WORD = re.compile(r"\w+(?:['’.-]\w+)*")
# Private attributes that carry what a shortcode resolved to from the inline stage to the checks.
CODE, SHOWS, NAMES, NTH = "data-trialsite-code", "data-trialsite-shows", "data-trialsite-names", "data-trialsite-nth"
ABOUT = "data-trialsite-about"  # what a figure is about, for the key-points check


@dataclass(frozen=True)
class Prose:
    """Author's text, as clean HTML."""

    html: Markup
    kind: str = "prose"


@dataclass(frozen=True)
class ChartRef:
    """A chart the author placed with `{{ chart ID }}`."""

    trial: Trial
    chart_id: str
    kind: str = "chart"


@dataclass(frozen=True)
class SectionGrade:
    """How one '## ' section reads: its heading, its words and its Flesch-Kincaid grade."""

    heading: str
    words: int
    grade: float


@dataclass
class PageBody:
    """A page body as typed blocks, with what the checks found."""

    blocks: list[Prose | ChartRef] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    grade: float = 0.0
    smog: float = 0.0  # SMOG grade, only reported (the author report), never a gate
    words: int = 0  # words a reader reads in the body's prose (tables, charts and code aside)
    sections: list[SectionGrade] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)  # (id, text) of each '## ' heading, for contents
    terms: list[Term] = field(default_factory=list)  # glossary entries the page links to, in order of first use


class SourceLines:
    """The body's lines as prose, to find where a piece of text stands.

    Fenced code (only when the fence is closed, as python-markdown reads it), code spans and notes to
    editors (`<!-- -->`, which may span lines) are blanked; `unclosed_note` is the line of a note never closed.
    """

    def __init__(self, page: Page):
        self.page = page
        self.first = page.doc.body_line
        body = page.doc.body
        if any(mark in body for mark in BLANKED_MARKS):
            self.lines, self.unclosed_note = _blanked(body.split("\n"), self.first)
        else:  # nothing to blank: each line as it is
            self.lines, self.unclosed_note = [(self.first + i, line) for i, line in enumerate(body.split("\n"))], None

    def of(self, needle: str) -> list[int]:
        """The line of every occurrence of `needle` (ignoring case and HTML escapes), or the body's first line."""
        wanted = needle.lower()
        found = []
        for n, line in self.lines:
            found += [n] * max(line.lower().count(wanted), html.unescape(line).lower().count(wanted))
        return found or [self.first]

    def deepest(self) -> int:
        """The line that opens with the longest run of nesting marks (quotes, list marks, emphasis, indents)."""
        return max(self.lines, key=lambda item: _nesting(item[1]), default=(self.first, ""))[0]


BLANKED_MARKS = ("`", "~~~", "<!--")  # what a fence, a code span or a note to editors needs


def _blanked(body: list[str], first: int) -> tuple[list[tuple[int, str]], int | None]:
    """The body's lines (numbered from `first`) with closed fences, code spans and notes to editors blanked, and the
    line of a note never closed."""
    lines: list[tuple[int, str]] = []
    unclosed_note = None
    fenced = _fenced_lines(body)
    in_note = False
    for index, line in enumerate(body):
        if index in fenced:
            continue
        was_open = in_note
        text, in_note = _without_notes(CODE_SPAN.sub("", line), in_note)
        if in_note and not was_open:
            unclosed_note = first + index  # where the note still open at the end began
        lines.append((first + index, text))
    return lines, unclosed_note if in_note else None


def _nesting(line: str) -> int:
    """How many characters of nesting marks a line opens with."""
    found = NESTING.match(line)
    return len(found.group()) if found else 0


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of every fenced code block that is closed (an unclosed fence is prose)."""
    fenced: set[int] = set()
    index = 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if opened:
            mark = opened.group(1)[0] * len(opened.group(1))
            end = next((j for j in range(index + 1, len(lines)) if lines[j].strip().startswith(mark)), None)
            if end is not None:
                fenced.update(range(index, end + 1))
                index = end
        index += 1
    return fenced


def _without_notes(line: str, in_note: bool) -> tuple[str, bool]:
    """The line with notes to editors blanked, and whether a note is still open after it."""
    out = ""
    while line:
        if in_note:
            end = line.find("-->")
            if end < 0:
                return out, True
            line, in_note = line[end + 3:], False
        else:
            start = line.find("<!--")
            if start < 0:
                return out + line, False
            out, line, in_note = out + line[:start], line[start + 4:], True
    return out, in_note


class _Stage:
    """What one page's conversion needs and finds; shared by the processors of its Markdown instance."""

    def __init__(self, page: Page, project: Project):
        self.page, self.project = page, project
        self.default = project.trials.get(page.meta.trial) if page.meta.trial else None
        self.lines = SourceLines(page)
        self.body = PageBody()
        # the numbers the page's list of sources gives, for findings that name their source
        self.source_numbers = {key: i for i, key in enumerate(page_source_keys(page.meta.sources, self.default), 1)}

    def error(self, needle: str, field_name: str, message: str, ref: str | None = None, warning: bool = False,
              occurrence: int | None = None) -> None:
        """Report a finding at every line where `needle` stands, or only at its n-th occurrence."""
        found = self.body.warnings if warning else self.body.errors
        lines = self.lines.of(needle)
        if occurrence is not None:
            lines = lines[min(occurrence, len(lines) - 1):][:1]
        for line in lines:
            found.append(SourceError(self.page.doc.path, line, _clip(field_name), message, ref))


class _TablePipes(Preprocessor):
    """A '|' inside a shortcode is not a table's column break: hide it until the shortcode is resolved."""

    def run(self, lines: list[str]) -> list[str]:
        """Replace '|' inside every {{ ... }} with a character no input may hold (the reader refuses it)."""
        return [SHORTCODE_PATTERN.sub(_hide_pipes, line) if "{{" in line else line for line in lines]


class _OnlyWith(Preprocessor):
    """A preprocessor of python-markdown run only on a text that holds one of its marks: the fenced-code one looks for
    fences and the raw-HTML one parses the whole text, and neither changes a text without them (tested against
    python-markdown); a page of plain prose skips both (0.07 ms)."""

    def __init__(self, md: markdown.Markdown, inner: Preprocessor, marks: tuple[str, ...]) -> None:
        super().__init__(md)
        self.inner, self.marks = inner, marks

    def run(self, lines: list[str]) -> list[str]:
        """The inner preprocessor's lines, or the lines as they are when none holds a mark."""
        text = "\n".join(lines)  # a mark never spans lines
        return self.inner.run(lines) if any(mark in text for mark in self.marks) else lines


# name: (its priority in python-markdown, its marks); the order of the preprocessors is tested to stay python-markdown's
SKIPPABLE_PREPROCESSORS = {"fenced_code_block": (25, ("```", "~~~")), "html_block": (20, ("<", "&"))}


def _only_with_marks(md: markdown.Markdown) -> None:
    """Put each of SKIPPABLE_PREPROCESSORS the converter has behind an _OnlyWith, in its place."""
    for name, (priority, marks) in SKIPPABLE_PREPROCESSORS.items():
        if name in md.preprocessors:
            md.preprocessors.register(_OnlyWith(md, md.preprocessors[name], marks), name, priority)


def _hide_pipes(shortcode: re.Match[str]) -> str:
    """A shortcode with its '|' hidden."""
    return shortcode.group(0).replace("|", PIPE)


class _HeadingIds(TocTreeprocessor):
    """The toc extension's ids for headings (its own steps and functions, so the same ids), without the table of
    contents it also builds for a '[TOC]' line, which nothing else shows (a page's contents come from its headings):
    0.12 -> 0.03 ms a page. A page with a '[TOC]' line gets the toc extension's whole work, as before."""

    def run(self, doc: etree.Element) -> None:
        """Give each heading without an id the toc extension's id for it."""
        if self.marker and any(el.text and el.text.strip() == self.marker for el in doc.iter()):
            super().run(doc)
            return
        used = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    el.attrib["id"] = unique(self.slugify(html.unescape(self._name(el)), self.sep), used, counters)
                el.attrib.pop("data-toc-label", None)

    def _name(self, heading: etree.Element) -> str:
        """The heading's words as the toc extension reads them: its inner HTML, through the postprocessors, without
        tags; for a heading of plain text (most), that is its words, read straight from it."""
        text = heading.text or ""
        if len(heading) == 0 and not SERIALISED_APART.search(text):
            return " ".join(text.split())
        return strip_tags(render_inner_html(remove_fnrefs(heading), self.md))


class _HeadingIdsExtension(TocExtension):
    """The toc extension, giving headings their ids only (see _HeadingIds)."""

    TreeProcessorClass = _HeadingIds


class _RestorePipes(Postprocessor):
    """Put back the '|' the preprocessor hid, where a shortcode was shown as code."""

    def run(self, text: str) -> str:
        """Undo _TablePipes in the finished HTML."""
        return text.replace(PIPE, "|")


class _ShortcodeProcessor(InlineProcessor):
    """`{{ PATH | FORMAT }}` becomes the number or words from the data."""

    def __init__(self, stage: _Stage, md: markdown.Markdown):
        super().__init__(SHORTCODE, md)
        self.stage = stage

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 - python-markdown's name
        """Resolve one shortcode to an element that carries what it shows, for the checks after."""
        code, written = m.group(1).replace(PIPE, "|"), m.group(0).replace(PIPE, "|")
        if _inside_tag(data, m.start(0)):
            return None, None, None  # inside raw HTML: reported from the source, left to the sanitiser
        if code.split(" ", 1)[0] == CHART:
            self.stage.error(written, "chart", "a chart stands on a line of its own, with blank lines around it")
            return "", m.start(0), m.end(0)
        try:
            ref = resolve(code, self.stage.default, self.stage.project)
        except BrokenTrial:
            return "", m.start(0), m.end(0)
        except ShortcodeError as exc:
            self.stage.error(written, "{{ " + code + " }}", str(exc), exc.ref)
            return "", m.start(0), m.end(0)
        element = _ref_element(ref, written, self.stage.page.url)
        missing = [key for key in ref.cites if key not in self.stage.source_numbers]
        if missing:
            self.stage.error(written, "{{ " + code + " }}",
                             f"its source '{missing[0]}' is not among this page's sources; add it to 'sources' "
                             "in the front matter")
            return "", m.start(0), m.end(0)
        if ref.cites:
            _cite(element, [(key, self.stage.source_numbers[key]) for key in ref.cites], ref.period,
                  self.stage.page.url)
        return element, m.start(0), m.end(0)


def _inside_tag(data: str, start: int) -> bool:
    """True when `start` lies inside an HTML tag such as <abbr title="...">."""
    opened = [m.start() for m in TAG_START.finditer(data, 0, start)]
    return bool(opened) and opened[-1] > data.rfind(">", 0, start)


def _ref_element(ref: Ref, written: str, page_url: str) -> etree.Element:
    """A link to the analysis it names, a <data value> for a number, or plain words in a span."""
    if ref.link:
        kind = "analysis-tag" if ref.tag else "analysis"
        el = etree.Element("a", {"class": kind, "href": relative(page_url, ref.link)})
    elif ref.data_value:
        el = etree.Element("data", {"value": ref.data_value})
    else:
        el = etree.Element("span")  # unwrapped after the checks
    el.text = markdown.util.AtomicString(ref.text)
    el.set(CODE, written)
    if ref.analysis:
        el.set(SHOWS, ref.analysis)
    if ref.names_analysis:
        el.set(NAMES, ref.names_analysis)
    if ref.about:
        el.set(ABOUT, ref.about)
    return el


def _cite(el: etree.Element, numbered: list[tuple[str, int]], period: tuple[str, str | None] | None,
          page_url: str) -> None:
    """Follow the words with '(Final analysis · follow-up 18 months; Source 3)', each part linked."""
    el.text = markdown.util.AtomicString(f"{el.text} (")
    if period is not None:
        words, address = period
        if address is None:
            el.text = markdown.util.AtomicString(f"{el.text}{words}; ")
        else:
            tag = etree.SubElement(el, "a", {"class": "analysis-tag", "href": relative(page_url, address)})
            tag.text = markdown.util.AtomicString(words)
            tag.tail = markdown.util.AtomicString("; ")
    for i, (key, number) in enumerate(numbered):
        link = etree.SubElement(el, "a", {"href": f"#source-{key}"})
        link.text = markdown.util.AtomicString(f"Source {number}")
        link.tail = markdown.util.AtomicString(", " if i < len(numbered) - 1 else ")")


class _TermProcessor(InlineProcessor):
    """`[[term]]` or `[[shown words|term]]` becomes a link to the glossary entry."""

    def __init__(self, stage: _Stage, md: markdown.Markdown):
        super().__init__(TERM_LINK, md)
        self.stage = stage

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 - python-markdown's name
        """Link the term, or report it when the glossary does not have it."""
        shown, name = m.group(1), (m.group(2) or m.group(1)).strip()
        if _inside_tag(data, m.start(0)):
            return None, None, None
        if markdown.util.STX in m.group(0):  # a shortcode inside the link: reported from the source
            return "", m.start(0), m.end(0)
        if not name:
            self.stage.error(m.group(0), m.group(0), "a glossary link needs a term between '[[' and ']]'")
            return "", m.start(0), m.end(0)
        entry = self.stage.project.glossary.get(name.lower())
        if entry is None:
            self.stage.error(m.group(0), m.group(0), f"'{_clip(name)}' is not in the glossary", f"term:{name.lower()}")
            return markdown.util.AtomicString(shown), m.start(0), m.end(0)
        el = etree.Element("a", {"class": "term",
                                 "href": relative(self.stage.page.url, f"glossary/#{term_anchor(entry)}")})
        el.text = markdown.util.AtomicString(shown)
        if entry not in self.stage.body.terms:  # the page carries its definition for the popover
            self.stage.body.terms.append(entry)
        return el, m.start(0), m.end(0)


class _ChartLineProcessor(BlockProcessor):
    """A line holding only `{{ chart ID }}` becomes a chart in the page, between the blocks around it."""

    def __init__(self, stage: _Stage, parser):
        super().__init__(parser)
        self.stage = stage

    def test(self, parent: etree.Element, block: str) -> bool:
        """True when a line of the block is a chart line."""
        return bool(CHART_LINE.search(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        """Split the block around the chart line; the text before and after stays Markdown."""
        block = blocks.pop(0)
        match = CHART_LINE.search(block)
        if match is None:  # test() said there is one; nothing to do if the parser changed its mind
            self.parser.parseBlocks(parent, [block])
            return
        before, after = block[:match.start()].rstrip("\n"), block[match.end():].lstrip("\n")
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        chart = etree.SubElement(parent, CHART_TAG, {"ref": match.group(1), "written": match.group(0).strip()})
        if re.match(r"^ {0,3}([-*+>]|\d+[.)])(\s|$)", before):  # continues a list item or a quote
            chart.set("nested", "yes")
        if after.strip():
            blocks.insert(0, after)


class _ChecksProcessor(Treeprocessor):
    """After the inline stage: charts in place, each paragraph names its analyses, then the private marks go."""

    def __init__(self, stage: _Stage, md: markdown.Markdown):
        super().__init__(md)
        self.stage = stage

    def run(self, root: etree.Element) -> None:
        """Check charts and paragraphs, note the page's sections, then remove what only the checks needed."""
        self._check_charts(root)
        self.stage.body.headings = [(h.get("id", ""), "".join(h.itertext()).strip()) for h in root.iter("h2")
                                    if h.get("id")]
        seen: dict[str, int] = {}
        for el in root.iter():  # which occurrence of its text each shortcode is, to find its own line
            code = el.get(CODE)
            if code:
                el.set(NTH, str(seen.setdefault(code, 0)))
                seen[code] += 1
            for name, value in el.items() if el.tag != CHART_TAG else ():
                unexpanded = UNEXPANDED.search(value) if name not in (CODE, SHOWS, NAMES, NTH, ABOUT) else None
                if unexpanded:
                    mark = unexpanded.group().replace(PIPE, "|")
                    # a title comes from a '[ref]: address "title"' line
                    lines = [n for n, line in self.stage.lines.lines
                             if mark in line and REFERENCE_DEFINITION.match(line)]
                    for line in lines or self.stage.lines.of(mark):
                        self.stage.body.errors.append(SourceError(
                            self.stage.page.doc.path, line, "(shortcode)",
                            "shortcodes and glossary links are not expanded in a link title or an attribute; "
                            "put it in the text"))
            if el.tag == "a" and not "".join(el.itertext()).strip() and el.find("img") is None:
                self.stage.error(el.get("href", "]("), "(link)", "this link has no words to show; write them in [...]")
        if self.stage.page.kind == "trial" and self.stage.default is not None:
            _check_key_points(root, self.stage, self.stage.default)
        _check_abbreviations(root, self.stage)
        for block in root.iter():
            if block.tag in PROSE_BLOCKS:
                self._check_named(block)
            if block.tag == "h1":  # '# Title', '#Title' or 'Title' over '==='
                title = "".join(block.itertext()).strip()
                self.stage.error(title, "heading", "the page title is the only top-level heading; use '## ' here")
                block.tag = "h2"  # reported once, here, not again by the HTML checks
        _unwrap_marks(root)

    def _check_charts(self, root: etree.Element) -> None:
        """A chart stands at the top level, names a chart of its trial, and is shown once."""
        placed: set[tuple[str, str]] = set()
        seen: dict[str, int] = {}
        for parent in list(root.iter()):
            for chart in [c for c in parent if c.tag == CHART_TAG]:
                ref, written = chart.get("ref", ""), chart.get("written", "")
                seen[written] = seen.get(written, -1) + 1
                try:
                    trial, chart_id = split_trial(ref, self.stage.default, self.stage.project)
                    if chart_id not in {c.id for c in trial.charts}:
                        raise ShortcodeError(f"unknown chart '{chart_id}' in trial '{trial.id}'")
                    if parent is not root or chart.get("nested"):
                        raise ShortcodeError("a chart stands on a line of its own, not inside a list, a quote or "
                                             "an HTML block such as <details>")
                    if (trial.id, chart_id) in placed:  # a second copy would repeat the figure's ids and table
                        raise ShortcodeError(f"chart '{chart_id}' is already shown on this page; show each chart once")
                    placed.add((trial.id, chart_id))
                    chart.set("trial", trial.id)
                    chart.set("chart", chart_id)
                except BrokenTrial:
                    parent.remove(chart)
                except ShortcodeError as exc:
                    self.stage.error(written, "chart", str(exc), exc.ref, occurrence=seen[written])
                    parent.remove(chart)

    def _check_named(self, block: etree.Element) -> None:
        """Warn when a paragraph shows a number without naming the analysis it comes from."""
        shown: dict[str, tuple[str, int]] = {}
        named: set[str] = set()
        for el in _own_descendants(block):
            analysis, names = el.get(SHOWS), el.get(NAMES)
            if analysis:
                shown.setdefault(analysis, (el.get(CODE, ""), int(el.get(NTH, "0"))))
            if names:
                named.add(names)
        for analysis, (written, nth) in shown.items():
            if analysis not in named:
                inner = re.match(SHORTCODE, written)
                self.stage.error(
                    written, "{{ " + (inner.group(1) if inner else written) + " }}",
                    f"this paragraph shows a number from the analysis '{analysis}' but does not name it "
                    f"(add {{{{ analyses.{analysis} }}}} or {{{{ RESULT | analysis }}}})", warning=True, occurrence=nth)


KEY_POINTS = "Key points"
KEY_POINTS_WORDS = 120
OVERALL_SURVIVAL = "overall survival"


def _check_key_points(root: etree.Element, stage: _Stage, trial: Trial) -> None:
    """A trial page opens with key points that show the main result with overall survival beside it, and a harm."""
    sections = [h for h in root if h.tag == "h2"]
    if not sections or "".join(sections[0].itertext()).strip().lower() != KEY_POINTS.lower():
        first = "".join(sections[0].itertext()).strip() if sections else None
        stage.error(f"## {first}" if first else "---", "key points",
                    f"a trial page starts with a '## {KEY_POINTS}' section: what was tested and in whom, the main "
                    "result with overall survival beside it, the main harms, and what it does and does not mean",
                    occurrence=0 if first else 1)
        return
    children = list(root)
    start = children.index(sections[0]) + 1
    end = children.index(sections[1]) if len(sections) > 1 else len(children)
    # each paragraph or list item is one point; which endpoints and harms does each show?
    points = [el for child in children[start:end] for el in ([*child.iter("li")] or [child])]
    about = [{e.get(ABOUT) for e in point.iter() if e.get(ABOUT)} for point in points]
    here = f"## {KEY_POINTS}"
    text = " ".join("".join(child.itertext()) for child in children[start:end])
    words = len([word for word in text.split() if re.search(r"\w", word)])  # '·' in a label is not a word
    if words > KEY_POINTS_WORDS:
        stage.error(here, "key points", f"{words} words; keep the key points to about {KEY_POINTS_WORDS}",
                    warning=True)
    reported = {r.endpoint for r in trial.results}
    primary = by_id(trial.endpoints, trial.primary_endpoint)
    survival = next((e for e in trial.endpoints if OVERALL_SURVIVAL in {(e.term or "").lower(), e.name.lower()}
                     and e.id != primary.id and e.id in reported), None)
    shown = [i for i, found in enumerate(about) if f"{ENDPOINT}{primary.id}" in found]
    if primary.id in reported and not shown:
        stage.error(here, "key points", f"show a result of the main endpoint ({wording.lower_first(primary.name)}) "
                                        "in the key points, taken from the data with a shortcode")
    if survival is not None and shown and not any(f"{ENDPOINT}{survival.id}" in found
                                                  for i in shown for found in about[i:i + 2]):
        stage.error(here, "key points", f"put {wording.lower_first(survival.name)} beside "
                                        f"{wording.lower_first(primary.name)}: a result of it in the same point or "
                                        "the next one")
    if trial.side_effects and not any(HARM in found for found in about):
        table = trial.side_effects[0]
        example = f"side-effects.{table.id}.{table.events[0].id}.{trial.arms[0].id} | per100"
        stage.error(here, "key points", "name a harm with its numbers: a side effect from the data, e.g. "
                                        f"{{{{ {example} }}}}")


def _check_abbreviations(root: etree.Element, stage: _Stage) -> None:
    """A reader never meets an abbreviation the glossary knows before the page says what it stands for: its first
    use, in headings too, stands beside its words, as 'progression-free survival (PFS)' or 'HER2 (human ...)'."""
    text = STASHED.sub(" ", "".join(_reading_text(root)))
    for short, (words, term) in sorted(abbreviations(stage.project.terms).items()):
        first = _abbreviation(short).search(text) if short in text else None
        if first is None or _spelt_out(text, first, short, [words, term.term, *term.aliases]):
            continue
        example = f"{short} ({words})" if short == term.term else f"{words} ({short})"
        stage.body.warnings.append(SourceError(
            stage.page.doc.path, _abbreviation_line(stage, short), "abbreviation",
            f"'{short}' is used before this page says what it stands for; the first time, write '{example}'"))


def _abbreviation(short: str) -> re.Pattern:
    """The abbreviation as a word of its own: 'HR', but not 'HR-positive' (a word of its own, with its own entry)."""
    return re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")


def _spelt_out(text: str, found: re.Match, short: str, words: list[str]) -> bool:
    """Whether the abbreviation found stands beside its words: 'words (SHORT)' or 'SHORT (words)'."""
    longer = "|".join(re.escape(w) for w in words if not _abbreviation(short).search(w))
    if not longer:
        return False
    before = re.search(rf"(?:{longer})\s*\(\s*$", text[:found.start()], re.IGNORECASE)
    return bool(before and re.match(r"\s*\)", text[found.end():])) or bool(
        re.match(rf"\s*\(\s*(?:{longer})\s*\)", text[found.end():], re.IGNORECASE))


def _abbreviation_line(stage: _Stage, short: str) -> int:
    """The first line where the abbreviation stands in the text a reader reads, or the body's first line."""
    word = _abbreviation(short)
    for number, line in stage.lines.lines:
        shown = re.sub(TERM_LINK, lambda m: m.group(1), re.sub(SHORTCODE, " ", MD_LINK_TARGET.sub("]", line)))
        if word.search(HTML_TAG.sub(" ", shown)):
            return number
    return stage.lines.first


def _reading_text(el: etree.Element):
    """The text of the tree in reading order, code left out; a block ends with a line break."""
    if el.tag in ("code", "pre", CHART_TAG):
        yield el.tail or ""
        return
    yield el.text or ""
    for child in el:
        yield from _reading_text(child)
    yield ("\n" if el.tag in PROSE_BLOCKS else "") + (el.tail or "")


def _own_descendants(block: etree.Element):
    """Elements inside `block`, but not inside a nested prose block (which is checked on its own)."""
    for child in block:
        yield child
        if child.tag not in PROSE_BLOCKS:
            yield from _own_descendants(child)


def _unwrap_marks(root: etree.Element) -> None:
    """Remove the private attributes, and the spans that only carried them (their text stays)."""
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            for name in (CODE, SHOWS, NAMES, NTH, ABOUT):
                child.attrib.pop(name, None)
            if child.tag == "span" and not child.attrib and len(child) == 0:
                text = (child.text or "") + (child.tail or "")
                if index == 0:
                    parent.text = (parent.text or "") + text
                else:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + text
                parent.remove(child)


class _PlainParagraphs(BlockProcessor):
    """A block each line of which starts with a letter is a paragraph, made here without trying python-markdown's
    other block processors on it: none of them takes such a block (each needs a line that starts otherwise: '#', '>',
    '-', '*', '+', '_', '=', '|', ':', '[', '{', a digit, a space, a placeholder of raw HTML, or an empty line). Most
    blocks of prose are such paragraphs (0.30 -> 0.10 ms a synthetic page). Only while every block processor is one
    of those known here (told on first use), and never in a tight list, whose paragraphs python-markdown joins to the
    list item."""

    def __init__(self, parser) -> None:
        super().__init__(parser)
        self._known: bool | None = None

    def test(self, parent: etree.Element, block: str) -> bool:
        """Whether the block is a paragraph of lines that start with a letter, outside a tight list."""
        if self._known is None:
            self._known = all(type(processor) in _KNOWN_BLOCK_PROCESSORS or processor is self
                              for processor in self.parser.blockprocessors)
        return self._known and PLAIN_BLOCK.fullmatch(block) is not None and not self.parser.state.isstate("list")

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        """The paragraph, as python-markdown's ParagraphProcessor makes one outside a list."""
        etree.SubElement(parent, "p").text = blocks.pop(0).lstrip()


PLAIN_BLOCK = re.compile(r"[A-Za-z][^\n]*(?:\n[A-Za-z][^\n]*)*")
# The block processors of the converter (python-markdown's, its tables, sane_lists and md_in_html extensions', and the
# chart line's), none of which takes a block whose lines all start with a letter but the paragraph's.
_KNOWN_BLOCK_PROCESSORS = {
    markdown.blockprocessors.EmptyBlockProcessor, markdown.blockprocessors.ListIndentProcessor,
    markdown.blockprocessors.CodeBlockProcessor, markdown.blockprocessors.HashHeaderProcessor,
    markdown.blockprocessors.SetextHeaderProcessor, markdown.blockprocessors.HRProcessor,
    markdown.blockprocessors.OListProcessor, markdown.blockprocessors.UListProcessor,
    markdown.blockprocessors.BlockQuoteProcessor, markdown.blockprocessors.ReferenceProcessor,
    markdown.blockprocessors.ParagraphProcessor, markdown.extensions.tables.TableProcessor,
    markdown.extensions.sane_lists.SaneOListProcessor, markdown.extensions.sane_lists.SaneUListProcessor,
    markdown.extensions.md_in_html.MarkdownInHtmlProcessor, _ChartLineProcessor}


class _QuickInline(InlineTreeprocessor):
    """python-markdown's inline stage, passing over a text in which no inline pattern can match: a paragraph of plain
    words (most of them) skips trying each of the 16 patterns in turn (0.47 -> 0.1 ms a synthetic page). What a match
    of each pattern starts with is worked out from the patterns themselves (`prose_checks.first_characters`; a pattern
    of plain text, such as the line break's two spaces, is looked for whole); when that cannot be told for one of
    them, every text goes through all of them as before."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._may_match: Callable[[str], bool] | None = None
        self._told = False

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803 - theirs
        """The text unchanged when no pattern can match in it; otherwise python-markdown's own step."""
        if patternIndex == 0 and not isinstance(data, markdown.util.AtomicString):
            if not self._told:  # the patterns are all registered by the first page's inline stage
                self._may_match, self._told = _match_test(list(self.inlinePatterns)), True
            if self._may_match is not None and not self._may_match(data):
                return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def _match_test(patterns: list) -> Callable[[str], bool] | None:
    """A test that is False only for a text in which none of the inline patterns can match; None if none can be made."""
    classes: list[str] = []
    texts: list[str] = []
    for pattern in patterns:
        regex = pattern.getCompiledRegExp()
        whole = prose_checks.literal_text(regex)
        starts = prose_checks.first_characters(regex) if whole is None else None
        if whole is not None:
            texts.append(whole)
        elif starts is not None:
            classes.append(starts)
        else:
            return None
    starting = re.compile(f"[{''.join(classes)}]")
    return lambda text: starting.search(text) is not None or any(piece in text for piece in texts)


class _PageExtension(Extension):
    """Registers the processors of one page's conversion."""

    def __init__(self, stage: _Stage):
        super().__init__()
        self.stage = stage

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - python-markdown's name
        """Chart lines before paragraphs; shortcodes and terms before links; checks after the inline stage."""
        md.preprocessors.register(_TablePipes(md), "trialsite-pipes", 24)  # after fenced code is set aside (25)
        _only_with_marks(md)
        md.postprocessors.register(_RestorePipes(md), "trialsite-pipes", 0)
        md.parser.blockprocessors.register(_ChartLineProcessor(self.stage, md.parser), "trialsite-chart", 75)
        md.parser.blockprocessors.register(_PlainParagraphs(md.parser), "trialsite-paragraphs", 110)  # tried first
        md.inlinePatterns.register(_ShortcodeProcessor(self.stage, md), "trialsite-shortcode", 176)
        md.inlinePatterns.register(_TermProcessor(self.stage, md), "trialsite-term", 175)
        md.treeprocessors.register(_ChecksProcessor(self.stage, md), "trialsite-checks", 4)
        md.treeprocessors.register(_QuickInline(md), "inline", 20)  # in place of python-markdown's own (20)


_CONVERTERS: list[markdown.Markdown] = []  # one per process, reset for each page: making one costs about 1 ms


def _converter(stage: _Stage) -> markdown.Markdown:
    """The process's Markdown converter, reset, with its processors pointed at this page."""
    if not _CONVERTERS:
        _CONVERTERS.append(markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code",
                                                         _HeadingIdsExtension(permalink=False), "md_in_html",
                                                         _PageExtension(stage)]))
    md = _CONVERTERS[0]
    md.reset()
    for registry in (md.parser.blockprocessors, md.inlinePatterns, md.treeprocessors):
        for processor in registry:
            if isinstance(processor, (_ChartLineProcessor, _ShortcodeProcessor, _TermProcessor, _ChecksProcessor)):
                processor.stage = stage
    return md


def convert_page(page: Page, project: Project, grades: Grades | None = None) -> PageBody:
    """Turn a page's Markdown body into typed blocks and run the prose checks; `grades` remembers reading grades."""
    stage = _Stage(page, project)
    source = page.doc.body  # notes to editors (<!-- -->) pass through Markdown as raw HTML; the sanitiser drops them
    _check_source(stage)
    md = _converter(stage)
    try:
        root = _tree(md, source)
    except RecursionError:  # python-markdown recurses once per level of nesting
        _CONVERTERS.clear()  # a parse stopped half-way may leave state behind
        stage.body.errors.append(SourceError(page.doc.path, stage.lines.deepest(), "(markdown)",
                                             "lists, quotes or emphasis are nested too deeply to read; "
                                             "simplify the nesting"))
        return stage.body
    except Exception:
        _CONVERTERS.clear()
        raise
    for raw in md.htmlStash.rawHtmlBlocks:  # raw HTML is not Markdown: nothing inside it is expanded
        for mark in UNEXPANDED.findall(HTML_TAG.sub(" ", CODE_HTML.sub("", str(raw)))):
            stage.error(mark, "(shortcode)", f"'{_clip(mark, 40)}' is inside raw HTML, where shortcodes, glossary "
                                             "links and charts are not expanded; move it out of the HTML, or write the "
                                             "opening tag with markdown=\"1\" (e.g. <details markdown=\"1\">)")
    stage.body.blocks = _blocks(md, root, stage)
    _grade(root, stage, float(project.site.max_reading_grade), grades or Grades())
    return stage.body


def _grade(root: etree.Element, stage: _Stage, limit: float, grades: Grades) -> None:
    """The reading grade of the page and of each section long enough to measure; warn above the limit."""
    blocks = [_prose_lines(child) for child in root]  # each top-level block's lines, read once for page and section
    words = [sum(len(WORD.findall(line)) for line in lines) for lines in blocks]
    text = "\n".join(line for lines in blocks for line in lines)
    stage.body.grade = grades.flesch_kincaid(text)
    stage.body.smog = grades.smog(text)
    stage.body.words = sum(words)
    if stage.body.grade > limit:
        stage.body.warnings.append(SourceError(stage.page.doc.path, 1, "readability",
                                               f"reading grade {stage.body.grade:.1f} is above the limit of {limit:g}"))
    for heading, first, end in _sections(root):
        section_words = sum(words[first:end])
        grade = grades.flesch_kincaid("\n".join(line for lines in blocks[first:end] for line in lines))
        stage.body.sections.append(SectionGrade(heading, section_words, grade))
        if section_words >= SECTION_WORDS and grade > limit:
            line = next((n for n, text in stage.lines.lines if text.startswith("## ")
                         and heading.lower() in prose_checks.plain(text).lower()), 1)
            stage.body.warnings.append(SourceError(
                stage.page.doc.path, line, "readability",
                f"the section '{_clip(heading, 40)}' reads at grade {grade:.1f}, above the limit of {limit:g}"))


def _sections(root: etree.Element) -> list[tuple[str, int, int]]:
    """Each '## ' section of the body as (heading, index of its first block, index after its last) among the
    body's top-level blocks; text before the first is left out."""
    found: list[tuple[str, int, int]] = []
    for index, child in enumerate(root):
        if child.tag == "h2":
            found.append(("".join(child.itertext()).strip(), index + 1, index + 1))
        elif found:
            found[-1] = (found[-1][0], found[-1][1], index + 1)
    return found


def _tree(md: markdown.Markdown, source: str) -> etree.Element:
    """The steps of Markdown.convert up to the finished element tree."""
    lines = source.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    for treeprocessor in md.treeprocessors:
        replaced = treeprocessor.run(root)
        root = replaced if replaced is not None else root
    return root


def _blocks(md: markdown.Markdown, root: etree.Element, stage: _Stage) -> list[Prose | ChartRef]:
    """Split the tree at its charts; each run of prose is serialised, restored and sanitised on its own."""
    blocks: list[Prose | ChartRef] = []
    group = etree.Element(md.doc_tag)
    for child in list(root):
        if child.tag != CHART_TAG:
            group.append(child)
            continue
        blocks += _prose(md, group, stage)
        blocks.append(ChartRef(stage.project.trials[child.get("trial", "")], child.get("chart", "")))
        group = etree.Element(md.doc_tag)
    return blocks + _prose(md, group, stage)


def _prose(md: markdown.Markdown, group: etree.Element, stage: _Stage) -> list[Prose]:
    """One run of prose as clean HTML (the rest of Markdown.convert: serialise, then the postprocessors)."""
    if len(group) == 0:
        return []
    output = md.serializer(group)
    output = output[output.index(">") + 1:output.rindex("<")].strip()  # the wrapping <div>
    for postprocessor in md.postprocessors:
        output = postprocessor.run(output)
    # The author's raw HTML and link targets go through the allowlist.
    tags = _opening_tags(group) if md.htmlStash.html_counter == 0 else None
    for problem in sanitise.problems(output) if tags is None else sanitise.problems_of_tags(tags):
        stage.error(problem.needle, "(html)", problem.message, warning=not problem.error)

    return [Prose(Markup(sanitise.clean(output)))]


def _opening_tags(group: etree.Element) -> list[tuple[str, list[tuple[str, str | None]]]] | None:
    """The opening tags of the serialised elements below `group`, as an HTML parser reads them (attributes in the
    serialiser's order, a cell's alignment as a class): what the allowlist checks, without parsing the HTML (0.1 ms a
    page). None when a value is written otherwise than it is held ('&', a placeholder) or an element is not a tag:
    then the HTML is parsed. Only for a page with no raw HTML, which passes through unparsed."""
    tags: list[tuple[str, list[tuple[str, str | None]]]] = []
    for element in group.iter():
        if element is group:
            continue
        if not isinstance(element.tag, str):
            return None
        attributes: list[tuple[str, str | None]] = []
        for name, value in sorted(element.items()):
            if not isinstance(value, str) or SERIALISED_APART.search(value):
                return None
            align = sanitise.ALIGN_VALUE.fullmatch(value) if name == "style" else None
            attributes.append(("class", f"align-{align[1]}") if align else (name.lower(), value))
        tags.append((element.tag.lower(), attributes))
    return tags


def _check_source(stage: _Stage) -> None:
    """Checks on the text as written, line by line, outside code: headings, unclosed marks, hand-typed numbers."""
    page = stage.page
    if stage.lines.unclosed_note is not None:
        stage.body.errors.append(SourceError(page.doc.path, stage.lines.unclosed_note, "(html)",
                                             "a note to editors starts here with '<!--' but is never closed "
                                             "with '-->'"))
    defined = {m.lower() for _, line in stage.lines.lines for m in REFERENCE_DEFINITION.findall(line)}
    for number, line in stage.lines.lines:
        where = lambda field_name, message, n=number: SourceError(  # noqa: E731
            page.doc.path, n, _clip(field_name), message)
        if "{{" in line or "[[" in line:  # the shortcode checks, only where a line has one
            _check_codes(line, where, stage.body.errors)
        if EMPTY_HEADING.match(line):
            stage.body.errors.append(where("heading", "this heading has no words"))
        for label in REFERENCE_USE.findall(line) if "][" in line else ():
            if label.lower() not in defined:
                stage.body.errors.append(where("(link)", f"the link '[{label}]' is not defined: add a line such as "
                                               f"'[{label}]: https://example.org/' or write the address in brackets"))
        if line.startswith("    ") or not DIGIT.search(line):
            continue  # an indented code block, or no number to check
        # Numbers inside link targets and HTML tags are addresses and attributes, not prose; list numbers are layout.
        checked = re.sub(TERM_LINK, "", re.sub(SHORTCODE, " ", HTML_TAG.sub(" ", MD_LINK_TARGET.sub("]", line))))
        checked = re.sub(r"[*_]", " ", LIST_NUMBER.sub("", prose_checks.blank_allowed_numbers(checked)))
        for found in HAND_NUMBER.finditer(checked):
            stage.body.warnings.append(where("number", f"'{found.group(0)}' is typed by hand; take it from the data "
                                             "with a shortcode"))
    _check_wording(stage)


def _check_codes(line: str, where: Callable[[str, str], SourceError], errors: list[SourceError]) -> None:
    """A shortcode inside a glossary link or a link address, and a shortcode or glossary link left open."""
    if SHORTCODE_IN_GLOSSARY_LINK.search(line):
        errors.append(where("(glossary link)", "a glossary link cannot hold a shortcode; "
                            "put the shortcode outside the [[...]]"))
    if SHORTCODE_IN_ADDRESS.search(line):
        errors.append(where("(shortcode)", "a shortcode or glossary link cannot stand inside a link "
                            "address or an HTML attribute; put it in the link text instead"))
    bare = re.sub(SHORTCODE, "", re.sub(TERM_LINK, "", line))
    for opener, closer, kind in (("{{", "}}", "shortcode"), ("[[", "]]", "glossary link")):
        if opener in bare:
            errors.append(where(f"({kind})", f"'{opener}' on this line is not closed with '{closer}'"))


def _check_wording(stage: _Stage) -> None:
    """The wording checks of `prose_checks`, paragraph by paragraph, each finding at the line that holds it."""
    survival_shown = stage.default is not None and _survival_shown(stage.default)
    for lines, earlier, heading in _paragraphs(stage.lines.lines):
        paragraph = prose_checks.Paragraph(" ".join(text for _, text in lines), earlier, heading, survival_shown)
        for check, phrase in prose_checks.findings(paragraph):
            line = next((n for n, text in lines if phrase.lower() in prose_checks.plain(text).lower()), lines[0][0])
            stage.body.warnings.append(SourceError(stage.page.doc.path, line, check.name,
                                                   check.message.format(phrase=phrase)))


def _paragraphs(lines: list[tuple[int, str]]):
    """(lines, the section's text before them, is a heading) for each paragraph, list item and heading of the body."""
    section: list[str] = []
    current: list[tuple[int, str]] = []
    for number, line in [*lines, (0, "")]:
        if line[:1].isalpha() and "<" not in line:  # a line of prose: no tag, quote, heading, list mark or code
            current.append((number, line.rstrip()))
            continue
        text = _prose_text(line)
        code = line.startswith("    ") and not LIST_ITEM.match(text)  # an indented code block
        if current and (not text or code or HEADING.match(text) or LIST_ITEM.match(text)):
            yield current, " ".join(section), False
            section += [t for _, t in current]
            current = []
        if code or not text:
            continue
        if HEADING.match(text):
            if text.startswith("## "):
                section = []
            yield [(number, HEADING.sub("", text))], " ".join(section), True
        else:
            current.append((number, LIST_ITEM.sub("", text)))


def _prose_text(line: str) -> str:
    """A source line as the wording checks read it: without tags or quote marks, and trimmed."""
    return QUOTE.sub("", HTML_TAG.sub(" ", line).strip()).strip()


def _survival_shown(trial: Trial) -> bool:
    """Whether the trial showed a statistically significant difference in overall survival."""
    overall = {e.id for e in trial.endpoints if OVERALL_SURVIVAL in f"{e.name} {e.term or ''}".lower()}
    return any(c.significant is True for r in trial.results if r.endpoint in overall for c in r.comparisons)


def _prose_lines(root: etree.Element) -> list[str]:
    """The words a reader reads, one line a prose block (code and tables left out)."""
    lines = []
    for block in root.iter():
        if block.tag in GRADED_BLOCKS:
            words = STASHED.sub(" ", "".join(_text_outside_code(block, nested=False))).strip()
            if words:
                lines.append(words)
    return lines


def _text_outside_code(el: etree.Element, nested: bool):
    """The text of an element and its inline children, skipping code and nested prose blocks."""
    if el.tag in ("code", "pre", CHART_TAG) or (nested and el.tag in PROSE_BLOCKS):
        yield (el.tail or "") if nested else ""
        return
    yield el.text or ""
    for child in el:
        yield from _text_outside_code(child, nested=True)
    if nested:
        yield el.tail or ""


def _clip(text: str, limit: int = 80) -> str:
    """A field as written by the author, cut to a readable length for a message."""
    return text if len(text) <= limit else text[:limit - 3] + "..."
