"""The Markdown stage: code is left alone, charts stand alone, and the prose checks warn about numbers, analyses,
wording and reading level."""
from __future__ import annotations

from trialsite.markdown_stage import reading_grade
from trialsite.pipeline import build

PAGE = "content/trials/tiny-trial.md"


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
        "content/trials/tiny-trial.md:11: wording: 'improves survival' is promotional or misleading; "
        "say what was measured"]


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
    assert errors == ["content/trials/tiny-trial.md:13: chart: a chart stands on a line of its own, not inside a list, "
                      "a quote or an HTML block such as <details>"]


def test_markdown_inside_a_disclosure(tiny_project):
    """`<details markdown="1">` holds Markdown: shortcodes, glossary links and lists work inside it, charts do not."""
    body = ('<details markdown="1">\n<summary>Earlier analyses</summary>\n\n'
            "It was a test. It had two groups.\n\n"
            "- In the {{ pfs-final | analysis }}, the [[median]] was {{ pfs-final.drug-a }}.\n\n</details>\n")
    assert _body(tiny_project, body) == []
    html = (tiny_project / "_site" / "trials" / "tiny-trial" / "index.html").read_text()
    assert ('<details>\n<summary>Earlier analyses</summary>\n<p>It was a test. It had two groups.</p>\n'
            '<ul>\n<li>In the <a class="analysis"') in html
    assert 'markdown=' not in html and '<data value="' in html and "{{" not in html
    path = tiny_project / PAGE
    path.write_text(path.read_text().replace("</details>", "{{ chart pfs }}\n\n</details>"))
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert errors == ["content/trials/tiny-trial.md:18: chart: a chart stands on a line of its own, not inside a list, "
                      "a quote or an HTML block such as <details>"]


def test_a_finding_in_words_is_followed_by_its_numbered_source(tiny_project):
    """`{{ findings.ID }}` gives the words and '(Source N)', linked to that source in the page's list."""
    assert _body(tiny_project, "## Harms\n\n{{ findings.stopped }}.\n") == []
    html = (tiny_project / "_site" / "trials" / "tiny-trial" / "index.html").read_text()
    assert ('<p><span>More people with drug A stopped treatment because of side effects (<a href="#source-paper2020">'
            'Source 1</a>)</span>.</p>') in html
    assert '<li id="source-paper2020">' in html
