"""The build's cache, in `.cache/` at the project root (git ignores it): slow results by a hash of what decides them.

A chart's picture is decided by its kind, its rows, its arms and the code and libraries that draw it; the key hashes
all of these, so a change to any one is a miss, never a stale picture. Deleting `.cache/` gives a cold build. A cache
that cannot be read or written only makes the build slower: it never fails it.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from .manifest import installed_version

FOLDER = ".cache"
DRAWING_CODE = ("chart_kinds.py", "chart_style.py", "figures.py")  # the code that turns rows into a picture
DRAWING_LIBRARIES = ("altair", "vl-convert-python")


class Cache:
    """Files by key under .cache/<area>/; `None` as root is a cache that holds nothing (nothing is written)."""

    def __init__(self, root: Path | None) -> None:
        self.folder = root / FOLDER if root is not None else None

    def get(self, area: str, name: str) -> bytes | None:
        """What was stored under this name, or None."""
        if self.folder is None:
            return None
        try:
            return (self.folder / area / name).read_bytes()
        except OSError:
            return None

    def has(self, area: str, name: str) -> bool:
        """Whether something is stored under this name."""
        return self.folder is not None and (self.folder / area / name).is_file()

    def put(self, area: str, name: str, data: bytes) -> None:
        """Store atomically (a file is whole or absent), ignoring failures."""
        if self.folder is None:
            return
        folder = self.folder / area
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / name)
        except OSError:
            return


def key(*parts: object) -> str:
    """A hash of what decides a result, with the drawing code and libraries' versions."""
    text = json.dumps([drawing_version(), *parts], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def drawing_version() -> str:
    """The drawing code's own hash and the versions of the libraries that draw, read without importing them."""
    here = Path(__file__).parent
    code = hashlib.sha256(b"".join((here / name).read_bytes() for name in DRAWING_CODE)).hexdigest()
    return code + "".join(f";{name}={installed_version(name)}" for name in DRAWING_LIBRARIES)
