"""Read the author's files safely: UTF-8 text, YAML with line numbers, Markdown with front matter."""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .errors import SourceError

Loc = tuple
LARGEST = Decimal("1e12")  # more than any count of people or any time in months; charts need ordinary floats
MAX_BYTES = 1_000_000  # about 150,000 words: far more than any page or data file; bigger input only slows the build
MAX_DEPTH = 32  # trial files nest about 6 levels; far deeper nesting is a mistake or an attack
ANCHORS = "anchors and aliases ('&' and '*') are not supported; write the value out in full"
BASE = "tag:yaml.org,2002:"
SCALAR_TAGS = {BASE + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
# Characters a text file may hold (YAML's printable set); others break HTML, SVG and chart drawing.
# U+0085, U+2028 and U+2029 are left out too: YAML counts them as line ends, so every line number after them
# would be wrong.
NOT_TEXT = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class LineIndex:
    """Maps a path of keys and list positions inside one YAML document to its line."""

    path: str
    lines: dict = field(default_factory=dict)
    offset: int = 0
    broken: set = field(default_factory=set)  # locations whose value was refused while reading the YAML
    raw: dict = field(default_factory=dict)  # numbers and true/false as written, e.g. '1:1' (which YAML reads as 61)

    def line(self, loc: Loc) -> int:
        """Line of the deepest known location on the way to `loc`."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1) + self.offset

    def error(self, loc: Loc, message: str, ref: str | None = None) -> SourceError:
        """A SourceError at `loc`, with the field written as `a.b[2].c`."""
        return SourceError(self.path, self.line(loc), field_name(loc), message, ref=ref)


def field_name(loc: Loc) -> str:
    """Write a location as `results[3].values.placebo`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


@dataclass
class YamlDoc:
    """A parsed YAML document with its line index."""

    data: object
    index: LineIndex


_NOT_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # what PyYAML's reader refuses: the Python way words it


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but not accepted here (aliases, deep nesting)."""


class _SafeComposer(yaml.SafeLoader):
    """A SafeLoader that refuses anchors and aliases and limits nesting while it composes."""

    def __init__(self, text: str):
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent, index):
        """Compose one node; refuse '&' and '*' at once, so an alias bomb costs nothing."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(problem=ANCHORS, problem_mark=event.start_mark)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# An anchor or alias is a token of its own: it starts a line, or follows white space or an indicator. An '&' inside
# a word (a web address's 'a=1&b=2') or a '*' between letters cannot start one.
_MAY_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:?\-!|>'\"])[&*]", re.MULTILINE)


def _fast_compose(text: str):
    """Compose with libyaml (C, about ten times faster) when the text is plainly fine; (None, None) otherwise.

    Text with '&' or '*' where an anchor or alias could start, a tab anywhere (libyaml accepts some tabs PyYAML
    refuses), characters the reader refuses, a syntax error or deep nesting goes the Python way (`_SafeComposer`),
    which refuses anchors and aliases as it meets them and words every problem for the author.
    """
    if (not getattr(yaml, "__with_libyaml__", False) or "\t" in text or _MAY_ANCHOR.search(text)
            or _NOT_PRINTABLE.search(text)):
        return None, None
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        loader.dispose()
        return None, None
    if node is not None and _deeper_than(node, MAX_DEPTH):
        loader.dispose()
        return None, None
    return node, loader


def _deeper_than(node, limit: int) -> bool:
    """Whether a composed node nests more than `limit` levels."""
    level, depth = [node], 1
    while level:
        if depth > limit:
            return True
        level = [child for n in level if isinstance(n, (yaml.MappingNode, yaml.SequenceNode))
                 for item in n.value for child in (item if isinstance(item, tuple) else (item,))]
        depth += 1
    return False


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[YamlDoc | None, list[SourceError]]:
    """Parse YAML text; duplicate keys, tags and impossible values are errors; every node's line is kept."""
    index = LineIndex(path, offset=line_offset)
    node, fast = _fast_compose(text)
    if fast is not None:
        try:
            if node is None:
                return YamlDoc({}, index), []
            found: list[SourceError] = []
            return YamlDoc(_build(node, (), index, found, fast), index), found
        finally:
            fast.dispose()
    try:
        loader = _SafeComposer(text)  # the reader refuses control characters here, before parsing
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [SourceError(path, line + line_offset, "(yaml)",
                                  _control_message(chr(exc.character), "this line"))]
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        line, message = _syntax_problem(exc, text)
        return None, [SourceError(path, line + line_offset, "(yaml)", message)]
    finally:
        loader.dispose()
    if node is None:
        return YamlDoc({}, index), []
    errors: list[SourceError] = []
    data = _build(node, (), index, errors, loader)
    return YamlDoc(data, index), errors


def _syntax_problem(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The line where the author's mistake is, and what it is, in plain words."""
    problem = getattr(exc, "problem", None) or "the file could not be read"
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else 1
    opened = getattr(exc, "context_mark", None)
    if context == "while scanning a quoted scalar" and opened:
        return opened.line + 1, "not valid YAML: the quote that starts on this line is never closed"
    for word, bracket, closing in (("sequence", "[", "]"), ("mapping", "{", "}")):
        if context == f"while parsing a flow {word}" and opened:
            return opened.line + 1, f"not valid YAML: the '{bracket}' on this line is never closed with '{closing}'"
    if context == "while scanning a simple key" and opened:
        return opened.line + 1, "not valid YAML: this line needs a ':' after its field name"
    if "'\\t'" in problem:
        before = text.split("\n")[line - 1][:mark.column] if mark else ""
        if before.strip():
            return line, "not valid YAML: a tab is not allowed here; use spaces"
        return line, "not valid YAML: a tab is used for indenting; indent with spaces"
    if problem == "mapping values are not allowed here":
        previous = _previous_line(text, line)
        if previous and ":" not in previous[1] and not previous[1].lstrip().startswith(("-", "#")):
            return previous[0], "not valid YAML: this line needs a ':' after its field name"
        return line, ("not valid YAML: a ':' is not allowed here; check the indenting of this line, "
                      "or put the text in quotes")
    if context.startswith("while parsing a block") and "expected <block end>" in problem:
        return line, "not valid YAML: the indenting of this line does not fit the lines above it"
    return line, f"not valid YAML: {problem}"


def _previous_line(text: str, line: int) -> tuple[int, str] | None:
    """The last non-blank line before `line` (1-based), with its number."""
    lines = text.split("\n")
    for number in range(line - 1, 0, -1):
        if lines[number - 1].strip():
            return number, lines[number - 1]
    return None


def _build(node, loc: Loc, index: LineIndex, errors: list, loader) -> object:
    """Turn a composed node into Python data, noting lines; duplicate keys and odd values are errors."""
    index.lines.setdefault(loc, node.start_mark.line + 1)

    def err(message: str) -> None:
        errors.append(index.error(loc, message))
        index.broken.add(loc)  # the schema need not say again that this value is missing or wrong

    if isinstance(node, yaml.MappingNode):
        if node.tag != BASE + "map":
            err(_tag_message(node.tag))
            return None
        return _build_mapping(node, loc, index, errors, loader)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != BASE + "seq":
            err(_tag_message(node.tag))
            return None
        return [_build(item, loc + (i,), index, errors, loader) for i, item in enumerate(node.value)]
    if node.tag in (BASE + "value", BASE + "merge") and not node.style:  # plain: None (Python) or "" (libyaml)
        return node.value  # a plain '=' or '<<' is text here: the author wrote no tag
    if node.tag not in SCALAR_TAGS:
        err(_tag_message(node.tag))
        return None
    if node.tag in (BASE + "int", BASE + "float", BASE + "bool"):
        index.raw[loc] = node.value
    if node.tag == BASE + "float":
        return _number(node.value, err)
    if node.tag == BASE + "timestamp":
        return _date(node, loader, err)
    value = loader.construct_object(node, deep=True)
    if node.tag == BASE + "int" and abs(value) >= LARGEST:
        err(f"'{node.value}' is too large to be a published figure")
        return None
    if isinstance(value, str) and (odd := NOT_TEXT.search(value)):
        err(_control_message(odd.group(), "this text"))  # written as an escape such as "\\x00"
        return None
    return value


def _control_message(char: str, where: str) -> str:
    """Why a control character (or a lone surrogate) is refused."""
    return f"{where} holds a control character (#x{ord(char):04x}) that is not allowed; remove it"


def _build_mapping(node, loc: Loc, index: LineIndex, errors: list, loader) -> dict:
    """A mapping whose keys are plain names; a key given twice is an error naming both lines."""
    result: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            errors.append(SourceError(index.path, key_node.start_mark.line + 1 + index.offset, field_name(loc),
                                      "a field name must be a plain word, not a list or a mapping"))
            continue
        key = key_node.value  # the name as written: 'no' stays 'no', '2' stays '2'
        if odd := NOT_TEXT.search(key):
            errors.append(SourceError(index.path, key_node.start_mark.line + 1 + index.offset, field_name(loc),
                                      _control_message(odd.group(), "this field name")))
            key = NOT_TEXT.sub("", key)  # kept under its readable name, so it is not also reported missing
            index.broken.add(loc + (key,))
        key_loc = loc + (key,)
        if key in result:
            first = index.lines[key_loc] + index.offset
            here = key_node.start_mark.line + 1 + index.offset
            errors.append(SourceError(index.path, here, field_name(key_loc),
                                      f"duplicate key (first given on line {first})"))
            continue
        index.lines[key_loc] = key_node.start_mark.line + 1
        result[key] = _build(value_node, key_loc, index, errors, loader)
    return result


def _tag_message(tag: str) -> str:
    """Why a YAML tag such as '!!python/object' or '!custom' is refused."""
    shown = "!!" + tag[len(BASE):] if tag.startswith(BASE) else tag
    return f"the YAML tag '{shown}' is not supported; write plain text, numbers, lists and fields"


def _number(text: str, err) -> Decimal | None:
    """Keep a decimal exactly as the author wrote it, so 0.80 stays 0.80; refuse .nan and .inf."""
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        err(f"'{text}' is not a number this site can show; write a finite number such as 0.8")
        return None
    if abs(value) >= LARGEST:
        err(f"'{text}' is too large to be a published figure")
        return None
    return value.copy_abs() if value == 0 else value  # -0.0 is shown as 0.0


def _date(node, loader, err) -> dt.date | str | None:
    """A date such as 2026-02-28; an impossible one (2026-02-30) is an error."""
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError:
        err(f"'{node.value}' is not a real date; write dates as YYYY-MM-DD")
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def read_text(path: Path, rel: str) -> tuple[str | None, list[SourceError]]:
    """A file's text: UTF-8 (a byte-order mark is dropped), line ends made '\\n'; anything else is an error."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return None, [SourceError(rel, 1, "(file)", "is a folder, not a file")]
    except OSError as exc:
        return None, [SourceError(rel, 1, "(file)", f"cannot be read: {unreadable(exc)}")]
    if len(data) > MAX_BYTES:
        return None, [SourceError(rel, 1, "(file)", f"is {len(data):,} bytes, more than the {MAX_BYTES:,} a file "
                                  "may hold; split it into smaller files")]
    try:
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [SourceError(rel, 1, "(file)", "not UTF-8 text")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if odd := NOT_TEXT.search(text):
        line = text.count("\n", 0, odd.start()) + 1
        return None, [SourceError(rel, line, "(file)", _control_message(odd.group(), "this line"))]
    return text, []


def read_yaml(path: Path, root: Path) -> tuple[YamlDoc | None, list[SourceError]]:
    """Read and parse one YAML file; paths in errors are relative to the project root."""
    rel = rel_path(path, root)
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    if not text.strip():
        return None, [SourceError(rel, 1, "(file)", "the file is empty")]
    return parse_yaml(text, rel)


@dataclass
class MarkdownDoc:
    """A Markdown file split into front matter and body."""

    path: str
    meta: YamlDoc
    body: str
    body_line: int


FENCE = re.compile(r"^---\s*$")


def read_markdown(path: Path, root: Path) -> tuple[MarkdownDoc | None, list[SourceError]]:
    """Split `---` front matter from the body and parse it with line numbers."""
    rel = rel_path(path, root)
    text, errors = read_text(path, rel)
    if text is None:
        return None, errors
    lines = text.split("\n")
    if not FENCE.match(lines[0]):
        return None, [SourceError(rel, 1, "(front matter)", "file must start with front matter between '---' lines")]
    end = next((i for i in range(1, len(lines)) if FENCE.match(lines[i])), None)
    if end is None:
        return None, [SourceError(rel, 1, "(front matter)", "front matter has no closing '---' line")]
    doc, errors = parse_yaml("\n".join(lines[1:end]), rel, line_offset=1)
    if doc is None:
        return None, errors
    if not isinstance(doc.data, dict):
        return None, errors + [SourceError(rel, 2, "(front matter)", "front matter must be a mapping of fields")]
    return MarkdownDoc(rel, doc, "\n".join(lines[end + 1:]), end + 2), errors


def os_reason(exc: OSError) -> str:
    """The system's reason for a failed file operation, without Python's exception text."""
    return (exc.strerror or str(exc)).lower()


def unreadable(exc: OSError) -> str:
    """Why a file or folder could not be read, in a few plain words."""
    if isinstance(exc, PermissionError):
        return "permission denied; let your user read it (chmod u+r)"
    return os_reason(exc)


def rel_path(path: Path, root: Path) -> str:
    """Path relative to the project root, with forward slashes."""
    text, prefix = str(path), str(root).rstrip(os.sep) + os.sep
    if text.startswith(prefix):  # as relative_to says for a path below the root (pathlib's text is normalised)
        return text[len(prefix):].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

