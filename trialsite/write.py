"""Write the site: refuse folders that are not ours, build into a staging folder, swap it in only when complete."""
from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from .inputs import INPUTS
from .read import os_reason, unreadable
from .sanitise import active_content

MARKER = ".trialsite-output"
MARKER_TEXT = ("This folder is made by trialsite (build.py) and is replaced on every build.\n"
               "Do not keep your own files here: the next build removes them.\n")
# What a build writes; a folder holding only such files is taken to be an earlier build's output.
BUILT_SUFFIXES = {".html", ".css", ".js", ".csv", ".svg", ".png", ".xml", ".txt", ".json", ".wasm",
                  ".pagefind", ".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"}
BUILT_NAMES = {MARKER, ".nojekyll", "CNAME"}
CACHE = ".cache"
LOCK_WAIT_SECONDS = 60


class OutputCollision(Exception):
    """Two inputs would write the same output file."""


class OutputError(Exception):
    """The output folder cannot be written; the message says why, in the author's words."""


class SiteWriter:
    """Collects every output file with the input it comes from; refuses a second write to one path.

    Without a staging folder the files are kept in memory until `commit`; with one (see `staged_writer`) each file
    is written there as it is added, so that a site of a thousand trials is never held in memory at once, and
    `files` reads them back from there.
    """

    def __init__(self, staging: Path | None = None, previous: Path | None = None, shown: str = "") -> None:
        self.staging = staging
        self.shown = shown  # the output folder as the author wrote it, for messages
        self.previous = previous  # the last good site, whose unchanged files are linked, not written again
        self._previous_real = os.path.realpath(previous) if previous is not None else ""
        self.origins: dict[str, str] = {}
        self._kept: dict[str, bytes] = {}
        self.files: Mapping[str, bytes] = self._kept if staging is None else _StagedFiles(staging, self.origins)
        try:
            self._staging_made = _identity(staging) if staging is not None else None
        except OSError:
            self._staging_made = None

    def add(self, rel_path: str, content: str | bytes, origin: str = "(build)") -> None:
        """Add one file, relative to the site root; the path can never leave the site folder."""
        self._check_new(rel_path)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if self.staging is None:
            self._kept[rel_path] = data
        else:
            target = self.staging / rel_path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if not self._linked_from_before(rel_path, data, target):
                    target.write_bytes(data)
            except OSError as exc:  # a full disk, say: the author's to mend, so a message and no traceback
                raise OutputError(f"cannot write the site into '{self.shown}': {os_reason(exc)}") from None
        self.origins[rel_path] = origin

    def move_in(self, rel_path: str, source: Path, origin: str = "(build)") -> None:
        """Add a file another program made, by moving it into the staging folder (a rename when both are on one file
        system, as a folder inside the staging folder is: its bytes are neither read nor written again); read in
        when the writer keeps files in memory or the last site may hold the same bytes (to be linked from there)."""
        if self.staging is None or self.previous is not None:
            try:
                data = source.read_bytes()
            except OSError as exc:
                raise OutputError(f"cannot write the site into '{self.shown}': {os_reason(exc)}") from None
            self.add(rel_path, data, origin)
            return
        self._check_new(rel_path)
        target = self.staging / rel_path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(source, target)
            except OSError:  # another file system
                shutil.copyfile(source, target)
        except OSError as exc:
            raise OutputError(f"cannot write the site into '{self.shown}': {os_reason(exc)}") from None
        self.origins[rel_path] = origin

    def _check_new(self, rel_path: str) -> None:
        """Refuse a path that leaves the site folder or that another input writes."""
        check_site_path(rel_path)
        if rel_path in self.origins:
            raise OutputCollision(f"'{rel_path}' would also be written from {self.origins[rel_path]}; "
                                  f"rename one of them")

    def adopt(self, rel_path: str, origin: str) -> None:
        """Count a file that a forked worker wrote into the staging folder (with its own copy of this writer) as added;
        a file added here already stays as it is."""
        check_site_path(rel_path)
        self.origins.setdefault(rel_path, origin)

    def written(self, rel_path: str) -> bytes | Path:
        """A file added: the staged file that holds it, or its bytes when the writer keeps them in memory."""
        if rel_path not in self.origins:
            raise KeyError(rel_path)
        return self._kept[rel_path] if self.staging is None else self.staging / rel_path

    def _linked_from_before(self, rel_path: str, data: bytes, target: Path) -> bool:
        """Link the last site's file into the staging folder when it holds these very bytes: an unchanged file is
        not written again, and keeps its time (a deploy that compares times copies only what changed)."""
        return self._link_last(rel_path, target,
                               lambda old: old.stat().st_size == len(data) and old.read_bytes() == data)

    def add_from_before(self, rel_path: str, digest: str, origin: str) -> bool:
        """Add the last site's file at this path, linked, when its bytes have this SHA-256 (those a page rendered
        again would have); False, adding nothing, when there is no such file or the path is taken."""
        if self.staging is None or rel_path in self.origins:
            return False
        target = self.staging / rel_path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        if not self._link_last(rel_path, target, lambda old: hashlib.sha256(old.read_bytes()).hexdigest() == digest):
            return False
        self.origins[rel_path] = origin
        return True

    def _link_last(self, rel_path: str, target: Path, holds: Callable[[Path], bool]) -> bool:
        """Link the last site's file at this path to `target` when `holds` says it has the bytes wanted."""
        old = self._last_sites_file(rel_path)
        try:
            if old is None or not holds(old):
                return False
            os.link(old, target)
        except OSError:
            return False
        return True

    def _last_sites_file(self, rel_path: str) -> Path | None:
        """Where the last site holds this path, if it is a file of that site alone: never one that a link inside it
        leads to elsewhere, nor one with another name too (a hard link made by hand, maybe to a file outside)."""
        if self.previous is None:
            return None
        check_site_path(rel_path)
        old = self.previous / rel_path
        try:
            if (os.path.realpath(old) != os.path.join(self._previous_real, *rel_path.split("/"))
                    or os.lstat(old).st_nlink != 1):
                return None
        except OSError:
            return None
        return old

    def add_files(self, paths: list[Path], folder: Path, prefix: str, root: Path,
                  published: Callable[[str, bytes], bytes] = lambda name, data: data) -> list[tuple[str, str, str]]:
        """Queue files found below `folder` under `prefix`, each as `published(name, data)` gives it; return
        (input, field, message) for each problem."""
        problems = []
        for path in paths:
            origin = path.relative_to(root).as_posix()
            try:
                data = path.read_bytes()
            except OSError as exc:
                problems.append((origin, "(file)", f"cannot be read: {unreadable(exc)}"))
                continue
            active = active_content(path.name, data)
            if active:
                problems.append((origin, "(file)", active))
                continue
            try:
                self.add(f"{prefix}/{path.relative_to(folder).as_posix()}", published(path.name, data), origin)
            except OutputCollision as exc:
                problems.append((origin, "(output)", str(exc)))
        return problems

    def commit(self, out: Path, root: Path, shown: str) -> None:
        """Put the site in place of `out`, all at once; raise OutputError on failure. `shown` is `out` as the author
        wrote it, for messages. A staged writer's folder is swapped in (its `staged_writer` holds the lock); an
        in-memory one is written through a staged writer first.
        """
        out = out.absolute()
        if self.staging is None:
            with staged_writer(root, out, shown) as staged:
                for rel_path in sorted(self._kept):
                    staged.add(rel_path, self._kept[rel_path], self.origins[rel_path])
                staged.commit(out, root, shown)
            return
        if not self._staging_intact():
            raise OutputError(f"cannot write the site into '{shown}': the folder this build wrote into beside it was "
                              f"removed while it ran (by another build, after '.cache/' was deleted?); build again")
        try:
            self.staging.chmod(0o755)
            _swap(self.staging, out)
        except OSError as exc:
            raise OutputError(f"cannot write the site into '{shown}': {os_reason(exc)}") from None

    def _staging_intact(self) -> bool:
        """Whether the staging folder is still the one made for this build, marker and all: a build that lost sight
        of the lock (its file deleted with .cache/) may have removed it, and a file added since made it anew."""
        try:
            return self.staging is not None and (self.staging / MARKER).is_file() and (
                _identity(self.staging) == self._staging_made)
        except OSError:
            return False


