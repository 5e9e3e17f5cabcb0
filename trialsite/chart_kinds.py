"""One class per chart kind: the fields it takes, its checks, rows, chart, description, table and sources.

This file is the one registry of chart kinds: the trial schema (schema.py) builds the `charts` field from KINDS,
so adding a kind means one `@register`ed ChartKind subclass here with its own `Spec`, and its docs and tests
(docs/architecture.md shows one). Everything a chart shows (the SVG, its description, its table and its CSV) is
made from the rows its kind returns.
"""
from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from . import wording
from .chart_style import (
    ARM_COLOURS,
    EMPTY_ICON,
    FONT_SIZE,
    HEADER_CHARS,
    ICON_BLOCK,
    ICON_SIZE,
    LINE_BREAK,
    LINE_HEIGHT,
    PLOT_WIDTH,
    SPLIT_LINES,
    TEXT,
    themed,
)
from .errors import unknown
from .model import Model, Slug, by_id, source_keys

if TYPE_CHECKING:
    import altair as alt

    from .schema import Trial

DATASET = "rows"  # the name a chart's data goes by in its Vega-Lite spec (`datasets`); see ChartKind.values


class ChartSpec(Model):
    """The fields every chart has; each kind's `Spec` adds `kind` and the field that names its data."""

    noun: ClassVar[str] = "chart"  # how error messages name one of these
    id: Slug = Field(description="Short name used in `{{ chart <id> }}`.")
    kind: str
    title: str = Field(description="Caption of the chart.")


class ChartKind:
    """What every chart kind provides."""

    name = ""
    Spec: type[ChartSpec] = ChartSpec  # its fields, with `kind: Literal["<name>"]`

    def check(self, chart, loc: tuple, results: dict, tables: dict, err) -> None:
        """Report what is wrong with the data a spec of this kind names."""
        raise NotImplementedError

    def rows(self, trial: Trial, spec) -> list[dict]:
        """The one table of numbers behind the chart, its description, its HTML table and its CSV."""
        raise NotImplementedError

    def chart(self, rows: list[dict], arms: list[str]) -> alt.TopLevelMixin:
        """The Altair chart drawn from the rows, its data named DATASET (see `values`)."""
        raise NotImplementedError

    def values(self, rows: list[dict]) -> list[dict]:
        """The data the chart plots, under the name DATASET: the rows themselves, unless the kind derives its own."""
        return rows

    def describe(self, rows: list[dict]) -> list[str]:
        """The text description, from the rows alone: paragraphs with every number of the chart."""
        raise NotImplementedError

    def summarise(self, rows: list[dict]) -> str:
        """What the chart shows, in at most about 50 plain words with its first numbers; shown beside the chart."""
        raise NotImplementedError

    def table(self, rows: list[dict]) -> tuple[list[str], list[list[str]]]:
        """Headers and rows of the chart's data table (and CSV file), from the rows alone."""
        raise NotImplementedError

    def card_text(self, rows: list[dict]) -> str:
        """The chart in words for its social card; the summary, unless a kind's summary leaves numbers out."""
        return self.summarise(rows)

    def sources(self, trial: Trial, spec) -> list[str]:
        """Source keys behind the chart, in order, without repeats."""
        raise NotImplementedError


KINDS: dict[str, ChartKind] = {}  # the registry: name -> kind, in the order the docs list them


def register(kind_class: type[ChartKind]) -> type[ChartKind]:
    """Class decorator: add a chart kind to KINDS (and so to the trial schema, its checks and figures)."""
    KINDS[kind_class.name] = kind_class()
    return kind_class


def _result_sources(trial: Trial, result_ids: list[str]) -> list[str]:
    """Source keys of results and their comparisons, in order, without repeats."""
    keys: list[str] = []
    for result_id in result_ids:
        result = by_id(trial.results, result_id)
        keys += result.sources
        for comparison in result.comparisons:
            keys += source_keys(comparison.source)
    return list(dict.fromkeys(keys))


