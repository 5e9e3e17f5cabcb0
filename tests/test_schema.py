"""Each bad input gives one exact, pinned error: path:line: field: message."""
from __future__ import annotations

import json

import pytest
from conftest import ROOT

from trialsite.pipeline import build
from trialsite.schema import json_schemas

TRIAL = "data/trials/tiny-trial.yaml"
PAGE = "content/trials/tiny-trial.md"

CASES = [
    ("missing field", TRIAL, "name: TINY-1\n", "",
     "data/trials/tiny-trial.yaml:1: name: required field is missing"),
    ("wrong type", TRIAL, "enrolled: {value: 90,", "enrolled: {value: ninety,",
     "data/trials/tiny-trial.yaml:14: enrolled.value: must be a whole number, not 'ninety'"),
    ("duplicate key", TRIAL, "name: TINY-1\n", "name: TINY-1\nname: TINY-2\n",
     "data/trials/tiny-trial.yaml:3: name: duplicate key (first given on line 2)"),
    ("unknown key", TRIAL, "    short_label: A group\n", "    short_lable: A group\n",
     # one cause, one message: the field it suggests is not also reported missing
     ["data/trials/tiny-trial.yaml:18: arms[0].short_lable: unknown field; did you mean 'short_label'? "
      "(allowed: id, label, short_label, randomised, treatments)"]),
    ("unknown analysis", TRIAL, "    analysis: final\n    assessment: central",
     "    analysis: finale\n    assessment: central",
     "data/trials/tiny-trial.yaml:56: results[0].analysis: unknown analysis 'finale' (known: final, poster)"),
    ("unknown source", TRIAL, "    sources: [poster2021]\nside_effects", "    sources: [poster2022]\nside_effects",
     "data/trials/tiny-trial.yaml:77: results[1].sources: unknown source 'poster2022' (not in data/sources.yaml)"),
    ("unknown arm", TRIAL, "      drug-b: {value: 5.5}", "      drug-c: {value: 5.5}",
     # one unknown arm for one missing arm is a misspelt arm: one message
     ["data/trials/tiny-trial.yaml:63: results[0].values.drug-c: unknown arm 'drug-c' "
      "(known: drug-a, drug-b, usual-care)"]),
    ("unknown and missing arms", TRIAL, "      drug-b: {value: 5.5}\n      usual-care: {value: 3.0, ci95: [2.0, 4.0]}",
     "      drug-c: {value: 5.5}",
     ["data/trials/tiny-trial.yaml:61: results[0].values: missing a value for arm(s): drug-b, usual-care",
      "data/trials/tiny-trial.yaml:63: results[0].values.drug-c: unknown arm 'drug-c' "
      "(known: drug-a, drug-b, usual-care)"]),
    ("interval misses value", TRIAL, "{value: 6.0, ci95: [4.5, 7.25]}", "{value: 8.0, ci95: [4.5, 7.25]}",
     "data/trials/tiny-trial.yaml:62: results[0].values.drug-a.ci95: the value 8.0 lies outside its interval "
     "[4.5, 7.25]"),
    ("a count with no source", TRIAL, "enrolled: {value: 90, source: paper2020}\n",
     "enrolled: {value: 91, source: paper2020}\nrandomised: {value: 88}\n",
     "data/trials/tiny-trial.yaml:15: randomised.source: required field is missing"),
    ("chart of wrong kind", TRIAL,
     "kind: medians, title: Median time before the illness got worse, results: [pfs-final]",
     "kind: medians, title: Median time before the illness got worse, results: [response-poster]",
     "data/trials/tiny-trial.yaml:88: charts[0].results[0]: result 'response-poster' is a percent, not a median"),
    ("unknown compared arm", TRIAL, "comparisons: [{arms: [drug-a, usual-care]",
     "comparisons: [{arms: [drug-a, placebo]",
     "data/trials/tiny-trial.yaml:65: results[0].comparisons[0].arms[1]: unknown arm 'placebo' "
     "(known: drug-a, drug-b, usual-care)"),
    ("unknown population", TRIAL, "    population: not-stated\n", "    population: safety\n",
     "data/trials/tiny-trial.yaml:71: results[1].population: unknown population 'safety' "
     "(known: not-stated, randomised)"),
    ("bad yaml", TRIAL, "name: TINY-1\n", "name: [TINY-1\n",
     "data/trials/tiny-trial.yaml:2: (yaml): not valid YAML: the '[' on this line is never closed with ']'"),
    ("front matter missing field", PAGE, "summary: A made-up trial with three groups.\n", "",
     "content/trials/tiny-trial.md:2: summary: required field is missing"),
    ("front matter unknown trial", PAGE, "trial: tiny-trial", "trial: tiny-trail",
     "content/trials/tiny-trial.md:8: trial: unknown trial 'tiny-trail' (known: tiny-trial)"),
    ("unknown glossary term", PAGE, "[[median]]", "[[mean]]",
     "content/trials/tiny-trial.md:13: [[mean]]: 'mean' is not in the glossary"),
    ("unknown result in shortcode", PAGE, "{{ pfs-final.drug-a }}", "{{ pfs-finale.drug-a }}",
     "content/trials/tiny-trial.md:13: {{ pfs-finale.drug-a }}: unknown result 'pfs-finale' "
     "(known: pfs-final, response-poster)"),
    ("unknown format", PAGE, "{{ response-poster.drug-a | per100 }}", "{{ response-poster.drug-a | per1000 }}",
     "content/trials/tiny-trial.md:17: {{ response-poster.drug-a | per1000 }}: unknown format 'per1000' here "
     "(use one of: (none), number, per100)"),
    ("unknown chart", PAGE, "{{ chart pfs }}", "{{ chart pfs-curve }}",
     "content/trials/tiny-trial.md:15: chart: unknown chart 'pfs-curve' in trial 'tiny-trial'"),
]


