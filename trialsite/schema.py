"""Declared models for every input file, and validation that collects every error."""
from __future__ import annotations

import datetime as dt
import difflib
import json
import typing
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import SourceError
from .load import YamlDoc

NOT_STATED = "not stated by the source"
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Lower-case letters, digits and hyphens, e.g. `final-pfs`.")]
SourceKeys = Annotated[Union[str, list[str]], Field(description="A source key from `data/sources.yaml`, or a list of keys.")]
Number = Union[int, Decimal]
LessThan = Annotated[str, Field(pattern=r"^<\d+(\.\d+)?$", description="Written as `\"<1\"` when the source gives only an upper bound.")]


def source_keys(value: str | list[str]) -> list[str]:
    """A `source` field as a list of keys, whether one key or several were written."""
    return [value] if isinstance(value, str) else list(value)


def by_id(items, item_id: str):
    """The item of a list with this `id` (references are checked before anything looks them up)."""
    return next(item for item in items if item.id == item_id)


class Model(BaseModel):
    """Base: unknown keys are errors, models are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourcedText(Model):
    value: str = Field(description="The fact, in plain words.")
    source: SourceKeys


class SourcedCount(Model):
    value: int = Field(description="A whole number.")
    source: SourceKeys


class SourcedNumber(Model):
    value: Number = Field(description="A number, written exactly as published (0.80 stays 0.80).")
    source: SourceKeys


class SourcedDate(Model):
    value: dt.date = Field(description="A date written as YYYY-MM-DD.")
    source: SourceKeys


# ---- site.yaml ------------------------------------------------------------------------------

class Site(Model):
    title: str = Field(description="Site name, shown in the header of every page.")
    tagline: str = Field(description="One short line under the site name.")
    publisher: str = Field(description="The organisation that publishes the site (never a person).")
    base_url: str = Field(pattern=r"^https?://.+/$", description="Absolute address of the published site, ending in `/`.")
    feedback: str = Field(pattern=r"^(mailto:|https?://)", description="Where readers send feedback: a `mailto:` or web address.")
    language: str = Field(default="en", description="Language of the pages, as a BCP 47 tag such as `en`.")
    license: Optional[str] = Field(default=None, description="Licence of the site's text, shown in the footer.")
    max_reading_grade: Decimal = Field(default=Decimal(8), description="Highest US school grade (Flesch-Kincaid) a page may read at before the build warns.")


# ---- data/sources.yaml ----------------------------------------------------------------------

class Source(Model):
    key: str = Field(pattern=r"^[a-z0-9_]+$", description="Short key used to cite the source, e.g. `baselga2012`.")
    citation: str = Field(description="Full citation as readers see it.")
    url: str = Field(pattern=r"^https?://", description="Web address of the source.")
    doi: Optional[str] = Field(default=None, description="Digital Object Identifier, without `https://doi.org/`.")
    pmid: Optional[str] = Field(default=None, pattern=r"^\d+$", description="PubMed identifier.")
    note: Optional[str] = Field(default=None, description="What readers should know about this source (e.g. a news report, or a third-party copy).")


class SourceList(Model):
    sources: list[Source] = Field(description="Every source that trials, pages and the glossary cite.")


# ---- data/glossary.yaml ---------------------------------------------------------------------

class Term(Model):
    term: str = Field(description="The word or phrase, as it is linked with `[[term]]`.")
    aliases: list[str] = Field(default=[], description="Other spellings or abbreviations that link to the same entry.")
    definition: str = Field(description="One or two plain sentences.")
    source: Optional[str] = Field(default=None, description="Source key for the definition.")


class Glossary(Model):
    terms: list[Term] = Field(description="The one glossary of the site.")


# ---- content front matter -------------------------------------------------------------------

class FrontMatter(Model):
    title: str = Field(description="Page title; the page's only top-level heading.")
    summary: str = Field(description="One or two sentences; used under the title, in links and for search engines.")
    authors: list[str] = Field(min_length=1, description="Organisations or roles who wrote the page (never invented people).")
    last_reviewed: dt.date = Field(description="Date the whole page was last checked.")
    next_review: dt.date = Field(description="Date by which the page must be checked again.")
    reviewed_by: Optional[list[str]] = Field(default=None, description="Clinical reviewers, as organisations or roles. Leave out until a clinician has checked the page: the page then says so.")
    sources: list[str] = Field(default=[], description="Source keys the page relies on, listed at its foot.")
    trial: Optional[str] = Field(default=None, description="Only for `content/trials/*.md`: the `id` of the trial the page presents.")


# ---- data/trials/*.yaml ---------------------------------------------------------------------

class Identifier(Model):
    registry: str = Field(description="Registry name, e.g. `ClinicalTrials.gov`.")
    value: str = Field(description="The trial's number in that registry.")
    url: str = Field(pattern=r"^https?://", description="Address of the registry entry.")
    source: SourceKeys


class Design(Model):
    randomisation_ratio: SourcedText = Field(description="How people were split between the groups, e.g. `2:1`.")
    blinding: SourcedText = Field(description="Who knew which treatment each person got.")
    control: SourcedText = Field(description="What the comparison group got.")
    crossover: Optional[SourcedText] = Field(default=None, description="Whether people could switch groups.")
    scans: Optional[SourcedText] = Field(default=None, description="How and how often the disease was checked.")
    places: Optional[SourcedText] = Field(default=None, description="Where the trial ran.")


class Treatment(Model):
    drug: str = Field(description="Medicine name in lower case (or `placebo`).")
    dose: Optional[str] = Field(default=None, description="Dose, e.g. `10 mg`; leave out for a placebo.")
    schedule: str = Field(description="How and how often it was taken, in plain words.")
    blinded: bool = Field(description="`true` if patients and doctors did not know whether this was given.")
    source: SourceKeys


class Arm(Model):
    id: Slug
    label: str = Field(description="Name of the group as readers see it, e.g. `Drug A + usual care`.")
    short_label: str = Field(description="Short name used in charts, e.g. `Drug A group`.")
    randomised: SourcedCount = Field(description="Number of people randomly assigned to this group.")
    treatments: list[Treatment] = Field(min_length=1, description="What people in this group took.")


class Population(Model):
    id: Slug
    label: str = Field(description="Who is counted, in plain words.")
    sizes: dict[str, SourcedCount] = Field(description="Number of people in each arm, keyed by arm `id`.")


class Criterion(Model):
    kind: Literal["inclusion", "exclusion"] = Field(description="`inclusion` (who could join) or `exclusion` (who could not).")
    text: str = Field(description="The criterion in plain words.")
    source: SourceKeys


class BaselineFact(Model):
    id: Slug
    label: str = Field(description="What was measured, in plain words.")
    value: Number = Field(description="The published figure.")
    unit: Literal["years", "percent", "people"] = Field(description="`years`, `percent` or `people`.")
    analysis: Optional[str] = Field(default=None, description="Analysis `id` the figure comes from, if known.")
    source: SourceKeys


class Analysis(Model):
    id: Slug
    name: str = Field(description="Plain name, e.g. `Final analysis of progression-free survival`. Readers see it with its follow-up.")
    follow_up_months: Union[SourcedNumber, Literal["not stated by the source"]] = Field(description="Median follow-up in months with its source, or `not stated by the source`.")
    data_cutoff: Union[SourcedDate, Literal["not stated by the source"]] = Field(description="Date the data were frozen for this analysis, or `not stated by the source`.")
    description: str = Field(description="One or two plain sentences on what this analysis was.")
    sources: list[str] = Field(min_length=1, description="Source keys for the analysis as a whole.")


class Endpoint(Model):
    id: Slug
    name: str = Field(description="Plain name of what was measured.")
    role: Literal["primary", "secondary"] = Field(description="`primary` (the main question) or `secondary`.")
    term: Optional[str] = Field(default=None, description="Glossary term that defines it.")


class ArmValue(Model):
    value: Number = Field(description="The published figure for this arm.")
    ci95: Optional[tuple[Number, Number]] = Field(default=None, description="95% confidence interval `[low, high]`, where published.")


class Comparison(Model):
    arms: Optional[tuple[str, str]] = Field(default=None, description="The two arm ids compared, `[treated, reference]`; leave out to compare the first two arms.")
    hazard_ratio: Number = Field(description="Hazard ratio of the treated arm against the reference arm (below 1 favours the treated arm).")
    ci95: Optional[tuple[Number, Number]] = Field(default=None, description="95% confidence interval of the hazard ratio.")
    p: Optional[str] = Field(default=None, description="p-value as published, e.g. `< 0.0001` or `0.14`.")
    significant: bool = Field(description="Whether the source calls the difference statistically significant.")
    source: SourceKeys


class Result(Model):
    id: Slug
    endpoint: str = Field(description="Endpoint `id`.")
    analysis: str = Field(description="Analysis `id`: every number belongs to exactly one analysis.")
    assessment: Literal["local", "central", "not-stated", "not-applicable"] = Field(description="Who judged the outcome: `local` (trial doctors at each hospital), `central` (independent experts), `not-stated`, or `not-applicable` (e.g. death).")
    population: str = Field(description="Who was counted: `randomised` (everyone randomly assigned to the arms), `not-stated`, or the `id` of one of the trial's `populations`.")
    measure: Literal["median", "percent"] = Field(description="`median` (a time) or `percent` (a share of people).")
    unit: Optional[str] = Field(default=None, description="Unit of a median, e.g. `months`. Required for medians.")
    label: Optional[str] = Field(default=None, description="What exactly was measured, when the endpoint name is not enough.")
    values: dict[str, ArmValue] = Field(description="One value per arm, keyed by arm `id`.")
    comparison: Optional[Comparison] = Field(default=None, description="The published comparison between the first two arms.")
    note: Optional[str] = Field(default=None, description="Caveat shown with the result.")
    sources: list[str] = Field(min_length=1, description="Source keys for the values.")


class SideEffect(Model):
    id: Slug
    name: str = Field(description="Plain name, with the medical word in brackets, e.g. `Mouth sores (stomatitis)`.")
    values: dict[str, Union[Number, LessThan]] = Field(description="Percent of people in each arm, keyed by arm `id`.")


class SideEffectTable(Model):
    id: Slug
    title: str = Field(description="What the table shows.")
    grade: str = Field(description="Severity: `any` or a grade range such as `3-4`.")
    analysis: str = Field(description="Analysis `id` (use an analysis whose data cut is `not stated by the source` when the source does not say).")
    source: SourceKeys
    events: list[SideEffect] = Field(min_length=1, description="One row per side effect.")


class ChartSpec(Model):
    id: Slug
    kind: Literal["medians", "icon-array", "side-effects"] = Field(description="`medians` (bars of median times), `icon-array` (out of 100 per arm) or `side-effects` (per 100 people in each arm).")
    title: str = Field(description="Caption of the chart.")
    results: list[str] = Field(default=[], description="For `medians`: result ids with `measure: median`, in the order shown.")
    result: Optional[str] = Field(default=None, description="For `icon-array`: one result id with `measure: percent`.")
    side_effects: Optional[str] = Field(default=None, description="For `side-effects`: a side-effect table id.")


class Trial(Model):
    id: Slug = Field(description="Used in addresses: the trial page is `/trials/<id>/`.")
    name: str = Field(description="Short name of the trial, e.g. its acronym.")
    title: str = Field(description="Plain-language title.")
    condition: str = Field(description="The illness studied, in plain words.")
    identifiers: list[Identifier] = Field(min_length=1, description="Registry numbers.")
    sponsor: SourcedText = Field(description="Who paid for and ran the trial.")
    phase: SourcedText = Field(description="Trial phase, e.g. `3`.")
    design: Design
    primary_endpoint: str = Field(description="Endpoint `id` of the main question.")
    enrolled: SourcedCount = Field(description="Number of people who joined.")
    arms: list[Arm] = Field(min_length=2, description="The groups; the first is the one compared against the others.")
    populations: list[Population] = Field(default=[], description="Groups of people other than everyone randomised, e.g. the safety population.")
    eligibility: list[Criterion] = Field(min_length=1, description="Who could and could not join.")
    baseline: list[BaselineFact] = Field(default=[], description="What the people who joined were like.")
    analyses: list[Analysis] = Field(min_length=1, description="Each look at the data, as its own object.")
    endpoints: list[Endpoint] = Field(min_length=1, description="What the trial measured.")
    results: list[Result] = Field(default=[], description="Every published figure, tied to one analysis.")
    side_effects: list[SideEffectTable] = Field(default=[], description="Side-effect tables.")
    charts: list[ChartSpec] = Field(default=[], description="Charts that pages can place with `{{ chart <id> }}`.")


SCHEMAS = {"site": Site, "sources": SourceList, "glossary": Glossary, "trial": Trial, "front-matter": FrontMatter}


def validate(model: type[Model], doc: YamlDoc) -> tuple[Model | None, list[SourceError]]:
    """Validate parsed YAML against a model; return every error with its line."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_to_source_error(model, doc, err) for err in exc.errors()]


