"""The author report: hidden from readers, honest about each page, and each lay-summary element flips to missing
when what carries it is removed."""
from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from trialsite.author_report import ANNEX_V, IPDAS, MISSING, NOT_AVAILABLE, PRESENT
from trialsite.pipeline import build

PAGE = Path("content/trials/tiny-trial.md")
TRIAL = Path("data/trials/tiny-trial.yaml")


def _report(project: Path) -> BeautifulSoup:
    """Build the project (it must build) and read its author report."""
    result = build(project, project / "_site")
    assert not result.errors, [str(e) for e in result.errors]
    return BeautifulSoup((project / "_site" / "report" / "index.html").read_text(), "html.parser")


def _states(report: BeautifulSoup, trial: str, standard: str) -> dict[int, tuple[str, str]]:
    """{element number: (state, where)} of one standard's table ('annex-v' or 'ipdas') for one trial."""
    table = report.select_one(f"caption#{standard}-{trial}").find_parent("table")
    rows = [[c.get_text(" ", strip=True) for c in r.find_all(["th", "td"])] for r in table.select("tbody tr")]
    return {int(name.split(".")[0]): (state, where) for name, state, where in rows}


def test_the_report_is_made_but_no_reader_page_leads_to_it(tiny_project):
    """report/index.html exists, asks search engines to skip it, and no page or sitemap entry points at it."""
    report = _report(tiny_project)
    assert report.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    site = tiny_project / "_site"
    for page in site.rglob("*.html"):
        if page.parent.name != "report":
            assert "report/" not in page.read_text(), page
    assert "report" not in (site / "sitemap.xml").read_text()


def test_every_element_has_a_row_and_a_known_state(tiny_project):
    """Ten Annex V elements and eight IPDAS items, each present, stated as not available, or missing."""
    report = _report(tiny_project)
    annex, ipdas = _states(report, "tiny-trial", "annex-v"), _states(report, "tiny-trial", "ipdas")
    assert sorted(annex) == list(range(1, len(ANNEX_V) + 1)) == list(range(1, 11))
    assert sorted(ipdas) == list(range(1, len(IPDAS) + 1)) == list(range(1, 9))
    assert {state for state, _ in [*annex.values(), *ipdas.values()]} <= {PRESENT, NOT_AVAILABLE, MISSING}


def test_an_element_flips_with_what_carries_it(tiny_project):
    """Comments on the outcome: missing without a 'what it means' section, present with one. Later trials: missing,
    then stated as not available once the trial data says no source gives them."""
    before = _states(_report(tiny_project), "tiny-trial", "annex-v")
    assert before[8][0] == MISSING and before[9][0] == MISSING
    page = tiny_project / PAGE
    page.write_text(page.read_text() + "\n## What this means\n\nIt is a made-up trial.\n")
    trial = tiny_project / TRIAL
    trial.write_text(trial.read_text() + "not_available:\n  - {about: follow-up-trials, text: No source says.}\n")
    after = _states(_report(tiny_project), "tiny-trial", "annex-v")
    assert after[8] == (PRESENT, "what the results mean: section 'What this means'")
    assert after[9] == (NOT_AVAILABLE, 'later trials: the page says our sources do not give it ("No source says.")')
    assert {n: s for n, s in before.items() if n not in (8, 9)} == {n: s for n, s in after.items() if n not in (8, 9)}


def test_removing_the_side_effects_section_makes_harms_missing(tiny_project):
    """Annex V 6 points at the side-effects section; without one it is missing."""
    page = tiny_project / PAGE
    page.write_text(page.read_text() + "\n## Side effects\n\nA rash, in some people.\n")
    assert _states(_report(tiny_project), "tiny-trial", "annex-v")[6] == (
        PRESENT, "side effects with how often they happened: section 'Side effects'")
    page.write_text(page.read_text().replace("## Side effects", "## Other things"))
    assert _states(_report(tiny_project), "tiny-trial", "annex-v")[6][0] == MISSING


def test_a_page_shows_its_grade_words_checks_and_notes(tiny_project):
    """Each page's reading grade, words, wording checks and its notes for clinical review."""
    page = tiny_project / PAGE
    page.write_text(page.read_text() + "\n<!-- for clinical review: is this\n  right? -->\nMost people had a rash.\n")
    report = _report(tiny_project)
    entry = next(s for s in report.select("section.report-page") if "tiny-trial.md" in s.get_text())
    text = entry.get_text(" ", strip=True)
    assert "Reading grade" in text and "words, about 1 minute" in text
    assert "frequency-word: 1 found" in text and "promotional: passed" in text
    notes = report.select_one("#for-clinical-review").find_parent("section").get_text(" ", strip=True)
    assert "(content/trials/tiny-trial.md), line 25: is this right?" in notes


def test_bolero2_misses_no_element(bolero_site):
    """The BOLERO-2 page leaves no Annex V element and no IPDAS item missing."""
    out, result = bolero_site
    report = BeautifulSoup((out / "report" / "index.html").read_text(), "html.parser")
    for standard in ("annex-v", "ipdas"):
        states = _states(report, "bolero-2", standard)
        assert [n for n, (state, _) in states.items() if state == MISSING] == [], (standard, states)
