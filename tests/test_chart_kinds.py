"""Chart specs as data (to_dict), and the SVG that vl-convert renders from them."""
from __future__ import annotations

import re

import pytest
from conftest import copy_project

from trialsite.chart_kinds import KINDS, make_chart
from trialsite.chart_style import ARM_COLOURS
from trialsite.figures import accessible_svg, make_figure
from trialsite.project import load_project
from trialsite.shortcodes import resolve


@pytest.fixture
def trial(tiny_project):
    """The tiny three-arm trial."""
    project, errors = load_project(tiny_project)
    assert not errors
    return project.trials["tiny-trial"]


def _spec(trial, chart_id):
    """The chart spec with this id."""
    return next(c for c in trial.charts if c.id == chart_id)


def _data(spec_dict) -> list[dict]:
    """The data values a top-level chart dict names."""
    return spec_dict["datasets"][spec_dict["data"]["name"]]


def test_medians_chart_has_one_bar_per_arm_with_intervals(trial):
    """Median bars carry the published values and CIs, coloured and labelled per arm."""
    spec = make_chart(trial, _spec(trial, "pfs")).to_dict()
    rows = _data(spec)
    assert [(r["arm"], r["median"], r["ci_low"], r["ci_high"]) for r in rows] == [
        ("Drug A", 6.0, 4.5, 7.25), ("Drug B", 5.5, None, None), ("Usual care", 3.0, 2.0, 4.0)]
    bars = spec["spec"]["layer"][0]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["color"]["scale"] == {"domain": ["A group", "B group", "Usual care group"],
                                                  "range": ARM_COLOURS[:3]}
    assert [layer["encoding"]["text"]["field"] for layer in spec["spec"]["layer"][2:]] == ["arm_short", "label"]
    assert [r["label"] for r in rows] == ["6.0 (4.5 to 7.25)", "5.5", "3.0 (2.0 to 4.0)"]


def test_icon_array_fills_out_of_100_per_arm(trial):
    """Each arm gets 100 icons; the filled ones equal the rounded-half-up number out of 100."""
    spec = make_chart(trial, _spec(trial, "response")).to_dict()
    icons = _data(spec)
    for arm, filled in [("A group", 21), ("B group", 10), ("Usual care group", 3)]:
        mine = [i for i in icons if i["arm"] == arm]
        assert len(mine) == 100
        assert sum(i["filled"] for i in mine) == filled
        assert all(i["filled"] for i in mine[:filled])  # grouped from the top left, not scattered
    assert spec["facet"]["field"] == "panel" and spec["columns"] == 2  # two blocks a row at most, for phones


def test_side_effects_chart_shares_a_0_to_100_scale(trial):
    """Every arm's panel uses the same 0-100 scale; '<1' draws no bar but keeps its label."""
    spec = make_chart(trial, _spec(trial, "side-effects")).to_dict()
    assert spec["spec"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 115]  # room for the value at 100
    assert spec["spec"]["layer"][0]["encoding"]["x"]["axis"]["values"] == [0, 50, 100]
    rash = [r for r in _data(spec) if r["event"] == "Rash"]
    assert [(r["per_100"], r["shown"]) for r in rash] == [(30.0, "30"), (12.5, "12.5"), (0.0, "<1")]


def test_chart_functions_are_pure(trial):
    """The same trial gives the same spec twice."""
    spec = _spec(trial, "pfs")
    assert make_chart(trial, spec).to_dict() == make_chart(trial, spec).to_dict()


def test_rendered_svg_is_accessible_and_page_safe(trial):
    """vl-convert output gets role=img, a title, a description link, prefixed ids and no font-family."""
    figure = make_figure(trial, _spec(trial, "pfs"))
    root = re.match(r"<svg[^>]*>", figure.svg).group(0)
    assert 'role="img"' in root
    assert 'aria-labelledby="chart-tiny-trial-pfs-title"' in root
    assert "aria-describedby" not in root  # the summary is the text right after it
    assert '<title id="chart-tiny-trial-pfs-title">Median time before the illness got worse</title>' in figure.svg
    assert "font-family" not in figure.svg
    assert all(i.startswith("chart-tiny-trial-pfs-") for i in re.findall(r'\sid="([^"]+)"', figure.svg))
    assert ">6.0 (4.5 to 7.25)<" in figure.svg  # the direct label is real SVG text


