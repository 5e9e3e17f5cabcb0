"""Everything a chart shows, made from one set of rows: accessible SVG, description, table and CSV."""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass

import vl_convert

from . import numbers as fmt
from .charts import chart_rows, make_chart
from .schema import ChartSpec, Trial, by_id, source_keys


@dataclass(frozen=True)
class Figure:
    """A rendered chart with its text alternatives."""

    id: str
    title: str
    svg: str
    description: list[str]
    headers: list[str]
    rows: list[list[str]]
    csv_name: str
    csv: str
    sources: list[str]


def make_figure(trial: Trial, spec: ChartSpec, citations: dict[str, str]) -> Figure:
    """Render a chart spec to a Figure; all texts come from the same rows as the chart."""
    rows = chart_rows(trial, spec)
    fig_id = f"chart-{trial.id}-{spec.id}"
    headers, table = TABLES[spec.kind](trial, spec, rows)
    svg = accessible_svg(vl_convert.vegalite_to_svg(make_chart(trial, spec).to_dict()), fig_id, spec.title)
    return Figure(fig_id, spec.title, svg, DESCRIPTIONS[spec.kind](trial, spec, rows), headers, table,
                  f"{spec.id}.csv", to_csv(headers, table), [citations[k] for k in _sources(trial, spec)])


