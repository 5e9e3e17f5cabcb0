"""Errors and warnings that point at a place in the author's files, and how they are reported."""
from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field

COMMAND_LINE = "(command line)"


@dataclass(frozen=True, order=True)
class SourceError:
    """One problem in an input file, printed as `path:line: field: message`.

    A problem with a command-line option has the path '(command line)' and no line.
    `ref` names the missing thing a reference points at, so that one cause is reported once.
    """

    path: str
    line: int
    field: str
    message: str
    ref: str | None = dataclasses.field(default=None, compare=False)  # `field` is a field name here

    def __str__(self) -> str:
        place = self.path if self.path == COMMAND_LINE else f"{self.path}:{self.line}"
        return _one_line(f"{place}: {self.field}: {self.message}")


def _one_line(text: str) -> str:
    """Line ends quoted as \\n, so that one problem is always one line (a file name may hold a line end)."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


@dataclass
class Report:
    """Every error and warning of one build, passed explicitly from stage to stage."""

    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    notices: list[SourceError] = field(default_factory=list)  # said, but never fail a build (e.g. a review due)

    def failed(self, strict: bool) -> bool:
        """A build fails on any error, and on any warning in strict mode."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def tidy(self) -> None:
        """One message per cause, sorted: a broken template fails every page that uses it, said once."""
        self.errors = one_per_cause(self.errors)
        self.warnings = sorted(set(self.warnings))
        self.notices = sorted(set(self.notices))


def option_error(option: str, message: str) -> SourceError:
    """A problem with a command-line option such as --out or --base-url."""
    return SourceError(COMMAND_LINE, 0, option, message)


def one_per_cause(errors: list[SourceError]) -> list[SourceError]:
    """Sort, drop repeats, and report each missing key once, listing every other place that uses it."""
    unique = sorted(set(errors))
    first: dict[str, SourceError] = {}
    others: dict[str, list[str]] = {}
    out = []
    for error in unique:
        if error.ref is None:
            out.append(error)
        elif error.ref in first:
            place = f"{error.path}:{error.line}"
            if place != f"{first[error.ref].path}:{first[error.ref].line}" and place not in others[error.ref]:
                others[error.ref].append(place)
        else:
            first[error.ref], others[error.ref] = error, []
            out.append(error)
    return sorted(_with_places(e, others[e.ref]) if e.ref in others else e for e in out)


def _with_places(error: SourceError, places: list[str]) -> SourceError:
    """The first report of a missing key, naming the other places that use it."""
    if not places:
        return error
    shown = ", ".join(places[:10]) + (f" and {len(places) - 10} more" if len(places) > 10 else "")
    also = "the same in" if error.ref == "csp" else "also used at"
    return SourceError(error.path, error.line, error.field, f"{error.message}; {also} {shown}", error.ref)


LISTED = 12  # names an error lists in full; of more, only the closest to what the author wrote


def unknown(kind: str, name: str, known) -> str:
    """Message for a reference to something that does not exist: every name there is, or the closest few of many."""
    names = sorted(known)
    if len(names) <= LISTED:
        return f"unknown {kind} '{name}' (known: {', '.join(names) or 'none'})"
    closest = difflib.get_close_matches(name, names, n=5, cutoff=0.0)
    return f"unknown {kind} '{name}' (closest of {len(names)} known: {', '.join(closest)})"
