"""Declared models for every input file, and validation that collects every error in the author's words."""
from __future__ import annotations

import datetime as dt
import difflib
import json
import posixpath
import re
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from .chart_kinds import KINDS, ChartSpec
from .errors import SourceError
from .measures import EFFECTS, MEASURES
from .model import NOT_REPORTED, NOT_STATED, SLUG, Model, Slug, by_id, source_keys  # noqa: F401 - by_id, source_keys: used from here too
from .read import YamlDoc
from .urls import split_url

LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"  # a BCP 47 tag such as en, en-GB or pt-BR
P_VALUE = re.compile(r"^(<\s*)?([0-9]+(\.[0-9]+)?|\.[0-9]+)$")  # [0-9], not \d: no other scripts' digits
LESS_THAN = re.compile(r"^<\s*([0-9]+(\.[0-9]+)?)$")


def _describe(value) -> str:
    """A value as an author would recognise it in a message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _number(value):
    """A number as published (int or exact Decimal); text, true/false and lists are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise ValueError(f"must be a number, not {_describe(value)}")
    return Decimal(str(value)) if isinstance(value, float) else value


def _source_keys(value):
    """One source key, or a list of them."""
    if isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        return value
    raise ValueError(f"must be a source key or a list of source keys, not {_describe(value)}")


def _at_least(low, inclusive: bool = True, what: str = ""):
    """A check that a number is at least (or above) `low`."""
    def check(value):
        if value < low or (not inclusive and value == low):
            raise ValueError(f"{what or 'must be'} {'at least' if inclusive else 'greater than'} {low}, not {value}")
        return value
    return check


def _p_value(value):
    """A p-value as published: a number above 0 and at most 1, or an upper bound such as '< 0.0001'."""
    text = str(value).strip() if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool) else None
    match = P_VALUE.match(text) if text else None
    if not match or not 0 < Decimal(match.group(2)) <= 1:
        raise ValueError(f"a p-value must be a number above 0 and at most 1, such as 0.14, or an upper bound "
                         f"such as '< 0.0001'; not {_describe(value)}")
    return text


def _percent_or_less(value):
    """A percent of people from 0 to 100, '<x' when the source gives only an upper bound, or 'not reported'."""
    if isinstance(value, str) and value.strip() == NOT_REPORTED:
        return NOT_REPORTED
    if isinstance(value, str):
        match = LESS_THAN.match(value.strip())
        if match and 0 < Decimal(match.group(1)) <= 100:
            return "<" + match.group(1)  # '< 1' and '<1' are written alike
        raise ValueError(f"must be a percent from 0 to 100, written like '<1', or '{NOT_REPORTED}'; "
                         f"not {_describe(value)}")
    value = _number(value)
    if not 0 <= value <= 100:
        raise ValueError(f"a percent of people must be from 0 to 100, not {value}")
    return value


def _people(value) -> int:
    """A number of people: a whole number, 0 or more (true and false are not numbers)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {_describe(value)}")
    if value < 0:
        raise ValueError(f"a number of people must be 0 or more, not {value}")
    return value


NUMBER_SCHEMA = WithJsonSchema({"type": "number"})
PeopleCount = Annotated[Any, PlainValidator(_people), WithJsonSchema({"type": "integer", "minimum": 0})]
Number = Annotated[Any, PlainValidator(_number), NUMBER_SCHEMA]
PositiveNumber = Annotated[Any, PlainValidator(_number), AfterValidator(_at_least(0, inclusive=False)), NUMBER_SCHEMA]
OPEN_ENDS = ("not reached", "not estimable")


def _number_or_open(value):
    """A number, or 'not reached' / 'not estimable' as a source writes a median or an interval end it could not give."""
    if isinstance(value, str) and value.strip() in OPEN_ENDS:
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise ValueError(f"must be a number, 'not reached' or 'not estimable', not {_describe(value)}")
    return _number(value)


OpenNumber = Annotated[Any, PlainValidator(_number_or_open),
                       WithJsonSchema({"anyOf": [{"type": "number"}, {"enum": list(OPEN_ENDS)}]})]
Interval = Annotated[tuple[OpenNumber, OpenNumber], Field(description=(
    "`[low, high]`; an end the source could not give is `not reached` or `not estimable`."))]
SourceKeys = Annotated[Any, PlainValidator(_source_keys),
                       WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
                       Field(description="A source key from `data/sources.yaml`, or a list of keys.")]
PValue = Annotated[Any, PlainValidator(_p_value), WithJsonSchema({"type": ["string", "number"]}),
                   Field(description="p-value as published, e.g. `< 0.0001` or `0.14`.")]
PercentOrLess = Annotated[Any, PlainValidator(_percent_or_less), WithJsonSchema({"type": ["string", "number"]})]


def _web_address(value: str) -> str:
    """A web address that parses, with a host name."""
    parts = split_url(value)
    if parts is None or (parts.scheme in ("http", "https") and not parts.hostname):
        raise ValueError(f"'{value}' is not a valid web address")
    return value


def base_url_problem(url: str) -> str | None:
    """Why an address cannot be the site's base URL, or None (one rule for site.yaml and --base-url)."""
    parts = split_url(url)
    clean_path = parts is not None and (parts.path == "/" or (
        posixpath.normpath(parts.path) + "/" == parts.path and "//" not in parts.path
        and not re.search(r"%2f|%5c", parts.path, re.IGNORECASE)))
    if (parts and parts.scheme in ("http", "https") and parts.hostname and parts.path.endswith("/") and clean_path
            and not parts.username and not parts.password and parts.port != 0 and not parts.hostname.startswith("-")
            and not parts.query and not parts.fragment and not re.search(r"[\s\\\"'<>`]", url)):
        return None
    return (f"'{url}' must be the full address the site is published at, starting with https:// (or http://) "
            "and ending in '/', such as https://example.github.io/repo/")


