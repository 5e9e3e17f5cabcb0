"""Everything a chart shows, made from one set of rows: accessible SVG, description, table and CSV."""
from __future__ import annotations

import csv
import html
import io
import re
import struct
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import chart_engine, wording
from .cache import Cache
from .cache import key as cache_key
from .chart_kinds import DATASET, KINDS, ChartSpec
from .chart_style import TEXT, with_theme
from .schema import Trial


@dataclass(frozen=True)
class Figure:
    """A rendered chart with its text alternatives."""

    id: str
    title: str
    svg: str
    summary: str  # at most about 50 words, beside the chart
    description: list[str]  # every number in sentences, with the table
    headers: list[str]
    rows: list[list[str]]
    csv: str
    sources: list[str]  # source keys, numbered by each page that shows the chart
    analyses: list[str]  # the analyses its numbers come from, e.g. 'Final analysis of ... (18 months of follow-up)'


CHARTS = "charts"  # the cache's area for pictures
NO_CACHE = Cache(None)
CARD_SCALE = 2  # a phone-sized chart at twice its size: about 1000 px wide
CARD_TITLE_SIZE = 15


def make_figure(trial: Trial, spec: ChartSpec, cache: Cache = NO_CACHE) -> Figure:
    """Render a chart spec to a Figure; all texts come from the same rows as the chart, the picture from the cache
    when the same rows were drawn before."""
    kind = KINDS[spec.kind]
    rows = kind.rows(trial, spec)
    fig_id = f"chart-{trial.id}-{spec.id}"
    headers, table = kind.table(rows)
    svg = accessible_svg(_cached(cache, figure_drawing(trial, spec, rows)).decode("utf-8"), fig_id, spec.title)
    return Figure(fig_id, spec.title, svg, kind.summarise(rows), kind.describe(rows), headers, table,
                  to_csv(headers, table), kind.sources(trial, spec), _analyses(trial, rows))


@dataclass(frozen=True)
class Drawing:
    """What decides one picture of a chart: enough to draw it in another process, and its name in the cache."""

    kind: str
    rows: list[dict]
    arms: list[str]
    title: str | None = None  # a card's title, drawn into a PNG; a page's chart is an SVG without one

    @property
    def name(self) -> str:
        """The picture's file name in the cache: a hash of all that decides it, the fonts it is drawn with included."""
        if self.title is None:
            return cache_key("svg", self.kind, self.rows, self.arms, chart_engine.fonts()) + ".svg"
        return cache_key("png", self.kind, self.rows, self.arms, self.title, CARD_SCALE, CARD_TITLE_SIZE,
                         chart_engine.fonts()) + ".png"


def figure_drawing(trial: Trial, spec: ChartSpec, rows: list[dict] | None = None) -> Drawing:
    """The picture a page shows of a chart."""
    rows = KINDS[spec.kind].rows(trial, spec) if rows is None else rows
    return Drawing(spec.kind, rows, [a.short_label for a in trial.arms])


def card_drawing(trial: Trial, spec: ChartSpec, rows: list[dict] | None = None) -> Drawing:
    """The picture of a trial's social card: the chart titled '<trial>: <chart title>'."""
    rows = KINDS[spec.kind].rows(trial, spec) if rows is None else rows
    return Drawing(spec.kind, rows, [a.short_label for a in trial.arms], f"{trial.name}: {spec.title}")


def draw(drawing: Drawing) -> bytes:
    """The picture's bytes: compact SVG for a page, PNG at twice the size for a card (imports vl-convert)."""
    return convert(drawing, spec_of(drawing))


def spec_of(drawing: Drawing) -> dict:
    """The Vega-Lite spec of a picture (Altair; Python, holding Python's lock)."""
    spec = drawing_of(KINDS[drawing.kind], drawing.rows, drawing.arms)
    if drawing.title is not None:
        spec["title"] = {"text": drawing.title, "anchor": "start", "fontSize": CARD_TITLE_SIZE}
    return spec


def convert(drawing: Drawing, spec: dict) -> bytes:
    """The picture drawn from its spec (vl-convert, which lets go of Python's lock while it draws)."""
    import vl_convert

    chart_engine.start()
    if drawing.title is None:
        return compact_svg(vl_convert.vegalite_to_svg(spec)).encode("utf-8")
    return vl_convert.vegalite_to_png(spec, scale=CARD_SCALE)


CONVERTERS = 2  # threads of a drawer that wait on vl-convert, while its own thread makes the next specs


