"""The output folder: which folders a build may replace, staging and locking, killed builds, and bugs (exit 2)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT

from trialsite.figures import to_csv
from trialsite.pipeline import build
from trialsite.write import MARKER, OutputCollision, OutputError, SiteWriter, check_site_path

BUILD = [sys.executable, str(ROOT / "build.py")]


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run build.py as an author would, in the project folder."""
    return subprocess.run([*BUILD, *args], cwd=project, capture_output=True, text=True, timeout=120, **kwargs)


def test_new_folder_is_made_with_a_marker(tiny_project):
    """A folder that does not exist yet is created, with the marker that lets the next build replace it."""
    assert not build(tiny_project, tiny_project / "site" / "public").errors
    assert (tiny_project / "site" / "public" / MARKER).read_text().startswith("This folder is made by trialsite")


def test_empty_folder_is_used(tiny_project):
    """An empty folder may be built into."""
    (tiny_project / "empty").mkdir()
    assert not build(tiny_project, tiny_project / "empty").errors
    assert (tiny_project / "empty" / "index.html").exists()


def test_earlier_unmarked_output_is_adopted_once(tiny_project):
    """A folder holding only files a build writes (as _site/ did before the marker) is replaced and marked."""
    old = tiny_project / "_site"
    (old / "css").mkdir(parents=True)
    (old / "index.html").write_text("<p>old</p>")
    (old / "css" / "old.css").write_text("p{}")
    (old / ".nojekyll").write_text("")
    assert not build(tiny_project, old).errors
    assert not (old / "css" / "old.css").exists() and (old / MARKER).exists()


def test_marked_folder_is_replaced_whatever_it_holds(tiny_project):
    """Files an author drops into a built folder go with the next build, as the marker file says."""
    out = tiny_project / "_site"
    assert not build(tiny_project, out).errors
    (out / "notes.md").write_text("mine")
    assert not build(tiny_project, out).errors
    assert not (out / "notes.md").exists()


@pytest.mark.parametrize("written", ["_site/../_site", "./_site", "content/../_site/"])
def test_an_output_folder_written_with_dots_is_replaced_in_place(tiny_project, written):
    """'_site/../_site' names nothing once _site is moved aside to be replaced: the build works the dots out first,
    so the last site is never left aside."""
    assert not build(tiny_project, tiny_project / "_site").errors
    assert not build(tiny_project, tiny_project / written).errors
    assert (tiny_project / "_site" / MARKER).is_file()
    assert sorted(p.name for p in tiny_project.iterdir() if p.name.startswith((".", "_"))) == [".cache", "_site"]


def test_an_output_named_like_a_pattern_tidies_only_its_own_leftovers(tiny_project):
    """'site[1]' and '*' are names, not patterns: another output's staging folder (a build under way) stays."""
    assert not build(tiny_project, tiny_project / "site1").errors
    other = tiny_project / ".site1.new-under-way"
    other.mkdir()
    (other / MARKER).write_text("a build of site1 is writing here")
    for name in ("site[1]", "*", "site?"):
        assert not build(tiny_project, tiny_project / name).errors
        assert (other / MARKER).is_file(), name


def test_an_output_path_that_is_not_utf8_builds(tiny_project, tmp_path):
    """A folder name in bytes no text encoding reads (possible on Linux) is a name like any other."""
    out = tmp_path / os.fsdecode(b"site-\xff")
    assert not build(tiny_project, out).errors
    assert (out / MARKER).is_file()


def test_leftovers_of_a_killed_build_are_removed(tiny_project):
    """Staging folders left by a killed build are removed by the next build; other hidden folders are not."""
    out = tiny_project / "_site"
    stale = tiny_project / "._site.new-abc123"
    (stale / "trials").mkdir(parents=True)
    (stale / MARKER).write_text("x")
    (stale / "trials" / "index.html").write_text("<p>half</p>")
    legacy = tiny_project / "._site.new-old"  # from builds before the marker: only built files
    legacy.mkdir()
    (legacy / "index.html").write_text("<p>x</p>")
    keep = tiny_project / "._site.new-mine"
    keep.mkdir()
    (keep / "notes.md").write_text("mine")
    assert not build(tiny_project, out).errors
    assert not stale.exists() and not legacy.exists()
    assert (keep / "notes.md").read_text() == "mine"