def _email(value: str) -> str:
    """An email address as readers would type it."""
    if not re.fullmatch(r"[^@\s:/<>]+@[^@\s/<>]+\.[^@\s/<>.]+", value):
        raise ValueError(f"must be an email address such as team@example.org (without mailto:), not '{value}'")
    return value


WebAddress = Annotated[str, AfterValidator(_web_address), Field(pattern=r"^https?://")]


def _base_url(value: str) -> str:
    """Validator form of base_url_problem."""
    problem = base_url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _value_or_words(model, words: str, value_tag: str, words_tag: str):
    """A block of fields, or the given words instead: one clear error either way (the tags name the two forms)."""
    def which(value) -> str:
        return words_tag if isinstance(value, str) else value_tag
    return Annotated[Annotated[model, Tag(value_tag)] | Annotated[Literal[words], Tag(words_tag)], Discriminator(which)]


def StatedOr(model):  # noqa: N802 - a type factory, named like the types it makes
    """A value with its source, or the words 'not stated by the source'."""
    return _value_or_words(model, NOT_STATED, "sourced", "not-stated")


def ReportedOr(model):  # noqa: N802 - a type factory, named like the types it makes
    """An arm's figure, or the words 'not reported' when the source gives none for this arm."""
    return _value_or_words(model, NOT_REPORTED, "reported", "not-reported")


Locator = Annotated[str | None, Field(default=None, description=(
    "Where in the source the figure is, e.g. `Table 2`, `Figure 3` or `page 5`. For reviewers; readers do not "
    "see it."))]
Quote = Annotated[str | None, Field(default=None, description=(
    "The source's own words for the figure, short. For reviewers; readers do not see it."))]


class SourcedText(Model):
    value: str = Field(description="The fact, in plain words.")
    source: SourceKeys
    locator: Locator
    quote: Quote


class SourcedCount(Model):
    value: PeopleCount = Field(description="A whole number of people (0 or more).")
    source: SourceKeys
    locator: Locator
    quote: Quote


class SourcedDuration(Model):
    value: PositiveNumber = Field(description="A number above 0, written exactly as published (0.80 stays 0.80).")
    unit: Literal["months", "years"] = Field(default="months", description="`months` (the default) or `years`.")
    source: SourceKeys
    locator: Locator
    quote: Quote


class SourcedDate(Model):
    value: dt.date = Field(description="A date written as YYYY-MM-DD.")
    source: SourceKeys
    locator: Locator
    quote: Quote


def _day_or_month(value):
    """A date, or a month ('2012-07') when the source gives only the month."""
    if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value)):
        return value
    raise ValueError(f"must be a date written as YYYY-MM-DD, or a month written as YYYY-MM when the source gives "
                     f"only the month; not {_describe(value)}")


class SourcedDayOrMonth(Model):
    value: Annotated[Any, PlainValidator(_day_or_month), WithJsonSchema({"type": "string"})] = Field(description=(
        "A date written as YYYY-MM-DD, or a month written as YYYY-MM when the source gives only the month."))
    source: SourceKeys
    locator: Locator
    quote: Quote


# ---- site.yaml ------------------------------------------------------------------------------

class Feedback(Model):
    email: Annotated[str, AfterValidator(_email)] | None = Field(default=None, description=(
        "An email address readers can write to, e.g. `team@example.org` (without `mailto:`)."))
    form: WebAddress | None = Field(default=None, description=(
        "A web form readers can fill in without an account of any kind, or one that says what it needs."))
    form_note: str | None = Field(default=None, description=(
        "What readers should know before using the form, e.g. `needs a free GitHub account`."))
    issues: WebAddress | None = Field(default=None, description="A public issue tracker, for people who use one.")

    @model_validator(mode="after")
    def _reachable(self) -> Feedback:
        """Readers need at least one way to reach the team that is not a developers' tool."""
        if self.email is None and self.form is None:
            raise ValueError("give an `email` address or a `form` web address where readers can reach you")
        return self


class SupportContact(Model):
    name: str = Field(description="The organisation, as it names itself.")
    what: str = Field(description="What it offers, in plain words, e.g. `Nurses answer questions about cancer`.")
    phone: str | None = Field(default=None, description="A phone number as the organisation writes it.")
    url: WebAddress = Field(description="Its web page for this kind of support.")
    where: str | None = Field(default=None, description="Where it helps, e.g. `UK` (leave out if anywhere).")
    source: str = Field(description="Source key in `data/sources.yaml` that shows the contact details.")
    checked: dt.date = Field(description="When we last checked the details against the source.")


