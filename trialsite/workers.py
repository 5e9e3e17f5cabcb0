"""Work spread over the machine's cores: pages converted and charts drawn in worker processes.

Workers are forked from the build once its project is loaded, so they start with every module and the project in
memory and import nothing again (a spawned worker would spend 0.5 s re-importing). What they send back is plain
data (a converted page body, as the page cache stores it); a drawn picture goes straight into the chart cache.
With one job, or where a process cannot fork, the same functions run one after the other in the build's own process.
Drawing workers are the exception to "once loaded": `start_drawers` forks them before the build imports anything.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .manifest import files_below

T = TypeVar("T")
R = TypeVar("R")
MIN_TASKS = 8  # below this many pages or pictures, starting workers costs more than it saves


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Pending:
    """A result still being worked out: `get()` waits for it (or works it out, without workers)."""

    def __init__(self, work: Callable[[], Any] | None = None, handle: Any = None) -> None:
        self._work: Callable[[], Any] = work or (lambda: None)
        self._handle = handle
        self._done: list[Any] = []  # the result, once worked out: asking again does not work it out again

    @property
    def working(self) -> bool:
        """Whether workers are working it out (rather than this process, when it is asked for)."""
        return self._handle is not None

    def get(self) -> Any:
        """The result."""
        if not self._done:
            self._done.append(self._handle.get() if self._handle is not None else self._work())
        return self._done[0]


class Workers:
    """A pool of forked worker processes, started on first use and stopped on leaving the `with` block."""

    def __init__(self, jobs: int, warm: Callable[[], None] | None = None, forked: bool = False) -> None:
        can_fork = "fork" in multiprocessing.get_all_start_methods()
        self.jobs = jobs if can_fork else 1
        self._warm = warm  # run in each worker as it starts
        self.inline = self.jobs == 1 and not (forked and can_fork)  # one job: in this process, unless `forked`
        self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def worth_it(self, tasks: int) -> bool:
        """Whether `tasks` pieces of work are enough to repay starting workers."""
        return self.jobs > 1 and tasks >= MIN_TASKS

    def map_later(self, work: Callable[[T], R], items: list[T]) -> Pending:
        """Start `work` over the items, one item a task; `get()` gives the results in order."""
        if self.inline:
            return Pending(lambda: [work(item) for item in items])
        return Pending(handle=self._started().map_async(work, items, chunksize=1))

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """`work` over the items, results in order, in chunks shared among the workers."""
        items = list(items)
        if not self.worth_it(len(items)):
            return map(work, items)
        chunk = max(1, min(16, len(items) // (self.jobs * 4)))
        return self._started().imap(work, items, chunksize=chunk)

    def _started(self):
        """The pool, forked now if it was not yet. What the build holds at the fork (its project, pages and modules) is
        out of reach of the workers' garbage collector: collecting would look through all of it again in each worker,
        and write to each object's header, copying its memory page (1000 pages: 0.3 s less CPU). This process keeps
        collecting as before (a preview server builds again and again)."""
        if self._pool is None:
            gc.freeze()
            try:
                self._pool = multiprocessing.get_context("fork").Pool(self.jobs,
                                                                      initializer=partial(_warm_safely, self._warm))
            finally:
                gc.unfreeze()
        return self._pool


def _warm_safely(warm: Callable[[], None] | None) -> None:
    """A worker's warm-up, if it has one. One that fails is left to fail again in the work itself, where the build
    reports it: a worker that died as it started would be started again and again, and the build wait for ever.
    First, a polite kill ends the worker as it does any process: its pool stops it so, and a handler the build's
    process set (the preview turns it into Ctrl+C) would make it print a traceback."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if warm is None:
        return
    try:
        warm()
    except Exception:  # noqa: BLE001, S110 - see above
        pass


ONE_DRAWER_TRIALS = 2  # up to this many trials (about 11 pictures each), one drawer: a second costs more CPU to
# start (its engine and Altair, about 1 s) than it saves, on a machine whose other core converts the pages


def start_drawers(root: Path, jobs: int | None) -> Workers | None:
    """Workers that draw charts, forked now, before the build imports and reads anything, so that each starts its
    drawing engine (about 0.7 s) while the build loads; only when pictures are likely to be drawn: no chart in the
    cache yet, or data newer than the newest picture. One drawer for a trial or two, one per core for more; none for a
    project with no trial, since every picture is a trial's."""
    jobs = jobs or default_jobs()
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods() or not _pictures_stale(root):
        return None
    trials = sum(1 for _ in (root / "data" / "trials").glob("*.yaml"))
    if trials == 0:
        return None
    drawers = Workers(1 if trials <= ONE_DRAWER_TRIALS else jobs, warm=partial(_warm_drawing, root), forked=True)
    drawers._started()
    return drawers


def preview_drawers(root: Path) -> Workers | None:
    """Drawing workers for one build of the live preview, which builds again and again in one process: on a single
    core too, so that vl-convert's engine never starts in the preview's own process. An engine cannot be started
    again, and one started there would keep the fonts of the preview's first drawing, when the project's data may
    since need others (see chart_engine). Its pool is forked only if a picture is missing. With several cores, None:
    the build's own workers, forked for each build, draw."""
    if default_jobs() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return Workers(1, warm=partial(_warm_drawing, root), forked=True)


def _pictures_stale(root: Path) -> bool:
    """Whether the chart cache is missing or older than some data file (a few stat calls, nothing read)."""
    try:
        drawn = (root / ".cache" / "charts").stat().st_mtime_ns
        data = files_below(root / "site.yaml", root) | files_below(root / "data", root)
    except OSError:
        return True
    return any(times[1] > drawn for name, times in data.items() if name.endswith((".yaml", ".yml")))


def _warm_drawing(root: Path) -> None:
    """Start vl-convert's engine for the project at `root` with a tiny chart, in a thread (the engine lets go of
    Python's lock while it starts), and meanwhile import Altair and the drawing code."""
    from . import chart_engine

    own_fonts = chart_engine.own_fonts_suffice(root)
    with chart_engine.fonts_in_view(own_fonts):
        engine = threading.Thread(target=chart_engine.start, args=(own_fonts,))
        engine.start()
        import altair  # noqa: F401

        from . import figures  # noqa: F401 - imported now, not when the first chart arrives
        engine.join()