def draw_into(cache: Cache, drawings: list[Drawing]) -> None:
    """Draw pictures into the cache, in a worker while pages are converted: only their names come back to the build,
    never a thousand trials' pictures at once. Altair makes each spec while vl-convert draws the ones before it. A
    picture that fails is left out, to be drawn again (and its error reported) where the build needs it."""
    with ThreadPoolExecutor(CONVERTERS) as converters:
        for drawing in drawings:
            try:
                spec = spec_of(drawing)
            except Exception:  # noqa: BLE001, S112 - the build draws it again in its own process and reports there
                continue
            converters.submit(_convert_into, cache, drawing, spec)


def _convert_into(cache: Cache, drawing: Drawing, spec: dict) -> None:
    """One picture drawn into the cache, or left out if it fails."""
    try:
        cache.put(CHARTS, drawing.name, convert(drawing, spec))
    except Exception:  # noqa: BLE001, S110 - as in draw_into
        pass


def _cached(cache: Cache, drawing: Drawing) -> bytes:
    """A picture from the cache, or drawn and stored (also when the stored one was cut short: the cache writes whole
    files, but a disk or a hand may damage one)."""
    drawn = cache.get(CHARTS, drawing.name)
    if drawn is None or not _whole(drawing.name, drawn):
        drawn = draw(drawing)
        cache.put(CHARTS, drawing.name, drawn)
    return drawn


def _whole(name: str, picture: bytes) -> bool:
    """Whether a stored picture ends as its format does: an SVG with its closing tag, a PNG with its end chunk."""
    if name.endswith(".png"):
        return picture.startswith(PNG_SIGNATURE) and picture.endswith(PNG_END)
    return picture.rstrip().endswith(b"</svg>")


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"  # the last chunk: its type and its CRC


def drawing_of(kind, rows: list[dict], arms: list[str]) -> dict:
    """The Vega-Lite spec of a chart, themed as plain data (`chart_style.with_theme`). Altair's schema check is left
    to the tests (tests/test_chart_kinds.py validates every kind's spec): it would double the cost of drawing. The
    chart names its data, which goes into the spec as it is: Altair would otherwise copy and convert each value (an
    icon array has 100 rows an arm) several times, for the same picture."""
    return with_theme(kind.chart(rows, arms).to_dict(validate=False)) | {"datasets": {DATASET: kind.values(rows)}}


@dataclass(frozen=True)
class CardImage:
    """A trial's social card: a PNG of one of its charts, titled with the trial's name, and its text alternative.

    With a cache, the PNG stays there until the site is written (`png()`), so that a thousand trials' cards (about
    300 KB each) are never held at once."""

    alt: str
    width: int
    height: int
    drawing: Drawing
    cache: Cache
    kept: bytes = b""  # the PNG itself, when there is no cache to keep it

    def png(self) -> bytes:
        """The picture's bytes."""
        return self.kept or _cached(self.cache, self.drawing)


def make_card(trial: Trial, spec: ChartSpec, cache: Cache = NO_CACHE) -> CardImage:
    """Draw a chart as a PNG at twice its size, titled '<trial>: <chart title>', for link previews."""
    kind = KINDS[spec.kind]
    rows = kind.rows(trial, spec)
    drawing = card_drawing(trial, spec, rows)
    png = _cached(cache, drawing)
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's size of the image
    return CardImage(f"{trial.name}: {spec.title}. {kind.card_text(rows)}", width, height, drawing, cache,
                     b"" if cache.folder else png)


def _analyses(trial: Trial, rows: list[dict]) -> list[str]:
    """Each analysis the rows come from, once, with its follow-up and data cut-off, in the trial's order."""
    labels = {row.get("analysis") for row in rows}
    return [wording.analysis_with_cutoff(a) for a in trial.analyses if wording.analysis_label(a) in labels]


# vl-convert draws each circle as a path of two arcs; a <circle> draws the same in a third of the bytes.
_ARC_CIRCLE = re.compile(r'<path transform="translate\(([-\d.]+),([-\d.]+)\)" '
                             r'd="M([\d.]+),0A\3,\3,0,1,1,-\3,0A\3,\3,0,1,1,\3,0"')
_TAG = re.compile(r"<[^>]+>")
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{4,}")  # in tags only: the words a chart shows keep every digit
# What draws nothing: empty backgrounds and hidden foregrounds, and attributes that change nothing in a static picture.
_NOTHING = re.compile(r'<path d="M0,0h0v0h0Z"/>|<path d="" display="none"/>')
_CIRCLE = re.compile(r'<circle (cx="[^"]*" cy="[^"]*" r="[^"]*")((?: [a-z-]+="[^"]*")*)/>')
_CIRCLE_RUN = re.compile(rf"(?:{_CIRCLE.pattern})+")
_NO_EFFECT = re.compile(r' (?:opacity="1"|pointer-events="none"|aria-hidden="true"|class="[^"]*"'
                        r'|transform="translate\(0,0\)"|text-anchor="start")')  # start: the default, never inherited
