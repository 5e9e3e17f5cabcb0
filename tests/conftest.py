"""Shared fixtures: tiny fixture projects copied to tmp_path, and sites built once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from trialsite.pipeline import BuildResult, build

# Every test builds on the same day, so that a page's review falling due never changes what a test sees.
PINNED_DAY = "1767225600"  # 2026-01-01 00:00 UTC
os.environ["SOURCE_DATE_EPOCH"] = PINNED_DAY

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = ROOT / "tests" / "projects"


def pytest_addoption(parser):
    """Add --update-golden, which rewrites tests/golden/ from the current output."""
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden output of the tiny project")


def copy_project(name: str, dest: Path) -> Path:
    """Copy a fixture project with the real templates and static files into `dest`."""
    project = dest / name
    shutil.copytree(PROJECTS / name, project)
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "static", project / "static")
    return project


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    """A fresh, editable copy of the tiny three-arm project."""
    return copy_project("tiny", tmp_path)


@pytest.fixture(scope="session")
def built_tiny(tmp_path_factory) -> tuple[Path, BuildResult]:
    """The tiny project built once, strictly."""
    project = copy_project("tiny", tmp_path_factory.mktemp("tiny"))
    result = build(project, project / "_site", strict=True)
    return project / "_site", result


@pytest.fixture(scope="session")
def bolero_site(tmp_path_factory) -> tuple[Path, BuildResult]:
    """The real BOLERO-2 site built once per test session, strictly, from the repository (tests only read it)."""
    out = tmp_path_factory.mktemp("real") / "_site"
    return out, build(ROOT, out, strict=True)


@pytest.fixture(scope="session")
def real_site(bolero_site) -> Path:
    """The folder of the real site; fails when its build did."""
    out, result = bolero_site
    assert not result.errors, "site build failed:\n" + "\n".join(str(e) for e in result.errors)
    return out


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole session (Playwright's sync API allows one per
    thread); fails with a clear message when it is missing."""
    from browser_support import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
