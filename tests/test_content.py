"""Shortcodes turn data into text; the prose checks warn about numbers, analyses, wording and reading level."""
from __future__ import annotations

import pytest

from trialsite import wording
from trialsite.markdown_stage import reading_grade
from trialsite.pipeline import build
from trialsite.project import load_project
from trialsite.shortcodes import HEADS, RESULT, resolve

PAGE = "content/trials/tiny-trial.md"


@pytest.mark.parametrize("percent, whole", [(50.5, 51), (25.5, 26), (2.5, 3), (12.6, 13), (1.7, 2), (0.4, 0), (59, 59)])
def test_out_of_100_rounds_half_up(percent, whole):
    """One documented rule: X out of 100 rounds halves up."""
    assert wording.per100(percent) == whole


def test_out_of_100_text():
    """Exact whole numbers are not called 'about'; bounds are 'fewer than'."""
    assert wording.per100_text(50.5) == "about 51 out of 100"
    assert wording.per100_text(59) == "59 out of 100"
    assert wording.per100_text("<1") == "fewer than 1 out of 100"


@pytest.fixture
def tiny(tiny_project):
    """The loaded tiny project and its trial."""
    project, errors = load_project(tiny_project)
    assert not errors
    return project, project.trials["tiny-trial"]


EXAMPLES = [
    ("pfs-final.drug-a", "6.0 months"),
    ("pfs-final.drug-a | number", "6.0"),
    ("pfs-final.drug-a | ci", "4.5 to 7.25 months"),
    ("pfs-final | analysis", "final analysis (24 months of follow-up)"),
    ("pfs-final | assessment", "as judged by independent experts who reviewed the scans"),
    ("pfs-final | hr", "0.60"),
    ("pfs-final | hr_ci", "0.40 to 0.90"),
    ("pfs-final | p", "0.01"),
    ("pfs-final | significance", "statistically significant"),
    ("response-poster.drug-a | per100", "about 21 out of 100"),
    ("response-poster | analysis", "poster update (follow-up not stated by the source)"),
    ("enrolled", "90"),
    ("arms.drug-b", "Drug B"),
    ("arms.drug-b | n", "30"),
    ("arms.drug-b.drug b | dose", "20 mg"),
    ("side-effects.any.rash.usual-care | per100", "fewer than 1 out of 100"),
    ("side-effects.any.rash.drug-b", "12.5%"),
    ("analyses.final | data_cutoff", "31 January 2020"),
    ("analyses.poster | data_cutoff", "not stated by the source"),
    ("pfs-final | population", "everyone randomly assigned to a group (30 in the drug A group, 30 in the drug B group, "
                               "30 in the usual care group)"),
]


@pytest.mark.parametrize("code, text", EXAMPLES)
def test_shortcodes_resolve_from_data(tiny, code, text):
    """Every shortcode form gives the text the author expects."""
    project, trial = tiny
    assert resolve(code, trial, project).text == text


def _head_and_format(code: str):
    """The table entry a shortcode uses, and its format."""
    path, _, filt = (part.strip() for part in code.partition("|"))
    return HEADS.get(path.split(".")[0], RESULT), filt


def test_every_declared_format_is_resolved_above():
    """The shortcode table and the resolvers agree: each example's format is declared, each declared format used."""
    used = {(head.shape, filt) for head, filt in map(_head_and_format, (code for code, _ in EXAMPLES))}
    declared = {(head.shape, filt) for head in [*HEADS.values(), RESULT] for filt in head.formats}
    assert used <= declared
    assert declared - used <= {("populations.ID.ARM", ""), ("baseline.ID", ""), ("baseline.ID", "per100"),
                                ("analyses.ID", "follow_up"), ("analyses.ID", ""), ("phase", ""), ("ratio", "")}


def _body(project_dir, text: str):
    """Replace the tiny trial page's body and build; return the warnings as text."""
    path = project_dir / PAGE
    head = path.read_text().split("---\n")
    path.write_text("---\n".join(head[:2]) + "---\n" + text)
    return [str(w) for w in build(project_dir, project_dir / "_site").warnings]


