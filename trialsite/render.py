"""The Jinja environment: strict about undefined names, escaping by default."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment


def make_environment(templates: Path) -> Environment:
    """A Jinja environment over the project's templates/ folder.

    Sandboxed: a template reads the page's data but cannot reach Python's internals (files, processes).
    """
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(env: Environment, name: str, context: object) -> str:
    """Render one template with a context object exposed as `page`."""
    return env.get_template(name).render(page=context)