@register
class Medians(ChartKind):
    """Horizontal bars of medians with their intervals, one panel per result."""

    name = "medians"

    class MediansChart(ChartSpec):
        kind: Literal["medians"] = Field(description="`medians`: bars of median times, one panel per result.")
        results: list[str] = Field(min_length=1, description="Result ids with `measure: median`, in the order shown.")

    Spec = MediansChart

    def check(self, chart, loc, results: dict, tables: dict, err) -> None:
        """The chart names data of this kind."""
        panels: dict[tuple, str] = {}
        for j, rid in enumerate(chart.results):
            if rid in chart.results[:j]:
                err(loc + ("results", j), f"result '{rid}' is listed twice")
                continue
            if rid in results:
                r = results[rid]
                panel = (r.label, r.analysis, r.assessment)
                if panel in panels:
                    err(loc + ("results", j), f"results '{panels[panel]}' and '{rid}' would share one panel of the "
                                              "chart; give each a `label` that tells them apart")
                panels.setdefault(panel, rid)
            if rid not in results:
                err(loc + ("results", j), unknown("result", rid, results), f"result:{rid}")
            elif results[rid].measure != "median":
                err(loc + ("results", j), f"result '{rid}' is a {results[rid].measure}, not a median")

    def rows(self, trial: Trial, spec) -> list[dict]:
        """One row per result and arm: median and 95% CI, with the words the description and table use."""
        rows = []
        for result_id in spec.results:
            result = by_id(trial.results, result_id)
            analysis = by_id(trial.analyses, result.analysis)
            population = _population(trial, result)
            subgroup = population.label if population is not None and population.subgroup else None
            lines = [line for line in (result.label, subgroup) if line]  # a subgroup is named on the chart too
            lines.append(analysis.name)
            lines.append(wording.follow_up(analysis) + " of follow-up" if not isinstance(analysis.follow_up, str)
                         else wording.FOLLOW_UP_NOT_STATED)
            if result.assessment in ("local", "central"):
                lines.append(wording.judged_by(result.assessment))
            many = len(result.comparisons) > 1  # then each line names its two arms
            lines += [wording.comparison_line(c, compared_arms(trial, c) if many else None) for c in result.comparisons]
            group = LINE_BREAK.join(part for line in lines for part in textwrap.wrap(line, HEADER_CHARS))
            shared = {
                "result": result.id, "group": group, "unit": result.unit,
                "result_label": result.label or "",
                "what": wording.result_title(result.label or by_id(trial.endpoints, result.endpoint).name,
                                             _population(trial, result), result.time_point),
                "analysis": wording.analysis_label(analysis), "tag": wording.analysis_tag(analysis, result.assessment),
                "judged_by": wording.ASSESSMENT_LABELS[result.assessment],
                "judged_phrase": wording.ASSESSMENT_PHRASES[result.assessment],
                "comparison": _comparison_text(trial, result), "counted": wording.population_text(trial, result),
                "note": result.note or "",
                "compared": (_pair(compared_arms(trial, result.comparisons[0]))
                             if len(result.comparisons) == 1 else ""),
                "subgroup": subgroup or "",
                "effects": "|".join(sorted({c.measure for c in result.comparisons})),
                "hazard_ratio": _per_comparison(trial, result, wording.effect_cell),
                "significant": _per_comparison(trial, result, lambda c: wording.SIGNIFICANCE_CELLS[c.significant]),
            }
            for arm in trial.arms:
                value = result.values[arm.id]
                if isinstance(value, str):  # not reported: no bar, and the words where the value would be
                    rows.append(shared | _not_reported(arm, {"median": None, "ci_low": None, "ci_high": None,
                                                             "label_x": 0.0, "range_text": ""}))
                    continue
                # A median 'not reached' draws no bar, and an interval with an open end no whisker; the words stay.
                low, high = (_float(v) for v in value.ci95) if value.ci95 else (None, None)
                if low is None or high is None:
                    low = high = None
                rows.append(shared | {
                    "arm": arm.label, "arm_short": arm.short_label,
                    "median": _float(value.value), "ci_low": low, "ci_high": high,
                    "label_x": max(_float(value.value) or 0.0, high or 0.0),
                    "label": wording.number(value.value) + (f" ({wording.interval(value.ci95)})" if value.ci95 else ""),
                    "value_text": wording.with_unit(value.value, result.unit),
                    "range_text": wording.interval(value.ci95, result.unit) if value.ci95 else "",
                    "cell": _median_cell(value, result.unit),
                })
        return rows

    def chart(self, rows: list[dict], arms: list[str]) -> alt.FacetChart:
        """Horizontal bars of medians with 95% CI whiskers, one panel per analysis, values written at the bar ends."""
        import altair as alt  # only when drawing: a cached chart needs no Altair
        groups = list(dict.fromkeys(r["group"] for r in rows))
        top = max(max(r["label_x"] for r in rows), 1.0)
        unit = rows[0]["unit"] or ""
        y = alt.Y("arm_short:N", sort=arms, title=None, axis=None)
        drawn = any(r["median"] is not None for r in rows)  # no bar at all: no scale to read, so no axis
        x = alt.X("median:Q", title=wording.median_axis(unit), scale=alt.Scale(domain=[0, top * 1.05], nice=False),
                  axis=alt.Axis(tickCount=4, grid=False) if drawn else None)
        base = alt.Chart()
        bars = base.mark_bar(height=14).encode(
            y=y, x=x,
            color=alt.Color("arm_short:N", scale=alt.Scale(domain=arms, range=ARM_COLOURS[:len(arms)]), legend=None))
        whiskers = base.mark_rule(color=TEXT, strokeWidth=1.5).encode(y=y, x=alt.X("ci_low:Q"), x2=alt.X2("ci_high:Q"))
        # Each arm's name above its bar and its numbers below it, from the left edge: the words never widen the chart.
        names = base.mark_text(align="left", baseline="bottom", dy=-9, fontSize=FONT_SIZE, color=TEXT).encode(
            y=y, x=alt.XDatum(0), text=alt.Text("arm_short:N"))
        labels = base.mark_text(align="left", baseline="top", dy=9, fontSize=FONT_SIZE, color=TEXT).encode(
            y=y, x=alt.XDatum(0), text=alt.Text("label:N"))
        return alt.layer(bars, whiskers, names, labels, data=alt.Data(name=DATASET)).properties(
            width=PLOT_WIDTH, height=alt.Step(58)).facet(
            row=_stacked_panels("group:N", groups), spacing=14)

    def describe(self, rows: list[dict]) -> list[str]:
        """One sentence per result, with every number of the chart."""
        out = [wording.MEDIANS_INTRO]
        for result_rows in _grouped(rows, "result"):
            first = result_rows[0]
            arms = "; ".join(f"{r['arm']}: {r['value_text']}"
                             + (f" (range {r['range_text']})" if r["range_text"] else "")
                             for r in result_rows)
            context = first["analysis"] + (f", {first['judged_phrase']}" if first["judged_phrase"] else "")
            out.append(wording.result_sentence(first["what"], context, ". " + arms, first["comparison"],
                                               first["counted"], first["note"]))
        return out

    def summarise(self, rows: list[dict]) -> str:
        """The first result's medians, and how many more the table holds."""
        results = _grouped(rows, "result")
        first = results[0]
        values = "; ".join(f"{r['value_text']} with {wording.lower_first(r['arm'])}" for r in first)
        return wording.medians_summary(first[0]["what"], first[0]["tag"], values, len(results))

    def card_text(self, rows: list[dict]) -> str:
        """Every result's medians, not only the first: a card has no table beside it."""
        return " ".join(wording.medians_line(group[0]["what"], group[0]["tag"], "; ".join(
            f"{r['value_text']} with {wording.lower_first(r['arm'])}" for r in group))
            for group in _grouped(rows, "result"))

    def table(self, rows: list[dict]) -> tuple[list[str], list[list[str]]]:
        """Rows: one per result; columns: analysis, who judged, each arm, hazard ratio, significance."""
        arms = list(dict.fromkeys(r["arm"] for r in rows))
        compared = {r["compared"] for r in rows if r["compared"]}
        kinds = {kind for r in rows for kind in r["effects"].split("|") if kind}
        effect = kinds.pop() if len(kinds) == 1 else None if kinds else "hazard-ratio"  # None: of several kinds
        headers = wording.medians_headers(arms, compared.pop() if len(arms) > 2 and len(compared) == 1 else None,
                                          effect)
        table = []
        for result_rows in _grouped(rows, "result"):
            first = result_rows[0]
            named = ", ".join(part for part in (first["result_label"], first["subgroup"]) if part)
            label = (f"{named}: " if named else "") + first["analysis"]
            table.append([label, first["judged_by"]] + [r["cell"] for r in result_rows]
                         + [first["hazard_ratio"], first["significant"]])
        return headers, table

    def sources(self, trial: Trial, spec) -> list[str]:
        """Sources of every result shown."""
        return _result_sources(trial, spec.results)


