"""A build with nothing changed prints the last report and writes nothing; any change builds again."""
from __future__ import annotations

import os

import build
from trialsite import inputs, manifest


def _build(project, capsys, *options: str) -> tuple[int, str, str]:
    """Run the command line; return its status, standard output and standard error."""
    status = build.main(["--root", str(project), *options])
    said = capsys.readouterr()
    return status, said.out, said.err


def _stamps(folder) -> dict[str, int]:
    """Every file's modification time in a folder."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_second_build_with_nothing_changed_writes_nothing(tiny_project, capsys):
    """Same inputs, options and day, the output as written: the report again, and not one file touched."""
    assert _build(tiny_project, capsys)[0] == 0
    before = _stamps(tiny_project / "_site")
    status, out, _ = _build(tiny_project, capsys)
    assert status == 0
    assert out.startswith("Nothing changed since the last build: _site/ is up to date (")
    assert _stamps(tiny_project / "_site") == before


def test_a_file_saved_without_a_change_is_still_nothing_changed(tiny_project, capsys):
    """A new modification time with the same content: the hash says nothing changed."""
    _build(tiny_project, capsys)
    page = tiny_project / "content" / "index.md"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
    assert "Nothing changed" in _build(tiny_project, capsys)[1]


def test_a_changed_input_option_or_day_builds_again(tiny_project, capsys, monkeypatch):
    """An edited page, another base URL, or another day (reviews fall due by date) each build in full."""
    _build(tiny_project, capsys)
    page = tiny_project / "content" / "index.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    assert _build(tiny_project, capsys)[1].startswith("Built ")
    assert _build(tiny_project, capsys, "--base-url", "https://example.org/x/")[1].startswith("Built ")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(os.environ["SOURCE_DATE_EPOCH"]) + 86400))
    assert _build(tiny_project, capsys, "--base-url", "https://example.org/x/")[1].startswith("Built ")


def test_a_new_or_removed_input_builds_again(tiny_project, capsys):
    """A file added to static/ is an input the last build did not have."""
    _build(tiny_project, capsys)
    (tiny_project / "static" / "extra.txt").write_text("hello")
    assert _build(tiny_project, capsys)[1].startswith("Built ")
    (tiny_project / "static" / "extra.txt").unlink()
    assert _build(tiny_project, capsys)[1].startswith("Built ")


def test_an_input_in_a_linked_folder_is_watched_and_a_link_back_up_ends(tiny_project, capsys):
    """The trials reached through a link to a folder inside the project: an edit there builds again. A link back up
    the tree is walked once, not for ever."""
    (tiny_project / "data" / "trials").rename(tiny_project / "trials")
    (tiny_project / "data" / "trials").symlink_to(tiny_project / "trials", target_is_directory=True)
    (tiny_project / "static" / "again").symlink_to(tiny_project / "static", target_is_directory=True)
    assert _build(tiny_project, capsys)[0] == 0
    assert "Nothing changed" in _build(tiny_project, capsys)[1]
    trial = tiny_project / "trials" / "tiny-trial.yaml"
    trial.write_text(trial.read_text().replace("title: Two new medicines", "title: Two other medicines"))
    assert _build(tiny_project, capsys)[1].startswith("Built ")


def test_a_file_saved_while_the_build_runs_is_built_next_time(tiny_project, capsys, monkeypatch):
    """The state recorded is the one read before the build: a page saved during it (after it was read) is built by
    the next build, never answered with "Nothing changed"."""
    from trialsite import pipeline

    page = tiny_project / "content" / "index.md"
    real = pipeline.build

    def saving_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        page.write_text(page.read_text() + "\nSaved while the build ran.\n")
        return result

    monkeypatch.setattr(pipeline, "build", saving_meanwhile)
    assert _build(tiny_project, capsys)[0] == 0
    monkeypatch.undo()
    assert _build(tiny_project, capsys)[1].startswith("Built ")
    assert "Saved while the build ran." in (tiny_project / "_site" / "index.html").read_text()
    assert "Nothing changed" in _build(tiny_project, capsys)[1]


def test_a_file_saved_while_the_record_is_made_is_built_next_time(tiny_project, capsys, monkeypatch):
    """The inputs' hashes are read before the state is checked a last time: a page saved while they are read (after
    the build) never has its new hash recorded beside the state of its old text, which would answer the next build
    "Nothing changed" over the old page."""
    page = tiny_project / "content" / "index.md"
    real = manifest._hash
    saved = []

    def saving_first(path):
        if not saved:
            saved.append(path)
            page.write_text(page.read_text().replace("made up", "made UP"))  # the same size: only the hash tells
        return real(path)

    monkeypatch.setattr(manifest, "_hash", saving_first)
    assert _build(tiny_project, capsys)[0] == 0
    monkeypatch.undo()
    assert saved
    assert _build(tiny_project, capsys)[1].startswith("Built ")
    assert "made UP" in (tiny_project / "_site" / "index.html").read_text()


def test_an_edit_of_the_same_size_with_its_time_put_back_builds_again(tiny_project, capsys):
    """A tool that sets files' times (touch -r, an archive) cannot hide an edit: the status-change time moves."""
    _build(tiny_project, capsys)
    page = tiny_project / "content" / "index.md"
    stat = page.stat()
    text = page.read_text()
    page.write_text(text.replace("made up", "made-up", 1))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert page.stat().st_size == stat.st_size and page.stat().st_mtime_ns == stat.st_mtime_ns
    assert _build(tiny_project, capsys)[1].startswith("Built ")
    assert "made-up" in (tiny_project / "_site" / "index.html").read_text()


