"""The build as a whole: deterministic, all-or-nothing, base paths, and nothing trial-specific in code."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT

from trialsite import pipeline
from trialsite.pipeline import build


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_building_twice_gives_identical_bytes(tiny_project, tmp_path):
    """Two builds of the same input are byte for byte the same."""
    assert not build(tiny_project, tmp_path / "one").errors
    assert not build(tiny_project, tmp_path / "two").errors
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_failed_build_leaves_last_good_site(tiny_project):
    """After an error the previous site is untouched and no staging folder is left behind."""
    out = tiny_project / "_site"
    assert not build(tiny_project, out).errors
    before = _tree(out)
    (tiny_project / "data" / "trials" / "tiny-trial.yaml").write_text("id: tiny-trial\n")
    assert build(tiny_project, out).errors
    assert _tree(out) == before
    assert sorted(p.name for p in tiny_project.iterdir() if p.name.startswith(".")) == [".cache"]  # the lock only


def test_three_arm_trial_without_clinical_benefit_builds(built_tiny):
    """A 1:1:1 trial with three arms and no clinical-benefit result renders every arm everywhere."""
    site, result = built_tiny
    assert not result.errors
    soup = BeautifulSoup((site / "trials" / "tiny-trial" / "index.html").read_text(), "html.parser")
    table = soup.select_one("#chart-tiny-trial-side-effects table")
    assert [th.get_text() for th in table.select("thead th")] == [
        "Side effect", "Drug A (out of 100)", "Drug B (out of 100)", "Usual care (out of 100)"]
    assert "1:1:1" in soup.select_one(".glance").get_text()
    assert len(soup.select(".arms > li")) == 3


def test_internal_links_are_relative_and_leaving_links_absolute(tiny_project, tmp_path):
    """Whatever the base URL, internal links and assets are relative; canonical links carry the full address."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, base_url="https://example.github.io/repo/").errors
    html = (out / "trials" / "tiny-trial" / "index.html").read_text()
    assert not re.findall(r'(?:href|src)="/[^"]*"', html)
    assert 'href="../../static/css/site.css"' in html and 'href="../../glossary/#term-median"' in html
    assert '<link rel="canonical" href="https://example.github.io/repo/trials/tiny-trial/">' in html


def test_home_page_links_from_the_site_root(tiny_project, tmp_path):
    """The home page is at the top of the site: its links start with no '../'."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, base_url="https://example.org/").errors
    html = (out / "index.html").read_text()
    assert 'href="static/css/site.css"' in html and '<a href="./">Tiny test site</a>' in html


def test_author_links_from_the_host_root_are_errors(tiny_project, tmp_path):
    """A link written from the host's root works at one address only: the build asks for a relative one."""
    page = tiny_project / "content" / "index.md"
    page.write_text(page.read_text() + "\nSee the [glossary](/tiny/glossary/).\n")
    errors = [str(e) for e in build(tiny_project, tmp_path / "site").errors]
    assert errors == ["content/index.md:10: (link): '/tiny/glossary/' starts with '/', so it breaks when the site is "
                      "opened from another folder; write it relative to this page, here 'glossary/'"]


def test_every_chart_writes_its_csv(built_tiny):
    """Each chart's CSV download exists and is linked from the page."""
    site, _ = built_tiny
    html = (site / "trials" / "tiny-trial" / "index.html").read_text()
    for name in ("pfs", "response", "side-effects"):
        assert (site / "trials" / "tiny-trial" / "data" / f"{name}.csv").exists()
        assert f'href="data/{name}.csv"' in html or f'href="../../trials/tiny-trial/data/{name}.csv"' in html


def test_unchecked_page_says_so(built_tiny):
    """A page without a clinical_review says visibly, near its top, that no clinician has checked it."""
    site, _ = built_tiny
    explainer = BeautifulSoup((site / "explainers" / "median" / "index.html").read_text(), "html.parser")
    assert "Not yet checked by a clinician" in explainer.select_one(".notice").get_text()
    assert "Not yet checked by a clinician" in explainer.select_one(".about-page").get_text()


def test_package_and_templates_name_no_trial_or_drug():
    """Nothing outside data/ and content/ is specific to BOLERO-2."""
    names = re.compile(r"bolero|everolimus|exemestane|afinitor|novartis|letrozole|anastrozole", re.IGNORECASE)
    files = [*ROOT.joinpath("trialsite").rglob("*.py"), *ROOT.joinpath("templates").rglob("*"),
             *ROOT.joinpath("static").rglob("*"), ROOT / "build.py"]
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in files if p.is_file()
             for m in names.finditer(p.read_text(errors="ignore"))]
    assert found == []


def test_missing_glossary_page_is_an_error(tiny_project):
    """Glossary links need a glossary page."""
    (tiny_project / "content" / "glossary.md").unlink()
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert errors == ["content/glossary.md:1: (file): file is missing: every site has a glossary page"]