def _to_source_error(model: type[Model], doc: YamlDoc, err: dict) -> SourceError:
    """Turn one pydantic error into a `path:line: field: message` error."""
    loc = _data_loc(err["loc"], doc.data)
    kind = err["type"]
    if kind == "missing":
        message = "required field is missing"
    elif kind == "extra_forbidden":
        message = _unknown_field_message(model, loc)
    else:
        text = err["msg"]
        message = text[0].lower() + text[1:]
    return doc.index.error(loc, message)


def _data_loc(loc: tuple, data: object) -> tuple:
    """Drop the parts of a pydantic location that name union members, not data keys."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not out[-1:] == [part]:
            out.append(part)  # a missing key: keep it so the message names it
            node = None
            continue
        else:
            continue
        out.append(part)
    return tuple(out)


def _unknown_field_message(model: type[Model], loc: tuple) -> str:
    """Say which fields are allowed where an unknown one was found, with a likely fix."""
    allowed = _fields_at(model, loc[:-1])
    if not allowed:
        return "unknown field"
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown field{hint} (allowed: {', '.join(allowed)})"


def _fields_at(model: type, loc: tuple) -> list[str]:
    """Field names of the model found by walking `loc` from `model`."""
    current = model
    for part in loc:
        current = _model_in(current.model_fields[part].annotation) if isinstance(part, str) else current
        if current is None:
            return []
    return list(current.model_fields)


def _model_in(annotation) -> type | None:
    """The model class inside an annotation such as Optional[list[Arm]]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def json_schemas() -> dict[str, str]:
    """JSON Schema text for every input file kind, for editors to autocomplete and check YAML."""
    out = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return out


def write_json_schemas(folder: Path) -> None:
    """Write the JSON Schemas into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in json_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_json_schemas(Path(__file__).resolve().parent.parent / "schema")
