"""vl-convert's engine, started the same way wherever the build draws: with only the fonts it carries, when they
draw every character of the project's charts.

vl-convert measures and draws chart text with the fonts it finds when it starts: the machine's, and a Liberation
Sans of its own, held in memory. It opens and maps a font file of the machine's again for each piece of text it
measures (about 17,700 times for a trial's eleven charts and card), which costs a third of its drawing time. Started
with a font folder that holds no fonts (chart_fonts/fonts.conf, read through FONTCONFIG_FILE where fonts are found
with fontconfig, as on Linux), it uses its own Liberation Sans alone: the same SVG, drawn faster, and a chart's layout
no longer depends on the fonts of the machine that builds it. The page's style sheet, not the SVG, picks the font a
reader sees. A project whose data holds a character that font may lack (Chinese, Arabic...) keeps the machine's
fonts, which measure it better than an estimate.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .manifest import files_below

NO_FONTS = Path(__file__).with_name("chart_fonts") / "fonts.conf"
TINY_CHART = {"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}
# Text the carried Liberation Sans draws (a safe part of what it covers, checked character by character against the
# machine's fonts): Latin letters with their accents, Greek and Cyrillic letters, dashes, quotes and a chart's signs.
DRAWN = re.compile("[\t\n\r -~\u00a0-\u017f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u03ce\u0400-\u045f\u2012-\u2014"
                   "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u2190-\u2193\u2212\u2248\u2260"
                   "\u2264\u2265]*")
DATA_FILES = (".yaml", ".yml")
ASCII = bytes(range(128))
CARRIED, MACHINE = "carried fonts", "machine fonts"
_LOCK = threading.Lock()
_started: list[str] = []  # the fonts of the engine started in this process, once it has started
_project: list[Path] = []  # the project this process draws for, when the build has said
_planned: list[str] = []  # the fonts an engine started for that project would use, once worked out


def drawing_for(root: Path) -> None:
    """Say which project this process draws charts for: its data decides the fonts of an engine started later."""
    _project[:] = [root]
    _planned.clear()  # its data may have changed since the last build (a preview server builds again and again)


def fonts() -> str:
    """The fonts this process draws pictures with (part of each picture's name in the cache, so that a picture drawn
    with other fonts is never taken for it): its engine's, or those it would start with."""
    if _started:
        return _started[0]
    if not _project:
        return MACHINE
    if not _planned:
        _planned.append(CARRIED if own_fonts_suffice(_project[0]) else MACHINE)
    return _planned[0]


def own_fonts_suffice(root: Path) -> bool:
    """Whether the carried Liberation Sans draws every character of the project's site settings and data, where
    every chart's text comes from (the code's own chart text is plain English)."""
    try:
        files = [root / "site.yaml", *(root / name for name in files_below(root / "data", root)
                                       if Path(name).suffix in DATA_FILES)]
        # Deleting every ASCII byte leaves whole UTF-8 sequences: the characters beyond ASCII, found without decoding
        # the rest (100 trials' data: 9 ms, where reading it as text took 25 ms).
        beyond = (path.read_bytes().translate(None, ASCII).decode("utf-8") for path in files)
        return all(DRAWN.fullmatch(text) for text in beyond)
    except (OSError, UnicodeDecodeError):  # left to the build to report; the machine's fonts meanwhile
        return False


def start(own_fonts: bool | None = None) -> None:
    """Start vl-convert's engine in this process, once, by drawing a tiny chart: with only its own fonts in view
    when `own_fonts` (by default, when they suffice for the project `drawing_for` named)."""
    with _LOCK:
        if _started:
            return
        import vl_convert

        if own_fonts is None:
            own_fonts = fonts() == CARRIED
        with fonts_in_view(own_fonts):
            vl_convert.vegalite_to_svg(TINY_CHART)
        _started.append(CARRIED if own_fonts else MACHINE)


@contextmanager
def fonts_in_view(own_fonts: bool) -> Iterator[None]:
    """With `own_fonts`, vl-convert's own fonts the only ones an engine starting now finds; else the machine's too.
    The setting is put back afterwards, for any program the build runs later; a thread that starts the engine is
    started inside this, since the environment is not safe to change while another thread reads it."""
    before = os.environ.get("FONTCONFIG_FILE")
    if not own_fonts or before == str(NO_FONTS):
        yield
        return
    os.environ["FONTCONFIG_FILE"] = str(NO_FONTS)
    try:
        yield
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before