class Site(Model):
    title: str = Field(description="Site name, shown in the header of every page.")
    tagline: str = Field(description="One short line under the site name.")
    publisher: str = Field(description="The organisation that publishes the site (never a person).")
    base_url: Annotated[str, AfterValidator(_base_url)] = Field(description=(
        "Absolute address of the published site, ending in `/`."))
    feedback: Feedback = Field(description=(
        "How readers reach the team: an `email` address or a `form` (a web address), or both; `issues` optional."))
    language: str = Field(default="en", pattern=LANGUAGE, description=(
        "Language of the pages, as a BCP 47 tag such as `en`."))
    funding: str = Field(min_length=1, description=(
        "Who pays for the site, in plain words; `not yet declared` until it is known (readers see that)."))
    conflicts_of_interest: str = Field(min_length=1, description=(
        "Any ties of the site or its writers to the makers of the treatments it explains; `none` only when declared "
        "so, `not yet declared` until it is known (readers see that)."))
    support: list[SupportContact] = Field(description=(
        "Helplines or support organisations shown at the foot of every trial page, each with its source and the date "
        "it was checked; `[]` until checked ones are listed (readers are then told to ask their care team)."))
    license: str | None = Field(default=None, description="Licence of the site's text, shown in the footer.")
    max_reading_grade: PositiveNumber = Field(default=Decimal(8), description=(
        "Highest US school grade (Flesch-Kincaid) a page may read at before the build warns."))


# ---- data/sources.yaml ----------------------------------------------------------------------

class Source(Model):
    key: str = Field(pattern=r"^[a-z0-9_]+$", description="Short key used to cite the source, e.g. `baselga2012`.")
    citation: str = Field(description="Full citation as readers see it.")
    url: Annotated[str, AfterValidator(_web_address)] = Field(pattern=r"^https?://", description=(
        "Web address of the source."))
    doi: str | None = Field(default=None, description="Digital Object Identifier, without `https://doi.org/`.")
    pmid: str | None = Field(default=None, pattern=r"^[0-9]+$", description="PubMed identifier.")
    note: str | None = Field(default=None, description=(
        "What readers should know about this source (e.g. a news report, or a third-party copy)."))
    read_a_copy: bool = Field(default=False, description=(
        "`true` when `url` is a copy on another website because the original could not be read: `citation` stays "
        "the original's, and readers see that we read a copy, and where."))


class SourceList(Model):
    sources: list[Source] = Field(description="Every source that trials, pages and the glossary cite.")


# ---- data/glossary.yaml ---------------------------------------------------------------------

OWN_WORDING = "our own wording"  # a glossary definition written without a source, and shown as such


class Term(Model):
    term: str = Field(description="The word or phrase, as it is linked with `[[term]]`.")
    aliases: list[str] = Field(default=[], description="Other spellings or words that link to the same entry.")
    abbreviation: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9]*$", description=(
        "The standard short form of the term, e.g. `PFS` for progression-free survival. It links to the entry too, "
        "and each page must say what it stands for the first time it uses it."))
    stands_for: str | None = Field(default=None, description=(
        "Only for a term that is itself an abbreviation, e.g. `HER2`: the words it stands for. They link to the "
        "entry too, and each page must give them the first time it uses the term."))
    definition: str = Field(description="One or two plain sentences.")
    source: str = Field(min_length=1, description=(
        f"Source key of the definition, or `{OWN_WORDING}` when we wrote it without a source (readers see that)."))


class Glossary(Model):
    terms: list[Term] = Field(description="The one glossary of the site.")


# ---- data/corrections.yaml ------------------------------------------------------------------

class Correction(Model):
    date: dt.date = Field(description="When the correction was published.")
    page: str | None = Field(default=None, pattern=r"^([a-z0-9-]+/)*$", description=(
        "Address of the page corrected, as in the site, e.g. `trials/example-3/`; `\"\"` for the home page; leave out "
        "for a change to the whole site."))
    what: str = Field(description="What changed, in plain words: what it said before and what it says now.")
    why: str = Field(description="Why: e.g. a number was copied wrongly, or a source was updated.")


class CorrectionLog(Model):
    corrections: list[Correction] = Field(description=(
        "Every correction, newest first; `[]` until the first. Readers see them on the corrections page."))


# ---- content front matter -------------------------------------------------------------------

class ClinicalReview(Model):
    by: list[str] = Field(min_length=1, description="The clinical reviewers, as organisations or roles.")
    date: dt.date = Field(description="When they checked the page.")
    approved: str = Field(pattern=r"^[0-9a-f]{12}$", description=(
        "What they checked: the twelve-character code of the page's inputs that the build prints for the page "
        "(`clinical_review: ... now <code>`). When the page or its trial's data change afterwards, the page says "
        "'changed since a clinician checked it' until a clinician checks it again."))


class FrontMatter(Model):
    title: str = Field(description="Page title; the page's only top-level heading.")
    summary: str = Field(description="One or two sentences; used under the title, in links and for search engines.")
    authors: list[str] = Field(min_length=1, description=(
        "Organisations or roles who wrote the page (never invented people)."))
    last_reviewed: dt.date = Field(description="Date the whole page was last checked.")
    next_review: dt.date = Field(description="Date by which the page must be checked again.")
    clinical_review: ClinicalReview | None = Field(default=None, description=(
        "Who checked the page as clinicians, when, and what they approved. Leave out until a clinician has checked "
        "the page: the page then says so."))
    sources: list[str] = Field(default=[], description="Source keys the page relies on, listed at its foot.")
    trial: str | None = Field(default=None, description=(
        "Only for `content/trials/*.md`: the `id` of the trial the page presents."))
    menu: bool = Field(default=True, description=(
        "`false` keeps a page out of the main menu, e.g. one every footer links to, such as the corrections page."))


