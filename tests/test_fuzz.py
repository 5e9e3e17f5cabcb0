"""Fuzz the build with broken input files: it must answer with `path:line: field: message` lines and exit 1.

Valid files of the tiny project are mutated (byte flips, deleted, duplicated, re-indented and swapped
lines, truncation, YAML-special characters, odd YAML values and lines) and the whole build is run
in-process. Whatever the input, the build may only succeed (0) or report the author's errors (1):
never raise, never exit 2, never print a traceback or the name of an internal type.
"""
from __future__ import annotations

import contextlib
import difflib
import io
import multiprocessing
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import vl_convert
from conftest import ROOT, copy_project
from hypothesis import HealthCheck, currently_in_test_context, given, note, settings
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from trialsite import figures, pipeline  # noqa: E402

YAML_FILES = ["data/trials/tiny-trial.yaml", "data/sources.yaml", "data/glossary.yaml", "site.yaml"]
MARKDOWN_FILES = ["content/trials/tiny-trial.md", "content/explainers/median.md"]

# One problem per line: `path:line: field: message` (warnings end in " (warning)").
ERROR_LINE = re.compile(r"^[^\s:][^:]*:\d+: .+: .+")
# Problems with the command line itself, which have no file: `(command line): --out: message`.
OPTION_LINE = re.compile(r"^\(command line\): --[a-z-]+: .+")
SUMMARY_LINE = re.compile(r"^Build failed: \d+ error\(s\), \d+ warning\(s\); .+")
# Names of internal types, Python reprs and pydantic's own wording, none of which an author can act on.
INTERNAL_NAMES = ["SourcedNumber", "SourcedCount", "SourcedText", "SourcedDate", "ArmValue", "literal[",
                  "instance of", "Decimal(", "Decimal object", "KeyError", "NoneType", "Traceback", "datetime.",
                  "function-after[", "[key]"]
# A field path that ends in the name of a pydantic union member, e.g. `sponsor.source.list[str]: ...`.
UNION_MEMBER = re.compile(r"^[^:]*:\d+: \S*\.(?:str|int|decimal|float|bool|date|list\[\w+\]|dict\[[\w, ]+\]): ")

YAML_SPECIALS = [b":", b"-", b"[", b"{", b"&", b"*", b"!", b"'", b'"', b"|", b">", b"#", b"%"]
MARKDOWN_SPECIALS = YAML_SPECIALS + [b"{{", b"}}", b"[[", b"]]", b".", b"<!--", b"-->", b"\n---\n", b"# "]
# Bytes that often break decoders and parsers; any other byte is drawn too.
ODD_BYTES = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x7F, 0x80, 0x85, 0xA0, 0xC3, 0xE2, 0xEF, 0xFE, 0xFF]
# Scalars that YAML reads as something other than the text an author meant.
ODD_VALUES = [b".nan", b".inf", b"-.inf", b"1e400", b"0x1F", b"0o17", b"1_000", b"12:30:00", b"-0", b"~", b"null",
              b"yes", b"true", b"[]", b"{}", b"[a, b]", b"{a: 1}", b"2020-02-30", b"2020-13-01", b"0000-01-01",
              b"2020-01-01T10:00:00", b"2020-01-01 10:00", b"!!binary aGk=", b"!!set {a}", b"!!omap [a: 1]",
              b"!!timestamp x", b"!!int x", b"!!float x", b"!!bool x", b"!!null x", b"!custom x",
              b"!!python/object:os.system x", b'"\\ud800"', b'"\\x00"', b"&anchor x", b"*missing", b"*anchor",
              b"|", b">-", b"'", b'"', b"''", b"-1", b"0", b"100000000000000000000", b"0.0000001", b"1e-10",
              b"%", b"@", b"`", b"- x", b'"x\\ny"', b'"x\\u2028y"', b'"\\x01"']
