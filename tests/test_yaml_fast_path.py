"""YAML read with libyaml gives exactly what the Python reader gives: the same values, lines and raw numbers."""
from __future__ import annotations

import yaml
from conftest import ROOT

from trialsite import read


def _both(text: str, monkeypatch) -> tuple:
    """(fast, Python) results of reading one text: data, lines, raw numbers, refused places and errors."""
    results = []
    for libyaml in (True, False):
        monkeypatch.setattr(yaml, "__with_libyaml__", libyaml)
        doc, errors = read.parse_yaml(text, "x.yaml")
        results.append((doc.data, doc.index.lines, doc.index.raw, doc.index.broken, [str(e) for e in errors])
                       if doc else (None, [str(e) for e in errors]))
    return tuple(results)


def test_every_yaml_file_of_the_project_and_fixtures_reads_the_same_both_ways(monkeypatch):
    """The site's data, the fixture projects' data and the JSON Schema-checked examples."""
    files = sorted([*ROOT.glob("data/**/*.yaml"), *ROOT.glob("tests/projects/**/*.yaml"), ROOT / "site.yaml"])
    assert len(files) >= 10
    for path in files:
        fast, slow = _both(path.read_text(), monkeypatch)
        assert fast == slow, path


def test_tricky_values_read_the_same_both_ways(monkeypatch):
    """Plain '=' and '<<', numbers as written, dates, quoted text, empty values and tags."""
    for text in ("a: =\nb: <<\n", "ratio: 1:1\nn: 010\nx: 1e3\n", "day: 2020-01-31\nt: '2020-01-31'\n",
                 "empty:\nlist: []\nmap: {}\n", "v: !!str 3\n", "q: \"a\\tb\"\n", "", "# only a comment\n",
                 "a: [1, {b: [2, 3]}]\n", "a: yes\nb: no\nc: ~\n"):
        fast, slow = _both(text, monkeypatch)
        assert fast == slow, text