@register
class IconArray(ChartKind):
    """One block of 100 circles per arm, for a percent of people."""

    name = "icon-array"

    class IconArrayChart(ChartSpec):
        kind: Literal["icon-array"] = Field(description="`icon-array`: 100 circles per arm, filled for those counted.")
        result: str | None = Field(default=None, description="One result id with `measure: percent`.")
        side_effect: str | None = Field(default=None, description=(
            "Instead of `result`: one side effect, as `TABLE.EVENT` (a side-effect table id and one of its events), "
            "so that a harm is drawn the same way as a benefit."))

    Spec = IconArrayChart

    def check(self, chart, loc, results: dict, tables: dict, err) -> None:
        """The chart names one percent: a result, or a side effect of one of the trial's tables."""
        if chart.result is not None and chart.side_effect is not None:
            err(loc, "give 'result' or 'side_effect', not both")
        elif chart.result is None and chart.side_effect is None:
            err(loc, "an icon-array chart needs 'result' (a percent result) or 'side_effect' (TABLE.EVENT)")
        elif chart.side_effect is not None:
            table_id, dot, event_id = chart.side_effect.partition(".")
            events = [e.id for e in tables[table_id].events] if table_id in tables else []
            if table_id not in tables:
                err(loc + ("side_effect",), unknown("side-effect table", table_id, tables),
                    f"side-effect table:{table_id}")
            elif not dot:
                err(loc + ("side_effect",), f"write it as TABLE.EVENT, e.g. '{table_id}.{events[0]}'")
            elif event_id not in events:
                err(loc + ("side_effect",), f"unknown side effect '{event_id}' in table '{table_id}' "
                                            f"(known: {', '.join(sorted(events))})")
        elif chart.result not in results:
            err(loc + ("result",), unknown("result", chart.result, results), f"result:{chart.result}")
        elif results[chart.result].measure != "percent":
            err(loc + ("result",), f"result '{chart.result}' is a {results[chart.result].measure}, not a percent")

    def rows(self, trial: Trial, spec) -> list[dict]:
        """One row per arm: the published percent and the whole number out of 100, with the words around them."""
        if spec.side_effect is not None:
            return self._side_effect_rows(trial, spec.side_effect)
        result = by_id(trial.results, spec.result)
        population = _population(trial, result)
        subgroup = population.label if population is not None and population.subgroup else ""
        shared = {"what": wording.result_title(result.label or by_id(trial.endpoints, result.endpoint).name,
                                               population, None),
                  "subgroup": subgroup,
                  "at": wording.at_time_point(result.time_point),
                  "analysis": wording.analysis_label(by_id(trial.analyses, result.analysis)),
                  "tag": wording.analysis_tag(by_id(trial.analyses, result.analysis), result.assessment),
                  "comparison": _comparison_text(trial, result), "counted": wording.population_text(trial, result),
                  "note": result.note or ""}
        return [shared | self._arm_row(arm, value if isinstance(value, str) else value.value,
                                       None if isinstance(value, str) else value.ci95)
                for arm, value in ((arm, result.values[arm.id]) for arm in trial.arms)]

    def _side_effect_rows(self, trial: Trial, path: str) -> list[dict]:
        """One row per arm for one side effect: its share of people, from its table's analysis."""
        table_id, _, event_id = path.partition(".")
        table = by_id(trial.side_effects, table_id)
        event = by_id(table.events, event_id)
        shared = {"what": wording.side_effect_title(event.name, table.grade), "subgroup": "", "at": "",
                  "analysis": wording.analysis_label(by_id(trial.analyses, table.analysis)),
                  "tag": wording.analysis_tag(by_id(trial.analyses, table.analysis)),
                  "comparison": "", "counted": wording.counted_text(trial, table.population), "note": ""}
        return [shared | self._arm_row(arm, event.values[arm.id], None) for arm in trial.arms]

    @staticmethod
    def _arm_row(arm, value, ci95) -> dict:
        """One arm's share, as a number and in words; an arm not reported has words only."""
        if value == wording.NOT_REPORTED:
            return _not_reported(arm, {"percent": None, "out_of_100": None, "shown": wording.NOT_REPORTED_CELL,
                                       "summary": wording.NOT_REPORTED_TEXT, "ci_text": wording.NOT_REPORTED_CELL})
        below = isinstance(value, str)  # '<1': fewer than 1 out of 100, so no circle is filled
        shown = value if below else wording.number(value)
        return {"arm": arm.label, "arm_short": arm.short_label, "reported": True,
                "percent": None if below else float(value), "out_of_100": 0 if below else wording.per100(value),
                "shown": shown + "%", "summary": f"{wording.per100_text(value)} ({shown}%)",
                "ci_text": wording.interval(ci95, "percent") if ci95 else wording.NOT_PUBLISHED}

    def values(self, rows: list[dict]) -> list[dict]:
        """One row per circle: 100 an arm, in its panel, filled for the people with the outcome."""
        icons = []
        for row in rows:
            if not row["reported"]:
                shown = wording.NOT_REPORTED_CELL
            else:  # '<1 out of 100' when the source gives only an upper bound
                shown = wording.out_of_100(row["out_of_100"] if row["percent"] is not None else row["shown"][:-1])
            title = f"{row['arm_short']}{LINE_BREAK}{shown}{row['at']}"
            for k in range(100):  # an arm not reported keeps its panel and title, with no circles drawn
                icons.append({"panel": title, "arm": row["arm_short"], "col": k % 10, "row": k // 10,
                              "filled": row["reported"] and k < row["out_of_100"], "drawn": row["reported"]})
        return icons

    def chart(self, rows: list[dict], arms: list[str]) -> alt.FacetChart:
        """One 10 x 10 array per arm: filled circles (grouped from the top left) for people with the outcome."""
        import altair as alt  # only when drawing: a cached chart needs no Altair
        panels = list(dict.fromkeys(icon["panel"] for icon in self.values(rows)))
        x = alt.X("col:O", axis=None)
        y = alt.Y("row:O", axis=None)
        base = alt.Chart()
        filled = base.mark_circle(size=ICON_SIZE, opacity=1).encode(
            x=x, y=y, color=alt.Color("arm:N", scale=alt.Scale(domain=arms, range=ARM_COLOURS[:len(arms)]), legend=None)
        ).transform_filter("datum.filled")
        empty = base.mark_circle(size=ICON_SIZE, opacity=1, fill="white", stroke=EMPTY_ICON, strokeWidth=1.5).encode(
            x=x, y=y).transform_filter("datum.drawn && !datum.filled")
        # Two blocks side by side at most, so that a chart stays narrow enough to read on a phone.
        blocks = alt.layer(filled, empty, data=alt.Data(name=DATASET))
        return blocks.properties(width=ICON_BLOCK, height=ICON_BLOCK).facet(
            facet=alt.Facet("panel:N", sort=panels, title=None,
                            header=alt.Header(labelFontWeight="bold", labelExpr=SPLIT_LINES, labelLimit=0,
                                              labelLineHeight=LINE_HEIGHT)),
            columns=2, spacing=20)

    def describe(self, rows: list[dict]) -> list[str]:
        """Each arm's share as a published percent and out of 100."""
        first = rows[0]
        parts = "; ".join(f"{r['arm']}: {r['summary']}" for r in rows)
        return [wording.icons_intro(first["what"] + first["at"]),
                wording.result_sentence(first["what"] + first["at"], first["analysis"], ": " + parts,
                                        first["comparison"],
                                        first["counted"], first["note"])]

    def summarise(self, rows: list[dict]) -> str:
        """Each arm out of 100."""
        values = "; ".join(f"{r['summary'].split(' (')[0]} with {wording.lower_first(r['arm'])}" for r in rows)
        return wording.icons_summary(rows[0]["at"], rows[0]["tag"], values)

    def table(self, rows: list[dict]) -> tuple[list[str], list[list[str]]]:
        """Rows: one per arm; columns: published percent, out of 100, 95% CI."""
        return wording.icon_headers(rows[0]["at"]), [
            [r["arm"], (f"{r['subgroup']}, " if r["subgroup"] else "") + r["analysis"], r["shown"],
             r["shown"] if not r["reported"] else str(r["out_of_100"]) if r["percent"] is not None
             else r["shown"][:-1], r["ci_text"]]
            for r in rows]

    def sources(self, trial: Trial, spec) -> list[str]:
        """Sources of the result or side effect shown."""
        if spec.side_effect is not None:
            return list(dict.fromkeys(source_keys(by_id(trial.side_effects, spec.side_effect.split(".")[0]).source)))
        return _result_sources(trial, [spec.result])