# ---- data/trials/*.yaml ---------------------------------------------------------------------

class Identifier(Model):
    registry: str = Field(description="Registry name, e.g. `ClinicalTrials.gov`.")
    value: str = Field(description="The trial's number in that registry.")
    url: WebAddress | None = Field(default=None, description=(
        "Address of the registry entry; leave out for a number with no public page, such as the sponsor's protocol "
        "number."))
    source: SourceKeys


class Design(Model):
    randomisation_ratio: SourcedText = Field(description="How people were split between the groups, e.g. `2:1`.")
    blinding: SourcedText = Field(description="Who knew which treatment each person got.")
    control: SourcedText = Field(description="What the comparison group got.")
    crossover: SourcedText | None = Field(default=None, description="Whether people could switch groups.")
    scans: SourcedText | None = Field(default=None, description="How and how often the disease was checked.")
    places: SourcedText | None = Field(default=None, description="Where the trial ran.")


class Treatment(Model):
    drug: str = Field(description="Medicine name in lower case (or `placebo`).")
    dose: str | None = Field(default=None, description="Dose, e.g. `10 mg`; leave out for a placebo.")
    schedule: str = Field(description="How and how often it was taken, in plain words.")
    blinded: bool = Field(description="`true` if patients and doctors did not know whether this was given.")
    source: SourceKeys


class Arm(Model):
    id: Slug
    label: str = Field(description="Name of the group as readers see it, e.g. `Drug A + usual care`.")
    short_label: str = Field(description="Short name used in charts, e.g. `Drug A group`.")
    randomised: SourcedCount = Field(description="Number of people randomly assigned to this group.")
    treatments: list[Treatment] = Field(min_length=1, description="What people in this group took.")


if typing.TYPE_CHECKING:
    StatedCount = SourcedCount | str
else:
    StatedCount = ReportedOr(SourcedCount)


class Population(Model):
    id: Slug
    label: str = Field(description="Who is counted, in plain words.")
    sizes: dict[str, StatedCount] = Field(description=(
        "Number of people in each arm, keyed by arm `id`; `not reported` for an arm the source gives no number for."))
    subgroup: bool = Field(default=False, description=(
        "`true` for a subgroup of the trial (e.g. women aged 65 and over): results counted in it are titled with its "
        "label everywhere."))


class Criterion(Model):
    kind: Literal["inclusion", "exclusion"] = Field(description=(
        "`inclusion` (who could join) or `exclusion` (who could not)."))
    text: str = Field(description="The criterion in plain words.")
    source: SourceKeys


class BaselineFact(Model):
    id: Slug
    label: str = Field(description="What was measured, in plain words.")
    value: Number = Field(description="The published figure.")
    unit: Literal["years", "percent", "people"] = Field(description="`years`, `percent` or `people`.")
    analysis: str | None = Field(default=None, description="Analysis `id` the figure comes from, if known.")
    source: SourceKeys
    locator: Locator
    quote: Quote


if typing.TYPE_CHECKING:  # what the type checker sees; pydantic sees the tagged unions below
    StatedDuration = SourcedDuration | str
    StatedDate = SourcedDate | str
else:
    StatedDuration = StatedOr(SourcedDuration)
    StatedDate = StatedOr(SourcedDate)


class Analysis(Model):
    id: Slug
    name: str = Field(description=(
        "Plain name, e.g. `Final analysis of progression-free survival`. Readers see it with its follow-up."))
    short_name: str | None = Field(default=None, description=(
        "A few words for the compact label beside numbers, e.g. `Final analysis`; the `name` when left out."))
    follow_up: StatedDuration = Field(description=(
        "Median follow-up with its unit and source, or `not stated by the source`."))
    data_cutoff: StatedDate = Field(description=(
        "Date the data were frozen for this analysis, or `not stated by the source`."))
    description: str = Field(description="One or two plain sentences on what this analysis was.")
    sources: list[str] = Field(min_length=1, description="Source keys for the analysis as a whole.")


class Endpoint(Model):
    id: Slug
    name: str = Field(description="Plain name of what was measured.")
    role: Literal["primary", "secondary"] = Field(description="`primary` (the main question) or `secondary`.")
    term: str | None = Field(default=None, description="Glossary term that defines it.")


class ArmValue(Model):
    value: OpenNumber = Field(description=(
        "The published figure for this arm; for a median the group did not reach, `not reached` (or `not estimable`)."))
    ci95: Interval | None = Field(default=None, description="95% confidence interval `[low, high]`, where published.")
    locator: Locator
    quote: Quote


if typing.TYPE_CHECKING:
    ArmFigure = ArmValue | str
else:
    ArmFigure = ReportedOr(ArmValue)
TAGS = ("sourced", "not-stated", "reported", "not-reported")  # the tags of the either-or types above, not data keys


