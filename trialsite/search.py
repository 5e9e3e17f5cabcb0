"""The search index: Pagefind's indexer reads the reader pages where the build wrote them, named one by one (so that
no other page is indexed); its files, made in a folder of our own, join the site.

Pagefind's Python service answers one message per 0.1 s, so a site of 30 pages would wait 3 s; its command line
indexes the same pages in about 0.15 s. Only the files the search page's script needs are kept: Pagefind's ready-made
interfaces (pagefind-ui.js and the like) are left out.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path, PurePosixPath

SEARCH_PAGE = "search"  # content/search.md: when it exists, the site has search and every header a search box
FOLDER = "pagefind"  # where the index goes in the site
NEEDED = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
NEEDED_SUFFIXES = (".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
TIMEOUT_SECONDS = 300


class SearchError(Exception):
    """The index could not be made; the message says why, in the author's words."""


class Indexing:
    """Pagefind indexing pages in its own process, while the build goes on; `result()` waits for the index files, or
    raises SearchError with why there are none (an indexer that could not start says so there too). `origin` is the
    file the index is made for (the search page), which a problem with it names."""

    def __init__(self, folder: tempfile.TemporaryDirectory, process: subprocess.Popen[str] | None,
                 failure: str = "", origin: str = "") -> None:
        self._folder, self._process, self._failure, self.origin = folder, process, failure, origin

    def result(self) -> dict[str, Path]:
        """The index files by site path, under pagefind/, each the file that holds it until `close`; SearchError if
        the indexer failed."""
        if self._process is None:
            raise SearchError(self._failure)
        try:
            stdout, stderr = self._process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            self.close()
            raise SearchError(f"{COULD_NOT_RUN}: {exc}") from None
        if self._process.returncode != 0:
            said = (stderr or stdout).strip().splitlines()
            raise SearchError("the search indexer (Pagefind) failed" + (f": {said[-1]}" if said else ""))
        out = Path(self._folder.name) / "index"
        return {f"{FOLDER}/{path.relative_to(out).as_posix()}": path
                for path in sorted(out.rglob("*")) if path.is_file() and _needed(path.relative_to(out).as_posix())}

    def close(self) -> None:
        """Stop the indexer if it still runs and remove its folder (again: nothing)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._folder.cleanup()


COULD_NOT_RUN = "the search indexer (Pagefind) could not run"


def start_index(pages: Iterable[tuple[str, bytes | Path]], inside: Path | None = None, origin: str = "") -> Indexing:
    """Start Pagefind on these pages ((site path, HTML or the file that holds it)) for `origin` (the search page's
    file), its output in a folder of our own (in `inside`, the staging folder, so that index files are moved out on
    one file system). Pages written in `inside` are read where they are; others are put in that folder first. What
    goes wrong on the way is kept for `result()`."""
    folder = tempfile.TemporaryDirectory(prefix=".search-" if inside else "trialsite-search-", dir=inside)
    base = Path(folder.name)
    try:
        binary = _indexer()
        site, glob = _pages_for_indexer(list(pages), inside, base / "site")
        # Its settings go in its own folder's pagefind.json: a thousand pages' names are too long for some command
        # lines (Windows allows 32,767 characters).
        settings = {"site": str(site), "glob": glob, "output_path": str(base / "index")}
        (base / "pagefind.json").write_text(json.dumps(settings), encoding="utf-8")
        process = subprocess.Popen([str(binary.absolute()), "--silent"], cwd=base,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except SearchError as exc:
        return Indexing(folder, None, str(exc), origin)
    except OSError as exc:  # no room for the copy, or a binary that cannot start
        return Indexing(folder, None, f"{COULD_NOT_RUN}: {exc}", origin)
    except BaseException:
        folder.cleanup()
        raise
    return Indexing(folder, process, origin=origin)


# Site paths that mean themselves in a glob (a page's address is made of lower-case letters, digits and hyphens).
PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")
EVERY_PAGE = "**/*.{html}"  # Pagefind's own glob


def _pages_for_indexer(pages: list[tuple[str, bytes | Path]], inside: Path | None, copies: Path) -> tuple[Path, str]:
    """The folder Pagefind reads and the glob that picks the pages in it. When every page is a file written in
    `inside` under its site path, that folder, each page named in the glob: nothing is copied, linked or removed
    afterwards (a thousand pages' links cost about 0.2 s to make and remove). Otherwise a folder of the pages."""
    if inside is not None and pages and all(isinstance(html, Path) and html == inside / rel_path
                                            and PLAIN_PATH.fullmatch(rel_path) for rel_path, html in pages):
        return inside, "{" + ",".join(rel_path for rel_path, _ in pages) + "}"
    for rel_path, html in pages:
        (copies / rel_path).parent.mkdir(parents=True, exist_ok=True)
        _place(html, copies / rel_path)
    return copies, EVERY_PAGE


def _place(html: bytes | Path, target: Path) -> None:
    """A page in the indexer's folder: a written page is linked (no copy of a thousand pages' bytes), or copied where
    it cannot be (another file system)."""
    if isinstance(html, bytes):
        target.write_bytes(html)
        return
    try:
        os.link(html, target)
    except OSError:
        shutil.copyfile(html, target)


def _needed(rel_path: str) -> bool:
    """Whether the search page's script uses this file of Pagefind's output."""
    return rel_path in NEEDED or PurePosixPath(rel_path).suffix in NEEDED_SUFFIXES


def _indexer() -> Path:
    """Pagefind's binary, where pagefind.service.get_executable looks: PAGEFIND_BINARY_PATH, the
    pagefind-bin-extended or pagefind-bin package, or the PATH. Found without importing those packages (pagefind's
    service imports asyncio, pagefind-bin logging and platform: 25 ms a build); tests/test_search.py checks that both
    find the same binary."""
    if find_spec("pagefind") is None:
        raise SearchError("search needs the 'pagefind' package; install what the build needs with: make site")
    binary = _pagefind_binary()
    if binary is None or not binary.exists():
        raise SearchError("search needs Pagefind's indexer (the 'pagefind-bin' package); install it with: make site")
    return binary


def _pagefind_binary() -> Path | None:
    """The first of Pagefind's binaries found, in pagefind.service's order."""
    if os.getenv("PAGEFIND_BINARY_PATH") is not None:
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    suffixes = ("", ".exe") if sys.platform == "win32" else ("",)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        spec = find_spec(package)
        folders = (spec.submodule_search_locations or []) if spec else []
        for binary in (Path(folder) / (name + suffix) for folder in folders
                       for name in ("pagefind_extended", "pagefind") for suffix in suffixes):
            if binary.is_file():
                return binary
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None
