"""Pure chart functions: trial data in, rows and `alt.Chart` out. No file I/O, no clock, no randomness."""
from __future__ import annotations

import textwrap

import altair as alt

from . import numbers as fmt
from .schema import NOT_STATED, ChartSpec, Trial, by_id

# Each colour has at least 4.5:1 contrast on white, so bars and labels pass WCAG 1.4.3 and 1.4.11.
ARM_COLOURS = ["#1b4f8a", "#a34700", "#2b6e3f", "#6a3d9a", "#7a5c00"]
EMPTY_ICON = "#6b6b6b"
TEXT = "#1a1a1a"
FONT_SIZE = 13
HEADER_CHARS = 38  # header lines wrap here, so charts stay narrow enough to read on a phone
LINE_BREAK = "|"  # header labels are split into lines here, so long labels wrap instead of being cut
SPLIT_LINES = f"split(datum.value, '{LINE_BREAK}')"


def chart_rows(trial: Trial, spec: ChartSpec) -> list[dict]:
    """The one table of numbers behind a chart, its description, its HTML table and its CSV."""
    return {"medians": _median_rows, "icon-array": _icon_rows, "side-effects": _side_effect_rows}[spec.kind](trial, spec)


def make_chart(trial: Trial, spec: ChartSpec) -> alt.TopLevelMixin:
    """The Altair chart for one chart spec of a trial."""
    rows = chart_rows(trial, spec)
    build = {"medians": medians_chart, "icon-array": icon_array_chart, "side-effects": side_effects_chart}[spec.kind]
    return build(rows, [a.short_label for a in trial.arms]).configure(
        aria=False, font="sans-serif", background="white", padding={"left": 12, "right": 12, "top": 6, "bottom": 6},
        axis={"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelColor": TEXT, "titleColor": TEXT,
              "labelLimit": 260},
        header={"labelFontSize": FONT_SIZE, "labelColor": TEXT, "titleFontSize": FONT_SIZE},
        view={"stroke": None},
    )


def _median_rows(trial: Trial, spec: ChartSpec) -> list[dict]:
    """One row per result and arm: median and 95% CI."""
    rows = []
    for result_id in spec.results:
        result = by_id(trial.results, result_id)
        analysis = by_id(trial.analyses, result.analysis)
        lines = [result.label] if result.label else []
        lines.append(analysis.name)
        lines.append(fmt.follow_up(analysis) + " of follow-up" if analysis.follow_up_months != NOT_STATED
                     else "Follow-up not stated by the source")
        if result.assessment in ("local", "central"):
            lines.append("Judged by " + fmt.lower_first(fmt.ASSESSMENT_LABELS[result.assessment]))
        if result.comparison:
            lines.append(_comparison_line(result.comparison))
        group = LINE_BREAK.join(part for line in lines for part in textwrap.wrap(line, HEADER_CHARS))
        for arm in trial.arms:
            value = result.values[arm.id]
            low, high = (float(v) for v in value.ci95) if value.ci95 else (None, None)
            rows.append({
                "result": result.id, "group": group, "arm": arm.label, "arm_short": arm.short_label, "unit": result.unit,
                "median": float(value.value), "ci_low": low, "ci_high": high,
                "label_x": max(float(value.value), high or 0.0),
                "label": fmt.number(value.value) + (f" ({fmt.interval(value.ci95)})" if value.ci95 else ""),
            })
    return rows


def _comparison_line(comparison) -> str:
    """'Hazard ratio 0.89 (0.73 to 1.10): not statistically significant'."""
    ci = f" ({fmt.interval(comparison.ci95)})" if comparison.ci95 else ""
    verdict = "statistically significant" if comparison.significant else "not statistically significant, could be chance"
    return f"Hazard ratio {fmt.number(comparison.hazard_ratio)}{ci}: {verdict}"


def _icon_rows(trial: Trial, spec: ChartSpec) -> list[dict]:
    """One row per arm: the published percent and the whole number out of 100."""
    result = by_id(trial.results, spec.result)
    return [{"arm": arm.label, "arm_short": arm.short_label, "percent": float(result.values[arm.id].value),
             "out_of_100": fmt.per100(result.values[arm.id].value),
             "shown": fmt.number(result.values[arm.id].value)} for arm in trial.arms]


def _side_effect_rows(trial: Trial, spec: ChartSpec) -> list[dict]:
    """One row per side effect and arm, per 100 people."""
    table = by_id(trial.side_effects, spec.side_effects)
    rows = []
    for event in table.events:
        for arm in trial.arms:
            value = event.values[arm.id]
            below = isinstance(value, str)
            rows.append({"event": event.name, "arm": arm.label, "arm_short": arm.short_label,
                         "per_100": 0.0 if below else float(value),
                         "shown": value if below else fmt.number(value)})
    return rows