@register
class SideEffects(ChartKind):
    """Bars per 100 people, one panel per arm, for a table of side effects."""

    name = "side-effects"

    class SideEffectsChart(ChartSpec):
        kind: Literal["side-effects"] = Field(description="`side-effects`: bars per 100 people, one panel per arm.")
        side_effects: str = Field(description="The id of one of the trial's side-effect tables.")

    Spec = SideEffectsChart

    def check(self, chart, loc, results: dict, tables: dict, err) -> None:
        """The chart names data of this kind."""
        if chart.side_effects not in tables:
            err(loc + ("side_effects",), unknown("side-effect table", chart.side_effects, tables),
                f"side-effect table:{chart.side_effects}")

    def rows(self, trial: Trial, spec) -> list[dict]:
        """One row per side effect and arm, per 100 people, with the words around them."""
        table = by_id(trial.side_effects, spec.side_effects)
        analysis = by_id(trial.analyses, table.analysis)
        shared = {"analysis": wording.analysis_label(analysis), "tag": wording.analysis_tag(analysis),
                  "cutoff": wording.data_cutoff(analysis)}
        rows = []
        for event in table.events:
            for arm in trial.arms:
                value = event.values[arm.id]
                if value == wording.NOT_REPORTED:
                    rows.append(shared | _not_reported(arm, {"event": event.name, "per_100": 0.0,
                                                             "shown": wording.NOT_REPORTED_CELL,
                                                             "per_100_text": wording.NOT_REPORTED_TEXT}))
                    continue
                below = isinstance(value, str)
                rows.append(shared | {"event": event.name, "arm": arm.label, "arm_short": arm.short_label,
                                      "per_100": 0.0 if below else float(value),
                                      "shown": value if below else wording.number(value),
                                      "per_100_text": wording.per100_text(value), "cell": str(value)})
        return rows

    def values(self, rows: list[dict]) -> list[dict]:
        """The rows, each with its side effect's name broken into header lines."""
        return [row | {"event_header": LINE_BREAK.join(textwrap.wrap(row["event"], HEADER_CHARS))} for row in rows]

    def chart(self, rows: list[dict], arms: list[str]) -> alt.FacetChart:
        """One panel per side effect, a bar per arm on one 0-100 scale, values written at the bar ends.

        Panels stack down the page (not side by side), so the chart stays narrow enough to read on a phone.
        """
        import altair as alt  # only when drawing: a cached chart needs no Altair
        events = list(dict.fromkeys(row["event_header"] for row in self.values(rows)))
        y = alt.Y("arm_short:N", sort=arms, title=None, axis=None)
        x = alt.X("per_100:Q", title=wording.PER_100_AXIS, scale=alt.Scale(domain=[0, 115], nice=False),
                  axis=alt.Axis(values=[0, 50, 100], grid=False))
        base = alt.Chart()
        bars = base.mark_bar(height=14).encode(
            y=y, x=x,
            color=alt.Color("arm_short:N", scale=alt.Scale(domain=arms, range=ARM_COLOURS[:len(arms)]), legend=None))
        names = base.mark_text(align="left", baseline="bottom", dy=-9, fontSize=FONT_SIZE, color=TEXT).encode(
            y=y, x=alt.XDatum(0), text=alt.Text("arm_short:N"))
        labels = base.mark_text(align="left", dx=4, fontSize=FONT_SIZE, color=TEXT).encode(
            y=y, x=alt.X("per_100:Q"), text=alt.Text("shown:N"))
        return alt.layer(bars, names, labels, data=alt.Data(name=DATASET)).properties(
            width=PLOT_WIDTH, height=alt.Step(38)).facet(
            row=_stacked_panels("event_header:N", events), spacing=2)

    def describe(self, rows: list[dict]) -> list[str]:
        """Every side effect with its number per 100 people in each arm."""
        lines = [wording.side_effect_sentence(event_rows[0]["event"],
                                              [(r["arm"], r["per_100_text"]) for r in event_rows])
                 for event_rows in _grouped(rows, "event")]
        return [wording.side_effects_intro(rows[0]["analysis"], rows[0]["cutoff"]), " ".join(lines)]

    def summarise(self, rows: list[dict]) -> str:
        """How many side effects the chart shows, and from which analysis."""
        return wording.side_effects_summary(rows[0]["tag"], len(_grouped(rows, "event")))

    def table(self, rows: list[dict]) -> tuple[list[str], list[list[str]]]:
        """Rows: one per side effect; columns: each arm, per 100 people."""
        arms = list(dict.fromkeys(r["arm"] for r in rows))
        return wording.side_effects_headers(arms), [[event_rows[0]["event"]] + [r["cell"] for r in event_rows]
                                                    for event_rows in _grouped(rows, "event")]

    def sources(self, trial: Trial, spec) -> list[str]:
        """The side-effect table's source."""
        return list(dict.fromkeys(source_keys(by_id(trial.side_effects, spec.side_effects).source)))


