"""The build's cache, in `.cache/` at the project root (git ignores it): slow results by a hash of what decides them.

A chart's picture is decided by its kind, its rows, its arms and the code and libraries that draw it; the key hashes
all of these, so a change to any one is a miss, never a stale picture. Deleting `.cache/` gives a cold build. A cache
that cannot be read or written only makes the build slower: it never fails it.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import BinaryIO

from .manifest import installed_version

FOLDER = ".cache"
# The code that turns rows into a picture, and the fonts it draws with: a change to any draws every picture again.
DRAWING_CODE = ("chart_kinds.py", "chart_style.py", "figures.py", "chart_engine.py", "chart_fonts/fonts.conf",
                "wording.py")  # wording: axis titles and the words drawn inside some charts
DRAWING_LIBRARIES = ("altair", "vl-convert-python")


class Cache:
    """Files by key under .cache/<area>/; `None` as root is a cache that holds nothing (nothing is written).
    `inputs_held` says whether the project's inputs are still as the build first found them: a pack is kept only if
    so (see Pack)."""

    def __init__(self, root: Path | None, inputs_held: Callable[[], bool] = lambda: True) -> None:
        self.folder = root / FOLDER if root is not None else None
        self.inputs_held = inputs_held

    def __getstate__(self) -> dict:
        """What a worker gets: the folder, and no say over packs (only the build's own process keeps them)."""
        return {"folder": self.folder}

    def __setstate__(self, state: dict) -> None:
        """A worker's copy: packs it would open are never kept."""
        self.folder = state["folder"]
        self.inputs_held = _kept_nowhere

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

    def pack(self, area: str) -> Pack:
        """The area as one file of many small entries (see Pack)."""
        return Pack(self.folder / f"{area}.pack" if self.folder is not None else None, self.inputs_held)


def _kept_nowhere() -> bool:
    """For a worker's cache: no pack it opens replaces the build's."""
    return False


PACK_HEADER = b"trialsite cache pack 1\n"
RECORD = struct.Struct("<IQ")  # an entry's name length and data length, before the name and the data


class Pack:
    """Many small entries in one file, `.cache/<area>.pack`: the page bodies of a thousand pages are one file written
    once, where a thousand files cost about 0.3 s of the file system's time on a build of 1000 pages. A build reads
    the last build's pack and writes a new one holding what it read and what it stored, in place of the old one when
    it closes; a pack that cannot be read or written only makes the build slower. Use as a context manager.

    An entry's name is a hash of the inputs that made it, read apart from the reading that made it: a file saved in
    between would file what the old file made under the new file's name, for every later build to take. So the new
    pack replaces the old one only if `inputs_held()` still says, as it closes, that no input changed since the build
    began; otherwise the old one stays, and the next build makes again what this one made."""

    def __init__(self, path: Path | None, inputs_held: Callable[[], bool] = lambda: True) -> None:
        self.path = path
        self._inputs_held = inputs_held
        self._old: BinaryIO | None = None
        self._index: dict[str, tuple[int, int]] = {}  # name -> (where its data starts, its length) in the old pack
        self._new: BinaryIO | None = None
        self._new_path = ""
        self._kept: set[str] = set()

    def __enter__(self) -> Pack:
        if self.path is None:
            return self
        try:
            self._old = self.path.open("rb")
            self._index = _index(self._old)
        except OSError:
            self._index = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, self._new_path = tempfile.mkstemp(dir=self.path.parent, prefix=".part-")
            self._new = os.fdopen(handle, "wb")
            self._new.write(PACK_HEADER)
        except OSError:
            self._new = None
        return self

    def get(self, name: str) -> bytes | None:
        """What the last build stored under this name (kept for the next build too), or None."""
        where = self._index.get(name)
        if where is None or self._old is None:
            return None
        try:
            self._old.seek(where[0])
            data = self._old.read(where[1])
        except OSError:
            return None
        if len(data) != where[1]:
            return None
        self.put(name, data)
        return data

    def put(self, name: str, data: bytes) -> None:
        """Store under this name, for the next build."""
        if self._new is None or name in self._kept:
            return
        encoded = name.encode("utf-8")
        try:
            self._new.write(RECORD.pack(len(encoded), len(data)) + encoded)
            self._new.write(data)
        except OSError:
            self._discard()
            return
        self._kept.add(name)

    def __exit__(self, *exc: object) -> None:
        """Put the new pack in place of the old one (whole or not at all)."""
        if self._old is not None:
            self._old.close()
        if self._new is None or self.path is None:
            return
        if not self._inputs_held():
            self._discard()
            return
        try:
            self._new.close()
            os.replace(self._new_path, self.path)
        except OSError:
            self._discard()
        self._new = None

    def _discard(self) -> None:
        """Give up the new pack: the old one stays."""
        if self._new is not None:
            self._new.close()
            self._new = None
        with contextlib.suppress(OSError):
            os.unlink(self._new_path)


def _index(pack: BinaryIO) -> dict[str, tuple[int, int]]:
    """Each entry's name and where its data lies; entries after a damaged one are left out."""
    found: dict[str, tuple[int, int]] = {}
    if pack.read(len(PACK_HEADER)) != PACK_HEADER:
        return found
    size = os.fstat(pack.fileno()).st_size
    while True:
        head = pack.read(RECORD.size)
        if len(head) < RECORD.size:
            return found
        name_length, data_length = RECORD.unpack(head)
        name = pack.read(name_length)
        start = pack.tell()
        if len(name) < name_length or start + data_length > size:
            return found
        try:
            found[name.decode("utf-8")] = (start, data_length)
        except UnicodeDecodeError:
            return found
        pack.seek(start + data_length)


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
