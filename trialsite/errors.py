"""Errors and warnings that point at a place in the author's files."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceError:
    """One problem in an input file, printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class BuildFailed(Exception):
    """Raised when a stage found errors; carries all of them."""

    def __init__(self, errors: list[SourceError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors)