_UNPAINTED = re.compile(r'<path d="[^"]*"/>')  # no fill or stroke of its own: it draws nothing, unless a group paints
_PAINTING_GROUPS = re.compile(r'<g\b[^>]*?(?:fill|stroke)="[^"]*"')
_GROUP_TAG = re.compile(r"<g\b[^>]*>|</g>")
_ROOT_EXTRAS = re.compile(r' (?:xmlns:xlink="[^"]*"|version="1\.1"|class="marks")')
_PLAIN_CIRCLE = re.compile(r'<circle cx="([^"]*)" cy="([^"]*)" r="([^"]*)"/>')  # painted by its group
_PLAIN_RUN = re.compile(rf"(?:{_PLAIN_CIRCLE.pattern}){{2,}}")
_TEXT_SIZE = re.compile(r'(<text\b[^>]*?) font-size="([^"]*)"')
_PLAIN_TEXT_FILL = re.compile(rf'(<text\b[^>]*?) fill="{TEXT}"')  # site.css: .chart svg text:not([fill])
ROW_PREFIX = "row"  # ids of repeated rows of circles: row1, row2...


def compact_svg(svg: str) -> str:
    """The same picture in fewer bytes: without markup that draws nothing, circles as <circle>, grouped by their
    paint, coordinates to a thousandth of a pixel, the texts' one size said once, and rows of circles drawn more
    than once drawn once. Fills and strokes stay as written (the dark style sheet swaps colours by them)."""
    head, _, rest = without_no_ops(svg).partition(">")
    rest = _CIRCLE_RUN.sub(_grouped, _ARC_CIRCLE.sub(r'<circle cx="\1" cy="\2" r="\3"', rest))
    rest = _TAG.sub(lambda tag: _LONG_DECIMAL.sub(_rounded, tag.group(0)), rest)
    return with_shared_rows(with_text_size_on_root(head + ">" + rest))


def with_text_size_on_root(svg: str) -> str:
    """Every text's size said once, on the root, when all texts share it: font-size is inherited, and nothing
    between the root and a text sets it. The picture is the same, pixel for pixel (tested)."""
    head, _, rest = svg.partition(">")
    sizes = [size for _, size in _TEXT_SIZE.findall(rest)]
    if len(set(sizes)) != 1 or len(sizes) != rest.count("<text") or "<g font-size" in rest or "font-size" in head:
        return svg
    return f'{head} font-size="{sizes[0]}">' + _TEXT_SIZE.sub(r"\1", rest)


def with_shared_rows(svg: str) -> str:
    """Rows of circles drawn more than once (the full rows of an icon array) drawn once, in <defs>, and placed with
    <use>: an icon array's 200 circles become about 30 elements. A <use> takes its paint from its group, as the
    circles did, so the picture is the same (tested: putting each row back gives the markup as it was)."""
    rows = [row for run in _PLAIN_RUN.finditer(svg) for row in _rows(run.group(0))]
    counts = Counter(shape for _, shape in rows)  # in first-seen order, so that the ids are the same every build
    repeated = [shape for shape, count in counts.items() if count > 1 and len(shape[1]) > 2]
    shared = {shape: f"{ROW_PREFIX}{n}" for n, shape in enumerate(repeated, 1)}
    if not shared:
        return svg

    def placed(run: re.Match[str]) -> str:
        return "".join(f'<use href="#{shared[shape]}" y="{y}"/>' if shape in shared
                       else "".join(f'<circle cx="{x}" cy="{y}" r="{shape[0]}"/>' for x in shape[1])
                       for y, shape in _rows(run.group(0)))
    defs = "".join(f'<g id="{name}">' + "".join(f'<circle cx="{x}" r="{r}"/>' for x in xs) + "</g>"
                   for (r, xs), name in shared.items())
    head, _, rest = svg.partition(">")
    return f"{head}><defs>{defs}</defs>" + _PLAIN_RUN.sub(placed, rest)