def test_description_table_and_csv_come_from_the_same_numbers(trial):
    """Text, table and CSV carry the same values as the chart."""
    figure = make_figure(trial, _spec(trial, "pfs"))
    assert figure.rows == [["Final analysis (24 months of follow-up)", "Independent experts",
                            "6.0 months (4.5 to 7.25)", "5.5 months", "3.0 months (2.0 to 4.0)",
                            "0.60 (0.40 to 0.90)", "Yes"]]
    assert "Drug A: 6.0 months (range 4.5 to 7.25 months)" in figure.description[1]
    assert ("difference between drug A and usual care was statistically significant (hazard ratio 0.60"
            in figure.description[1])
    assert figure.headers[-2] == "Hazard ratio, Drug A vs usual care (range of likely values)"
    assert figure.csv.splitlines()[1].startswith(
        "Final analysis (24 months of follow-up),Independent experts,6.0 months")
    assert figure.sources == ["paper2020"]


@pytest.mark.parametrize("chart_id, old, new, in_text, in_svg", [
    ("pfs", "drug-a: {value: 6.0, ci95: [4.5, 7.25]}", "drug-a: {value: 6.5, ci95: [4.5, 7.25]}",
     "6.5 months", ">6.5 (4.5"),
    ("response", "drug-a: {value: 20.5}", "drug-a: {value: 40.5}", "40.5%", ">41 out of 100<"),
    ("side-effects", "drug-a: 30,", "drug-a: 45,", "45", ">45<"),
])
def test_one_value_changed_changes_chart_description_table_and_csv(tiny_project, chart_id, old, new, in_text, in_svg):
    """Every view of a chart follows its data: one edited number shows up in all four."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    before = _figure(tiny_project, chart_id)
    trial_file.write_text(trial_file.read_text().replace(old, new, 1))
    after = _figure(tiny_project, chart_id)
    assert after.svg != before.svg
    assert after.description != before.description
    assert after.rows != before.rows
    assert after.csv != before.csv
    assert in_svg in after.svg and in_svg not in before.svg
    assert in_text in " ".join(after.description) and in_text in after.csv


def test_description_and_table_are_made_from_the_rows_alone(trial):
    """A kind's description and table read only its rows: change a row and they change."""
    for spec in trial.charts:
        kind = KINDS[spec.kind]
        rows = kind.rows(trial, spec)
        edited = [dict(rows[0], arm="Edited group")] + rows[1:]
        assert "Edited group" in " ".join(kind.describe(edited)) + str(kind.table(edited))
        assert "Edited group" not in " ".join(kind.describe(rows)) + str(kind.table(rows))


def _figure(project, chart_id):
    """The figure of one chart of the tiny trial, loaded afresh from the project's files."""
    loaded, errors = load_project(project)
    assert not errors
    trial = loaded.trials["tiny-trial"]
    return make_figure(trial, _spec(trial, chart_id))


def test_accessible_svg_prefixes_ids_and_references():
    """Clip-path ids and their url() references are renamed together."""
    svg = '<svg width="1"><defs><clipPath id="clip1"/></defs><g clip-path="url(#clip1)"/></svg>'
    out = accessible_svg(svg, "fig", "A & B")
    assert 'id="fig-clip1"' in out and "url(#fig-clip1)" in out and "<title id=\"fig-title\">A &amp; B</title>" in out


TWO_COMPARISONS = ('comparisons: [{arms: [drug-a, usual-care], value: 0.60, ci95: [0.40, 0.90], p: "0.01", '
                   'significant: true, source: paper2020}]',
                   'comparisons: [{id: a-vs-c, arms: [drug-a, usual-care], value: 0.60, ci95: [0.40, 0.90], p: "0.01", '
                   'significant: true, source: paper2020}, {id: b-vs-c, arms: [drug-b, usual-care], '
                   'measure: odds-ratio, value: 0.90, ci95: [0.60, 1.30], significant: not tested, source: paper2020}]')