def test_number_typed_by_hand_warns(tiny_project):
    """A digit in prose is flagged; words with digits like TINY-1 are not."""
    assert _body(tiny_project, "TINY-1 had 42 people.\n") == [
        "content/trials/tiny-trial.md:11: number: '42' is typed by hand; take it from the data with a shortcode"]


def test_unnamed_analysis_warns(tiny_project):
    """A paragraph with a number but no analysis named is flagged."""
    assert _body(tiny_project, "The median was {{ pfs-final.drug-a }}.\n") == [
        "content/trials/tiny-trial.md:11: {{ pfs-final.drug-a }}: this paragraph shows a number from the analysis "
        "'final' but does not name it (add {{ analyses.final }} or {{ RESULT | analysis }})"]


def test_promotional_words_warn(tiny_project):
    """Promotional words and 'improves survival' are flagged; 'did not improve survival' is not."""
    warnings = _body(tiny_project, "A breakthrough that improves survival.\n\nIt did not improve survival.\n")
    assert warnings == [
        "content/trials/tiny-trial.md:11: wording: 'breakthrough' is promotional or misleading; say what was measured",
        "content/trials/tiny-trial.md:11: wording: 'improves survival' is promotional or misleading; say what was measured"]


def test_hard_reading_warns_and_strict_fails(tiny_project):
    """Text above the grade limit warns, and --strict turns the warning into a failure."""
    hard = ("Notwithstanding considerable methodological heterogeneity, investigators characterised "
            "progression-free survival differences utilising stratified proportional hazards regression methodology.\n")
    warnings = _body(tiny_project, hard)
    assert len(warnings) == 1 and warnings[0].startswith("content/trials/tiny-trial.md:1: readability: reading grade ")
    assert build(tiny_project, tiny_project / "_site", strict=True).failed(strict=True)


def test_reading_grade_of_plain_text():
    """Short plain sentences score low; the same words in one long sentence score higher."""
    assert reading_grade("The cat sat. It was warm. We went home.") < 3
    assert reading_grade("Therapeutic interventions demonstrated statistically meaningful prolongation.") > 12


def test_named_analysis_links_to_its_row(tiny_project):
    """An analysis named in prose links to its row in the trial page's table of analyses."""
    assert not build(tiny_project, tiny_project / "_site").errors
    html = (tiny_project / "_site" / "explainers" / "median" / "index.html").read_text()
    assert ('<a class="analysis" href="../../trials/tiny-trial/#analysis-final">final analysis '
            "(24 months of follow-up)</a>") in html


def test_phase_and_ratio_shortcodes(tiny):
    """Design facts with digits can be used in prose without typing them."""
    project, trial = tiny
    assert [resolve(code, trial, project).text for code in ("phase", "ratio")] == ["2", "1:1:1"]


def test_code_spans_and_fenced_blocks_are_left_as_written(tiny_project):
    """Shortcodes, glossary links and '# ' lines inside code are shown, not expanded or checked."""
    body = ("## How to write numbers\n\nWrite `{{ pfs-final.drug-a }}` or `[[median]]`.\n\n"
            "```\n# a comment\n{{ chart pfs }}\n{{ nothing.here }}\n```\n")
    assert _body(tiny_project, body) == []
    html = (tiny_project / "_site" / "trials" / "tiny-trial" / "index.html").read_text()
    assert "<code>{{ pfs-final.drug-a }}</code>" in html and "<code>[[median]]</code>" in html
    assert "<pre><code># a comment\n{{ chart pfs }}\n{{ nothing.here }}\n</code></pre>" in html
    assert 'class="chart"' not in html


def test_chart_inside_a_list_is_an_error(tiny_project):
    """A chart is a figure of the page: it cannot sit inside a list item."""
    path = tiny_project / PAGE
    head = path.read_text().split("---\n")
    path.write_text("---\n".join(head[:2]) + "---\n" + "- one\n\n    {{ chart pfs }}\n")
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert errors == ["content/trials/tiny-trial.md:13: chart: a chart stands on a line of its own, not inside a list "
                      "or a quote"]
