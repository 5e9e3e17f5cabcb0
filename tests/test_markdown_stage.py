"""The Markdown stage: code is left alone, charts stand alone, and the prose checks warn about numbers, analyses,
wording and reading level."""
from __future__ import annotations

from bs4 import BeautifulSoup

from trialsite.pipeline import build
from trialsite.readability import reading_grade

PAGE = "content/trials/tiny-trial.md"
# Every trial page opens with key points (four lines), so the text under test starts on line 15.
KEY_POINTS = ("## Key points\n\nIn the {{ pfs-final | label }}: {{ pfs-final.drug-a }}; "
              "{{ side-effects.any.rash.drug-a | per100 }} had a rash.\n\n")


def _body(project_dir, text: str):
    """Replace the tiny trial page's body and build; return the warnings as text."""
    path = project_dir / PAGE
    head = path.read_text().split("---\n")
    path.write_text("---\n".join(head[:2]) + "---\n" + KEY_POINTS + text)
    return [str(w) for w in build(project_dir, project_dir / "_site").warnings]


def test_number_typed_by_hand_warns(tiny_project):
    """A digit in prose is flagged; words with digits like TINY-1 are not."""
    assert _body(tiny_project, "TINY-1 had 42 people.\n") == [
        "content/trials/tiny-trial.md:15: number: '42' is typed by hand; take it from the data with a shortcode"]


def test_unnamed_analysis_warns(tiny_project):
    """A paragraph with a number but no analysis named is flagged."""
    assert _body(tiny_project, "The median was {{ pfs-final.drug-a }}.\n") == [
        "content/trials/tiny-trial.md:15: {{ pfs-final.drug-a }}: this paragraph shows a number from the analysis "
        "'final' but does not name it (add {{ analyses.final }} or {{ RESULT | analysis }})"]


def test_promotional_words_warn(tiny_project):
    """Promotional words and 'improves survival' are flagged; 'did not improve survival' is not."""
    warnings = _body(tiny_project, "A breakthrough that improves survival.\n\nIt did not improve survival.\n")
    assert warnings == [
        "content/trials/tiny-trial.md:15: promotional: 'breakthrough' is promotional; say what was measured and what "
        "was found",
        "content/trials/tiny-trial.md:15: survival-claim: 'improves survival' says people lived longer, but this trial "
        "did not show an overall-survival difference; say what was measured, e.g. the time before the cancer grew"]


