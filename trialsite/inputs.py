"""Find the project's input files; refuse links that lead out of the project and files that are not plain files."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import SourceError
from .read import rel_path, unreadable

INPUTS = ("site.yaml", "data", "content", "templates", "static")
FILE_SUFFIXES = (".yaml", ".yml", ".md")  # a folder named like this is a mistake for a file


MISSING_FILE_HINTS = {"data/corrections.yaml": ": it lists corrections to the pages; write 'corrections: []' "
                                                "until the first"}


def input_file(root: Path, rel: str, errors: list[SourceError]) -> Path | None:
    """One named input such as site.yaml: None (with an error) when missing or not safe to read."""
    path = root / rel
    if not path.exists() and not path.is_symlink():
        errors.append(SourceError(rel, 1, "(file)", "file is missing" + MISSING_FILE_HINTS.get(rel, "")))
        return None
    problem = _problem(path, root.resolve())
    if problem is None and path.is_dir():
        problem = "is a folder, not a file"
    if problem:
        errors.append(SourceError(rel, 1, "(file)", problem))
        return None
    return path


def input_files(root: Path, folder: str, errors: list[SourceError]) -> list[Path]:
    """Every plain file below root/folder, sorted; links may point only inside the project."""
    start = root / folder
    if not start.exists() and not start.is_symlink():
        return []
    real_root = root.resolve()
    problem = _problem(start, real_root) or (None if start.is_dir() else "is a file; it must be a folder")
    if problem:
        errors.append(SourceError(folder, 1, "(folder)" if problem.startswith("is a file") else "(file)", problem))
        return []
    found: list[Path] = []
    _walk(start, root, real_root, found, errors, seen=set())
    return sorted(found, key=lambda p: rel_path(p, root))


def _walk(folder: Path, root: Path, real_root: Path, found: list, errors: list, seen: set) -> None:
    """Collect plain files depth first, following links inside the project once each."""
    real = folder.resolve()
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        errors.append(SourceError(rel_path(folder, root), 1, "(folder)", f"cannot be read: {unreadable(exc)}"))
        return
    for entry in entries:  # an entry knows its own type, so only links cost a look at the disk
        if _ignored(entry.name):
            continue
        path = Path(entry.path)
        problem = _problem(path, real_root) if entry.is_symlink() else None
        if problem:
            errors.append(SourceError(rel_path(path, root), 1, "(file)", problem))
        elif entry.is_dir():
            if path.suffix in FILE_SUFFIXES:
                errors.append(SourceError(rel_path(path, root), 1, "(file)", "is a folder, not a file"))
            else:
                _walk(path, root, real_root, found, errors, seen)
        elif entry.is_file():
            found.append(path)
        else:
            errors.append(SourceError(rel_path(path, root), 1, "(file)",
                                      "is not a plain file (a device, pipe or socket); remove it"))


def _ignored(name: str) -> bool:
    """Hidden files and editors' backups (.DS_Store, .x.swp, x~, #x#) are neither read nor published.

    A hidden page or data file (.x.md) is not ignored: an author meant it, so its name is reported instead.
    .well-known/ is published too: hosts read it (security.txt, domain checks).
    """
    hidden = name.startswith(".") and name != ".well-known" and not name.endswith(FILE_SUFFIXES)
    return hidden or name.startswith("#") or name.endswith("~")


def _problem(path: Path, real_root: Path) -> str | None:
    """Why a path must not be read: a link out of the project, or a link to nothing."""
    if not path.is_symlink():
        return None
    if not path.exists():
        return "is a link to something that does not exist; remove it or copy the file in"
    if not path.resolve().is_relative_to(real_root):
        return "is a link to a place outside the project; copy the file into the project instead"
    return None
