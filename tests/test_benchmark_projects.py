"""benchmarks/generate.py: the synthetic projects that the speed benchmarks time build strictly, as claimed."""
from __future__ import annotations

import sys

from conftest import ROOT

from trialsite.pipeline import build

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402 - the generator is a script beside the benchmarks


def test_pages_alone_build_strictly_with_no_trial(tmp_path):
    """--alone: the synthetic explainers and the pages every site needs, no trial; the peers get the same pages."""
    project = tmp_path / "alone"
    generate(project, 3, 0, alone=True)
    result = build(project, project / "_site", strict=True)
    assert not result.errors, "\n".join(str(error) for error in result.errors)
    site = project / "_site"
    assert sorted(path.parent.name for path in (site / "explainers").glob("*/index.html")) == [
        "synthetic-0001", "synthetic-0002", "synthetic-0003"]
    assert not (site / "trials").exists()
    assert "BOLERO" not in (site / "index.html").read_text()
    for folder in ("pelican/content", "mkdocs/docs", "hugo/content/posts"):
        assert len(list((project / "peers" / folder).glob("synthetic-*.md"))) == 3


def test_synthetic_trials_build_strictly_each_with_its_own_figures(tmp_path):
    """Two synthetic trials beside BOLERO-2 build strictly, each page with its own name and its own scaled numbers."""
    project = tmp_path / "trials"
    generate(project, 1, 2)
    result = build(project, project / "_site", strict=True)
    assert not result.errors, "\n".join(str(error) for error in result.errors)
    pages = [(project / "_site" / "trials" / name / "index.html").read_text() for name in ("synth-0001", "synth-0002")]
    assert "SYNTH-0001" in pages[0] and "SYNTH-0002" in pages[1]
    assert pages[0].replace("0001", "0002") != pages[1]  # the figures differ, not only the names