def make_chart(trial: Trial, spec) -> alt.TopLevelMixin:
    """The themed Altair chart for one chart spec of a trial."""
    kind = KINDS[spec.kind]
    rows = kind.rows(trial, spec)
    return themed(kind.chart(rows, [a.short_label for a in trial.arms])).properties(
        datasets={DATASET: kind.values(rows)})


def _population(trial: Trial, result):
    """The population a result was counted in, or None for everyone randomised or not stated."""
    return next((p for p in trial.populations if p.id == result.population), None)


def _stacked_panels(field: str, order: list[str]) -> alt.Row:
    """Panels one under another, each titled above its bars in bold lines that wrap: narrow enough for a phone."""
    import altair as alt  # only when drawing: a cached chart needs no Altair
    return alt.Row(field, sort=order, title=None,
                   header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold",
                                     labelExpr=SPLIT_LINES, labelLimit=0, labelPadding=4, labelLineHeight=LINE_HEIGHT))


def _median_cell(value, unit: str | None) -> str:
    """'7.8 months (6.9 to 8.5)'; 'not reached' has no unit of its own, so its interval carries it."""
    if not value.ci95:
        return wording.with_unit(value.value, unit)
    open_median = isinstance(value.value, str)
    return f"{wording.with_unit(value.value, unit)} ({wording.interval(value.ci95, unit if open_median else None)})"


