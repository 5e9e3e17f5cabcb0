"""The search index: Pagefind's indexer reads the reader pages in a folder of our own; its files join the site.

Pagefind's Python service answers one message per 0.1 s, so a site of 30 pages would wait 3 s; its command line
indexes the same pages in about 0.15 s. Only the files the search page's script needs are kept: Pagefind's ready-made
interfaces (pagefind-ui.js and the like) are left out.
"""
from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

SEARCH_PAGE = "search"  # content/search.md: when it exists, the site has search and every header a search box
FOLDER = "pagefind"  # where the index goes in the site
NEEDED = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
NEEDED_SUFFIXES = (".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
TIMEOUT_SECONDS = 300


class SearchError(Exception):
    """The index could not be made; the message says why, in the author's words."""


def search_index(pages: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Index these pages ((site path, HTML), taken one at a time); return the index files by site path, under
    pagefind/."""
    binary = _indexer()
    with tempfile.TemporaryDirectory(prefix="trialsite-search-") as folder:
        site, out = Path(folder) / "site", Path(folder) / "index"
        for rel_path, html in pages:
            (site / rel_path).parent.mkdir(parents=True, exist_ok=True)
            (site / rel_path).write_bytes(html)
        try:
            done = subprocess.run([str(binary), "--site", str(site), "--output-path", str(out), "--silent"],
                                  capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SearchError(f"the search indexer (Pagefind) could not run: {exc}") from None
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise SearchError("the search indexer (Pagefind) failed" + (f": {said[-1]}" if said else ""))
        return {f"{FOLDER}/{path.relative_to(out).as_posix()}": path.read_bytes()
                for path in sorted(out.rglob("*")) if path.is_file() and _needed(path.relative_to(out).as_posix())}


def _needed(rel_path: str) -> bool:
    """Whether the search page's script uses this file of Pagefind's output."""
    return rel_path in NEEDED or PurePosixPath(rel_path).suffix in NEEDED_SUFFIXES


def _indexer() -> Path:
    """Pagefind's binary, from the pagefind-bin package (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchError("search needs the 'pagefind' package; install what the build needs with: make site") from None
    binary = get_executable()
    if binary is None or not Path(binary).exists():
        raise SearchError("search needs Pagefind's indexer (the 'pagefind-bin' package); install it with: make site")
    return Path(binary)