def test_site_set_aside_by_a_killed_swap_is_put_back(tiny_project):
    """Killed between the two renames of a swap, the last good site waits in ._site.old: a failing build restores it."""
    out = tiny_project / "_site"
    assert not build(tiny_project, out).errors
    good = _tree(out)
    out.rename(tiny_project / "._site.old")
    (tiny_project / "data" / "trials" / "tiny-trial.yaml").write_text("id: [broken\n")
    result = build(tiny_project, out)
    assert result.errors and _tree(out) == good


def test_killed_builds_never_lose_the_last_good_site(tiny_project):
    """Builds killed at many moments leave _site/ whole (old or new), and the next build cleans up."""
    out = tiny_project / "_site"
    assert _run(tiny_project).returncode == 0
    good = _tree(out)
    for delay in (0.2, 0.6, 1.0, 1.4, 1.8, 2.2, 2.6, 3.0):
        process = subprocess.Popen(BUILD, cwd=tiny_project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # Each build makes the same bytes, so the site is whole or (killed mid-swap) set aside whole.
        assert _tree(out) == good or _tree(tiny_project / "._site.old") == good, f"killed after {delay} s"
    done = _run(tiny_project)
    assert done.returncode == 0, done.stderr
    assert _tree(out) == good
    assert sorted(p.name for p in tiny_project.iterdir() if p.name.startswith("._site")) == []


def test_two_builds_at_once_into_one_folder(tiny_project):
    """Concurrent builds into one folder both succeed, one after the other, and leave one whole site."""
    processes = [subprocess.Popen(BUILD, cwd=tiny_project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    outputs = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert (tiny_project / "_site" / "index.html").exists()
    assert sorted(p.name for p in tiny_project.iterdir() if p.name.startswith("._site")) == []


def test_read_only_place_is_a_clear_error(tiny_project, tmp_path):
    """A folder the build may not write into gives one clear line naming --out, exit 1, and no traceback."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    # Root ignores permissions; without the capability to override them it is held to them like any user.
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *BUILD, "--out", str(locked / "site")], cwd=tiny_project, capture_output=True,
                          text=True, timeout=120)
    locked.chmod(0o755)
    assert done.stderr.splitlines() == [
        f"(command line): --out: cannot write beside '{locked / 'site'}': permission denied"]
    assert done.returncode == 1


@pytest.mark.parametrize("rel, mode, expect", [
    ("data/trials", 0o000, "data/trials:1: (folder): cannot be read: permission denied; "
                           "let your user read it (chmod u+r)"),
    ("content/explainers", 0o311, "content/explainers:1: (folder): cannot be read: permission denied; "
                                  "let your user read it (chmod u+r)"),
    ("templates/partials", 0o000, "templates/partials:1: (folder): cannot be read: permission denied; "
                                  "let your user read it (chmod u+r)"),
    ("static/css/site.css", 0o000, "static/css/site.css:1: (file): cannot be read: permission denied; "
                                   "let your user read it (chmod u+r)"),
])
def test_unreadable_inputs_are_one_clear_error(tiny_project, tmp_path, rel, mode, expect):
    """A file or folder the author cannot read gives one path:line error and exit 1, never a crash."""
    tiny_project.chmod(0o777)  # the unprivileged build below still writes its .cache/ here
    (tiny_project / rel).chmod(mode)
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    try:
        done = subprocess.run([*prefix, *BUILD, "--out", str(tmp_path / "out")], cwd=tiny_project,
                              capture_output=True, text=True, timeout=120)
    finally:
        (tiny_project / rel).chmod(0o755)
    assert done.stderr.splitlines() == [expect, "Build failed: 1 error(s), 0 warning(s); out/ was left as it was."]
    assert done.returncode == 1


def test_bug_gives_exit_2_and_a_log_not_a_traceback(tiny_project):
    """An internal error prints one line naming the crash log, exits 2, and leaves _site/ as it was."""
    assert _run(tiny_project).returncode == 0
    good = _tree(tiny_project / "_site")
    (tiny_project / ".cache" / "manifest.json").unlink()  # so that the same inputs are built again, not skipped
    # Simulate a bug of ours: a sitecustomize that breaks the chart renderer for this one run.
    hooks = tiny_project / ".hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import trialsite.figures as f\n"
        "def broken(*a, **k):\n    raise RuntimeError('simulated bug')\n"
        "f.make_figure = broken\nimport trialsite.pipeline as p\np.make_figure = broken\n")
    done = _run(tiny_project, env={**os.environ, "PYTHONPATH": f"{hooks}:{ROOT}"})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert "internal error" in done.stderr and ".cache/logs/crash.log" in done.stderr
    assert "simulated bug" in (tiny_project / ".cache" / "logs" / "crash.log").read_text()
    assert _tree(tiny_project / "_site") == good


def test_output_paths_cannot_leave_the_site():
    """The writer refuses any path that is absolute, climbs out with '..', or is empty."""
    for bad in ("/etc/passwd", "../x.html", "a/../../x", "", "a//b", "./a", "a\\b", MARKER):
        with pytest.raises(ValueError):
            check_site_path(bad)
        with pytest.raises(ValueError):
            SiteWriter().add(bad, "x")
    check_site_path("trials/x/index.html")


def test_links_inside_the_project_are_followed(tiny_project):
    """A link to a file inside the project is fine (only links leading out are refused)."""
    (tiny_project / "shared.css").write_text("p{}")
    (tiny_project / "static" / "css" / "extra.css").symlink_to(tiny_project / "shared.css")
    assert not build(tiny_project, tiny_project / "_site").errors
    assert (tiny_project / "_site" / "static" / "css" / "extra.css").read_text() == "p{}"


def test_byte_order_mark_and_windows_line_ends_are_accepted(tiny_project):
    """Files saved by Windows editors (BOM, CRLF) build exactly like the originals."""
    assert not build(tiny_project, tiny_project / "one").errors
    for rel in ("data/trials/tiny-trial.yaml", "content/trials/tiny-trial.md", "site.yaml"):
        path = tiny_project / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert not build(tiny_project, tiny_project / "two").errors
    assert _tree(tiny_project / "one") == _tree(tiny_project / "two")


def test_sitemap_is_valid_xml_for_any_base_url(tiny_project):
    """A base URL with '&' is escaped in sitemap.xml, which stays valid XML."""
    out = tiny_project / "_site"
    assert not build(tiny_project, out, base_url="https://example.org/a&b/").errors
    locs = [e.text for e in ElementTree.parse(out / "sitemap.xml").getroot().iter()
            if e.tag.endswith("loc")]
    assert locs and all(loc.startswith("https://example.org/a&b/") for loc in locs)


def test_csv_cells_cannot_run_as_formulas():
    """Text cells starting with = + - @ get a leading quote; numbers (negative ones too) stay numbers."""
    text = to_csv(["=HYPERLINK(\"x\")", "Group"], [["+cmd", "-9.8"], ["@SUM(A1)", "12.5%"], ["-2 to 3", "Drug A"]])
    assert text.splitlines() == ["\"'=HYPERLINK(\"\"x\"\")\",Group", "'+cmd,-9.8", "'@SUM(A1),12.5%",
                                 "'-2 to 3,Drug A"]


def test_two_inputs_for_one_address_name_both():
    """A second file for the same output path is refused, naming the input that wrote it first."""
    writer = SiteWriter()
    writer.add("trials/x/index.html", "<p>a</p>", "content/trials/x.md")
    with pytest.raises(OutputCollision) as caught:
        writer.add("trials/x/index.html", "<p>b</p>", "static/trials/x/index.html")
    assert str(caught.value) == ("'trials/x/index.html' would also be written from content/trials/x.md; "
                                 "rename one of them")
    assert writer.files["trials/x/index.html"] == b"<p>a</p>"


def test_unrelated_folders_beside_the_output_are_kept(tiny_project):
    """Folders named like the build's staging ('._site.old', '._site.new-keep') are not the build's unless marked."""
    for name in ("._site.old", "._site.new-keep"):
        (tiny_project / name).mkdir()
        (tiny_project / name / "diary.txt").write_text("mine\n")
    result = build(tiny_project, tiny_project / "_site", out_label="_site")
    assert [str(e) for e in result.errors] == [
        "(command line): --out: '._site.old' beside the output folder was not made by a build; move it elsewhere"]
    for name in ("._site.old", "._site.new-keep"):
        assert (tiny_project / name / "diary.txt").read_text() == "mine\n"


def test_folders_of_own_files_are_not_adopted(tiny_project, tmp_path):
    """A folder of the author's own files with suffixes a build also writes, but no home page, is refused."""
    docs = tmp_path / "mydocs"
    docs.mkdir()
    for name in ("notes.txt", "taxes-2023.csv", "bookmarks.html"):
        (docs / name).write_text("mine\n")
    result = build(tiny_project, docs, out_label="mydocs")
    assert [str(e) for e in result.errors] == [
        "(command line): --out: 'mydocs' is a folder that an earlier build did not make, and it holds other files; "
        "choose a new or empty folder such as _site"]
    assert sorted(p.name for p in docs.iterdir()) == ["bookmarks.html", "notes.txt", "taxes-2023.csv"]


def test_a_rebuild_writes_only_the_files_that_changed(tiny_project, tmp_path):
    """Unchanged files are linked from the last site (same inode and time), changed ones written anew; the swap
    stays all at once, and a link inside the last site that leads elsewhere is never followed."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    before = {p.relative_to(out).as_posix(): p.stat() for p in out.rglob("*") if p.is_file()}
    page = tiny_project / "content" / "explainers" / "median.md"
    page.write_text(page.read_text() + "\nHalf had less, half had more.\n")
    assert not build(tiny_project, out, jobs=1).errors
    after = {p.relative_to(out).as_posix(): p.stat() for p in out.rglob("*") if p.is_file()}
    kept = sorted(name for name in after if name in before and after[name].st_ino == before[name].st_ino)
    rewritten = sorted(set(after) - set(kept))
    assert "static/css/site.css" in kept and "trials/tiny-trial/index.html" in kept
    assert "explainers/median/index.html" in rewritten
    assert all(after[name].st_mtime_ns == before[name].st_mtime_ns for name in kept)
    assert len(kept) > len(rewritten) > 0


def test_an_unchanged_file_is_never_linked_from_outside_the_last_site(tiny_project, tmp_path):
    """A folder of the last site that is a link to elsewhere: the file there is not taken, it is written anew."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    elsewhere = tmp_path / "elsewhere"
    (out / "static").rename(elsewhere)
    (out / "static").symlink_to(elsewhere)
    assert not build(tiny_project, out, jobs=1).errors
    css = out / "static" / "css" / "site.css"
    assert not (out / "static").is_symlink()
    assert css.stat().st_ino != (elsewhere / "css" / "site.css").stat().st_ino


def test_a_file_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path):
    """A staged writer that cannot write (here its folder is a file) raises OutputError, which the build reports
    on --out."""
    blocked = tmp_path / "staging"
    blocked.write_text("not a folder")
    writer = SiteWriter(blocked, shown="_site")
    with pytest.raises(OutputError, match=r"^cannot write the site into '_site': "):
        writer.add("index.html", "<p>a</p>")


def test_a_file_another_program_made_is_moved_in_without_a_copy(tmp_path):
    """SiteWriter.move_in renames a file from a folder inside the staging folder (the search indexer's): the same
    inode, no bytes read or written again; a path already written is refused, as by add."""
    staging = tmp_path / "staging"
    (staging / ".made").mkdir(parents=True)
    made = staging / ".made" / "index.pf_index"
    made.write_bytes(b"index bytes")
    inode = made.stat().st_ino
    writer = SiteWriter(staging, shown="_site")
    writer.move_in("pagefind/index/index.pf_index", made, "content/search.md")
    moved = staging / "pagefind" / "index" / "index.pf_index"
    assert moved.read_bytes() == b"index bytes" and moved.stat().st_ino == inode and not made.exists()
    assert writer.origins == {"pagefind/index/index.pf_index": "content/search.md"}
    again = staging / ".made" / "again"
    again.write_bytes(b"other")
    with pytest.raises(OutputCollision):
        writer.move_in("pagefind/index/index.pf_index", again)
    in_memory = SiteWriter()
    in_memory.move_in("pagefind/again", again)
    assert in_memory.files == {"pagefind/again": b"other"}


def test_a_build_killed_while_it_removes_the_last_site_leaves_a_folder_the_next_build_tidies(tiny_project, tmp_path,
                                                                                             monkeypatch):
    """The last site, set aside as '.site.old' during a swap, loses its marker last: a build killed at any moment of
    its removal leaves a folder still known as a build's, and the next build succeeds and tidies it (a folder with no
    marker and no home page stopped every later build as not made by one)."""
    import shutil

    from trialsite import write

    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    files = sum(1 for path in out.rglob("*") if path.is_file())
    for killed_at in range(0, files + 2, 7):
        old = out.with_name(".site.old")
        shutil.copytree(out, old)
        unlink = _killed_after(killed_at, os.unlink)
        monkeypatch.setattr(os, "unlink", unlink)
        monkeypatch.setattr(write.shutil, "rmtree", lambda path, unlink=unlink, **_: _rmtree_by_unlink(Path(path),
                                                                                                     unlink))
        with pytest.raises(KeyboardInterrupt):
            write.remove_built(old)
        monkeypatch.undo()
        assert write._ours(old), f"killed after {killed_at} removals"
        assert not build(tiny_project, out, jobs=1).errors
        assert not old.exists()


def _killed_after(removals: int, real_unlink):
    """os.unlink that removes `removals` files, then stops the program as a kill would."""
    removed = []

    def unlink(path, *args, **kwargs):
        if len(removed) >= removals:
            raise KeyboardInterrupt
        removed.append(path)
        return real_unlink(path, *args, **kwargs)
    return unlink


def _rmtree_by_unlink(folder: Path, unlink) -> None:
    """shutil.rmtree, one file at a time through `unlink`, so that a test can stop it anywhere."""
    for path in sorted(folder.rglob("*"), key=lambda p: -len(p.parts)):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            unlink(path)
    folder.rmdir()


def test_a_build_whose_staging_folder_another_build_removed_publishes_nothing(tiny_project, tmp_path, monkeypatch):
    """Another build that lost sight of the lock (its file deleted with .cache/) may remove this build's staging
    folder while it runs; a file added after that would make the folder anew, holding a part of the site. The build
    then fails with one line on --out, and the last site stays as it was."""
    import shutil

    from trialsite import pipeline

    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    before = _tree(out)
    placed = pipeline.placed_figures

    def removed_by_another_build(*args, **kwargs):
        for staging in tmp_path.glob(".site.new-*"):
            shutil.rmtree(staging)
        return placed(*args, **kwargs)

    monkeypatch.setattr(pipeline, "placed_figures", removed_by_another_build)
    (tiny_project / "content" / "about.md").write_text((tiny_project / "content" / "about.md").read_text() + "\nNew.\n")
    result = build(tiny_project, out, jobs=1)
    assert [str(error) for error in result.errors] == [
        f"(command line): --out: cannot write the site into '{out}': the folder this build wrote into beside it was "
        "removed while it ran (by another build, after '.cache/' was deleted?); build again"]
    assert _tree(out) == before
    assert not list(tmp_path.glob(".site.new-*"))