def test_a_result_with_two_comparisons_shows_each_with_its_arms(tiny_project):
    """A three-arm result compared two ways: each comparison is named by its arms in the chart, text and table."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    assert TWO_COMPARISONS[0] in trial_file.read_text()
    trial_file.write_text(trial_file.read_text().replace(*TWO_COMPARISONS))
    figure = _figure(tiny_project, "pfs")
    assert ">Drug A vs usual care:<" in figure.svg  # panel headers wrap at 26 characters (chart_style.HEADER_CHARS)
    assert ">hazard ratio 0.60 (0.40 to<" in figure.svg
    assert ">Drug B vs usual care: odds<" in figure.svg
    assert ("The difference between drug B and usual care was not tested for statistical significance: it was an "
            "exploratory look (odds ratio 0.90, range of likely values 0.60 to 1.30).") in figure.description[1]
    assert figure.headers[-2:] == ["Comparison (range of likely values)", "Statistically significant?"]
    assert figure.rows[0][-2:] == [
        "Drug A vs usual care: 0.60 (0.40 to 0.90); Drug B vs usual care: 0.90 (0.60 to 1.30)",
        "Drug A vs usual care: Yes; Drug B vs usual care: Not tested (exploratory)"]


def test_an_arm_not_reported_says_so_in_chart_text_table_and_csv(tiny_project):
    """'not reported' for one arm: no bar or circles for it, and the words in its place everywhere."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    text = trial_file.read_text()
    for old, new in (("drug-b: {value: 5.5}", "drug-b: not reported"), ("drug-b: {value: 10}", "drug-b: not reported"),
                     ("tiredness, name: Tiredness, values: {drug-a: 20, drug-b: 25,",
                      "tiredness, name: Tiredness, values: {drug-a: 20, drug-b: not reported,")):
        assert old in text
        text = text.replace(old, new)
    trial_file.write_text(text)
    medians, icons, harms = (_figure(tiny_project, chart) for chart in ("pfs", "response", "side-effects"))
    assert "Drug B: not reported by the source" in medians.description[1]
    assert medians.rows[0][3] == "Not reported" and "Not reported" in medians.csv.splitlines()[1]
    assert ">Not reported<" in medians.svg
    assert "Drug B: not reported by the source" in icons.description[1]
    assert icons.rows[1][2:4] == ["Not reported", "Not reported"] and ">Not reported<" in icons.svg
    assert _rows_put_back(icons.svg).count("<circle") < _figure_count_circles_baseline(tiny_project)
    assert "Tiredness: 20 out of 100 with drug A, not reported by the source with drug B" in harms.description[1]
    assert harms.rows[1] == ["Tiredness", "20", "Not reported", "10"]


def _figure_count_circles_baseline(project) -> int:
    """How many circles the icon array draws when every arm is reported (300)."""
    fresh = copy_project("tiny", project.parent / "baseline")
    return _rows_put_back(_figure(fresh, "response").svg).count("<circle")


def test_a_result_at_a_time_point_shows_it_everywhere(tiny_project):
    """'At 2 years' goes with the numbers in the chart, its description, its table, its CSV and the shortcode."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    text = trial_file.read_text()
    assert text.count("    measure: percent\n") == 1
    trial_file.write_text(text.replace("    measure: percent\n",
                                       "    measure: percent\n    time_point: {value: 2, unit: years}\n"))
    figure = _figure(tiny_project, "response")
    assert ">21 out of 100 at 2 years<" in figure.svg
    assert figure.description[1].startswith("Response rate at 2 years, poster update")
    assert figure.headers[2:4] == ["Published percent at 2 years", "Out of 100 people (rounded) at 2 years"]
    assert figure.csv.splitlines()[0].startswith("Group,Analysis,Published percent at 2 years,")
    project, errors = load_project(tiny_project)
    assert not errors
    trial = project.trials["tiny-trial"]
    assert resolve("response-poster | time_point", trial, project).text == "2 years"


def test_a_mean_may_be_below_zero_and_a_count_is_whole(tiny_project):
    """The result kinds beyond median and percent keep their own ranges."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    text = trial_file.read_text()
    mean = text.replace("    measure: median\n    unit: months\n", "    measure: mean\n    unit: points\n").replace(
        "drug-a: {value: 6.0, ci95: [4.5, 7.25]}", "drug-a: {value: -1.5}")
    trial_file.write_text(mean.replace(
        "  - {id: pfs, kind: medians, title: Median time before the illness got worse, results: [pfs-final]}\n", "")
        .replace("  tables: [pfs, side-effects]", "  tables: [side-effects]"))
    project, errors = load_project(tiny_project)
    assert not errors, [str(e) for e in errors]
    assert resolve("pfs-final.drug-a", project.trials["tiny-trial"], project).text == "-1.5 points"
    count = text.replace("    measure: median\n    unit: months\n", "    measure: count\n").replace(
        "drug-a: {value: 6.0, ci95: [4.5, 7.25]}", "drug-a: {value: 6.5}")
    trial_file.write_text(count.replace(
        "  - {id: pfs, kind: medians, title: Median time before the illness got worse, results: [pfs-final]}\n", "")
        .replace("  tables: [pfs, side-effects]", "  tables: [side-effects]"))
    _, errors = load_project(tiny_project)
    assert "results[0].values.drug-a.value: a number of people must be a whole number, not 6.5" in str(errors[0])