def _edit(project, rel, old, new) -> None:
    """Replace exactly one occurrence of `old` in a project file."""
    path = project / rel
    text = path.read_text()
    assert text.count(old) == 1, f"fixture text not found once: {old!r}"
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("name, rel, old, new, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_exact_error(tiny_project, name, rel, old, new, expected):
    """The build fails with exactly this one error."""
    _edit(tiny_project, rel, old, new)
    result = build(tiny_project, tiny_project / "_site")
    assert [str(e) for e in result.errors] == (expected if isinstance(expected, list) else [expected])
    assert not (tiny_project / "_site").exists()


def test_all_errors_reported_in_one_run(tiny_project):
    """Errors in several files come out together, sorted by file and line."""
    _edit(tiny_project, TRIAL, "name: TINY-1\n", "")
    _edit(tiny_project, "site.yaml", "language: en\n", "language: en\nlanguage: fr\n")
    _edit(tiny_project, PAGE, "title: The TINY-1 trial\n", "")
    _edit(tiny_project, "content/index.md", "made up for the tests.", "made up for the [[tests]].")
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert errors == [
        "content/index.md:8: [[tests]]: 'tests' is not in the glossary",
        "content/trials/tiny-trial.md:2: title: required field is missing",
        "data/trials/tiny-trial.yaml:1: name: required field is missing",
        "site.yaml:8: language: duplicate key (first given on line 7)",
    ]


def test_json_schemas_are_up_to_date():
    """schema/*.json match the models (regenerate with `make schema`)."""
    for name, text in json_schemas().items():
        committed = ROOT / "schema" / name
        assert committed.exists(), f"schema/{name} is missing; run make schema"
        assert committed.read_text() == text, f"schema/{name} is stale; run make schema"
        assert json.loads(text)["$schema"].startswith("https://json-schema.org/")


def test_an_unknown_name_among_many_lists_the_closest_few_not_all():
    """A site of a thousand pages: the error names the five closest addresses and how many there are, in one line
    an author can read, instead of every address."""
    from trialsite.errors import unknown

    pages = [f"explainers/synthetic-{n:04d}/" for n in range(1000)] + ["trials/bolero-2/", "glossary/"]
    assert unknown("page address", "trials/bolero2/", pages) == (
        "unknown page address 'trials/bolero2/' (closest of 1002 known: trials/bolero-2/, glossary/, "
        "explainers/synthetic-0992/, explainers/synthetic-0982/, explainers/synthetic-0972/)")
    assert unknown("arm", "drug-c", ["drug-b", "drug-a"]) == "unknown arm 'drug-c' (known: drug-a, drug-b)"


def test_a_trials_models_share_their_sets_of_given_field_names(tiny_project):
    """model.share_field_sets: models whose fields were given by the same names share one set (memory), and a copy
    with changes still gets a set of its own: the shared one never changes."""
    from pydantic import BaseModel

    from trialsite.project import load_project

    project, errors = load_project(tiny_project)
    assert not errors
    trial = project.trials["tiny-trial"]
    arms = trial.arms

    def models(value):
        """Every model inside a value."""
        if isinstance(value, BaseModel):
            yield value
            for field_value in value.__dict__.values():
                yield from models(field_value)
        elif isinstance(value, (list, tuple, dict)):
            for item in value.values() if isinstance(value, dict) else value:
                yield from models(item)

    shared = [m.__pydantic_fields_set__ for m in models(trial)]
    assert len(shared) > len({frozenset(s) for s in shared})  # some results were given by the same names
    assert len({id(s) for s in shared}) == len({frozenset(s) for s in shared})  # ... and those share one set
    before = set(arms[0].model_fields_set)
    changed = arms[0].model_copy(update={"label": "Another label"})
    assert changed.model_fields_set == before | {"label"}
    assert arms[0].model_fields_set == before and arms[0].__pydantic_fields_set__ is not changed.__pydantic_fields_set__