def test_the_search_indexer_named_in_the_environment_counts(tiny_project, capsys, monkeypatch):
    """PAGEFIND_BINARY_PATH chooses the indexer: another one builds again."""
    _build(tiny_project, capsys)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tiny_project / "no-such-indexer"))
    assert "Nothing changed" not in _build(tiny_project, capsys)[1]


def test_an_output_changed_by_hand_is_built_again(tiny_project, capsys):
    """A file of _site/ edited or deleted since: the build puts the site right."""
    _build(tiny_project, capsys)
    (tiny_project / "_site" / "robots.txt").unlink()
    assert _build(tiny_project, capsys)[1].startswith("Built ")
    assert (tiny_project / "_site" / "robots.txt").exists()


def test_warnings_are_said_again_when_nothing_changed(tiny_project, capsys):
    """The author sees the same warnings each time, built or not."""
    page = tiny_project / "content" / "index.md"
    page.write_text(page.read_text() + "\nThis treatment is a breakthrough.\n")
    status, out, first = _build(tiny_project, capsys)
    assert status == 0 and "(warning)" in first
    status, out, again = _build(tiny_project, capsys)
    assert status == 0 and "Nothing changed" in out and again == first


def test_a_failed_build_is_not_recorded(tiny_project, capsys):
    """After an error the next run builds (and reports the error) again, rather than saying nothing changed."""
    _build(tiny_project, capsys)
    trial = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    trial.write_text(trial.read_text().replace("name: TINY-1", "name: [TINY-1"))
    assert _build(tiny_project, capsys)[0] == 1
    assert _build(tiny_project, capsys)[0] == 1


def test_the_manifest_watches_the_builds_own_inputs():
    """The quick check (standard library only) names the same inputs as the build."""
    assert manifest.INPUTS == inputs.INPUTS


def test_library_versions_are_read_as_importlib_metadata_reads_them():
    """manifest.installed_version, read from .dist-info folder names, gives importlib.metadata's version for every
    installed distribution, whatever the spelling of its name; None for one not installed."""
    from importlib import metadata

    from trialsite.manifest import installed_version

    names = sorted({dist.metadata["Name"] for dist in metadata.distributions()})
    assert len(names) > 30
    for name in names:
        assert installed_version(name) == metadata.version(name), name
    assert installed_version("VL_Convert.Python") == metadata.version("vl-convert-python")
    assert installed_version("no-such-library-here") is None
