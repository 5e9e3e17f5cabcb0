"""Dark mode: every colour has its dark twin with enough contrast, and axe finds nothing in the dark scheme."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from trialsite import chart_style

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "site.css").read_text()
DARK = CSS[CSS.index("@media (prefers-color-scheme: dark)"):CSS.index("@media (forced-colors: active)")]


def _luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb' or '#rgb'."""
    hexes = colour.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    channels = [int(hexes[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _dark_var(name: str) -> str:
    """A custom property's value in the dark scheme."""
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]+)", DARK).group(1)


def _swapped(light: str, attribute: str = "fill") -> str:
    """The dark colour the style sheet gives a chart mark drawn in `light`."""
    found = re.search(rf'\[{attribute}="{re.escape(light)}"\][^{{]*\{{\s*{attribute}:\s*([^;]+);', DARK)
    assert found, f"no dark rule for {attribute}={light}"
    value = found.group(1).strip()
    return _dark_var(value[6:-1]) if value.startswith("var(--") else value


def test_every_chart_colour_has_a_dark_twin_that_stands_out():
    """Each arm colour, text and empty icon is swapped; marks keep 3:1 and text 4.5:1 on the dark chart panel."""
    panel = _dark_var("panel")
    assert _swapped("white") == panel
    for colour in chart_style.ARM_COLOURS:
        assert contrast(_swapped(colour), panel) >= 3, colour
        assert contrast(_swapped(colour, "stroke"), panel) >= 3, colour
    assert contrast(_swapped(chart_style.TEXT), panel) >= 4.5
    assert contrast(_swapped(chart_style.EMPTY_ICON, "stroke"), panel) >= 3


def test_chart_text_without_a_fill_of_its_own_has_the_usual_colour_in_each_scheme():
    """figures.accessible_svg leaves the usual text colour to the style sheet: a chart text without a fill gets
    chart_style.TEXT, its dark twin in the dark scheme, and the system's text colour in forced colours."""
    light = CSS[:CSS.index("@media (prefers-color-scheme: dark)")]
    forced = CSS[CSS.index("@media (forced-colors: active)"):]
    rule = r"\.chart svg text:not\(\[fill\]\)\s*\{{\s*fill:\s*{}"
    assert re.search(rule.format(re.escape(chart_style.TEXT)), light)
    assert re.search(rule.format(r"var\(--text\)"), DARK)
    assert re.search(rule.format("CanvasText"), forced)


@pytest.mark.parametrize(("text", "background"), [
    ("text", "bg"), ("muted", "bg"), ("link", "bg"), ("link-visited", "bg"), ("text", "panel"), ("muted", "panel"),
    ("link", "panel"), ("text", "notice-bg"), ("link", "notice-bg"), ("focus", "bg")])
def test_dark_text_keeps_its_contrast(text, background):
    """Text and links on every dark background keep WCAG AA contrast (4.5:1)."""
    assert contrast(_dark_var(text), _dark_var(background)) >= 4.5
