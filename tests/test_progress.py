"""The progress bar: on a terminal for a slow build only; never in CI or when the output is not a terminal."""
from __future__ import annotations

import io

from trialsite import progress


def test_silent_when_not_on_a_terminal_or_in_ci(monkeypatch):
    """pytest's captured output is not a terminal; CI=1 silences even a terminal."""
    assert not progress.Progress().enabled
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "1")
    assert not progress.Progress().enabled


def test_a_quick_build_shows_nothing():
    """Under DELAY seconds no bar is made, even when enabled."""
    bar = progress.Progress(enabled=True)
    bar.stage("Reading pages", 3)
    bar.step()
    assert bar.bar is None
    bar.close()


def test_a_slow_build_shows_its_stage_and_count_then_clears_it(monkeypatch):
    """Past DELAY the bar appears with the stage's name and steps, and goes when the build ends."""
    import rich.progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = io.StringIO()
    real = rich.progress.Progress
    monkeypatch.setattr(rich.progress, "Progress", lambda *columns, **options: real(
        *columns, **{**options, "console": rich.console.Console(file=screen, force_terminal=True, width=80)}))
    bar = progress.Progress(enabled=True)
    bar.stage("Drawing charts", 4)
    bar.step()
    bar.step()
    task = bar.bar.tasks[0]
    assert (task.description, task.total, task.completed) == ("Drawing charts", 4, 2)
    bar.close()
    assert bar.bar is None and "Drawing charts" in screen.getvalue()