def _identity(folder: Path) -> tuple[int, int]:
    """A folder's device and inode: another folder made later under its name has others."""
    status = folder.stat()
    return status.st_dev, status.st_ino


class _StagedFiles(Mapping[str, bytes]):
    """The files a staged writer has written, by site path, read back from its folder when asked for."""

    def __init__(self, staging: Path, origins: dict[str, str]) -> None:
        self._staging, self._origins = staging, origins

    def __getitem__(self, rel_path: str) -> bytes:
        if rel_path not in self._origins:
            raise KeyError(rel_path)
        return (self._staging / rel_path).read_bytes()

    def __contains__(self, rel_path: object) -> bool:
        return rel_path in self._origins

    def __iter__(self) -> Iterator[str]:
        return iter(self._origins)

    def __len__(self) -> int:
        return len(self._origins)


@contextlib.contextmanager
def staged_writer(root: Path, out: Path, shown: str, last: Path | None = None):
    """A writer that writes each file into a new staging folder beside `out` as it comes, holding the output
    folder's lock throughout (so that no other build tidies the folder away); the folder is removed on leaving
    unless `commit` swapped it in. A file with the same bytes as in the last site (a marked one: `last`, else `out`)
    is linked from it, not written. Raises OutputError when the folder cannot be made."""
    out = out.absolute()
    with _lock(root, out, shown):
        staging = _new_staging(out, shown)
        previous = next((site for site in (last, out) if site is not None and (site / MARKER).is_file()), None)
        try:
            yield SiteWriter(staging, previous, shown)
        finally:
            remove_built(staging)  # gone already when it was swapped in


