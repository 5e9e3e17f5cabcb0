"""Read YAML data with line numbers, and Markdown files with front matter."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .errors import SourceError

Loc = tuple


@dataclass
class LineIndex:
    """Maps a path of keys and list positions inside one YAML document to its line."""

    path: str
    lines: dict = field(default_factory=dict)
    offset: int = 0

    def line(self, loc: Loc) -> int:
        """Line of the deepest known location on the way to `loc`."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1) + self.offset

    def error(self, loc: Loc, message: str) -> SourceError:
        """A SourceError at `loc`, with the field written as `a.b[2].c`."""
        return SourceError(self.path, self.line(loc), field_name(loc), message)


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


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[YamlDoc | None, list[SourceError]]:
    """Parse YAML text; duplicate keys are errors, every node's line is kept."""
    index = LineIndex(path, offset=line_offset)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [SourceError(path, line, "(yaml)", f"not valid YAML: {problem}")]
    finally:
        loader.dispose()
    if node is None:
        return YamlDoc({}, index), []
    errors: list[SourceError] = []
    data = _build(node, (), index, errors, loader)
    return YamlDoc(data, index), errors


def _build(node, loc: Loc, index: LineIndex, errors: list, loader) -> object:
    """Turn a composed node into Python data, noting lines and duplicate keys."""
    index.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
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
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), index, errors, loader) for i, item in enumerate(node.value)]
    if node.tag == FLOAT_TAG:
        return _decimal(node.value)
    return loader.construct_object(node, deep=True)


FLOAT_TAG = "tag:yaml.org,2002:float"


def _decimal(text: str) -> Decimal | float:
    """Keep a decimal exactly as the author wrote it, so 0.80 stays 0.80."""
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return float(text)


def read_yaml(path: Path, root: Path) -> tuple[YamlDoc | None, list[SourceError]]:
    """Read and parse one YAML file; paths in errors are relative to the project root."""
    return parse_yaml(path.read_text(encoding="utf-8"), _rel(path, root))


@dataclass
class MarkdownDoc:
    """A Markdown file split into front matter and body."""

    path: str
    meta: YamlDoc
    body: str
    body_line: int


def read_markdown(path: Path, root: Path) -> tuple[MarkdownDoc | None, list[SourceError]]:
    """Split `---` front matter from the body and parse it with line numbers."""
    rel = _rel(path, root)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [SourceError(rel, 1, "(front matter)", "file must start with front matter between '---' lines")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, [SourceError(rel, 1, "(front matter)", "front matter has no closing '---' line")]
    doc, errors = parse_yaml("\n".join(lines[1:end]), rel, line_offset=1)
    if doc is None:
        return None, errors
    if not isinstance(doc.data, dict):
        return None, errors + [SourceError(rel, 2, "(front matter)", "front matter must be a mapping of fields")]
    return MarkdownDoc(rel, doc, "\n".join(lines[end + 1:]), end + 2), errors


def _rel(path: Path, root: Path) -> str:
    """Path relative to the project root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
