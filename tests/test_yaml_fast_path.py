"""YAML read with libyaml gives exactly what the Python reader gives: the same values, lines and raw numbers."""
from __future__ import annotations

from pathlib import Path

import pytest
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


def test_an_ampersand_or_star_inside_a_word_reads_the_fast_way_and_an_anchor_never_does(monkeypatch):
    """'&' and '*' inside words (web addresses, footnote marks) leave the text to libyaml; wherever an anchor or
    alias could start (a line's start, after a space or an indicator, in flow or block) the Python way reads it
    and refuses it with its line, the same message both ways."""
    for text in ("url: https://x.org/a?id=2287&isClinicalTrial=True\n", "note: p<0.05*\nsum: 2*3\n",
                 "a: 'x&y'\nb: \"1*2\"\n"):
        monkeypatch.setattr(yaml, "__with_libyaml__", True)  # as installed (`_both` ends the Python way)
        assert read._fast_compose(text)[1] is not None, text
        fast, slow = _both(text, monkeypatch)
        assert fast == slow, text
    for text in ("a: &x 1\nb: *x\n", "- &x 1\n- *x\n", "a: [*x]\n", "{a: &b 1, c: *b}\n", "{a:*b}\n", "{a:&b 1}\n",
                 "? &k a\n: 1\n", "*x\n", "&x a\n", "a: [1,*x]\n", "a: !!str &x 1\n", "a: |\n  &x\n",
                 "a:\n  - b\n  -&x c\n", "a: [b]&x\n", "a: 'b'&x\n", "a: {b: 1}*x\n"):
        monkeypatch.setattr(yaml, "__with_libyaml__", True)
        assert read._fast_compose(text) == (None, None), text
        fast, slow = _both(text, monkeypatch)
        assert fast == slow, text
    doc, errors = read.parse_yaml("name: x\nlist:\n  - &first 1\n", "x.yaml")
    assert doc is None and [str(e) for e in errors] == [f"x.yaml:3: (yaml): not valid YAML: {read.ANCHORS}"]


@pytest.mark.parametrize(("path", "root"), [
    ("/p/content/a.md", "/p"), ("/p/content/x/b.md", "/p/"), ("/p", "/p"), ("/pq/a.md", "/p"), ("/a.md", "/"),
    ("/other/a.md", "/p"), ("content/a.md", "/p"), ("content/a.md", "content"), ("/p//c/./d.md", "/p"),
])
def test_a_path_relative_to_the_root_is_what_pathlib_says(path, root):
    """read.rel_path's quick look at the text gives pathlib's answer, or the whole path outside the root."""
    path, root = Path(path), Path(root)
    try:
        expected = path.relative_to(root).as_posix()
    except ValueError:
        expected = path.as_posix()
    assert read.rel_path(path, root) == expected
