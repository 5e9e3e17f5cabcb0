"""The look shared by every chart: colours, text size, line breaks in headers, and the theme. Kinds: chart_kinds.py."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt

# Each colour has at least 4.5:1 contrast on white, so bars and labels pass WCAG 1.4.3 and 1.4.11.
ARM_COLOURS = ["#1b4f8a", "#a34700", "#2b6e3f", "#6a3d9a", "#7a5c00"]
EMPTY_ICON = "#6b6b6b"
TEXT = "#1a1a1a"
# Narrow by design: every chart is at most about 300 px wide, so on a 320 px phone (288 px for the picture)
# its 14 px text shows at 12 px or more, with no second picture for small screens.
FONT_SIZE = 14
LINE_HEIGHT = 18
# Header lines wrap here: short enough that a reader's wider text spacing (WCAG 1.4.12: letters +0.12 em, words
# +0.16 em) still fits the chart; tests/test_browser.py applies that spacing and measures every label.
HEADER_CHARS = 26
PLOT_WIDTH = 240  # the drawing area of a bar chart; arm names and numbers sit above and below its bars
ICON_BLOCK = 120  # one block of 10 x 10 circles
ICON_SIZE = 80  # area of one circle, in square pixels
SIDE_PADDING = 16  # room for a centred label to widen with the reader's text spacing
LINE_BREAK = "|"  # header labels are split into lines here, so long labels wrap instead of being cut
SPLIT_LINES = f"split(datum.value, '{LINE_BREAK}')"


# The site's look for every chart: fonts, colours of text, padding; no ARIA from Vega (the page gives it).
CONFIG: dict[str, Any] = {
    "aria": False, "font": "sans-serif", "background": "white",
    "padding": {"left": SIDE_PADDING, "right": SIDE_PADDING, "top": 6, "bottom": 6},
    "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelColor": TEXT, "titleColor": TEXT,
             "labelLimit": 260},
    "header": {"labelFontSize": FONT_SIZE, "labelColor": TEXT, "titleFontSize": FONT_SIZE},
    "view": {"stroke": None},
}


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the site's look, through Altair's configure, which checks it against the schema."""
    return chart.configure(**CONFIG)


def with_theme(spec: dict) -> dict:
    """A chart's Vega-Lite spec with the site's look, as `themed(chart).to_dict()` gives it, merged as plain data:
    Altair's configure builds and checks a Config object, a third of the time of making a spec.
    tests/test_chart_kinds.py checks that the two give the same spec for every real chart."""
    from altair.utils import update_nested

    update_nested(spec, {"config": copy.deepcopy(CONFIG)})  # in place
    return spec