def test_wording_checks_point_at_the_line(tiny_project):
    """A paragraph over several lines is read as one; each finding names the line that holds its words."""
    body = ("## One\n\nSide effects were\ncommon with drug A.\n\n- The hazard ratio was {{ pfs-final | hr }}\n"
            "  ({{ pfs-final | label }}).\n\n## Two\n\nOne in three people had a rash.\n")
    assert _body(tiny_project, body) == [
        "content/trials/tiny-trial.md:18: frequency-word: 'common' says how often without a number; give the number "
        "out of 100 in the same sentence, or reword",
        "content/trials/tiny-trial.md:20: relative-alone: a hazard ratio or other comparison stands without the "
        "absolute figures; give each group's numbers in the same paragraph or earlier in its section",
        "content/trials/tiny-trial.md:25: one-in-x: 'One in three' changes the denominator; give every figure out of "
        "100, e.g. {{ RESULT.ARM | per100 }}"]


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
    path.write_text("---\n".join(head[:2]) + "---\n" + KEY_POINTS + "- one\n\n    {{ chart pfs }}\n")
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert errors == ["content/trials/tiny-trial.md:17: chart: a chart stands on a line of its own, not inside a list, "
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
    assert errors == ["content/trials/tiny-trial.md:22: chart: a chart stands on a line of its own, not inside a list, "
                      "a quote or an HTML block such as <details>"]


def test_a_finding_in_words_is_followed_by_its_numbered_source(tiny_project):
    """`{{ findings.ID }}` gives the words, then its analysis's label and '(Source N)', each linked."""
    assert _body(tiny_project, "## Harms\n\n{{ findings.stopped }}.\n") == []
    html = (tiny_project / "_site" / "trials" / "tiny-trial" / "index.html").read_text()
    assert ('<p><span>More people with drug A stopped treatment because of side effects (<a class="analysis-tag" '
            'href="#analysis-final">Final analysis · follow-up 24 months</a>; <a href="#source-paper2020">'
            'Source 1</a>)</span>.</p>') in html
    assert '<li id="source-paper2020">' in html


def _errors(project_dir, text: str) -> list[str]:
    """Replace the tiny trial page's body (no key points added) and build; return errors and warnings."""
    path = project_dir / PAGE
    head = path.read_text().split("---\n")
    path.write_text("---\n".join(head[:2]) + "---\n" + text)
    result = build(project_dir, project_dir / "_site")
    return [str(e) for e in result.errors] + [str(w) for w in result.warnings]


def test_key_points_come_first(tiny_project):
    """A trial page without a first '## Key points' section is an error at its first heading."""
    assert _errors(tiny_project, "## Results\n\nText.\n") == [
        "content/trials/tiny-trial.md:11: key points: a trial page starts with a '## Key points' section: what was "
        "tested and in whom, the main result with overall survival beside it, the main harms, and what it does and "
        "does not mean"]


def test_key_points_show_the_main_result_and_a_harm(tiny_project):
    """Key points without the primary endpoint's numbers or any side effect are errors; over 120 words warns."""
    long = "This sentence has exactly eight words in it. " * 16
    assert _errors(tiny_project, f"## Key points\n\nThe trial tested drug A.\n\n{long}\n\n## More\n\nText.\n") == [
        "content/trials/tiny-trial.md:11: key points: name a harm with its numbers: a side effect from the data, "
        "e.g. {{ side-effects.any.rash.drug-a | per100 }}",
        "content/trials/tiny-trial.md:11: key points: show a result of the main endpoint (time before the illness "
        "got worse) in the key points, taken from the data with a shortcode",
        "content/trials/tiny-trial.md:11: key points: 133 words; keep the key points to about 120"]


def test_overall_survival_stands_beside_the_main_result(tiny_project):
    """When the trial reports overall survival, it is in the same key point as the main result or the next one."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    text = trial_file.read_text().replace(
        "  - {id: response, name: Response rate,",
        "  - {id: os, name: Overall survival, role: secondary}\n  - {id: response, name: Response rate,")
    text = text.replace("side_effects:\n", "  - id: os-final\n    endpoint: os\n    analysis: final\n"
                        "    assessment: not-applicable\n    population: randomised\n    measure: median\n"
                        "    unit: months\n"
                        "    values: {drug-a: {value: 20}, drug-b: {value: 19}, usual-care: {value: 18}}\n"
                        "    sources: [paper2020]\nside_effects:\n", 1)
    trial_file.write_text(text)
    points = ["In the {{ pfs-final | label }}, {{ pfs-final.drug-a }} with drug A.",
              "{{ side-effects.any.rash.drug-a | per100 }} had a rash ({{ analyses.final | label }}).",
              "Overall survival: {{ os-final.drug-a }} ({{ os-final | label }})."]
    plain = "\nIt is a test. It is short. We like it. It is done.\n"
    far = "## Key points\n\n" + "".join(f"- {p}\n" for p in points) + plain
    assert _errors(tiny_project, far) == [
        "content/trials/tiny-trial.md:11: key points: put overall survival beside time before the illness got "
        "worse: a result of it in the same point or the next one"]
    near = "## Key points\n\n" + "".join(f"- {p}\n" for p in (points[0], points[2], points[1])) + plain
    assert _errors(tiny_project, near) == []


def test_a_compact_label_links_to_its_analysis_row(tiny_project):
    """`{{ RESULT | label }}` is a styled link to the analysis row; it names the analysis for the checks."""
    assert _body(tiny_project, "") == []
    html = (tiny_project / "_site" / "trials" / "tiny-trial" / "index.html").read_text()
    assert ('<a class="analysis-tag" href="#analysis-final">Final analysis · follow-up 24 months · independent '
            'experts</a>') in html


def test_a_hard_section_warns_at_its_heading(tiny_project):
    """A long section above the grade limit is named at its heading's line, even when the page as a whole passes."""
    easy = "We went home. It was warm. The cat sat. " * 40
    hard = ("Investigators characterised heterogeneous progression-free survival distributions utilising stratified "
            "methodology. ") * 10
    warnings = _body(tiny_project, f"## Easy part\n\n{easy}\n\n## Hard part\n\n{hard}\n")
    assert [w for w in warnings if "readability" in w] == [
        "content/trials/tiny-trial.md:19: readability: the section 'Hard part' reads at grade 33.8, above the limit "
        "of 8"]


def _popovers(html: str) -> list[tuple[str, str]]:
    """(id, definition) of each glossary popover a built page carries."""
    soup = BeautifulSoup(html, "html.parser")
    return [(p["id"], p.select_one(".term-popover-text").get_text())
            for p in soup.select(".term-popovers .term-popover")]


def test_a_page_carries_the_definitions_it_links_to(tiny_project):
    """Each glossary word a page links to gets one hidden popover, in order of first use, and the page loads the
    popover script; a page that links to no word has neither."""
    assert _body(tiny_project, "A [[tumour response]] and a [[median]], then [[response]] again.\n") == []
    site = tiny_project / "_site"
    html = (site / "trials" / "tiny-trial" / "index.html").read_text()
    assert _popovers(html) == [("popover-term-response", "The tumour got smaller on scans."),
                               ("popover-term-median", "The middle value. Half the people had less and half had more.")]
    assert '<div class="term-popovers" hidden data-pagefind-ignore data-more="More in the glossary">' in html
    assert '<script src="../../static/js/glossary.js" defer></script>' in html
    assert '<a class="term" href="../../glossary/#term-response">tumour response</a>' in html
    about = (site / "about" / "index.html").read_text()
    assert "<script" not in about and "term-popover" not in about
    assert (site / "static" / "js" / "glossary.js").is_file()


def test_an_abbreviation_links_to_its_entry(tiny_project):
    """`[[CI]]` links to the entry whose abbreviation is CI; the popover names both."""
    assert _body(tiny_project, "The [[confidence interval|CI]] and the [[CI]] (confidence interval).\n") == []
    html = (tiny_project / "_site" / "trials" / "tiny-trial" / "index.html").read_text()
    assert '<a class="term" href="../../glossary/#term-confidence-interval">CI</a>' in html
    assert '<strong class="term-popover-name">confidence interval (CI)</strong>' in html


def test_an_abbreviation_before_its_words_warns(tiny_project):
    """The first use of an abbreviation the glossary knows must stand beside its words, headings included."""
    assert _body(tiny_project, "## The CI\n\nA [[confidence interval]] (CI) is a range.\n") == [
        "content/trials/tiny-trial.md:15: abbreviation: 'CI' is used before this page says what it stands for; "
        "the first time, write 'confidence interval (CI)'"]


def test_an_abbreviation_spelt_out_at_first_use_passes(tiny_project):
    """'words (CI)' and 'CI (words)' both spell it out; code, link addresses and hyphenated words do not count."""
    for text in ("The [[confidence interval]] (CI). The CI again.\n", "The CI (confidence interval) is a range.\n",
                 "Write `CI` in code. A [CI-like](https://example.org/CI) word. A confidence interval (CI).\n"):
        assert _body(tiny_project, text) == [], text


def test_headings_get_the_ids_the_toc_extension_gives():
    """markdown_stage._HeadingIds gives each heading the id python-markdown's toc extension gives it (a plain heading's
    words read straight from it, any other through the toc extension's own steps), and a page with a '[TOC]' line
    the toc extension's whole output: the same HTML on awkward headings and on 500 random ones."""
    import random

    import markdown

    from trialsite.markdown_stage import _HeadingIdsExtension

    awkward = ["# Title\n\n## Side effects\n\n## Side effects\n\n## Side effects_1\n\n### Side effects",
               "## A & B < C > D\n\n## `code` and *em* and __strong__\n\n## Caf\u00e9 na\u00efve \u00e9t\u00e9",
               "## With <span>raw</span> HTML\n\n## With &amp; an entity &copy;\n\n## Escaped \\*stars\\*",
               "## Ends with hashes ##\n\nSetext\n------\n\n##    spaced    out   \n\n## <!-- a note --> After",
               '<details markdown="1">\n<summary>More</summary>\n\n## Inside a disclosure\n\n</details>\n\n## After',
               "## Before\n\n[TOC]\n\n## After", "#### Four\n\n##### Five\n\n###### Six\n\n## 1. Numbered\n\n## -",
               "## [A link](https://example.org/) here\n\n## ![An image](x.png)\n\n## Tab\there",
               "## Sign &copy here\n\n## Less &lt than"]  # entities without ';': text, escaped when serialised
    rng = random.Random(3)
    pieces = ["side", "effects", "&", "<", ">", "`x`", "*em*", "_u_", "\\*", "\u00e9t\u00e9", "#", "1", "-", "[a]",
              "(b)", "!", "'", '"', "&amp;", "<b>bold</b>", "  ", "\t", "a_1", "TOC"]
    def heading() -> str:
        return "#" * rng.randint(1, 6) + " " + " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))

    randoms = ["\n\n".join(heading() for _ in range(rng.randint(1, 6))) for _ in range(500)]
    extensions = ["tables", "sane_lists", "fenced_code", "md_in_html"]
    stock = markdown.Markdown(extensions=[*extensions, "toc"], extension_configs={"toc": {"permalink": False}})
    ours = markdown.Markdown(extensions=[*extensions, _HeadingIdsExtension(permalink=False)])
    for text in awkward + randoms:
        assert ours.reset().convert(text) == stock.reset().convert(text), text
    assert 'id="side-effects_2"' in ours.reset().convert(awkward[0])


def test_plain_paragraphs_are_made_as_python_markdown_makes_them():
    """markdown_stage._PlainParagraphs makes a block whose lines all start with a letter into a paragraph without
    trying the other block processors: the same HTML as python-markdown on awkward texts and 2000 random ones made of
    lines that start each block construct; it is indeed used, and an unknown block processor turns it off."""
    import random

    import markdown
    from markdown.blockprocessors import BlockProcessor
    from markdown.extensions import Extension

    from trialsite.markdown_stage import _PlainParagraphs

    class Plain(Extension):
        def extendMarkdown(self, md):  # noqa: N802 - python-markdown's name
            md.parser.blockprocessors.register(_PlainParagraphs(md.parser), "plain", 110)

    extensions = ["tables", "sane_lists", "fenced_code", "md_in_html"]
    stock, ours = markdown.Markdown(extensions=extensions), markdown.Markdown(extensions=[*extensions, Plain()])
    awkward = ["Plain words.\nMore words.", "Title\n=====\nText", "Text\n---\nMore", "Text\n# Heading\nMore",
               "Text\n> quote\nMore", "Text\n- item\nMore", "- item\nlazy line\n\nAfter", "- a\n\n- b\n\nAfter",
               "1. one\n2. two\nlazy", "> quote\nlazy words\n\nAfter", "Text\n[r]: https://example.org/\nMore",
               "a | b\n--- | ---\nc | d", "Text\n    indented\nMore", "Text\n\n    code\n\nAfter",
               "<details markdown=\"1\">\n<summary>More</summary>\n\nInside words.\n\n</details>\n\nAfter",
               "Text  \nbreak", "\u00c9t\u00e9 words\nMore", "Text\n***\nMore", "* a\n    * b\n\n    Para\n\nEnd",
               "Word\n\n\n\nWord", "Word\n", "- item\n\n    Indented para\nlazy\n\nAfter", "Text\n\t tab"]
    rng = random.Random(11)
    starts = ["Words here", "more words", "# h", "## h", "> q", "- i", "* i", "+ i", "1. o", "    c", "  two", "---",
              "===", "***", "___", "| a | b |", "|---|---|", "[r]: https://example.org/", "<div>x</div>", "```",
              "{{ x }}", "\u00e9t\u00e9", "2024 was", "Term", ": def", "\tTab", "", "A*b*", "x_y_"]
    randoms = ["\n".join(rng.choice(starts) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    for text in awkward + randoms:
        assert ours.reset().convert(text) == stock.reset().convert(text), text
    plain = next(p for p in ours.parser.blockprocessors if isinstance(p, _PlainParagraphs))
    ours.reset().convert("Words.\nMore words.")
    assert plain._known and plain.test(None, "Words.\nMore words.") and not plain.test(None, "Words.\n# h")

    class Other(BlockProcessor):
        def test(self, parent, block):
            return False

    ours.parser.blockprocessors.register(Other(ours.parser), "other", 5)
    plain._known = None
    assert not plain.test(None, "Words.\nMore words.")


def test_the_inline_stage_passes_over_only_texts_in_which_no_inline_pattern_can_match():
    """markdown_stage._QuickInline skips python-markdown's 16 inline patterns for a text where none can match (told
    from the patterns themselves), and converts every other text as python-markdown does: the same HTML on awkward
    texts and 1000 random ones; a plain paragraph is indeed passed over."""
    import random

    import markdown
    from markdown.extensions import Extension

    from trialsite.markdown_stage import _QuickInline

    class Quick(Extension):
        def extendMarkdown(self, md):  # noqa: N802 - python-markdown's name
            md.treeprocessors.register(_QuickInline(md), "inline", 20)

    extensions = ["tables", "sane_lists", "fenced_code", "md_in_html"]
    stock, ours = markdown.Markdown(extensions=extensions), markdown.Markdown(extensions=[*extensions, Quick()])
    awkward = ["Plain words only.", "Two spaces  \nmake a break.", "A *star* and _under_ and **strong**.",
               "Code `x < y` and \\*escaped\\*.", "[A link](https://example.org/) and ![image](x.png)",
               "<https://example.org/> and <me@example.org>", "Fish &amp; chips &copy; <b>bold</b> < 3",
               "A [reference][r] and [r]\n\n[r]: https://example.org/", "| a | b |\n|---|---|\n| *1* | 2 |",
               "- item with `code`\n- plain item", "Ends with two spaces  ", "Tab\tand\u00a0space"]
    rng = random.Random(7)
    pieces = ["word", "the", "*", "_", "**", "`", "\\", "[", "]", "(", ")", "!", "<", ">", "&", ";", "  \n", "\n",
              "http://x.org", "a@b.org", "{", "}", "#", "-", "1.", "  "]
    randoms = [" ".join(rng.choice(pieces) if rng.random() < 0.3 else "word" for _ in range(rng.randint(1, 30)))
               for _ in range(1000)]
    for text in awkward + randoms:
        assert ours.reset().convert(text) == stock.reset().convert(text), text
    quick = next(p for p in ours.treeprocessors if isinstance(p, _QuickInline))
    assert quick._may_match is not None
    assert not quick._may_match("Plain words, with commas; and a full stop.")
    assert quick._may_match("Two spaces  \nmake a break.") and quick._may_match("A *star*")


def test_the_allowlists_problems_read_from_the_tree_are_those_of_the_parsed_html():
    """markdown_stage._opening_tags gives the allowlist (sanitise.problems_of_tags) the opening tags an HTML parser
    reads in the serialised HTML: the same problems as parsing it (sanitise.problems), on awkward Markdown and 2000
    random documents of links, images, headings, tables and raw HTML; it declines where the HTML holds what the tree
    does not ('&', placeholders), and the build then parses."""
    import random

    import markdown

    from trialsite import sanitise
    from trialsite.markdown_stage import _HeadingIdsExtension, _opening_tags, _tree

    md = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code", _HeadingIdsExtension(permalink=False),
                                       "md_in_html"])
    pieces = ["[a](javascript:alert(1))", "[b](http://example.org/a b)", "[c](../x\\\\y)", "[d](mailto:x@example.org)",
              "![](x.png)", "![alt](http://example.org/i.png)", "![alt](data:x)", "# Title", "## Part", "### Sub",
              "| a | b | c |\n|:-|-:|:-:|\n| 1 | 2 | 3 |", "<http://example.org/auto>", "<me@example.org>",
              "[e](http://example.org/?a=1&b=2)", "[f](<a b>)", '[g](x "a title")', "`code <b>`", "**bold** and *em*",
              "- item [h](#anchor)", "1. one ![i](/abs.png)", "plain text", "&copy; and &amp;", "<b>raw</b>",
              "<!-- a note -->", "[j](//host/x)", "[k](tel:123)", "[l](ftp://example.org/)", "[m](JAVASCRIPT:x)",
              "[n][r]\n\n[r]: https://example.org/ref", "![o][r]", "x < y > z", "[p](x.html 'title \"q\"')",
              "[q](javascript&#58;alert)", "[s](http://example.org/?a&copy;b)"]
    rng = random.Random(13)
    documents = ["\n\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(2000)]
    read_from_tree = 0
    for text in pieces + documents:
        md.reset()
        root = _tree(md, text)
        output = md.serializer(root)
        output = output[output.index(">") + 1:output.rindex("<")].strip()
        for postprocessor in md.postprocessors:
            output = postprocessor.run(output)
        tags = _opening_tags(root) if md.htmlStash.html_counter == 0 else None
        if tags is not None:
            read_from_tree += 1
            assert sanitise.problems_of_tags(tags) == sanitise.problems(output), text
    assert read_from_tree > 800


def test_the_preprocessors_skipped_on_plain_text_change_nothing_there():
    """markdown_stage._OnlyWith runs python-markdown's fenced-code and raw-HTML preprocessors only on a text that holds
    their marks: the same HTML and stash as python-markdown on awkward texts and 2000 random ones, the preprocessors
    in python-markdown's order, and a text without the marks indeed passes them by."""
    import random

    import markdown
    from markdown.extensions import Extension

    from trialsite.markdown_stage import _only_with_marks, _OnlyWith

    class Skip(Extension):
        def extendMarkdown(self, md):  # noqa: N802 - python-markdown's name
            _only_with_marks(md)

    extensions = ["tables", "sane_lists", "fenced_code", "md_in_html"]
    stock, ours = markdown.Markdown(extensions=extensions), markdown.Markdown(extensions=[*extensions, Skip()])
    assert [type(p) for p in ours.preprocessors if isinstance(p, _OnlyWith)] == [_OnlyWith, _OnlyWith]
    assert ([getattr(p, "inner", p).__class__ for p in ours.preprocessors]
            == [p.__class__ for p in stock.preprocessors])
    pieces = ["Plain words.", "```\ncode <b>\n```", "~~~\ncode\n~~~", "`` `x` ``", "a < b", "<b>bold</b>",
              "<div>\nblock\n</div>", '<details markdown="1">\n<summary>S</summary>\n\nText\n\n</details>', "&copy;",
              "AT&T", "&#169;", "<!-- note -->", "- item\n\n    indented", "| a | b |\n|---|---|\n| 1 | 2 |", "\tTab",
              "Line  \nbreak", "## Heading", "> quote", "\u00e9t\u00e9 \u2019", "<", "&", "``", "~~"]
    rng = random.Random(17)
    documents = ["\n\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(2000)]
    for text in pieces + documents:
        assert ours.reset().convert(text) == stock.reset().convert(text), text
        assert ours.htmlStash.rawHtmlBlocks == stock.htmlStash.rawHtmlBlocks, text
    skipped = next(p for p in ours.preprocessors if isinstance(p, _OnlyWith))
    lines = ["Plain words.", "More words."]
    assert skipped.run(lines) is lines


def test_source_lines_without_fences_spans_or_notes_are_the_lines_as_written():
    """markdown_stage.SourceLines takes a body holding no '`', '~~~' or '<!--' line by line as written: what blanking
    them (`_blanked`) gives, on 2000 random bodies of prose, marks, tags and blank lines."""
    import random
    from types import SimpleNamespace

    from trialsite.markdown_stage import BLANKED_MARKS, SourceLines, _blanked

    rng = random.Random(5)
    pieces = ["word", "Word", "7.8", " ", "  ", "    ", "#", "## ", "- ", "1. ", "> ", "<b>", "</b>", "<!-", "--", ">",
              "~~", "[x]", "[x]: y", "{{ a }}", "[[b]]", "*", "_", "\t", "é", "\n", "\n\n"]
    bodies = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    checked = 0
    for body in bodies:
        if any(mark in body for mark in BLANKED_MARKS):
            continue
        page = SimpleNamespace(doc=SimpleNamespace(body=body, body_line=9))
        lines = SourceLines(page)
        assert (lines.lines, lines.unclosed_note) == _blanked(body.split("\n"), 9), body
        checked += 1
    assert checked > 1000


def test_a_line_of_prose_is_read_as_the_wording_checks_read_any_line():
    """markdown_stage._paragraphs takes a line that starts with a letter and holds no tag as it is: no tag, quote mark,
    heading, list mark or code to take off (`_prose_text`, `HEADING`, `LIST_ITEM`), on 5000 random lines."""
    import random

    from trialsite.markdown_stage import HEADING, LIST_ITEM, _prose_text

    rng = random.Random(6)
    pieces = ["a", "Z", "é", "ß", "1", "12.", " ", "    ", "\t", ">", "> ", "#", "# ", "-", "- ", "*", "+", ")", ". ",
              "&gt;", "[x](y)", "{{ a }}", "`c`", "ª", "ǅ"]
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    prose = [line for line in lines if line[:1].isalpha() and "<" not in line]
    assert len(prose) > 500
    for line in prose:
        text = _prose_text(line)
        assert text == line.rstrip(), line
        assert not line.startswith("    ") and not HEADING.match(text) and not LIST_ITEM.match(text), line
        assert LIST_ITEM.sub("", text) == text, line