def _significance(value):
    """yes, no, not-tested or not-stated, from true, false, 'not tested' or 'not stated by the source'."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.strip() in ("not tested", NOT_STATED):
        return "not-tested" if value.strip() == "not tested" else "not-stated"
    raise ValueError(f"must be true, false, 'not tested' (an exploratory comparison) or '{NOT_STATED}', "
                     f"not {_describe(value)}")


Significance = Annotated[Any, PlainValidator(_significance),
                         WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": ["not tested", NOT_STATED]}]})]
if typing.TYPE_CHECKING:
    EffectName = str
else:
    EffectName = Literal[tuple(EFFECTS)]  # the registry in measures.py


class Comparison(Model):
    id: Slug | None = Field(default=None, description=(
        "Short name for shortcodes, e.g. `a-vs-c` in `{{ RESULT.a-vs-c | estimate }}`; needed when a result has "
        "more than one comparison."))
    arms: tuple[str, str] | None = Field(default=None, description=(
        "The two arm ids compared, `[treated, reference]`; leave out to compare the first two arms."))
    measure: EffectName = Field(default="hazard-ratio", description="What kind of comparison: " + "; ".join(
        f"`{e.name}` ({e.doc})" for e in EFFECTS.values()) + ". Leave out for a hazard ratio.")
    value: Number = Field(description="The published figure, e.g. the hazard ratio of the treated arm.")
    ci95: Interval | None = Field(default=None, description="95% confidence interval `[low, high]`, where published.")
    p: PValue | None = None
    significant: Significance = Field(description=(
        "`true` or `false` as the source says; `not tested` for an exploratory comparison the source did not test; "
        "`not stated by the source` when it does not say."))
    source: SourceKeys
    locator: Locator
    quote: Quote


if typing.TYPE_CHECKING:
    MeasureName = str
else:
    MeasureName = Literal[tuple(MEASURES)]  # the registry in measures.py


class TimePoint(Model):
    value: PositiveNumber = Field(description="How long after joining, e.g. `5`.")
    unit: Literal["weeks", "months", "years"] = Field(default="months", description=(
        "`weeks`, `months` (the default) or `years`."))


class Result(Model):
    id: Slug
    endpoint: str = Field(description="Endpoint `id`.")
    analysis: str = Field(description="Analysis `id`: every number belongs to exactly one analysis.")
    assessment: Literal["local", "central", "not-stated", "not-applicable"] = Field(description=(
        "Who judged the outcome: `local` (trial doctors at each hospital), `central` (independent experts), "
        "`not-stated`, or `not-applicable` (e.g. death)."))
    population: str = Field(description=(
        "Who was counted: `randomised` (everyone randomly assigned to the arms), `not-stated`, or the `id` of one of "
        "the trial's `populations`."))
    measure: MeasureName = Field(description="What kind of number: " + "; ".join(
        f"`{m.name}` ({m.doc})" for m in MEASURES.values()) + ".")
    unit: str | None = Field(default=None, description="Unit of a median, e.g. `months`. Required for medians.")
    time_point: TimePoint | None = Field(default=None, description=(
        "For a result at a point in time, such as the share of people alive at 5 years: `{value: 5, unit: years}`. "
        "It is shown with the result everywhere."))
    label: str | None = Field(default=None, description=(
        "What exactly was measured, when the endpoint name is not enough."))
    values: dict[str, ArmFigure] = Field(description=(
        "One value per arm, keyed by arm `id`; `not reported` for an arm the source gives no figure for."))
    comparisons: list[Comparison] = Field(default=[], description=(
        "The published comparisons between two arms (hazard ratios, odds ratios, ...), each with its own arms."))
    note: str | None = Field(default=None, description="Caveat shown with the result.")
    sources: list[str] = Field(min_length=1, description="Source keys for the values.")
    locator: Locator
    quote: Quote


class SideEffect(Model):
    id: Slug
    name: str = Field(description="Plain name, with the medical word in brackets, e.g. `Mouth sores (stomatitis)`.")
    values: dict[str, PercentOrLess] = Field(description=(
        "Percent of people in each arm (0 to 100, or `\"<1\"` when the source gives only an upper bound), keyed by "
        "arm `id`."))


class SideEffectTable(Model):
    id: Slug
    title: str = Field(description="What the table shows.")
    grade: str = Field(description="Severity: `any` or a grade range such as `3-4`.")
    analysis: str = Field(description=(
        "Analysis `id` (use an analysis whose data cut is `not stated by the source` when the source does not say)."))
    source: SourceKeys
    population: str = Field(default="not-stated", description=(
        "Who was counted: a population `id` (e.g. everyone who took at least one dose), `randomised`, or "
        "`not-stated` (the default) when the source does not say."))
    events: list[SideEffect] = Field(min_length=1, description="One row per side effect.")


# One member per chart kind, told apart by `kind`: each kind declares only its own fields (chart_kinds.py).
if typing.TYPE_CHECKING:
    AnyChart = ChartSpec
else:
    AnyChart = Annotated[typing.Union[tuple(kind.Spec for kind in KINDS.values())], Field(discriminator="kind")]  # noqa: UP007


class Approval(Model):
    id: Slug
    regulator: str = Field(description="Who approved the treatment, e.g. `US Food and Drug Administration (FDA)`.")
    date: SourcedDayOrMonth = Field(description="When, with its source; a month when the source gives no day.")
    indication: SourcedText = Field(description=(
        "Who the approval is for, in plain words that keep the regulator's meaning."))


class LaterTrial(Model):
    name: str = Field(description="The later trial's name or registry number.")
    what: str = Field(description="What it tests, in plain words, and how it follows from this trial.")
    status: str | None = Field(default=None, description="Planned, running or finished, as the source says.")
    source: SourceKeys


class Since(Model):
    date: SourcedDayOrMonth = Field(description="When it happened, with its source.")
    text: str = Field(description="What changed in care or in what is known since this trial, as the source says.")


class Printout(Model):
    tables: list[str] = Field(min_length=1, description=(
        "Chart `id`s whose tables the printed page shows: the main results, then the main harms. Each table is "
        "printed with the analysis its numbers come from and its source."))
    questions: list[str] = Field(default=[], max_length=8, description=(
        "A few questions a reader could take to their care team, in plain words."))


# What a lay summary needs (EU Regulation 536/2014, Annex V) that a trial's sources may not give; a page says so.
NOT_AVAILABLE = ("eu-number", "protocol-number", "sponsor-contact", "countries", "dates", "why", "numbers-by-country",
                 "numbers-by-age", "numbers-by-sex", "follow-up-trials")


class NotAvailable(Model):
    about: Literal[NOT_AVAILABLE] = Field(description=(  # type: ignore[valid-type]
        "What is missing: " + ", ".join(f"`{item}`" for item in NOT_AVAILABLE) + "."))
    text: str = Field(description="What the reader is told, e.g. `The sources we could read do not give ...`.")


def _no_full_stop(text: str) -> str:
    """A finding's text stops short, since the page writes '... (Source 3).' after it."""
    if text.rstrip().endswith("."):
        raise ValueError("leave out the full stop at the end: the page adds the source after the text")
    return text


