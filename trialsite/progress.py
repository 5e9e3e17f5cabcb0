"""A progress bar on a terminal for a build that takes more than about two seconds; silent otherwise.

Nothing is shown in CI, when the output is not a terminal, or for a quick build: the bar (rich's) appears only once
the build has run for DELAY seconds, and disappears when it ends, leaving the report alone on the screen.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any

DELAY = 2.0  # seconds before a bar is worth showing


class Progress:
    """Stages with a count of steps each; `step` after each. Silent unless on a terminal and past DELAY."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = (sys.stderr.isatty() and not os.environ.get("CI")) if enabled is None else enabled
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.name, self.total, self.done = "", 0, 0

    def stage(self, name: str, total: int) -> None:
        """Begin a stage of `total` steps, e.g. ('Pages', 31)."""
        self.name, self.total, self.done = name, total, 0
        self._show()

    def step(self) -> None:
        """One step of the stage done."""
        self.done += 1
        self._show()

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def _show(self) -> None:
        """Start the bar once the build is slow enough to need it, then keep it up to date."""
        if not self.enabled or time.monotonic() - self.started < DELAY:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           transient=True, console=None)
            self.bar.start()
            self.task = self.bar.add_task(self.name, total=self.total)
        self.bar.update(self.task, description=self.name, total=self.total, completed=self.done)
