"""vl-convert's engine, started the same way wherever the build draws: with only the fonts it carries.

vl-convert measures and draws chart text with the fonts it finds when it starts: the machine's, and a Liberation
Sans of its own, held in memory. It opens and maps a font file of the machine's again for each piece of text it
measures (about 1,700 times for a trial's eleven charts), which costs a third of its drawing time. Started with a font
folder that holds no fonts (chart_fonts/fonts.conf, read through FONTCONFIG_FILE where fonts are found with
fontconfig, as on Linux), it uses its own Liberation Sans alone: the same SVG, drawn faster, and a chart's layout no
longer depends on the fonts of the machine that builds it. The page's style sheet, not the SVG, picks the font a
reader sees.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NO_FONTS = Path(__file__).with_name("chart_fonts") / "fonts.conf"
TINY_CHART = {"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}
_LOCK = threading.Lock()
_started: list[bool] = []  # once the engine has started in this process


def start() -> None:
    """Start vl-convert's engine in this process, once, by drawing a tiny chart with only its own fonts in view."""
    with _LOCK:
        if _started:
            return
        import vl_convert

        with own_fonts_only():
            vl_convert.vegalite_to_svg(TINY_CHART)
        _started.append(True)


@contextmanager
def own_fonts_only() -> Iterator[None]:
    """vl-convert's own fonts the only ones an engine starting now finds. The setting is put back afterwards, for
    any program the build runs later; a thread that starts the engine is started inside this, since the
    environment is not safe to change while another thread reads it."""
    before = os.environ.get("FONTCONFIG_FILE")
    if before == str(NO_FONTS):
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