def test_a_median_not_reached_and_an_open_interval(tiny_project):
    """'not reached' stands in for a median and an interval end: words in text and table, no bar or whisker."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    old = "drug-a: {value: 6.0, ci95: [4.5, 7.25]}"
    assert old in trial_file.read_text()
    trial_file.write_text(trial_file.read_text().replace(old, "drug-a: {value: not reached, ci95: [4.5, not reached]}"))
    figure = _figure(tiny_project, "pfs")
    assert "Drug A: not reached (range 4.5 months to not reached)" in figure.description[1]
    assert figure.rows[0][2] == "not reached (4.5 months to not reached)"  # the table cell keeps its unit
    assert ">not reached (4.5 to not reached)<" in figure.svg
    project, _ = load_project(tiny_project)
    assert resolve("pfs-final.drug-a | ci", project.trials["tiny-trial"], project).text == "4.5 months to not reached"


def test_no_median_reached_draws_no_axis(tiny_project):
    """When no group reached its median there is nothing to measure: no bars, no axis, the words stay."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    text = trial_file.read_text()
    for old in ("drug-a: {value: 6.0, ci95: [4.5, 7.25]}", "drug-b: {value: 5.5}",
                "usual-care: {value: 3.0, ci95: [2.0, 4.0]}"):
        assert old in text
        text = text.replace(old, old.split(":")[0] + ": {value: not reached}")
    trial_file.write_text(text)
    loaded, _ = load_project(tiny_project)
    spec = make_chart(loaded.trials["tiny-trial"], _spec(loaded.trials["tiny-trial"], "pfs")).to_dict()
    assert spec["spec"]["layer"][0]["encoding"]["x"]["axis"] is None
    assert _figure(tiny_project, "pfs").svg.count(">not reached<") == 3


def test_a_subgroup_result_is_titled_with_its_subgroup(tiny_project):
    """A result counted in a subgroup names it in the description; a size 'not reported' says so."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    text = trial_file.read_text()
    assert "populations:\n" not in text and text.count("    population: not-stated\n") == 1
    text = text.replace("    population: not-stated\n", "    population: older\n").replace("arms:\n", (
        "populations:\n  - id: older\n    label: People aged 65 and over\n    subgroup: true\n"
        "    sizes: {drug-a: {value: 10, source: poster2021}, drug-b: not reported, "
        "usual-care: {value: 9, source: poster2021}}\narms:\n"), 1)
    trial_file.write_text(text)
    figure = _figure(tiny_project, "response")
    assert figure.description[1].startswith("Response rate, people aged 65 and over, poster update")
    assert ("Counted: people aged 65 and over (10 in the drug A group, number not reported in the drug B group, "
            "9 in the usual care group).") in figure.description[1]
    assert figure.rows[1][1] == "People aged 65 and over, Poster update (follow-up not stated by the source)"


def test_a_side_effect_as_an_icon_array_like_a_benefit(tiny_project):
    """`side_effect: TABLE.EVENT` draws a harm as 100 circles per arm: the same format, the same words as a result."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    trial_file.write_text(trial_file.read_text().replace(
        "  - {id: side-effects, kind:",
        "  - {id: rash-icons, kind: icon-array, title: How many had a rash, side_effect: any.rash}\n"
        "  - {id: side-effects, kind:"))
    figure = _figure(tiny_project, "rash-icons")
    assert figure.description == [
        "One block of 100 circles per group. Filled circles, grouped from the top left, are the people counted for "
        "this result: rash, any grade. Open circles are the rest.",
        "Rash, any grade, final analysis (24 months of follow-up): Drug A: 30 out of 100 (30%); Drug B: about 13 out "
        "of 100 (12.5%); Usual care: fewer than 1 out of 100 (<1%). Counted: the source does not say who was counted."]
    assert figure.rows == [["Drug A", "Final analysis (24 months of follow-up)", "30%", "30", "Not published"],
                           ["Drug B", "Final analysis (24 months of follow-up)", "12.5%", "13", "Not published"],
                           ["Usual care", "Final analysis (24 months of follow-up)", "<1%", "<1", "Not published"]]
    assert ">&lt;1 out of 100<" in figure.svg and ">30 out of 100<" in figure.svg
    loaded, _ = load_project(tiny_project)
    icons = _data(make_chart(loaded.trials["tiny-trial"], _spec(loaded.trials["tiny-trial"], "rash-icons")).to_dict())
    assert [sum(i["filled"] for i in icons if i["arm"] == arm) for arm in ("A group", "B group", "Usual care group")] \
        == [30, 13, 0]