ODD_LINES = [b"? [a, b]", b"? {a: 1}", b"[a, b]: x", b"{a: 1}: x", b": x", b"<<: {}", b"<<: *anchor", b"---",
             b"...", b"%YAML 1.1", b"%TAG ! tag:example.org,2000:", b"- x", b"&anchor a: b", b"? x", b"!!map {}",
             b"x: !!python/name:os.system", b"\t", b"  - {}", b"#"]
INDENTS = [-4, -3, -2, -1, 1, 2, 3, 4, "tab"]

POSITION = st.integers(0, 10_000)  # taken modulo the length of the file or of its list of lines
MUTATION = st.one_of(
    st.tuples(st.just("flip byte"), POSITION, st.one_of(st.sampled_from(ODD_BYTES), st.integers(0, 255))),
    st.tuples(st.just("delete line"), POSITION),
    st.tuples(st.just("duplicate line"), POSITION),
    st.tuples(st.just("re-indent line"), POSITION, st.sampled_from(INDENTS)),
    st.tuples(st.just("swap lines"), POSITION, POSITION),
    st.tuples(st.just("truncate"), POSITION),
    st.tuples(st.just("insert special"), POSITION, st.sampled_from(YAML_SPECIALS)),
    st.tuples(st.just("replace value"), POSITION, st.sampled_from(ODD_VALUES)),
    st.tuples(st.just("insert line"), POSITION, st.sampled_from(ODD_LINES)),
)
MARKDOWN_MUTATION = st.one_of(MUTATION,
                              st.tuples(st.just("insert special"), POSITION, st.sampled_from(MARKDOWN_SPECIALS)))

FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


def mutate(data: bytes, op: tuple) -> bytes:
    """Apply one mutation to the bytes of a file."""
    kind, pos, *args = op
    lines = data.split(b"\n")
    line = pos % len(lines)
    if kind == "flip byte":
        if not data:
            return bytes([args[0]])
        at = pos % len(data)
        return data[:at] + bytes([args[0]]) + data[at + 1:]
    if kind == "delete line":
        del lines[line]
    elif kind == "duplicate line":
        lines.insert(line, lines[line])
    elif kind == "re-indent line":
        text, step = lines[line], args[0]
        if step == "tab":
            lines[line] = b"\t" + text
        elif step > 0:
            lines[line] = b" " * step + text
        else:
            stripped = text.lstrip(b" ")
            lines[line] = text[min(-step, len(text) - len(stripped)):]
    elif kind == "swap lines":
        other = args[0] % len(lines)
        lines[line], lines[other] = lines[other], lines[line]
    elif kind == "truncate":
        return data[:pos % (len(data) + 1)]
    elif kind == "insert special":
        at = pos % (len(data) + 1)
        return data[:at] + args[0] + data[at:]
    elif kind == "replace value":
        key, sep, _ = lines[line].partition(b": ")
        lines[line] = key + b": " + args[0] if sep else lines[line] + b" " + args[0]
    elif kind == "insert line":
        indent = lines[line][:len(lines[line]) - len(lines[line].lstrip(b" "))]
        lines.insert(line, indent + args[0])
    return b"\n".join(lines)


