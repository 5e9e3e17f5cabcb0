"""The docs stay complete and correct: every field and shortcode form, a valid example trial, working examples."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from pydantic import BaseModel

from trialsite.checks import check_trial
from trialsite.pipeline import build
from trialsite.read import parse_yaml
from trialsite.schema import SCHEMAS, SourceList, Trial, validate
from trialsite.shortcodes import CHART, HEADS, RESERVED_IDS, RESULT

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "data-format.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
EXAMPLE_HEADING = "## 5. A complete example"

# Formats accepted after `|` and the first parts of a shortcode path, from the one shortcode table.
FILTERS = sorted({f for head in [*HEADS.values(), RESULT] for f in head.formats})
HEAD_NAMES = [*HEADS, CHART]
# Glossary terms the example trial's endpoints name (all in data/glossary.yaml, as the doc says).
EXAMPLE_TERMS = {"progression-free survival", "objective response rate"}


def _models(annotation, seen: dict[str, type[BaseModel]]) -> None:
    """Collect every pydantic model inside an annotation (Optional, list, dict, Union, tuple, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation.__name__ not in seen:
            seen[annotation.__name__] = annotation
            for field in annotation.model_fields.values():
                _models(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models(arg, seen)


def _example_block(start: str, language: str = "yaml") -> str:
    """The first ```yaml (or other) block under the example heading whose text starts with `start`."""
    section = DOC.split(EXAMPLE_HEADING, 1)[1]
    blocks = re.findall(rf"^```{language}\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    return next(b for b in blocks if b.startswith(start))


def test_every_field_is_documented():
    """Every field of every model reachable from SCHEMAS appears in the doc as `name`."""
    models: dict[str, type[BaseModel]] = {}
    for model in SCHEMAS.values():
        _models(model, models)
    missing = [f"{name}.{field}" for name, model in models.items()
               for field in model.model_fields if f"`{field}`" not in DOC]
    assert not missing, "undocumented fields in docs/data-format.md: " + ", ".join(missing)


def test_reserved_ids_are_the_shortcode_heads():
    """A result id may not be a word that a shortcode path starts with."""
    assert RESERVED_IDS == set(HEAD_NAMES)


def test_every_filter_and_head_is_documented():
    """Each shortcode format and path head is shown in the doc in a `{{ ... }}` example."""
    missing = [f for f in FILTERS if f and not re.search(r"\|\s*" + f + r"\s*\}\}", DOC)]
    missing += [h for h in HEAD_NAMES if not re.search(r"\{\{ (\w[\w-]*:)?" + re.escape(h) + r"[ .}]", DOC)]
    assert re.search(r"\{\{ [^|}]+ \}\}", DOC), "no shortcode without a format"
    assert not missing, f"shortcode formats or heads missing from the doc: {missing}"


def test_example_trial_is_valid():
    """The example trial under the example heading validates and passes every cross-check."""
    sources_doc, errors = parse_yaml(_example_block("sources:"), "docs/data-format.md")
    assert not errors
    source_list, errors = validate(SourceList, sources_doc)
    assert not [str(e) for e in errors]
    doc, errors = parse_yaml(_example_block("id:"), "docs/data-format.md")
    assert not [str(e) for e in errors]
    trial, errors = validate(Trial, doc)
    assert not [str(e) for e in errors]
    source_keys = {s.key for s in source_list.sources}
    assert not [str(e) for e in check_trial(trial, doc.index, source_keys, EXAMPLE_TERMS)]


ARCHITECTURE = (Path(__file__).resolve().parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")


def _example(title: str) -> list[str]:
    """The code blocks of one '## Example: ...' section of docs/architecture.md, in order."""
    section = ARCHITECTURE.split(f"## Example: {title}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```\w*\n(.*?)^```", section, re.MULTILINE | re.DOTALL)


def _package_copy(tmp_path: Path) -> Path:
    """A copy of build.py and the trialsite package, to change as the doc says."""
    package = tmp_path / "package"
    shutil.copytree(ROOT / "trialsite", package / "trialsite", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", package / "build.py")
    return package


def _edit(path: Path, change) -> None:
    """Rewrite a text file through `change(text)`."""
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _append(path: Path, code: str) -> None:
    """Add code at the end of a module, as the doc says."""
    _edit(path, lambda text: text + "\n\n" + code)


def _build(package: Path, project: Path) -> subprocess.CompletedProcess:
    """Build the project strictly with the changed package."""
    return subprocess.run([sys.executable, str(package / "build.py"), "--root", str(project), "--strict"],
                          capture_output=True, text=True, cwd=project.parent, timeout=300)


def _page_text(project: Path, url: str) -> str:
    """The built HTML of one page."""
    return (project / "_site" / url / "index.html").read_text(encoding="utf-8")


def test_the_architecture_example_adds_a_shortcode(tmp_path):
    """The shortcode in docs/architecture.md, added as the doc says, writes the sponsor on a page."""
    resolver, entry, markdown_text = _example("a new shortcode")
    package = _package_copy(tmp_path)
    start = "HEADS: dict[str, Head] = {\n"
    _edit(package / "trialsite" / "shortcodes.py", lambda text: text.replace(start, resolver + "\n\n" + start + entry))
    project = copy_project("tiny", tmp_path)
    _append(project / "content" / "trials" / "tiny-trial.md", markdown_text)
    run = _build(package, project)
    assert run.returncode == 0, run.stderr
    assert "The trial was run by An example university." in _page_text(project, "trials/tiny-trial")


def test_the_architecture_example_adds_a_kind_of_result(tmp_path):
    """The measure in docs/architecture.md shows its unit, and refuses a value out of its range."""
    code, result, markdown_text = _example("a new kind of result")
    package = _package_copy(tmp_path)
    _append(package / "trialsite" / "measures.py", code)
    project = copy_project("tiny", tmp_path)
    trial = project / "data" / "trials" / "tiny-trial.yaml"
    _edit(trial, lambda text: text.replace("results:\n", "results:\n" + result))
    _append(project / "content" / "trials" / "tiny-trial.md", markdown_text)
    run = _build(package, project)
    assert run.returncode == 0, run.stderr
    assert "the rate was <data value=\"12.5\">12.5 per 100 person-years</data> with drug A" in _page_text(
        project, "trials/tiny-trial")
    _edit(trial, lambda text: text.replace("drug-a: {value: 12.5}", "drug-a: {value: -1}"))
    run = _build(package, project)
    assert "data/trials/tiny-trial.yaml:56: results[0].values.drug-a.value: a rate must be 0 or more, not -1" in (
        run.stderr.splitlines())


def test_the_architecture_example_adds_a_page_kind(tmp_path):
    """The news pages in docs/architecture.md are read from content/news/ and built at news/<name>/."""
    code, template, page = _example("a new page kind")
    package = _package_copy(tmp_path)
    _append(package / "trialsite" / "project.py", code)
    project = copy_project("tiny", tmp_path)
    (project / "templates" / "news.html").write_text(template, encoding="utf-8")
    (project / "content" / "news").mkdir()
    (project / "content" / "news" / "first-results.md").write_text(page, encoding="utf-8")
    run = _build(package, project)
    assert run.returncode == 0, run.stderr
    assert "<h1>First results</h1>" in _page_text(project, "news/first-results")
    assert "/news/first-results/</loc>" in (project / "_site" / "sitemap.xml").read_text(encoding="utf-8")


def test_the_architecture_example_adds_a_check(tmp_path):
    """The check in docs/architecture.md reports an endpoint without a result, with the message the doc shows."""
    code, message = _example("a new check")
    package = _package_copy(tmp_path)
    _append(package / "trialsite" / "checks.py", code)
    project = copy_project("tiny", tmp_path)
    run = _build(package, project)
    assert run.returncode == 0, run.stderr  # every endpoint of the tiny trial has a result
    _edit(project / "data" / "trials" / "tiny-trial.yaml",
          lambda text: text.replace("results:\n", "  - {id: os, name: Overall survival, role: secondary}\nresults:\n"))
    run = _build(package, project)
    assert run.returncode == 1
    assert message.strip() in run.stderr.splitlines()


def _build_with_example_kind(tmp_path: Path, chart_line: str) -> tuple[subprocess.CompletedProcess, Path]:
    """Follow the doc: the kind added to a copy of the package, a chart of it in the tiny trial, one build."""
    code, _, markdown_text = _example("a new chart kind")
    package = _package_copy(tmp_path)
    _append(package / "trialsite" / "chart_kinds.py", code)
    project = copy_project("tiny", tmp_path)
    _edit(project / "data" / "trials" / "tiny-trial.yaml",
          lambda text: text.replace("charts:\n", "charts:\n" + chart_line))
    _append(project / "content" / "trials" / "tiny-trial.md", markdown_text)
    return _build(package, project), project


def test_the_architecture_example_adds_a_chart_kind(tmp_path):
    """The chart kind in docs/architecture.md, added as the doc says, builds with its table and CSV."""
    chart_line = _example("a new chart kind")[1].split("\n", 1)[1]
    run, project = _build_with_example_kind(tmp_path, chart_line)
    assert run.returncode == 0, run.stderr
    page = _page_text(project, "trials/tiny-trial")
    assert 'id="chart-tiny-trial-response-bars"' in page and ">20.5%<" in page
    csv_text = (project / "_site" / "trials" / "tiny-trial" / "data" / "response-bars.csv").read_text(encoding="utf-8")
    assert csv_text == "Group,Percent of people\nDrug A,20.5%\nDrug B,10%\nUsual care,2.5%\n"


def test_the_architecture_example_kind_is_checked_like_any_other(tmp_path):
    """The new kind's own fields are enforced by the schema the registry builds."""
    chart_line = "  - {id: response-bars, kind: percent-bars, title: Response, results: [response-poster]}\n"
    run, _ = _build_with_example_kind(tmp_path, chart_line)
    assert run.returncode == 1
    assert ("data/trials/tiny-trial.yaml:88: charts[0].results: a 'percent-bars' chart takes `result`, not `results`; "
            "remove this field") in run.stderr.splitlines()


WORKED = DOC.split("## 6. Worked examples for other designs\n", 1)[1].split("\n---\n\n## ", 1)[0]
# Each worked example (the titles of those it builds on first), and words a reader sees on the built trial page.
WORKED_EXAMPLES = {
    "Three arms: two comparisons against the control arm": ([], [
        "The hazard ratio for samplumab against usual care was 0.66. The difference was statistically significant.",
        "The difference between examplinib + standardol and standardol alone (usual care) was statistically "
        "significant (hazard ratio 0.58"]),
    "A result at a time point: alive at 5 years": ([], [
        "about 53 out of 100 people with examplinib were alive at 5 years.", "Published percent at 5 years"]),
    "A subgroup that has only a hazard ratio": ([], [
        "people aged 65 or over (41 in the examplinib + standardol group, 38 in the standardol alone (usual care) "
        "group, number not reported in the samplumab + standardol group)", "It gives no medians for them.",
        "against usual care was 0.62."]),
    "One arm not reported": ([], [
        "For usual care, this figure was not reported by the source.",
        "Standardol alone (usual care): not reported by the source;"]),
    "An exploratory comparison: an odds ratio not tested": ([], [
        "was 1.56. It was not tested for statistical significance (an exploratory look)."]),
    "A median not reached": (["A result at a time point: alive at 5 years"], [
        "with examplinib was not reached. The range of likely values was 25.4 months to not reached.",
        "not reached (25.4 months to not reached) 30.2 months (26.0 to 35.8)"]),
}


def _worked_example(title: str) -> tuple[list[str], str]:
    """The ```yaml blocks and the Markdown of one '### ' worked example of the doc."""
    section = WORKED.split(f"\n### {title}\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"^```(yaml|markdown)\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    return [b for kind, b in blocks if kind == "yaml"], "".join("\n" + b for kind, b in blocks if kind == "markdown")


# The example page's key point on the main result, after which a worked example's key point goes.
MAIN_POINT = re.compile(r"^- \*\*Time before the illness got worse\*\*.*\n", re.MULTILINE)


def _add_page_text(page: str, markdown_text: str, title: str) -> str:
    """The page with a worked example's Markdown: a key point ('- **...') after the main one, the rest at the end
    in a section of its own (so that each section's reading grade is its own)."""
    if any(not block.startswith("- **") for block in re.split(r"\n{2,}", markdown_text.strip())):
        page = page.rstrip("\n") + "\n\n## More results\n"
    for block in re.split(r"\n{2,}", markdown_text.strip()):
        if block.startswith("- **"):
            main = MAIN_POINT.search(page)
            assert main, "the example page has no key point on the main result"
            page = page[:main.end()] + block + "\n" + page[main.end():]
        else:
            page = page.rstrip("\n") + "\n\n" + block + "\n"
    return page


def _add_to_lists(text: str, addition: str) -> str:
    """YAML text with each top-level list of `addition` put at the end of the list of the same name, or added."""
    blocks = {b.split("\n", 1)[0]: b.rstrip() for b in re.split(r"\n(?=\S)", text.strip())}
    for block in re.split(r"\n(?=\S)", addition.strip()):
        key, items = block.rstrip().split("\n", 1)
        blocks[key] = blocks[key] + "\n" + items if key in blocks else key + "\n" + items
    return "\n".join(blocks.values()) + "\n"


def _seen(page_html: str) -> str:
    """The words of a built page as a reader sees them: no tags, one space between words."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split()).replace(" .", ".").replace(" ,", ",")


def test_every_worked_example_is_built():
    """Each '### ' example of section 6 has a build test below."""
    assert re.findall(r"^### (.+)$", WORKED, re.MULTILINE) == list(WORKED_EXAMPLES)


def _worked_project(tmp_path: Path, titles: list[str]) -> Path:
    """The tiny project with the trial, sources and page of section 5, and the worked examples added as the doc says."""
    project = copy_project("tiny", tmp_path)
    trial, sources, page = _example_block("id:"), _example_block("sources:"), _example_block("---", "markdown")
    for title in titles:
        blocks, markdown_text = _worked_example(title)
        for block in blocks:
            if block.startswith("sources:"):
                sources += block.split("\n", 1)[1]
            else:
                trial = _add_to_lists(trial, block)
        page = _add_page_text(page, markdown_text, title)
    _edit(project / "data" / "sources.yaml", lambda text: _add_to_lists(text, sources))
    linked = {*re.findall(r"\[\[(?:[^]|]*\|)?([^]]+)\]\]", page), *re.findall(r"term: ([^,}]+)", trial)}
    _edit(project / "data" / "glossary.yaml", lambda text: _add_to_lists(text, "terms:\n" + "".join(
        f"  - {{term: {term}, definition: A word the example page links to., source: our own wording}}\n"
        for term in sorted(linked - set(re.findall(r"term: (.+)", text))))))
    (project / "data" / "trials" / "example-3.yaml").write_text(trial, encoding="utf-8")
    (project / "content" / "trials" / "example-3.md").write_text(page, encoding="utf-8")
    return project


def _build_strictly(project: Path) -> str:
    """Build the project with --strict; the words of the example trial's page."""
    result = build(project, project / "_site", strict=True)
    assert not result.errors + result.warnings, "\n".join(map(str, result.errors + result.warnings))
    return _seen(_page_text(project, "trials/example-3"))


@pytest.mark.parametrize("title", list(WORKED_EXAMPLES))
def test_worked_example_builds(tmp_path, title):
    """The worked example, added to the trial and page of section 5 as the doc says, builds strictly and reads right."""
    before, seen = WORKED_EXAMPLES[title]
    shown = _build_strictly(_worked_project(tmp_path, [*before, title]))
    assert [words for words in seen if words not in shown] == []


def test_worked_examples_build_together(tmp_path):
    """All the worked examples fit in one trial: their ids do not clash."""
    shown = _build_strictly(_worked_project(tmp_path, list(WORKED_EXAMPLES)))
    assert all(words in shown for _, seen in WORKED_EXAMPLES.values() for words in seen)


# "`{{ X }}` gives `Y`" in the shortcode reference: each example is resolved from the real BOLERO-2 data.
GIVES = re.compile(r"`\{\{ ([^`]+?) \}\}` gives `([^`]+)`")


def test_shortcode_examples_give_what_the_docs_say():
    """Every documented shortcode example, resolved from the BOLERO-2 data, gives the output the docs print."""
    from trialsite.project import load_project
    from trialsite.shortcodes import resolve
    examples = GIVES.findall(DOC)
    assert len(examples) > 30
    project, errors = load_project(ROOT)
    assert project is not None and errors == []
    trial = project.trials["bolero-2"]
    wrong = [(code, doc, resolve(code, trial, project).text) for code, doc in examples
             if resolve(code, trial, project).text != doc]
    assert wrong == []