def test_a_side_effect_table_says_who_was_counted(tiny_project):
    """A side-effect table's `population` is said in the description of a chart drawn from it."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    text = trial_file.read_text().replace("    source: paper2020\n    events:", "    source: paper2020\n"
                                          "    population: randomised\n    events:")
    trial_file.write_text(text.replace("  - {id: side-effects, kind:", "  - {id: rash-icons, kind: icon-array, "
                                       "title: Rash, side_effect: any.rash}\n  - {id: side-effects, kind:"))
    assert "Counted: everyone randomly assigned to a group (30 in the drug A group," in (
        _figure(tiny_project, "rash-icons").description[1])


def test_every_chart_of_the_real_trials_passes_altairs_schema_check():
    """The build skips Altair's check for speed (figures.drawing_of) and merges the site's look as plain data
    (chart_style.with_theme); here every real chart, themed by Altair's configure, must pass the check and give the
    same spec."""
    from conftest import ROOT

    from trialsite.figures import drawing_of

    project, errors = load_project(ROOT)
    assert not errors
    charts = [(trial, spec) for trial in project.trials.values() for spec in trial.charts]
    assert len(charts) >= 10
    for trial, spec in charts:
        kind = KINDS[spec.kind]
        unchecked = drawing_of(kind, kind.rows(trial, spec), [a.short_label for a in trial.arms])
        assert make_chart(trial, spec).to_dict(validate=True) == unchecked, spec.id


def _raw_pictures(tiny_project):
    """(chart id, SVG as vl-convert draws it) for a chart of each kind of the tiny trial."""
    import vl_convert

    from trialsite.figures import drawing_of

    project, _ = load_project(tiny_project)
    trial = project.trials["tiny-trial"]
    for chart_id in ("response", "pfs", "side-effects"):
        spec = _spec(trial, chart_id)
        kind = KINDS[spec.kind]
        yield chart_id, vl_convert.vegalite_to_svg(drawing_of(kind, kind.rows(trial, spec),
                                                              [a.short_label for a in trial.arms]))


def test_markup_that_draws_nothing_is_left_out_and_the_picture_is_the_same(tiny_project):
    """figures.without_no_ops: each chart kind's picture, rasterised, is the same pixel for pixel without it, and
    smaller; no group without attributes and no path without paint is left."""
    import vl_convert

    from trialsite.figures import without_no_ops

    for chart_id, raw in _raw_pictures(tiny_project):
        lean = without_no_ops(raw)
        assert len(lean) < 0.95 * len(raw), chart_id
        assert "<g>" not in lean and not re.search(r'<path d="[^"]*"/>', lean), chart_id
        assert lean.count("<g") == lean.count("</g>"), chart_id
        assert vl_convert.svg_to_png(lean) == vl_convert.svg_to_png(raw), chart_id


def test_the_texts_one_size_is_said_once_and_the_picture_is_the_same(tiny_project):
    """figures.with_text_size_on_root: the size every text shares moves to the root, pixel for pixel the same; a
    picture whose texts differ in size, or one with a text of the default size, keeps each text's own."""
    import vl_convert

    from trialsite.figures import with_text_size_on_root

    for chart_id, raw in _raw_pictures(tiny_project):
        sized = with_text_size_on_root(raw)
        assert sized.partition(">")[0].endswith(' font-size="14px"'), chart_id
        assert sized.count("font-size") == 1 and sized.count("<text") == raw.count("<text") > 0, chart_id
        assert vl_convert.svg_to_png(sized) == vl_convert.svg_to_png(raw), chart_id
    two_sizes = '<svg width="9"><g><text font-size="14px">a</text><text font-size="12px">b</text></g></svg>'
    default_size = '<svg width="9"><g><text font-size="14px">a</text><text>b</text></g></svg>'
    assert with_text_size_on_root(two_sizes) == two_sizes
    assert with_text_size_on_root(default_size) == default_size