class Finding(Model):
    id: Slug
    text: Annotated[str, AfterValidator(_no_full_stop)] = Field(description=(
        "What the source says, in plain words that keep its meaning, without a full stop at the end: the page adds "
        "the source's number after it. For a finding the source gives in words only, with no figure for each group."))
    analysis: str | None = Field(default=None, description="Analysis `id`, when the source says which.")
    source: SourceKeys
    locator: Locator
    quote: Quote


class Trial(Model):
    id: Slug = Field(description="Used in addresses: the trial page is `/trials/<id>/`.")
    name: str = Field(description="Short name of the trial, e.g. its acronym.")
    title: str = Field(description="Plain-language title.")
    condition: str = Field(description="The illness studied, in plain words.")
    identifiers: list[Identifier] = Field(min_length=1, description="Registry numbers.")
    sponsor: SourcedText = Field(description="Who paid for and ran the trial.")
    sponsor_contact: SourcedText | None = Field(default=None, description=(
        "How to contact the sponsor about the trial, as a source gives it; shown at a glance."))
    phase: SourcedText = Field(description="Trial phase, e.g. `3`.")
    design: Design
    primary_endpoint: str = Field(description="Endpoint `id` of the main question.")
    enrolled: SourcedCount = Field(description="Number of people who joined.")
    randomised: SourcedCount | None = Field(default=None, description=(
        "Number of people randomly assigned to the groups, when the source gives it apart from those who joined."))
    analysed: SourcedCount | None = Field(default=None, description=(
        "Number of people included in the main analysis, when the source gives it."))
    arms: list[Arm] = Field(min_length=2, description="The groups; the first is the one compared against the others.")
    populations: list[Population] = Field(default=[], description=(
        "Groups of people other than everyone randomised, e.g. the safety population."))
    eligibility: list[Criterion] = Field(min_length=1, description="Who could and could not join.")
    baseline: list[BaselineFact] = Field(default=[], description="What the people who joined were like.")
    analyses: list[Analysis] = Field(min_length=1, description="Each look at the data, as its own object.")
    endpoints: list[Endpoint] = Field(min_length=1, description="What the trial measured.")
    results: list[Result] = Field(default=[], description="Every published figure, tied to one analysis.")
    side_effects: list[SideEffectTable] = Field(default=[], description="Side-effect tables.")
    approvals: list[Approval] = Field(default=[], description=(
        "Decisions by regulators to approve the treatment, where the sources give them."))
    findings: list[Finding] = Field(default=[], description=(
        "Findings the sources give in words only, e.g. that more people in one group stopped treatment; pages show "
        "them with `{{ findings.ID }}`, followed by their source."))
    charts: list[AnyChart] = Field(default=[], description="Charts that pages can place with `{{ chart <id> }}`.")
    purpose: SourcedText | None = Field(default=None, description=(
        "Why the trial was done, in plain words that keep the source's meaning; shown at a glance."))
    started: SourcedDayOrMonth | None = Field(default=None, description=(
        "When the first person joined, as the registry or paper says; shown at a glance."))
    later_trials: list[LaterTrial] = Field(default=[], description=(
        "Trials planned or run because of this one, as far as a source says; shown on the trial page."))
    since: list[Since] = Field(default=[], description=(
        "What has changed since this trial, dated and sourced; shown under 'What has changed since', marked as not "
        "treatment advice."))
    not_available: list[NotAvailable] = Field(default=[], description=(
        "What a lay summary should give but no source we could read does; the trial page tells readers plainly."))
    card_chart: str | None = Field(default=None, description=(
        "Chart `id` drawn as the trial page's social card: the picture a link to the page shows where it is shared. "
        "Pick one that shows benefits and harms, or overall survival beside the main result. Without it the page "
        "uses the site's card."))
    printout: Printout | None = Field(default=None, description=(
        "What the trial page prints, as a summary to take to a care team: its key points, these tables with their "
        "analyses, these questions and the page's address. Without it the page prints its key points and address."))