def _rows(run: str) -> list[tuple[str, tuple[str, tuple[str, ...]]]]:
    """A run of circles as rows: (y, (radius, each x)) for neighbours that share their y and radius."""
    rows: list[tuple[str, tuple[str, tuple[str, ...]]]] = []
    for x, y, r in _PLAIN_CIRCLE.findall(run):
        if rows and rows[-1][0] == y and rows[-1][1][0] == r:
            rows[-1] = (y, (r, (*rows[-1][1][1], x)))
        else:
            rows.append((y, (r, (x,))))
    return rows


def without_no_ops(svg: str) -> str:
    """The SVG without what draws nothing: empty backgrounds, hidden or unpainted shapes, attributes that change
    nothing in a static picture, groups without attributes, and the root's XLink namespace when nothing uses it.
    The picture is the same, pixel for pixel (tested)."""
    head, _, rest = svg.partition(">")
    if "xlink:" not in rest:
        head = _ROOT_EXTRAS.sub("", head)
    rest = _NOTHING.sub("", _NO_EFFECT.sub("", rest))
    if _PAINTING_GROUPS.findall(rest) == ['<g fill="none"']:  # Vega's drawing group: nothing else paints for a path
        rest = _UNPAINTED.sub("", rest)
    return head + ">" + _without_bare_groups(rest)


def _without_bare_groups(svg: str) -> str:
    """The markup without <g> elements that have no attributes (they group nothing a reader sees), their content
    kept in place."""
    kept: list[bool] = []  # for each open <g>: whether its tags stay

    def tag(match: re.Match[str]) -> str:
        if match.group(0) != "</g>":
            kept.append(match.group(0) != "<g>")
            return match.group(0) if kept[-1] else ""
        return match.group(0) if kept.pop() else ""
    return _GROUP_TAG.sub(tag, svg)


def _rounded(number: re.Match[str]) -> str:
    """A coordinate to a thousandth of a pixel (76.19047619047619 -> 76.19), which no screen can show apart."""
    return f"{float(number.group(0)):.3f}".rstrip("0").rstrip(".")


def _grouped(run: re.Match[str]) -> str:
    """Neighbouring circles that share their paint, in one <g> that holds it (fill and stroke are inherited)."""
    out: list[str] = []
    group: list[str] = []
    paint: str | None = None
    for circle in _CIRCLE.finditer(run.group(0)):
        if circle.group(2) != paint and group:
            out.append(_painted_group(group, paint))
            group = []
        paint = circle.group(2)
        group.append(circle.group(1))
    out.append(_painted_group(group, paint))
    return "".join(out)


def _painted_group(shapes: list[str], paint: str | None) -> str:
    """Circles without their own paint, inside a <g> with it (one circle keeps it on itself)."""
    if len(shapes) == 1 or not paint:
        return "".join(f"<circle {shape}{paint or ''}/>" for shape in shapes)
    return f"<g{paint}>" + "".join(f"<circle {shape}/>" for shape in shapes) + "</g>"


def accessible_svg(svg: str, fig_id: str, title: str) -> str:
    """Give the SVG root role=img and a name, make its ids unique on the page, and leave fonts and the usual text
    colour to the page's CSS (about 190 texts on a trial page: 3 KB)."""
    svg = _PLAIN_TEXT_FILL.sub(r"\1", re.sub(r'\sfont-family="[^"]*"', "", svg))
    ids = re.findall(r'\sid="([^"]+)"', svg)
    for old in ids:
        svg = (svg.replace(f'id="{old}"', f'id="{fig_id}-{old}"').replace(f"url(#{old})", f"url(#{fig_id}-{old})")
               .replace(f'href="#{old}"', f'href="#{fig_id}-{old}"'))
    head, _, rest = svg.partition(">")
    head = re.sub(r'\s(role|aria-[a-z]+)="[^"]*"', "", head)
    # The root is one image named by its title; inner roles would ask for names of their own.
    rest = re.sub(r'\s(role|aria-roledescription|aria-label)="[^"]*"', "", rest)
    title_id = f"{fig_id}-title"
    # Named by its title only: the summary is the text right after it, so describing the image too would say it twice.
    return (f'{head} role="img" aria-labelledby="{title_id}" focusable="false">'
            f'<title id="{title_id}">{html.escape(title, quote=False)}</title>{rest}')


NUMBER_CELL = re.compile(r"^[-+]?\d+(\.\d+)?%?$")


def to_csv(headers: list[str], rows: list[list[str]]) -> str:
    """CSV text with a header row and Unix line ends; no cell can run as a spreadsheet formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in headers])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return out.getvalue()


def safe_cell(cell: str) -> str:
    """Neutralise text starting with = + - @ (or a tab or return) with a leading quote; numbers stay numbers."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER_CELL.match(cell):
        return "'" + cell
    return cell