def _float(value) -> float | None:
    """A number for the chart to draw, or None for 'not reached' and 'not estimable'."""
    return None if isinstance(value, str) else float(value)


def _not_reported(arm, fields: dict) -> dict:
    """The row of an arm the source gives no figure for: its chart fields, and the words for text and tables."""
    return fields | {"arm": arm.label, "arm_short": arm.short_label, "reported": False,
                     "label": wording.NOT_REPORTED_CELL, "value_text": wording.NOT_REPORTED_TEXT,
                     "cell": wording.NOT_REPORTED_CELL}


def _grouped(rows: list[dict], key: str) -> list[list[dict]]:
    """Rows in runs that share `key` (one run per result or side effect), in order."""
    runs: dict[object, list[dict]] = {}
    for row in rows:
        runs.setdefault(row[key], []).append(row)
    return list(runs.values())


def compared_arms(trial: Trial, comparison) -> tuple[str, str]:
    """Labels of the two arms a comparison is between (the first two arms unless it names others)."""
    ids = comparison.arms or (trial.arms[0].id, trial.arms[1].id)
    labels = {a.id: a.label for a in trial.arms}
    return labels[ids[0]], labels[ids[1]]


def _comparison_text(trial: Trial, result) -> str:
    """A plain sentence on each comparison; with more than two arms each names the two compared."""
    return "".join(wording.comparison_sentence(c, compared_arms(trial, c) if len(trial.arms) > 2 else None)
                   for c in result.comparisons)


def _pair(arms: tuple[str, str]) -> str:
    """'Drug A vs usual care', as the chart and its description write a pair of arms."""
    return f"{arms[0]} vs {wording.lower_first(arms[1])}"


def _per_comparison(trial: Trial, result, cell) -> str:
    """One table cell for all of a result's comparisons, each named by its arms when there are several."""
    if not result.comparisons:
        return wording.NOT_PUBLISHED
    if len(result.comparisons) == 1:
        return cell(result.comparisons[0])
    return "; ".join(f"{_pair(compared_arms(trial, c))}: {cell(c)}" for c in result.comparisons)