SCHEMAS: dict[str, type[Model]] = {"site": Site, "sources": SourceList, "glossary": Glossary, "trial": Trial,
                                   "corrections": CorrectionLog, "front-matter": FrontMatter}


M = typing.TypeVar("M", bound=Model)


def validate(model: type[M], doc: YamlDoc) -> tuple[M | None, list[SourceError]]:
    """Validate parsed YAML against a model; return every error with its line."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        found = [(err, _data_loc(err["loc"], doc.data)) for err in exc.errors()]
        # A value refused while reading the YAML was reported there; do not report it again.
        found = [(err, loc) for err, loc in found if not any(loc[:len(bad)] == bad for bad in doc.index.broken)]
        return None, _missing_together(model, doc, found) + [
            _to_source_error(model, doc, err) for err, loc in found if err["type"] != "missing"]


PAIRS = {"ci95": "must be two numbers, [low, high]", "arms": "must be two arm ids, [treated, reference]"}


# What to write when a field is missing, where the plain "required field is missing" does not say it.
MISSING_HINTS = {("Glossary", ("terms",), "source"):
                 f"required field is missing: give a key from data/sources.yaml, or write '{OWN_WORDING}'"}


def _missing_together(model: type[Model], doc: YamlDoc, found: list) -> list[SourceError]:
    """Missing fields, one error per place; a field a misspelt one already suggests is not reported again."""
    suggested = {loc[:-1] + (_suggestion(model, loc, doc.data),)
                 for err, loc in found if err["type"] == "extra_forbidden"}
    missing: dict[tuple, list[str]] = {}
    errors = []
    for err, loc in found:
        if err["type"] == "missing" and isinstance(err["loc"][-1], int):  # a pair given with fewer items
            pair = loc if not isinstance(loc[-1], int) else loc[:-1]
            errors.append(doc.index.error(pair, PAIRS.get(str(pair[-1]), "needs two entries")))
        elif err["type"] == "missing" and loc not in suggested:
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
    for parent, names in missing.items():
        if len(names) < 3:
            errors += [doc.index.error(parent + (name,), MISSING_HINTS.get((model.__name__, parent[:1], name),
                                                                          "required field is missing"))
                       for name in names]
        else:  # an empty file or a stub: one line, not one per field
            errors.append(doc.index.error(parent, "required fields are missing: " + ", ".join(names)))
    return errors


def _suggestion(model: type[Model], loc: tuple, data: object) -> str | None:
    """The allowed field closest to an unknown one, if any is close."""
    close = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1], data), n=1)
    return close[0] if close else None


def _to_source_error(model: type[Model], doc: YamlDoc, err: Any) -> SourceError:
    """Turn one pydantic error into a `path:line: field: message` error in the author's words."""
    loc = _data_loc(err["loc"], doc.data)
    if err["type"] == "extra_forbidden":
        return doc.index.error(loc, _unknown_field_message(model, loc, doc.data))
    if err["type"] in ("union_tag_invalid", "union_tag_not_found") and err["ctx"]["discriminator"] == "'kind'":
        return doc.index.error(loc + ("kind",), _kind_message(err, doc.index.raw.get(loc + ("kind",))))
    return doc.index.error(loc, _message(err, _fields_at(model, loc, doc.data), doc.index.raw.get(loc)))


def _kind_message(err: dict, raw: str | None) -> str:
    """A `kind` that is missing or names no known kind, with the kinds there are."""
    if err["type"] == "union_tag_not_found":
        return "required field is missing"
    tags = err["ctx"]["expected_tags"].split(", ")
    expected = ", ".join(tags[:-1]) + f" or {tags[-1]}"
    shown = f"'{raw}'" if raw is not None else _describe(err["ctx"]["tag"])
    return f"must be {expected}, not {shown}"


PATTERNS = {
    SLUG.pattern: "must be lower-case letters, digits and hyphens, such as 'final-pfs'",
    r"^[a-z0-9_]+$": "must be lower-case letters, digits and underscores, such as 'smith2012'",
    r"^https?://": "must be a web address starting with http:// or https://",
    r"^(mailto:|https?://)": "must be a 'mailto:' address or a web address starting with https://",
    r"^[0-9]+$": "must be digits only",
    LANGUAGE: "must be a language tag such as 'en' or 'en-GB'",
}


def _message(err: dict, fields: list[str], raw: str | None = None) -> str:
    """What is wrong, said without the names of our internal types; `raw` is a number as the author wrote it."""
    kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
    shown = f"'{raw}'" if raw is not None and raw != str(value) else _describe(value)
    if err["loc"][-1:] == ("not-reported",) or (err["loc"][-1:] == ("reported",) and kind == "model_type"):
        return f"must be the arm's figure, such as {{value: 7.8}}, or '{NOT_REPORTED}', not {shown}"
    either = err["loc"][-1:] == ("not-stated",) or (err["loc"][-1:] == ("sourced",) and kind == "model_type")
    if either or kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"must be a value with its source ({{value: ..., source: ...}}) or '{NOT_STATED}', not {shown}"
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        return str(ctx.get("error"))
    if kind.startswith("int_") or kind == "int_from_float":
        return f"must be a whole number, not {shown}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind.startswith("string_") and kind != "string_pattern_mismatch":
        quote = "; put it in quotes to keep it as text" if isinstance(value, (int, Decimal, bool, dt.date)) else ""
        return f"must be text, not {shown}{quote}"
    if kind.startswith("bool_"):
        return f"must be true or false, not {shown}"
    if kind.startswith("date"):
        return f"must be a date written as YYYY-MM-DD, not {shown}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, not {shown}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        example = f" such as {', '.join(fields[:2])}" if fields else ""
        return f"must be a group of fields{example} (one 'name: value' per line), not {shown}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, not {shown}"
    if kind in ("too_short", "too_long"):
        return _length_message(err, ctx)
    if kind == "string_pattern_mismatch":
        return PATTERNS.get(ctx.get("pattern"), "is not written in the expected form") + f", not {shown}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"must be {'at least' if kind == 'greater_than_equal' else 'greater than'} {bound}, not {shown}"
    return "is not valid here"