def _rows_put_back(svg: str) -> str:
    """The SVG with each <use> of a shared row replaced by the row's circles, and without the <defs>."""
    rows = dict(re.findall(r'<g id="([^"]+)">((?:<circle cx="[^"]*" r="[^"]*"/>)+)</g>', svg))
    svg = re.sub(r"<defs>.*?</defs>", "", svg)
    return re.sub(r'<use href="#([^"]+)" y="([^"]*)"/>',
                  lambda use: re.sub(r'(cx="[^"]*") (r=)', rf'\1 cy="{use.group(2)}" \2', rows[use.group(1)]), svg)


def test_rows_of_circles_drawn_twice_are_drawn_once_and_put_back_give_the_markup_as_it_was(tiny_project):
    """figures.with_shared_rows: an icon array's full rows are one row in <defs>, each placed by a <use> inside
    its paint's group. Putting every row back gives the markup as it was, character for character, so the picture
    is the same (rasterised, resvg smooths the edges of a stroke through a <use> a little differently: at most 37
    of 255 on about 1400 edge pixels of a 292 by 174 picture, invisible side by side). A shape met once, or rows
    of two circles, stay as they are."""
    from trialsite.figures import compact_svg, with_shared_rows

    pictures = dict(_raw_pictures(tiny_project))
    icons = compact_svg(pictures["response"])
    assert icons.count("<use") >= 12 and icons.count("<circle") < 40
    assert re.search(r'^<svg[^>]*><defs><g id="row1">(<circle cx="[\d.]+" r="[\d.]+"/>){10}</g></defs>', icons)
    assert re.findall(r'<g fill="[^"]*"[^>]*>(?:<use [^>]*/>)+', icons), "each <use> sits in its paint's group"
    flat = _rows_put_back(icons)
    assert flat.count("<circle") == len(re.findall(r'd="M[\d.]+,0A', pictures["response"])) == 300  # three arms
    assert "<use" not in flat
    assert with_shared_rows(flat) == icons
    for chart_id in ("pfs", "side-effects"):
        assert "<use" not in compact_svg(pictures[chart_id]), chart_id
    pair = '<svg><g fill="red"><circle cx="1" cy="1" r="1"/><circle cx="3" cy="1" r="1"/></g>'
    twice = pair + pair[5:]
    assert with_shared_rows(twice) == twice


def test_compacting_keeps_every_mark_colour_and_word(tiny_project):
    """compact_svg: each arc-drawn circle becomes one <circle>, neighbours that share their paint share a <g> that
    holds it, and every fill, stroke and text stays as drawn."""
    from trialsite.figures import compact_svg

    for chart_id, raw in _raw_pictures(tiny_project):
        small = _rows_put_back(compact_svg(raw))
        assert len(compact_svg(raw)) < len(raw)
        assert small.count("<circle") == len(re.findall(r'd="M[\d.]+,0A', raw))
        # Circles grouped by paint: put each group's paint back on its circles, and every paint is as drawn.
        ungrouped = re.sub(r'<g((?: (?:fill|stroke|stroke-width)="[^"]*")+)>((?:<circle [^>]*/>)+)</g>',
                           lambda m: m.group(2).replace("/>", m.group(1) + "/>"), small)
        for attribute in ("fill", "stroke", "stroke-width"):
            assert sorted(re.findall(rf' {attribute}="([^"]*)"', ungrouped)) == sorted(
                re.findall(rf' {attribute}="([^"]*)"', raw.replace(' opacity="1"', ""))), (chart_id, attribute)
        assert re.findall(r">([^<>]+)</t", small) == re.findall(r">([^<>]+)</t", raw)