def settled(out: Path) -> Path:
    """The output folder's absolute path with every '.' and '..' before its last part worked out (as the system
    reads them): 'site/../site' would name nothing once the folder is moved aside to be replaced. The last part stays
    as written, so that a link there is still seen as one."""
    out = out.absolute()
    if out.name in ("", ".", ".."):
        return out.resolve()
    return out.parent.resolve() / out.name


def _new_staging(out: Path, shown: str) -> Path:
    """A new, marked staging folder beside `out`, after tidying what a killed build left (under the lock)."""
    _remove_stale_staging(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        # The marker first, so that a killed build's leftovers are known to be ours.
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write beside '{shown}': {os_reason(exc)}") from None
    return staging


def recover_interrupted(root: Path, out: Path, shown: str) -> None:
    """Before a build: put back a last good site that a killed build set aside, and remove its leftovers."""
    with _lock(root, out.absolute(), shown):
        _remove_stale_staging(out.absolute())


def check_site_path(rel_path: str) -> None:
    """A site path is relative and stays inside the site: no '..', no empty or absolute parts."""
    parts = PurePosixPath(rel_path).parts
    if (not parts or rel_path.startswith("/") or "\\" in rel_path or "\0" in rel_path
            or any(p in ("", ".", "..") for p in rel_path.split("/")) or rel_path == MARKER):
        raise ValueError(f"unsafe output path {rel_path!r}")


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with renames, so a reader never sees half a site; put it back on failure."""
    old = out.with_name(f".{out.name}.old")
    if old.exists() or old.is_symlink():
        if not _ours(old):
            raise OutputError(f"'{old.name}' beside the output folder was not made by a build; move it elsewhere")
        remove_built(old, strict=True)
    had_old = out.exists()
    if had_old:
        if not (out / MARKER).exists():  # an adopted site: mark it, so that if the build dies now it is still known
            (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if had_old:
            old.rename(out)
        raise
    remove_built(old)


def remove_built(folder: Path, strict: bool = False) -> None:
    """Remove a folder a build made, its marker last: a build killed half-way through the removal leaves a folder
    still known as a build's, which the next build tidies, never one that stops every later build as not ours.
    Errors are ignored unless `strict`."""
    try:
        children = [child for child in folder.iterdir() if child.name != MARKER]
        for child in children:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=not strict)
            else:
                child.unlink(missing_ok=True)
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except FileNotFoundError:
        return  # gone already
    except OSError:
        if strict:
            raise


def output_problem(root: Path, out: Path, shown: str) -> str | None:
    """Why the build must not replace `out` (written as `shown`), or None when it may: missing, empty, or built."""
    root = root.resolve()
    out = out.absolute()
    if out.is_symlink():
        return f"'{shown}' is a link; give the real folder to build into"
    target = out.resolve()
    where = _protected_place(root, target)
    if where:
        return f"'{shown}' is {where}; the build replaces its output folder, so choose a new folder such as _site"
    if not target.exists():
        blocker = next((p for p in target.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            return f"'{shown}' cannot be made, because '{blocker.name}' is a file; choose a new folder such as _site"
        return None
    if not target.is_dir():
        return f"'{shown}' is a file, not a folder; choose a new folder such as _site"
    if (target / MARKER).is_file() or not any(target.iterdir()):
        return None
    if _looks_built(target):
        return None  # a site built before the marker existed: adopt it
    return (f"'{shown}' is a folder that an earlier build did not make, and it holds other files; "
            "choose a new or empty folder such as _site")


def _protected_place(root: Path, target: Path) -> str | None:
    """Describe `target` if it is a place no build may replace: the project, its inputs, root, home."""
    if target == Path(target.anchor):
        return "the root of the file system"
    if target == Path.home().resolve():
        return "your home folder"
    if target == root:
        return "the project folder itself"
    if root.is_relative_to(target):
        return "a folder that holds the project"
    for name in (*INPUTS, ".git", CACHE):
        if target == root / name or target.is_relative_to(root / name):
            what = f"{name}{'' if name.endswith('.yaml') else '/ folder'}"
            holds = "the build's cache" if name == CACHE else "your own files"
            return f"{'' if target == root / name else 'inside '}the project's {what}, which holds {holds}"
    if (target / "site.yaml").exists():
        return "a trialsite project"
    for above in target.parents:  # another project's input folders, at any depth
        if (above / "site.yaml").exists() and target.relative_to(above).parts[0] in (*INPUTS, ".git", CACHE):
            return "inside another trialsite project's own files"
        if (above / MARKER).is_file():
            return f"inside the output folder '{above.name}' of an earlier build, which the next build replaces"
    return None


def _only_built_files(folder: Path) -> bool:
    """True when every file below `folder` is of a kind a build writes (no Markdown, YAML, Python, .git)."""
    for _folder, dirnames, filenames in os.walk(folder):
        if ".git" in dirnames or ".git" in filenames:
            return False
        for name in filenames:
            if name not in BUILT_NAMES and Path(name).suffix.lower() not in BUILT_SUFFIXES:
                return False
    return True


def _tracked_by_git(folder: Path) -> bool:
    """True when git tracks any file below `folder` (committed work is never replaced without a marker)."""
    try:
        listed = subprocess.run(["git", "-C", str(folder), "ls-files", "-z", "--", "."], capture_output=True,
                                timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and bool(listed.stdout)


def _remove_stale_staging(out: Path) -> None:
    """Tidy what a killed build of this output left beside it: put back a last good site, remove staging folders."""
    if not out.parent.is_dir():
        return
    old = out.with_name(f".{out.name}.old")
    if not out.exists() and _ours(old):
        old.rename(out)  # killed between the two renames of a swap: the last good site was set aside here
    # The name is escaped: an output named 'site[1]' or '*' must not match other outputs' staging folders.
    for leftover in sorted(out.parent.glob(f".{glob.escape(out.name)}.new-*")) + [old]:
        if _ours(leftover):
            remove_built(leftover)


def _looks_built(folder: Path) -> bool:
    """True for an unmarked folder that is a site from a build before the marker: a home page, only built files."""
    return (folder / "index.html").is_file() and _only_built_files(folder) and not _tracked_by_git(folder)


def _ours(folder: Path) -> bool:
    """True for a real folder that a build made: it holds the marker (written first), nothing yet, or an older site."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    return (folder / MARKER).is_file() or not any(folder.iterdir()) or _looks_built(folder)


@contextlib.contextmanager
def _lock(root: Path, out: Path, shown: str):
    """Hold a lock on this output folder, so two builds never swap it at once; wait a while for another build."""
    import fcntl  # POSIX only, like the rest of the build's file handling

    locks = root / CACHE / "locks"
    try:
        locks.mkdir(parents=True, exist_ok=True)
        # Named from the real path, so 'x/../_site' and '_site' share one lock.
        handle = open(locks / (hashlib.sha256(os.fsencode(out.resolve())).hexdigest()[:16] + ".lock"), "w")
    except OSError as exc:
        raise OutputError(f"cannot create the lock folder {locks}: {os_reason(exc)}") from None
    with handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(f"another build has been writing into '{shown}' for over {LOCK_WAIT_SECONDS} s; "
                                      "let it finish or stop it, then build again") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