class IsolatedVlConvert:
    """vl_convert run in a separate process, so that a panic in its Rust code fails one example, not pytest.

    A NUL character in a chart label makes vegalite_to_svg panic inside Rust, which aborts the whole
    Python process (SIGABRT); in-process, that would end the test session without a report.
    """

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None

    def vegalite_to_svg(self, spec, *args, **kwargs) -> str:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        try:
            return self.pool.submit(vl_convert.vegalite_to_svg, spec, *args, **kwargs).result()
        except BrokenProcessPool:
            self.pool = None
            raise RuntimeError("vl_convert.vegalite_to_svg aborted its process (a panic in vl_convert's Rust "
                               "code) while drawing a chart of this input") from None

    def __getattr__(self, name: str):
        return getattr(vl_convert, name)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    """One copy of the tiny project for all examples (each example restores the bytes it changed).

    Charts are drawn by a pure function of the trial data, and drawing them takes most of a build; a
    memo keyed on the full repr of its arguments keeps that work for examples whose charts are unchanged.
    A call that raises is not remembered, so every broken chart input still reaches the real code.
    """
    project = copy_project("tiny", tmp_path_factory.mktemp("fuzz"))
    out = project.parent / "out"
    isolated = IsolatedVlConvert()
    with pytest.MonkeyPatch.context() as patch:
        if hasattr(figures, "vl_convert"):
            patch.setattr(figures, "vl_convert", isolated)
        if hasattr(pipeline, "make_figure"):
            real, memo = pipeline.make_figure, {}

            def make_figure(*args, **kwargs):
                key = repr((args, sorted(kwargs.items())))
                if key not in memo:
                    memo[key] = real(*args, **kwargs)
                return memo[key]

            patch.setattr(pipeline, "make_figure", make_figure)
        yield project, out
    isolated.close()


def run_mutated(project: Path, out: Path, rel: str, ops: list[tuple]) -> None:
    """Write the mutated file, build, check what the build said, and put the original file back."""
    path = project / rel
    original = path.read_bytes()
    data = original
    for op in ops:
        data = mutate(data, op)
    diff = difflib.unified_diff(original.decode("utf-8", "backslashreplace").split("\n"),
                                data.decode("utf-8", "backslashreplace").split("\n"), rel, rel, n=1, lineterm="")
    say = note if currently_in_test_context() else print
    say("\n".join(diff))
    path.write_bytes(data)
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = build.main(["--root", str(project), "--out", str(out)])
            except SystemExit as exc:  # argparse's exit 2, or a sys.exit deep inside
                code = exc.code
    finally:
        path.write_bytes(original)
    err, printed = stderr.getvalue(), stdout.getvalue() + stderr.getvalue()
    say(f"exit status {code!r}; stdout:\n{stdout.getvalue()}stderr:\n{err}")
    assert code in (0, 1), f"exit status {code!r}"
    lines = err.split("\n")
    assert lines[-1] == "", "stderr does not end with a line end"
    lines = lines[:-1]
    if code == 1:
        assert lines and SUMMARY_LINE.match(lines[-1]), "a failed build ends with the 'Build failed: ...' line"
        assert len(lines) > 1, "a failed build names at least one problem"
        lines = lines[:-1]
    for line in lines:
        assert ERROR_LINE.match(line) or OPTION_LINE.match(line), f"not 'path:line: field: message': {line!r}"
        assert not UNION_MEMBER.match(line), f"field names a pydantic union member: {line!r}"
    for name in INTERNAL_NAMES:
        assert name not in printed, f"output names an internal type or error: {name!r}"


def test_unmutated_project_builds(fuzz_project):
    """The baseline: the tiny project itself builds, so a failure below comes from the mutation."""
    project, out = fuzz_project
    run_mutated(project, out, "site.yaml", [])


@settings(FUZZ, max_examples=150)
@given(rel=st.sampled_from(YAML_FILES), ops=st.lists(MUTATION, min_size=1, max_size=3))
def test_mutated_yaml_is_reported_not_raised(fuzz_project, rel, ops):
    """Broken trial data, sources, glossary or site settings give error lines and exit 1, never a crash."""
    run_mutated(*fuzz_project, rel, ops)


@settings(FUZZ, max_examples=150)
@given(rel=st.sampled_from(MARKDOWN_FILES), ops=st.lists(MARKDOWN_MUTATION, min_size=1, max_size=3))
def test_mutated_markdown_is_reported_not_raised(fuzz_project, rel, ops):
    """Broken front matter, shortcodes and glossary links in a page give error lines and exit 1, never a crash."""
    run_mutated(*fuzz_project, rel, ops)
