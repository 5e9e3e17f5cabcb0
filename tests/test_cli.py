"""build.py: a thin CLI with an exit-code contract."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT))
import build  # noqa: E402


def test_help_lists_every_option(capsys):
    """--help documents --strict, --out and --base-url and exits 0."""
    with pytest.raises(SystemExit) as exit_info:
        build.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--strict", "--out DIR", "--base-url URL"):
        assert option in text


def test_success_exits_0(tiny_project, capsys):
    """A good project builds, prints a summary and exits 0."""
    assert build.main(["--root", str(tiny_project), "--out", str(tiny_project / "out")]) == 0
    assert "Built " in capsys.readouterr().out


def test_errors_exit_1_and_print_every_error(tiny_project, capsys):
    """All errors are printed as path:line: field: message, then a summary; exit 1."""
    trial = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    trial.write_text(trial.read_text().replace("name: TINY-1\n", "").replace("    short_label: A group\n", ""))
    assert build.main(["--root", str(tiny_project)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "data/trials/tiny-trial.yaml:1: name: required field is missing",
        "data/trials/tiny-trial.yaml:15: arms[0].short_label: required field is missing",
        "Build failed: 2 error(s), 0 warning(s); _site/ was left as it was.",
    ]


def test_strict_fails_on_warnings(tiny_project, capsys):
    """A warning passes normally and fails with --strict."""
    page = tiny_project / "content" / "index.md"
    page.write_text(page.read_text() + "\nWe counted 12 things.\n")
    assert build.main(["--root", str(tiny_project)]) == 0
    assert build.main(["--root", str(tiny_project), "--strict"]) == 1
    assert "content/index.md:10: number: '12' is typed by hand" in capsys.readouterr().err


@pytest.mark.parametrize("where, expect", [
    ("missing", "(command line): --root: '{path}' is not a folder"),
    ("file", "(command line): --root: '{path}' is not a folder"),
    ("empty", "(command line): --root: '{path}' holds no site.yaml, data/ or content/, so it is not a trialsite "
              "project; run build.py in the project folder, or name that folder with --root"),
])
def test_a_wrong_root_is_one_line_and_nothing_is_written(where, expect, tmp_path, capsys):
    """--root naming no project gives one line and exit 1, and the build writes nothing there (not even .cache/)."""
    path = tmp_path / "place"
    if where == "file":
        path.write_text("not a project\n")
    elif where == "empty":
        path.mkdir()
    assert build.main(["--root", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [expect.format(path=path)]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ([] if where == "missing" else ["place"])


def test_hidden_files_and_editor_backups_are_ignored(tiny_project):
    """.DS_Store, swap files, backups (x~, #x#) are neither read nor published; .well-known/ is published."""
    for rel, data in [("static/.DS_Store", b"\x00\x00\x00\x01Bud1"), ("static/css/site.css~", b"old"),
                      ("content/explainers/.median.md.swp", b"\x00\xff"), ("content/explainers/#median.md#", b"x"),
                      ("content/explainers/median.md~", b"---\ntitle: [broken\n"),
                      ("data/trials/.tiny-trial.yaml.swp", b"\xff"),
                      ("static/.well-known/security.txt", b"Contact: mailto:feedback@example.org\n")]:
        (tiny_project / rel).parent.mkdir(parents=True, exist_ok=True)
        (tiny_project / rel).write_bytes(data)
    assert build.main(["--root", str(tiny_project)]) == 0
    published = {p.relative_to(tiny_project / "_site").as_posix() for p in (tiny_project / "_site").rglob("*")}
    assert "static/.well-known/security.txt" in published
    assert not [p for p in published if p.endswith(("~", ".swp", "#", ".DS_Store"))]


def test_runs_as_a_script(tiny_project):
    """`python build.py` works from the command line."""
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(tiny_project), "--base-url",
                           "https://example.org/x/"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert 'href="https://example.org/x/"' in (tiny_project / "_site" / "index.html").read_text()


def test_readme_gives_the_two_commands_and_every_option():
    """The README shows `make site`, `make test` and each build.py option; the Makefile has both targets."""
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for command in ("make site", "make test"):
        assert f"\n{command}" in readme and f"\n{command.split()[1]}:" in makefile
    for option in ("--strict", "--out DIR", "--base-url URL", "--root DIR"):
        assert option in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().endswith("make test")


def test_readme_shows_the_current_help(capsys, monkeypatch):
    """The README's copy of `python build.py --help` is the real, current output."""
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit):
        build.main(["--help"])
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- help:start -->\n```text\n")[1].split("```\n<!-- help:end -->")[0]
    assert shown == capsys.readouterr().out


def test_new_trial_starts_files_that_build_and_list_what_to_fill_in(tiny_project, capsys):
    """new-trial writes a trial and its page that build at once; --strict fails while placeholders remain."""
    assert build.main(["new-trial", "study-1", "--root", str(tiny_project)]) == 0
    assert (tiny_project / "data" / "trials" / "study-1.yaml").exists()
    assert "key: study_1_source" in (tiny_project / "data" / "sources.yaml").read_text()
    assert build.main(["--root", str(tiny_project)]) == 0
    assert (tiny_project / "_site" / "trials" / "study-1" / "index.html").exists()
    err = capsys.readouterr().err.splitlines()
    assert "data/trials/study-1.yaml:7: (to fill in): still to fill in: a plain-language title (warning)" in err
    assert "data/trials/study-1.yaml:29: (to fill in): still to fill in: medicine name in lower case; how and how " \
           "often (warning)" in err
    assert build.main(["--strict", "--root", str(tiny_project)]) == 1


@pytest.mark.parametrize("args, expect", [
    (["new-trial"], "(command line): new-trial: name the trial's id, e.g. python build.py new-trial my-trial"),
    (["new-trial", "My Trial"], "(command line): new-trial: 'My Trial' cannot be part of a web address; use "
                                "lower-case letters, digits and hyphens, such as 'my-trial'"),
    (["new-trial", "tiny-trial"], "(command line): new-trial: data/trials/tiny-trial.yaml already exists; choose "
                                  "another id, or edit that file"),
])
def test_new_trial_refuses_a_bad_or_taken_id(tiny_project, capsys, args, expect):
    """A missing, unusable or taken id is one line and exit 1; nothing is written."""
    before = (tiny_project / "data" / "sources.yaml").read_text()
    assert build.main([*args, "--root", str(tiny_project)]) == 1
    assert capsys.readouterr().err.splitlines() == [expect]
    assert (tiny_project / "data" / "sources.yaml").read_text() == before