def _length_message(err: dict, ctx: dict) -> str:
    """A list that is too short or too long; an interval is always two numbers."""
    if err["loc"] and err["loc"][-1] == "ci95":
        return "must be two numbers, [low, high]"
    if err["type"] == "too_short":
        least = ctx.get("min_length", 1)
        return f"needs at least {least} {'entry' if least == 1 else 'entries'}"
    return f"has too many entries (at most {ctx.get('max_length')})"


def _data_loc(loc: tuple, data: object) -> tuple:
    """Drop the parts of a pydantic location that name union members, not data keys."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(node, dict) and part == node.get("kind"):
            continue  # the member of a union told apart by `kind`, not a key
        elif isinstance(node, dict) and isinstance(part, str) and part not in TAGS \
                and not out[-1:] == [part]:
            out.append(part)  # a missing key: keep it so the message names it
            node = None
            continue
        else:
            continue
        out.append(part)
    return tuple(out)


def _unknown_field_message(model: type[Model], loc: tuple, data: object) -> str:
    """Say which fields are allowed where an unknown one was found, with a likely fix."""
    found, members = _model_at(model, loc[:-1], data)
    if found is None:
        return "unknown field"
    others = [m for m in members if m is not found and loc[-1] in m.model_fields and loc[-1] not in found.model_fields]
    if others:  # a field of another kind, e.g. `results` on an icon-array chart
        shared = set.intersection(*(set(m.model_fields) for m in members))
        names = [f"`{name}`" for name in found.model_fields if name not in shared]
        own = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
        node = data_at(data, loc[:-1])
        tag = str(node.get("kind")) if isinstance(node, dict) else ""
        noun = getattr(found, "noun", "item")
        return f"{'an' if tag[0] in 'aeiou' else 'a'} '{tag}' {noun} takes {own}, not `{loc[-1]}`; remove this field"
    close = _suggestion(model, loc, data)
    hint = f"; did you mean '{close}'?" if close else ""
    return f"unknown field{hint} (allowed: {', '.join(found.model_fields)})"


def _fields_at(model: type[BaseModel], loc: tuple, data: object) -> list[str]:
    """Field names of the model found by walking `loc` (field names, list positions, dict keys) from `model`."""
    found, _ = _model_at(model, loc, data)
    return list(found.model_fields) if found else []


def _model_at(model: type[BaseModel], loc: tuple, data: object) -> tuple[type[BaseModel] | None, list[type[BaseModel]]]:
    """The model at `loc`, and all members when it is one of a union told apart by `kind` (chosen by the data)."""
    annotation: object = model
    for depth, part in enumerate(loc):
        annotation = _step(_member(annotation, data_at(data, loc[:depth]))[0], part)
        if annotation is None:
            return None, []
    chosen, members = _member(annotation, data_at(data, loc))
    return _model_in(chosen), members


def _member(annotation, node: object) -> tuple[object, list[type[BaseModel]]]:
    """In a union of models told apart by `kind`, the member the data names; any other annotation as it is."""
    members = [m for m in _union_args(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    if len(members) < 2 or not all("kind" in m.model_fields for m in members):
        found = _model_in(annotation)
        return (found if found is not None and _container(annotation) is None else annotation), [found] if found else []
    tag = node.get("kind") if isinstance(node, dict) else None
    chosen = next((m for m in members if tag in typing.get_args(m.model_fields["kind"].annotation)), members[0])
    return chosen, members


def _union_args(annotation) -> tuple:
    """The members of a (possibly Annotated) union, or () for anything else."""
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else ()


def data_at(data: object, loc: tuple) -> object:
    """The part of the parsed YAML at `loc`, or None where there is none."""
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _step(annotation, part):
    """The annotation one step further in: a model's field, a list's item or a dict's value."""
    found = _model_in(annotation)
    if isinstance(part, str) and found is not None and _container(annotation) is None:
        field = found.model_fields.get(part)
        return field.annotation if field else None
    container = _container(annotation)
    if container is None:
        return None
    args = typing.get_args(container)
    return args[-1] if args else None


def _container(annotation):
    """The list, tuple or dict type inside an annotation such as Optional[list[Arm]], if any."""
    if typing.get_origin(annotation) in (list, tuple, dict):
        return annotation
    if isinstance(annotation, type):
        return None
    for arg in typing.get_args(annotation):
        found = _container(arg)
        if found is not None:
            return found
    return None


def _model_in(annotation) -> type[BaseModel] | None:
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