def test_broken_internal_links_are_errors(tiny_project):
    """A link to a page the build does not make, or to a missing anchor, fails the build at its line."""
    page = tiny_project / "content" / "explainers" / "median.md"
    page.write_text(page.read_text() + "\nSee [the trial](../../trials/tiny-trail/) and [the top](#nowhere).\n"
                    "See [the glossary](../../glossary/#term-median) and [a paper](https://example.org/x).\n")
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert errors == [
        "content/explainers/median.md:14: (link): '#nowhere' points at an anchor '#nowhere' "
        "that the page does not have",
        "content/explainers/median.md:14: (link): '../../trials/tiny-trail/' points at a page or file "
        "that the build does not make",
    ]


def test_editor_comments_are_not_published(tiny_project):
    """HTML comments in Markdown are notes to editors and do not reach the page."""
    page = tiny_project / "content" / "index.md"
    page.write_text(page.read_text() + "\n<!-- EDITORS: check this\nbefore launch -->\n")
    assert not build(tiny_project, tiny_project / "_site").errors
    assert "EDITORS" not in (tiny_project / "_site" / "index.html").read_text()


def test_social_image_uses_the_whole_base_url(tiny_project, tmp_path):
    """Canonical and social-image addresses are absolute, built from --base-url."""
    out = tmp_path / "site"
    assert not build(tiny_project, out, base_url="https://example.github.io/repo/").errors
    html = (out / "index.html").read_text()
    assert '<meta property="og:image" content="https://example.github.io/repo/static/img/social-card.png">' in html
    assert (out / "static" / "img" / "social-card.png").exists()


def test_trial_with_only_required_fields_builds(tiny_project):
    """A trial with no results, charts, side effects, baseline or exclusions still builds strictly."""
    extra = ROOT / "tests" / "projects" / "minimal-trial"
    (tiny_project / "data" / "trials" / "mini.yaml").write_text((extra / "mini.yaml").read_text())
    (tiny_project / "content" / "trials" / "mini.md").write_text((extra / "mini.md").read_text())
    result = build(tiny_project, tiny_project / "_site", strict=True)
    assert not result.errors and not result.warnings
    page = BeautifulSoup((tiny_project / "_site" / "trials" / "mini" / "index.html").read_text(), "html.parser")
    assert page.select("figure") == [] and "Who could not join" not in page.get_text()
    assert "follow-up not stated by the source" not in page.get_text()  # no number, so no analysis label needed
    for listing in ("index.html", "sources/index.html"):  # a new trial is listed with no other page edited
        text = (tiny_project / "_site" / listing).read_text()
        assert "MINI: A minimal trial</a><p>Something. 2 people joined.</p>" in text


