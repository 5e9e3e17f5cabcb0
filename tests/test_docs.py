"""The docs stay complete and correct: every field and shortcode form, a valid example trial, working examples."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

from conftest import ROOT, copy_project
from pydantic import BaseModel

from trialsite.checks import check_trial
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


def _example_block(start: str) -> str:
    """The first ```yaml block under the example heading whose text starts with `start`."""
    section = DOC.split(EXAMPLE_HEADING, 1)[1]
    blocks = re.findall(r"^```yaml\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
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


def _architecture_block(language: str) -> str:
    """The first block of `language` under the architecture doc's chart kind example."""
    section = ARCHITECTURE.split("## Example: a new chart kind", 1)[1]
    return re.search(rf"^```{language}\n(.*?)^```", section, re.MULTILINE | re.DOTALL).group(1)


def _build_with_example_kind(tmp_path: Path, chart_line: str) -> tuple[subprocess.CompletedProcess, Path]:
    """Follow the doc: the kind added to a copy of the package, a chart of it in the tiny trial, one build."""
    package = tmp_path / "package"
    shutil.copytree(ROOT / "trialsite", package / "trialsite", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", package / "build.py")
    kinds = package / "trialsite" / "chart_kinds.py"
    kinds.write_text(kinds.read_text(encoding="utf-8") + "\n\n" + _architecture_block("python"), encoding="utf-8")
    project = copy_project("tiny", tmp_path)
    trial = project / "data" / "trials" / "tiny-trial.yaml"
    trial.write_text(trial.read_text(encoding="utf-8").replace("charts:\n", "charts:\n" + chart_line), encoding="utf-8")
    page = project / "content" / "trials" / "tiny-trial.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + _architecture_block("markdown"), encoding="utf-8")
    run = subprocess.run([sys.executable, str(package / "build.py"), "--root", str(project), "--strict"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    return run, project


def test_the_architecture_example_adds_a_chart_kind(tmp_path):
    """The chart kind in docs/architecture.md, added as the doc says, builds with its table and CSV."""
    chart_line = _architecture_block("yaml").split("\n", 1)[1]
    run, project = _build_with_example_kind(tmp_path, chart_line)
    assert run.returncode == 0, run.stderr
    page = (project / "_site" / "trials" / "tiny-trial" / "index.html").read_text(encoding="utf-8")
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
