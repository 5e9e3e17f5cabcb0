"""Broken inputs from tests/bad_inputs/*.toml: each gives exactly its expected messages and exit status, never a
traceback, and leaves the last good _site/ and every project file as they were.

A case edits a fresh copy of the tiny project (which already holds a good _site/), runs build.py in-process and
compares everything it printed. Fields of a case (all optional except name and expect):
  args     extra command-line arguments, e.g. ["--out", "."]
  edit     [{file, old, new}]: replace `old`, which must occur exactly once, by `new`
  write    [{file, text}] or [{file, hex}]: write a file (hex for bytes that are not text); `repeat = N`
           writes the text N times
  link     [{file, to}]: make a symbolic link
  mkdir    [folder, ...]
  delete   [file or folder, ...]
  expect   every line printed on stderr, in order, except the final "Build failed" summary
  exit     expected exit status (default 1)
Placeholders in args, link targets and expect: {outside} (a file outside the project), {home} (the home folder).
"""
from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

sys.path.insert(0, str(ROOT))
import build  # noqa: E402

CASES_DIR = ROOT / "tests" / "bad_inputs"
CASES = [(path.stem, case) for path in sorted(CASES_DIR.glob("*.toml"))
         for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]]
INTERNAL_NAMES = ("SourcedNumber", "SourcedCount", "SourcedText", "SourcedDate", "ArmValue", "literal[", "instance of",
                  "Decimal(", "KeyError", "NoneType", "Traceback", "pydantic", "function-after", "union")


def _tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file below a folder by relative path (links listed by their target), leaving out `skip` folders."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel.split("/")[0] in skip:
            continue
        if path.is_symlink():
            out[rel] = b"-> " + str(path.readlink()).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


@pytest.fixture(scope="session")
def good_project(tmp_path_factory) -> Path:
    """The tiny project with a good _site/ built once; each case works on a copy of it."""
    project = copy_project("tiny", tmp_path_factory.mktemp("good"))
    assert build.main(["--root", str(project)]) == 0
    return project


def _fill(text: str, places: dict[str, str]) -> str:
    """Put the placeholders' values into a case's text."""
    for key, value in places.items():
        text = text.replace("{" + key + "}", value)
    return text


def _apply(case: dict, project: Path, places: dict[str, str]) -> None:
    """Make the case's changes to the project copy."""
    for name in case.get("delete", []):
        path = project / name
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    for edit in case.get("edit", []):
        path = project / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["old"]) == 1, f"{edit['file']}: text to replace not found exactly once: {edit['old']!r}"
        path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
    for item in case.get("write", []):
        path = project / item["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes.fromhex(item["hex"]) if "hex" in item
                         else item["text"].encode("utf-8") * item.get("repeat", 1))
    for folder in case.get("mkdir", []):
        (project / folder).mkdir(parents=True, exist_ok=True)
    for item in case.get("link", []):
        path = project / item["file"]
        if path.exists() or path.is_symlink():
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        path.symlink_to(_fill(item["to"], places))


@pytest.mark.parametrize("group, case", CASES, ids=[f"{group}: {case['name']}" for group, case in CASES])
def test_bad_input(group, case, good_project, tmp_path, capsys):
    """The build prints exactly the expected lines, exits as expected, and changes nothing it should not."""
    project = tmp_path / "tiny"
    shutil.copytree(good_project, project, symlinks=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("a file outside the project\n")
    places = {"outside": str(outside), "home": str(Path.home())}
    site_before = _tree(project / "_site")
    _apply(case, project, places)
    inputs_before = _tree(project, skip=("_site", ".cache"))

    try:
        status = build.main([_fill(a, places) for a in case.get("args", [])] + ["--root", str(project)])
    except SystemExit as exc:  # argparse's way out, for a mistyped command line
        status = exc.code

    printed = capsys.readouterr()
    lines = printed.err.splitlines()
    expect = [_fill(line, places) for line in case["expect"]]
    if lines and lines[-1].startswith("Build failed: "):
        warnings = sum(line.endswith(" (warning)") for line in expect)
        assert lines[-1] == (f"Build failed: {len(expect) - warnings} error(s), {warnings} warning(s); "
                             "_site/ was left as it was.")
        lines = lines[:-1]
    assert lines == expect
    assert status == case.get("exit", 1)
    assert not any(name in printed.err + printed.out for name in INTERNAL_NAMES)
    assert _tree(project, skip=("_site", ".cache")) == inputs_before, "a project file was changed or deleted"
    if status != 0:
        assert _tree(project / "_site") == site_before, "a failed build changed the last good site"


def test_there_are_enough_cases():
    """At least 60 broken inputs, with every class of the safety issue covered."""
    groups = {group for group, _ in CASES}
    assert len(CASES) >= 60
    assert {"output", "html", "paths", "yaml", "numbers", "messages"} <= groups