def medians_chart(rows: list[dict], arms: list[str]) -> alt.FacetChart:
    """Horizontal bars of medians with 95% CI whiskers, one panel per analysis, values written at the bar ends."""
    groups = list(dict.fromkeys(r["group"] for r in rows))
    top = max(max(r["label_x"] for r in rows), 1.0)
    unit = rows[0]["unit"] or ""
    y = alt.Y("arm_short:N", sort=arms, title=None, axis=alt.Axis(domain=False, ticks=False, labelPadding=6))
    x = alt.X("median:Q", title=f"Median ({unit})", scale=alt.Scale(domain=[0, top * 1.45], nice=False),
              axis=alt.Axis(tickCount=5, grid=False))
    base = alt.Chart()
    bars = base.mark_bar(height=16).encode(
        y=y, x=x, color=alt.Color("arm_short:N", scale=alt.Scale(domain=arms, range=ARM_COLOURS[:len(arms)]), legend=None))
    whiskers = base.mark_rule(color=TEXT, strokeWidth=1.5).encode(y=y, x="ci_low:Q", x2="ci_high:Q")
    labels = base.mark_text(align="left", dx=5, fontSize=FONT_SIZE, color=TEXT).encode(y=y, x="label_x:Q", text="label:N")
    return alt.layer(bars, whiskers, labels, data=alt.Data(values=rows)).properties(
        width=190, height=alt.Step(24)).facet(
        row=alt.Row("group:N", sort=groups, title=None,
                    header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold",
                                      labelExpr=SPLIT_LINES, labelLimit=0, labelPadding=4, labelLineHeight=17)),
        spacing=14)


def icon_array_chart(rows: list[dict], arms: list[str]) -> alt.FacetChart:
    """One 10 x 10 array per arm: filled circles (grouped from the top left) for people with the outcome."""
    icons = []
    for row in rows:
        title = f"{row['arm_short']}{LINE_BREAK}{row['out_of_100']} out of 100"
        for k in range(100):
            icons.append({"panel": title, "arm": row["arm_short"], "col": k % 10, "row": k // 10,
                          "filled": k < row["out_of_100"]})
    panels = list(dict.fromkeys(icon["panel"] for icon in icons))
    x = alt.X("col:O", axis=None)
    y = alt.Y("row:O", axis=None)
    base = alt.Chart()
    filled = base.mark_circle(size=115, opacity=1).encode(
        x=x, y=y, color=alt.Color("arm:N", scale=alt.Scale(domain=arms, range=ARM_COLOURS[:len(arms)]), legend=None)
    ).transform_filter("datum.filled")
    empty = base.mark_circle(size=115, opacity=1, fill="white", stroke=EMPTY_ICON, strokeWidth=1.5).encode(
        x=x, y=y).transform_filter("!datum.filled")
    return alt.layer(filled, empty, data=alt.Data(values=icons)).properties(width=150, height=150).facet(
        column=alt.Column("panel:N", sort=panels, title=None,
                          header=alt.Header(labelFontWeight="bold", labelExpr=SPLIT_LINES, labelLimit=0,
                                            labelLineHeight=17)),
        spacing=28)


def side_effects_chart(rows: list[dict], arms: list[str]) -> alt.FacetChart:
    """Bars per 100 people, one panel per arm on the same 0-100 scale, values written at the bar ends."""
    events = list(dict.fromkeys(r["event"] for r in rows))
    y = alt.Y("event:N", sort=events, title=None, axis=alt.Axis(domain=False, ticks=False, labelPadding=6))
    x = alt.X("per_100:Q", title="Out of 100 people", scale=alt.Scale(domain=[0, 100]),
              axis=alt.Axis(values=[0, 50, 100], grid=False))
    base = alt.Chart()
    bars = base.mark_bar(height=14).encode(
        y=y, x=x, color=alt.Color("arm_short:N", scale=alt.Scale(domain=arms, range=ARM_COLOURS[:len(arms)]), legend=None))
    labels = base.mark_text(align="left", dx=4, fontSize=FONT_SIZE, color=TEXT).encode(y=y, x="per_100:Q", text="shown:N")
    return alt.layer(bars, labels, data=alt.Data(values=rows)).properties(width=110, height=alt.Step(22)).facet(
        column=alt.Column("arm_short:N", sort=arms, title=None, header=alt.Header(labelFontWeight="bold", labelLimit=200)),
        spacing=16)
