"""What every declared input model shares: the base class, ids, 'not stated' and lookups by id.

It sits below schema.py so that chart kinds (chart_kinds.py), which declare their own fields, can use it while
schema.py builds the trial model from the registry of kinds.
"""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

NOT_STATED = "not stated by the source"
NOT_REPORTED = "not reported"  # as an author writes an arm's figure the source does not give
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
Slug = Annotated[str, Field(pattern=SLUG.pattern,
                            description="Lower-case letters, digits and hyphens, e.g. `final-pfs`.")]


class Model(BaseModel):
    """Base: unknown keys are errors, models are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_min_length=1)  # no empty text anywhere


_FIELD_SETS: dict[frozenset[str], set[str]] = {}  # one set per distinct content, shared by every model that has it


def share_field_sets(value: object) -> None:
    """Let every model in `value` (models, lists, tuples and dicts of them, nested) share one set of the names its
    fields were given by, per distinct set. Pydantic keeps such a set on each model; a trial has hundreds of models,
    and their sets took a third of a thousand trials' memory (60 MiB). The sets are never changed in place: models
    are frozen, and `model_copy` copies the set before it adds to it."""
    if isinstance(value, BaseModel):
        names = value.__pydantic_fields_set__
        object.__setattr__(value, "__pydantic_fields_set__", _FIELD_SETS.setdefault(frozenset(names), names))
        for field_value in value.__dict__.values():
            share_field_sets(field_value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            share_field_sets(item)
    elif isinstance(value, dict):
        for item in value.values():
            share_field_sets(item)


def source_keys(value: str | list[str]) -> list[str]:
    """A `source` field as a list of keys, whether one key or several were written."""
    return [value] if isinstance(value, str) else list(value)


def by_id(items, item_id: str):
    """The item of a list with this `id` (references are checked before anything looks them up)."""
    return next(item for item in items if item.id == item_id)
