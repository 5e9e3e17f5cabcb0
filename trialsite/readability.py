"""Reading grades (Flesch-Kincaid and SMOG, by textstat), remembered by text between builds in `.cache/grades/`.

An unchanged page, section or glossary definition costs a dictionary lookup; only new texts go to textstat, with the
syllable table of `syllables` (the same grades, read faster). The file is keyed by textstat's version and this code,
so an upgrade regrades everything.
"""
from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path

from .cache import Cache
from .syllables import use_fast_dictionary

AREA, FILE = "grades", "grades.json"


class Grades:
    """Grades of texts, from the cache when the same text was graded before; `save` keeps this build's."""

    def __init__(self, cache: Cache | None = None) -> None:
        self.cache = cache or Cache(None)
        self.version = _version()
        stored = self._stored()
        self.known: dict[str, float] = stored if isinstance(stored, dict) else {}
        self.used: dict[str, float] = {}

    def flesch_kincaid(self, text: str) -> float:
        """Flesch-Kincaid grade of plain text; each line is a sentence (headings and list items count as sentences)."""
        sentences = [s.strip() for s in text.split("\n") if s.strip()]
        joined = " ".join(s if s.endswith((".", "?", "!", ":")) else s + "." for s in sentences)
        return self._grade("fk", joined, "flesch_kincaid_grade") if joined.strip() else 0.0

    def smog(self, text: str) -> float:
        """SMOG grade of plain text (reported, never a gate)."""
        return self._grade("smog", text, "smog_index") if text.strip() else 0.0

    def save(self) -> None:
        """Keep the grades known before and those this build added, if it added any (pages taken whole from the
        cache grade nothing, and keep their grades for when their cache entry goes)."""
        if self.used.keys() - self.known.keys():
            data = {"version": self.version, "grades": dict(sorted((self.known | self.used).items()))}
            self.cache.put(AREA, FILE, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def _grade(self, measure: str, text: str, function: str) -> float:
        """One grade, from the cache or from textstat."""
        key = measure + ":" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        grade = self.known.get(key)
        if grade is None:
            use_fast_dictionary(self.cache if self.cache.folder else None)
            import textstat  # only for texts not graded before

            grade = float(getattr(textstat, function)(text))
        self.used[key] = grade
        return grade

    def _stored(self) -> object:
        """The grades file of the same textstat and code, or nothing."""
        raw = self.cache.get(AREA, FILE)
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            return None
        return data.get("grades") if isinstance(data, dict) and data.get("version") == self.version else None


@cache
def _version() -> str:
    """textstat's version and the hash of this code: a change to either regrades everything."""
    code = Path(__file__).read_bytes() + (Path(__file__).parent / "syllables.py").read_bytes()
    return f"textstat={metadata.version('textstat')};" + hashlib.sha256(code).hexdigest()


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text, without a cache."""
    return Grades().flesch_kincaid(text)
