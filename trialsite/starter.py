"""`build.py new-trial ID`: start a trial from a commented template that builds at once, and list what is left."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from string import Template

from .errors import SourceError
from .model import SLUG

STARTER = Path(__file__).resolve().parent / "starter"
PLACEHOLDER = "FILL IN"
WHAT = re.compile(PLACEHOLDER + r":?\s*([^\"\n]*)")  # what to fill in: the words after it, up to a closing quote


def new_trial(root: Path, trial_id: str, today: dt.date) -> tuple[list[str], str | None]:
    """Write data/trials/ID.yaml, content/trials/ID.md and a source entry; (files written, problem)."""
    if not SLUG.match(trial_id):
        better = re.sub(r"[^a-z0-9]+", "-", trial_id.lower()).strip("-") or "my-trial"
        return [], f"'{trial_id}' cannot be part of a web address; use lower-case letters, digits and hyphens, " \
                   f"such as '{better}'"
    files = {f"data/trials/{trial_id}.yaml": "trial.yaml", f"content/trials/{trial_id}.md": "page.md"}
    existing = [name for name in files if (root / name).exists()]
    if existing:
        return [], f"{existing[0]} already exists; choose another id, or edit that file"
    sources = root / "data" / "sources.yaml"
    if not sources.is_file():
        return [], "data/sources.yaml is missing: run new-trial in a project folder (or name it with --root)"
    values = {"id": trial_id, "source_key": trial_id.replace("-", "_") + "_source", "today": today.isoformat(),
              "next_year": (today + dt.timedelta(days=365)).isoformat()}
    for name, starter in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(Template((STARTER / starter).read_text(encoding="utf-8")).substitute(values),
                                 encoding="utf-8")
    text = sources.read_text(encoding="utf-8")
    if f"key: {values['source_key']}" not in text:
        source = Template((STARTER / "source.yaml").read_text(encoding="utf-8")).substitute(values)
        sources.write_text(text + ("" if text.endswith("\n") else "\n") + source, encoding="utf-8")
    return [*files, "data/sources.yaml"], None


def placeholders(root: Path, files: list[Path]) -> list[SourceError]:
    """A warning for every line of the author's files that still holds a starter's placeholder."""
    found = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            continue  # reported where the file is read
        for number, line in enumerate(lines, start=1):
            if PLACEHOLDER in line:
                what = "; ".join(part.strip() or "this value" for part in WHAT.findall(line))
                found.append(SourceError(path.relative_to(root).as_posix(), number, "(to fill in)",
                                         f"still to fill in: {what}"))
    return found