def accessible_svg(svg: str, fig_id: str, title: str) -> str:
    """Give the SVG root role=img and a name, make its ids unique on the page, and leave fonts to the page's CSS."""
    svg = re.sub(r'\sfont-family="[^"]*"', "", svg)
    ids = re.findall(r'\sid="([^"]+)"', svg)
    for old in ids:
        svg = svg.replace(f'id="{old}"', f'id="{fig_id}-{old}"').replace(f"url(#{old})", f"url(#{fig_id}-{old})")
    head, _, rest = svg.partition(">")
    head = re.sub(r'\s(role|aria-[a-z]+)="[^"]*"', "", head)
    # The root is one image named by its title; inner roles would ask for names of their own.
    rest = re.sub(r'\s(role|aria-roledescription|aria-label)="[^"]*"', "", rest)
    title_id = f"{fig_id}-title"
    return (f'{head} role="img" aria-labelledby="{title_id}" aria-describedby="{fig_id}-desc" focusable="false">'
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


def _sources(trial: Trial, spec: ChartSpec) -> list[str]:
    """Source keys behind a chart, in order, without repeats."""
    keys: list[str] = []
    if spec.kind == "side-effects":
        keys += source_keys(by_id(trial.side_effects, spec.side_effects).source)
    for result_id in spec.results or ([spec.result] if spec.result else []):
        result = by_id(trial.results, result_id)
        keys += result.sources
        if result.comparison:
            keys += source_keys(result.comparison.source)
    return list(dict.fromkeys(keys))


def compared_arms(trial: Trial, result) -> tuple[str, str]:
    """Labels of the two arms a result's comparison is between."""
    ids = result.comparison.arms or (trial.arms[0].id, trial.arms[1].id)
    labels = {a.id: a.label for a in trial.arms}
    return labels[ids[0]], labels[ids[1]]


def _comparison_text(trial: Trial, result) -> str:
    """Plain sentence on the hazard ratio and whether the difference could be chance."""
    c = result.comparison
    if c is None:
        return ""
    treated, reference = compared_arms(trial, result)
    between = f" between {fmt.lower_first(treated)} and {fmt.lower_first(reference)}" if len(trial.arms) > 2 else ""
    ci = f", range of likely values {fmt.interval(c.ci95)}" if c.ci95 else ""
    p = f"; p = {c.p.replace('< ', 'less than ')}" if c.p and not c.p.startswith("<") else (f"; p {c.p}" if c.p else "")
    if c.significant:
        return f" The difference{between} was statistically significant (hazard ratio {fmt.number(c.hazard_ratio)}{ci}{p})."
    return (f" The difference{between} was not statistically significant: it could be due to chance "
            f"(hazard ratio {fmt.number(c.hazard_ratio)}{ci}{p}).")


def _describe_medians(trial: Trial, spec: ChartSpec, rows: list[dict]) -> list[str]:
    """One sentence per result, with every number of the chart."""
    out = ["Each bar shows a median: half of the people in the group had a shorter time and half a longer one. "
           "Where the source gives it, a thin line shows the 95% confidence interval (the range of likely values)."]
    for result_id in spec.results:
        result = by_id(trial.results, result_id)
        analysis = by_id(trial.analyses, result.analysis)
        who = fmt.ASSESSMENT_PHRASES[result.assessment]
        arms = "; ".join(
            f"{r['arm']}: {fmt.with_unit(result.values[a.id].value, result.unit)}"
            + (f" (range {fmt.interval(result.values[a.id].ci95, result.unit)})" if result.values[a.id].ci95 else "")
            for r, a in zip([r for r in rows if r["result"] == result_id], trial.arms, strict=True))
        what = result.label or by_id(trial.endpoints, result.endpoint).name
        context = fmt.analysis_label(analysis) + (f", {who}" if who else "")
        note = f" Note: {result.note}" if result.note else ""
        counted = f" Counted: {fmt.population_text(trial, result)}."
        out.append(f"{what}, {fmt.lower_first(context)}. {arms}.{_comparison_text(trial, result)}{counted}{note}")
    return out


def _describe_icons(trial: Trial, spec: ChartSpec, rows: list[dict]) -> list[str]:
    """Each arm's share as a published percent and out of 100."""
    result = by_id(trial.results, spec.result)
    analysis = by_id(trial.analyses, result.analysis)
    endpoint = by_id(trial.endpoints, result.endpoint).name
    parts = "; ".join(f"{r['arm']}: {fmt.per100_text(result.values[a.id].value)} ({r['shown']}%)"
                      for r, a in zip(rows, trial.arms, strict=True))
    return [f"One block of 100 circles per group. Filled circles, grouped from the top left, are the people counted "
            f"in the {fmt.lower_first(endpoint)}; open circles are the rest.",
            f"{endpoint}, {fmt.lower_first(fmt.analysis_label(analysis))}: {parts}.{_comparison_text(trial, result)}"
            f" Counted: {fmt.population_text(trial, result)}." + (f" Note: {result.note}" if result.note else "")]


def _describe_side_effects(trial: Trial, spec: ChartSpec, rows: list[dict]) -> list[str]:
    """Every side effect with its number per 100 people in each arm."""
    table = by_id(trial.side_effects, spec.side_effects)
    analysis = by_id(trial.analyses, table.analysis)
    lines = []
    for event in table.events:
        per_arm = ", ".join(f"{fmt.per100_text(event.values[a.id])} with {fmt.lower_first(a.label)}" for a in trial.arms)
        lines.append(f"{event.name}: {per_arm}.")
    intro = (f"One panel per group, on the same scale from 0 to 100 people. Analysis: "
             f"{fmt.lower_first(fmt.analysis_label(analysis))}; data cut-off: {fmt.data_cutoff(analysis)}.")
    return [intro, " ".join(lines)]


def _table_medians(trial: Trial, spec: ChartSpec, rows: list[dict]):
    """Rows: one per result; columns: analysis, who judged, each arm, hazard ratio, significance."""
    headers = ["Analysis", "Who judged"] + [f"{a.label}: median (95% CI)" for a in trial.arms] + [
        "Hazard ratio (95% CI)", "Statistically significant?"]
    compared = {compared_arms(trial, by_id(trial.results, r)) for r in spec.results if by_id(trial.results, r).comparison}
    if len(trial.arms) > 2 and len(compared) == 1:
        treated, reference = compared.pop()
        headers[-2] = f"Hazard ratio, {treated} vs {reference} (95% CI)"
    table = []
    for result_id in spec.results:
        result = by_id(trial.results, result_id)
        analysis = by_id(trial.analyses, result.analysis)
        label = (f"{result.label}: " if result.label else "") + fmt.analysis_label(analysis)
        cells = [label, fmt.ASSESSMENT_LABELS[result.assessment]]
        for arm in trial.arms:
            value = result.values[arm.id]
            cells.append(fmt.with_unit(value.value, result.unit) + (f" ({fmt.interval(value.ci95)})" if value.ci95 else ""))
        c = result.comparison
        cells.append(fmt.number(c.hazard_ratio) + (f" ({fmt.interval(c.ci95)})" if c.ci95 else "") if c else "Not published")
        cells.append(("Yes" if c.significant else "No") if c else "Not published")
        table.append(cells)
    return headers, table


def _table_icons(trial: Trial, spec: ChartSpec, rows: list[dict]):
    """Rows: one per arm; columns: published percent, out of 100, 95% CI."""
    result = by_id(trial.results, spec.result)
    analysis = by_id(trial.analyses, result.analysis)
    headers = ["Group", "Analysis", "Published percent", "Out of 100 people (rounded)", "95% CI"]
    table = [[a.label, fmt.analysis_label(analysis), f"{r['shown']}%", str(r["out_of_100"]),
              fmt.interval(result.values[a.id].ci95, "percent") if result.values[a.id].ci95 else "Not published"]
             for r, a in zip(rows, trial.arms, strict=True)]
    return headers, table


def _table_side_effects(trial: Trial, spec: ChartSpec, rows: list[dict]):
    """Rows: one per side effect; columns: each arm, per 100 people."""
    table_spec = by_id(trial.side_effects, spec.side_effects)
    headers = ["Side effect"] + [f"{a.label} (out of 100)" for a in trial.arms]
    table = [[e.name] + [str(e.values[a.id]) for a in trial.arms] for e in table_spec.events]
    return headers, table


DESCRIPTIONS = {"medians": _describe_medians, "icon-array": _describe_icons, "side-effects": _describe_side_effects}
TABLES = {"medians": _table_medians, "icon-array": _table_icons, "side-effects": _table_side_effects}