def test_a_review_that_is_due_is_said_but_never_stops_a_strict_build(tiny_project, monkeypatch):
    """After `next_review`, each such page gets a notice at that line; --strict still builds (dates must not block
    publishing). The day comes from SOURCE_DATE_EPOCH, so that the test does not depend on today."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798848000")  # 2 January 2027: the tiny pages were due the day before
    result = build(tiny_project, tiny_project / "_site", strict=True)
    assert not result.errors and not result.warnings and result.files
    assert "content/trials/tiny-trial.md:6: next_review: the review was due on 1 January 2027; check the page " \
           "against its sources, then set last_reviewed and next_review" in [str(n) for n in result.notices]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: nothing due yet
    assert build(tiny_project, tiny_project / "_site", strict=True).notices == []


def test_a_page_changed_after_its_clinical_review_says_so(tiny_project):
    """A review approves a code of the page's inputs. With the right code the page names who checked it and shows no
    notice; a later edit of the page shows 'Changed since a clinician checked it' and a build notice with the new
    code; approving that code clears both."""
    page = tiny_project / "content" / "trials" / "tiny-trial.md"
    review = 'clinical_review: {by: [Test clinical reviewers], date: 2026-01-01, approved: "000000000000"}\n'
    page.write_text(page.read_text().replace("trial: tiny-trial\n", "trial: tiny-trial\n" + review))

    def built() -> tuple[str, list[str]]:
        result = build(tiny_project, tiny_project / "_site", strict=True)
        assert not result.errors and not result.warnings
        return (tiny_project / "_site" / "trials" / "tiny-trial" / "index.html").read_text(), [str(n) for n in
                                                                                              result.notices]

    def approve(notice: str) -> None:
        page.write_text(re.sub(r'approved: "[0-9a-f]{12}"', f'approved: "{notice.split("now ")[1][:12]}"',
                               page.read_text()))

    html, [notice] = built()
    assert notice.startswith("content/trials/tiny-trial.md:9: clinical_review.approved: the page or its trial's data "
                             "changed after the clinical review of 1 January 2026 (approved 000000000000, now ")
    assert "Changed since a clinician checked it" in html and "The page has changed since then." in html
    approve(notice)
    html, notices = built()
    assert notices == [] and "Changed since" not in html
    about = " ".join(BeautifulSoup(html, "html.parser").select_one(".about-page").get_text(" ").split())
    assert "Checked by a clinician Test clinical reviewers, on 1 January 2026" in about
    page.write_text(page.read_text().replace("people with drug A had a rash.", "people with drug A had a rash. More."))
    html, [notice] = built()
    assert "Changed since a clinician checked it" in html
    approve(notice)
    assert built()[1] == []


def test_pages_without_pictures_are_written_before_the_build_waits_for_the_drawing(tiny_project, tmp_path,
                                                                                    monkeypatch):
    """The workers draw the charts while the build renders every page that shows none; a trial page or a page with a
    chart waits for them. Said in the order things happen: each file written, and the first wait."""
    from trialsite import workers, write
    happened: list[str] = []
    add, get = write.SiteWriter.add, workers.Pending.get
    monkeypatch.setattr(write.SiteWriter, "add", lambda self, path, *rest: (happened.append(path),
                                                                            add(self, path, *rest))[1])
    monkeypatch.setattr(workers.Pending, "get", lambda self: (happened.append("(waited)"), get(self))[1])
    assert not pipeline.build(tiny_project, tmp_path / "site", jobs=2).errors
    waited = happened.index("(waited)")
    pages = [path for path in happened if path.endswith("index.html") and path != pipeline.REPORT]  # the report: last
    with_pictures = {"trials/tiny-trial/index.html"}  # the tiny project shows its charts on its trial page only
    assert with_pictures <= set(pages) and len(pages) > len(with_pictures) + 3
    assert all(happened.index(path) < waited for path in pages if path not in with_pictures)
    assert all(happened.index(path) > waited for path in with_pictures)


def test_pages_rendered_by_workers_give_the_same_site_and_errors_as_one_process(tiny_project):
    """Forked workers render pages straight into the staging folder and work out what the link check needs there:
    the site, and the errors of broken links and anchors, are those of a build in one process. (Run by build.py: a
    process whose chart engine runs, like this one once it has drawn, renders in one process.)"""
    explainer = (tiny_project / "content" / "explainers" / "median.md").read_text()
    front_matter = explainer[:explainer.index("---", 4) + 4]
    for number in range(pipeline.RENDERED_APART):  # enough pages to render apart
        broken_links = f"\nSee [the other page](../nowhere-{number}/) and [this part](#part-{number}).\n"
        (tiny_project / "content" / "explainers" / f"extra-{number}.md").write_text(
            front_matter.replace("title: What a median is", f"title: Extra page {number}")
            + "\n## Words\n\nA short page.\n" + (broken_links if number % 80 == 0 else ""))

    def built(jobs: str) -> tuple[str, dict[str, bytes]]:
        """What the build said, and the site it made (if any), with `jobs` workers and an empty cache."""
        shutil.rmtree(tiny_project / ".cache", ignore_errors=True)
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(tiny_project), "--jobs", jobs,
                               "--out", f"site-{jobs}"], capture_output=True, text=True)
        site = tiny_project / f"site-{jobs}"
        return done.stderr.replace(f"site-{jobs}", "site"), _tree(site) if site.exists() else {}

    said = built("1")[0]
    assert said.count("nowhere-") == 3 and said.count("anchor '#part-") == 3
    assert built("2")[0] == said
    for number in range(0, pipeline.RENDERED_APART, 80):
        (tiny_project / "content" / "explainers" / f"extra-{number}.md").unlink()
    one, two = built("1")[1], built("2")[1]
    assert one == two and len(one) > pipeline.RENDERED_APART


def test_the_progress_bar_says_when_the_build_waits_for_the_charts(tiny_project, tmp_path, monkeypatch):
    """Pages without charts are written first, then the bar says the build waits for the charts (minutes, for a
    thousand trials), then the pages with charts are written: each stage with the number of its steps."""
    from trialsite import progress
    said: list[tuple[str, int]] = []

    class Recorded(progress.Progress):
        def stage(self, name: str, total: int) -> None:
            said.append((name, total))
            super().stage(name, total)

    monkeypatch.setattr(pipeline, "Progress", Recorded)
    assert not build(tiny_project, tmp_path / "site").errors
    names = [name for name, _ in said]
    writing = names.index("Writing pages")
    assert names[writing:writing + 3] == ["Writing pages", "Drawing charts", "Writing pages with charts"]
    pages = len(list((tiny_project / "content").rglob("*.md")))
    assert said[writing][1] + said[writing + 2][1] == pages and said[writing + 2][1] == 1  # the trial page
