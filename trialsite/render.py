"""The Jinja environment: strict about undefined names, escaping by default."""
from __future__ import annotations

import contextlib
import types
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.sandbox import SandboxedEnvironment


def make_environment(templates: Path, compiled: Path | None = None) -> Environment:
    """A Jinja environment over the project's templates/ folder.

    Sandboxed: a template reads the page's data but cannot reach Python's internals (files, processes). With
    `compiled`, a folder of the build's cache, each template is compiled once and kept there by its text's hash
    (compiling the site's templates takes about 0.2 s).
    """
    env = _Sandbox(
        bytecode_cache=_bytecode_cache(compiled),
        loader=FileSystemLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no template changes under it, so no stat call per page
    )
    return env


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, each of its verdicts on an attribute remembered by the object's type and the attribute's name,
    the only things the verdict depends on (`jinja2.sandbox.is_internal_attribute`): a thousand pages read about 160
    attributes each, and working out each verdict anew took a third of the rendering time."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        """Jinja's verdict for this type and name, worked out once."""
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed `obj.attribute`, answered at once in the usual case: a name already judged safe on this
        type, whose value is not a bound method (of those, the sandbox wraps a text's format methods)."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]  # as Jinja's own: a mapping's key, or undefined
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        if self._verdicts.get((type(obj), attribute)) and not isinstance(value, _BOUND_METHODS):
            return value
        return super().getattr(obj, attribute)


_BOUND_METHODS = (types.MethodType, types.BuiltinMethodType)  # what Jinja's wrap_str_format looks at


def render(env: Environment, name: str, context: object) -> str:
    """Render one template with a context object exposed as `page`."""
    return env.get_template(name).render(page=context)


def _bytecode_cache(folder: Path | None) -> BytecodeCache | None:
    """Jinja's cache of compiled templates in `folder`, or none when there is no folder or it cannot be made."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(str(folder))


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, whose failures only cost a compile: its folder deleted while a build
    runs (the author clearing .cache/) made Jinja's own raise, and the build report each template as unreadable."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Load a compiled template, or leave the bucket empty (the template is compiled)."""
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a compiled template, when the folder still takes it."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
