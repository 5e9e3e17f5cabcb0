"""Markdown to HTML: number shortcodes from the data, glossary links, charts, and the prose checks."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

import markdown
import textstat
from markupsafe import Markup

from . import numbers as fmt
from . import sanitise
from .errors import SourceError
from .project import Page, Project, term_anchor
from .schema import Trial

SHORTCODE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
TERM_LINK = re.compile(r"\[\[([^\]|]+?)(?:\|([^\]]+?))?\]\]")
CHART_LINE = re.compile(r"^\s*\{\{\s*chart\s+([^\s}]+)\s*\}\}\s*$")
HAND_NUMBER = re.compile(r"(?<![\w\-.:/#])\d+(?:[.,]\d+)*%?(?![\w\-])")
MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
PROMOTIONAL = re.compile(
    r"\b(breakthrough|dramatic(?:ally)?|miracle|cures?|game[- ]chang\w*|revolutionary|highly significant"
    r"|proven|exciting|remarkabl[ey]|wonder|groundbreaking|life[- ]saving)\b"
    r"|(?<!not )(?<!n't )\bimprov(?:e|es|ed|ing) (?:overall )?survival\b", re.IGNORECASE)
PLACEHOLDER = "TRIALSITECHART{}X"
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HTML_TAG = re.compile(r"<[^>]+>")
CODE_SPAN = re.compile(r"(`+).+?\1")
SHORTCODE_IN_ADDRESS = re.compile(r"\]\([^)]*(\{\{|\[\[)|<[^>]*=\s*[\"']?[^\"'>]*(\{\{|\[\[)")


@dataclass
class Rendered:
    """A page body turned into HTML, with what the checks found."""

    html: Markup
    charts: list[tuple[Trial, str]] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    grade: float = 0.0


@dataclass
class Ref:
    """What one inline shortcode resolved to."""

    text: str
    data_value: str | None = None
    analysis: str | None = None      # the analysis a shown number belongs to
    names_analysis: str | None = None  # the analysis this shortcode names
    link: str | None = None  # site-relative address of what the text names


class ShortcodeError(Exception):
    """A shortcode that cannot be resolved; the message is shown to the author."""

    def __init__(self, message: str, ref: str | None = None):
        super().__init__(message)
        self.ref = ref  # the missing thing, when other places may name it too


class BrokenTrial(ShortcodeError):
    """A reference into a trial whose data file has errors, already reported there."""


NESTING = re.compile(r"[\s>*_+\-\[\d.]*")


def render_page(page: Page, project: Project, base_path: str,
                chart_html: Callable[[Trial, str], str]) -> Rendered:
    """Turn a page's Markdown body into HTML and run the prose checks."""
    default = project.trials.get(page.meta.trial) if page.meta.trial else None
    out = Rendered(Markup(""))
    # Notes to editors in <!-- comments --> are not published; blank them but keep the line numbers.
    body_text = HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), page.doc.body)
    if "<!--" in body_text:
        line = page.doc.body_line + body_text[:body_text.index("<!--")].count("\n")
        out.errors.append(SourceError(page.doc.path, line, "(html)",
                                      "a note to editors starts here with '<!--' but is never closed with '-->'"))
    lines = body_text.split("\n")
    text_lines, prose_lines = [], []
    for number, line in enumerate(lines, start=page.doc.body_line):
        where = lambda field, msg, ref=None, n=number: SourceError(page.doc.path, n, _clip(field), msg, ref)  # noqa: E731
        chart = CHART_LINE.match(line)
        if chart:
            _place_chart(chart.group(1), default, project, out, where, text_lines)
            prose_lines.append("")
            continue
        if line.lstrip().startswith("# "):
            out.errors.append(where("heading", "the page title is the only top-level heading; use '## ' here"))
        if SHORTCODE_IN_ADDRESS.search(CODE_SPAN.sub("", line)):
            out.errors.append(where("(shortcode)", "a shortcode or glossary link cannot stand inside a link address or "
                                    "an HTML attribute; put it in the link text instead"))
        for opener, closer, kind in (("{{", "}}", "shortcode"), ("[[", "]]", "glossary link")):
            if opener in TERM_LINK.sub("", SHORTCODE.sub("", CODE_SPAN.sub("", line))):
                out.errors.append(where(f"({kind})", f"'{opener}' on this line is not closed with '{closer}'"))
        text_lines.append(_inline(line, default, project, base_path, out, where, prose_lines))
    _check_blocks(page, lines, default, project, out)
    try:
        body = markdown.markdown("\n".join(text_lines), extensions=["tables", "sane_lists", "toc"],
                                 extension_configs={"toc": {"permalink": False}})
    except RecursionError:  # python-markdown recurses once per level of nesting
        out.errors.append(SourceError(page.doc.path, _deepest_line(page), "(markdown)",
                                      "lists, quotes or emphasis are nested too deeply to read; simplify the nesting"))
        return out
    # The author's raw HTML and link targets go through the allowlist; the charts are added after it.
    for problem in sanitise.problems(body):
        found = SourceError(page.doc.path, _source_line(page, problem.needle), "(html)", problem.message)
        (out.errors if problem.error else out.warnings).append(found)
    body = sanitise.clean(body)
    for i, (trial, chart_id) in enumerate(out.charts):
        body = body.replace(f"<p>{PLACEHOLDER.format(i)}</p>", chart_html(trial, chart_id))
    out.html = Markup(body)
    out.grade = reading_grade("\n".join(prose_lines))
    limit = project.site.max_reading_grade
    if out.grade > limit:
        out.warnings.append(SourceError(page.doc.path, 1, "readability",
                                        f"reading grade {out.grade:.1f} is above the limit of {limit:g}"))
    return out


def _deepest_line(page: Page) -> int:
    """The body line that opens with the longest run of nesting marks (quotes, list marks, emphasis, indents)."""
    lines = page.doc.body.split("\n")
    depth = [len(NESTING.match(line).group()) for line in lines]
    return page.doc.body_line + depth.index(max(depth, default=0)) if lines else page.doc.body_line


def _clip(text: str, limit: int = 80) -> str:
    """A field as written by the author, cut to a readable length for a message."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _source_line(page: Page, needle: str) -> int:
    """The first body line that contains `needle` (ignoring case), or the body's first line."""
    wanted = needle.lower()
    for number, line in enumerate(page.doc.body.split("\n"), start=page.doc.body_line):
        if wanted in line.lower() or wanted in html.unescape(line).lower():
            return number
    return page.doc.body_line


def _place_chart(ref: str, default: Trial | None, project: Project, out: Rendered, where, text_lines) -> None:
    """Replace a `{{ chart id }}` line with a placeholder for the figure."""
    try:
        trial, chart_id = _split_trial(ref, default, project)
        if chart_id not in {c.id for c in trial.charts}:
            raise ShortcodeError(f"unknown chart '{chart_id}' in trial '{trial.id}'")
        if (trial, chart_id) in out.charts:  # a second copy would repeat the figure's ids and its table
            raise ShortcodeError(f"chart '{chart_id}' is already shown on this page; show each chart once")
    except BrokenTrial:
        return
    except ShortcodeError as exc:
        out.errors.append(where("chart", str(exc), exc.ref))
        return
    text_lines += ["", PLACEHOLDER.format(len(out.charts)), ""]
    out.charts.append((trial, chart_id))


def _inline(line: str, default, project: Project, base_path: str, out: Rendered, where, prose_lines) -> str:
    """Replace shortcodes and glossary links in one line; collect the plain text for checks."""
    def number(match: re.Match) -> str:
        try:
            ref = resolve(match.group(1), default, project)
        except BrokenTrial:
            return ""
        except ShortcodeError as exc:
            out.errors.append(where("{{ " + match.group(1) + " }}", str(exc), exc.ref))
            return ""
        text = html.escape(ref.text)
        if ref.link:
            return f'<a class="analysis" href="{base_path}{ref.link}">{text}</a>'
        return f'<data value="{html.escape(ref.data_value)}">{text}</data>' if ref.data_value else text

    def term(match: re.Match) -> str:
        shown, name = match.group(1), (match.group(2) or match.group(1))
        entry = project.glossary.get(name.strip().lower())
        if entry is None:
            out.errors.append(where("[[" + match.group(0)[2:-2] + "]]", f"'{_clip(name.strip())}' is not in the glossary",
                                    f"term:{name.strip().lower()}"))
            return html.escape(shown)
        return f'<a class="term" href="{base_path}glossary/#{term_anchor(entry)}">{html.escape(shown)}</a>'

    # Numbers inside link targets and HTML tags are addresses and attributes, not prose.
    checked = TERM_LINK.sub(lambda m: "", SHORTCODE.sub(" ", HTML_TAG.sub(" ", MD_LINK_TARGET.sub("]", line))))
    if not re.match(r"^\s*(<!--|```|    )", line):
        for found in HAND_NUMBER.finditer(checked):
            out.warnings.append(where("number", f"'{found.group(0)}' is typed by hand; take it from the data with a shortcode"))
        for found in PROMOTIONAL.finditer(TERM_LINK.sub(lambda m: m.group(1), SHORTCODE.sub(" ", line))):
            out.warnings.append(where("wording", f"'{found.group(0)}' is promotional or misleading; say what was measured"))
    result = TERM_LINK.sub(term, SHORTCODE.sub(number, line))
    prose_lines.append(HTML_TAG.sub("", MD_LINK_TARGET.sub("]", result)))
    return result


def resolve(code: str, default: Trial | None, project: Project) -> Ref:
    """Resolve the inside of `{{ ... }}` to text, e.g. 'pfs-final.drug-a | per100'."""
    path, _, filt = (part.strip() for part in code.partition("|"))
    trial, path = _split_trial(path, default, project)
    parts = path.split(".")
    head = parts[0]
    if head == "enrolled" and len(parts) == 1:
        return _plain(trial.enrolled.value, filt)
    if head == "phase" and len(parts) == 1:
        return _filter(filt, {"": lambda: Ref(trial.phase.value)})
    if head == "ratio" and len(parts) == 1:
        return _filter(filt, {"": lambda: Ref(trial.design.randomisation_ratio.value)})
    if head == "arms":
        return _arm_ref(trial, parts[1:], filt)
    if head == "populations":
        return _population_ref(trial, parts[1:], filt)
    if head == "baseline":
        return _baseline_ref(trial, parts[1:], filt)
    if head == "analyses":
        return _analysis_ref(trial, parts[1:], filt)
    if head == "side-effects":
        return _side_effect_ref(trial, parts[1:], filt)
    return _result_ref(trial, parts, filt)


def analysis_link(trial: Trial, analysis_id: str) -> str:
    """Site-relative address of an analysis in its trial page's table of analyses."""
    return f"trials/{trial.id}/#analysis-{analysis_id}"


def _split_trial(path: str, default: Trial | None, project: Project) -> tuple[Trial, str]:
    """Take an optional 'trial-id:' prefix off a reference."""
    if ":" in path:
        trial_id, path = (p.strip() for p in path.split(":", 1))
        if trial_id in project.broken_trials:
            raise BrokenTrial(trial_id)
        if trial_id not in project.trials:
            raise ShortcodeError(f"unknown trial '{trial_id}'", f"trial:{trial_id}")
        return project.trials[trial_id], path
    if default is None:
        raise ShortcodeError("this page presents no trial; start the reference with a trial id, e.g. 'trial-id:result.arm'")
    return default, path


def _pick(items, key: str, kind: str):
    """The item with id `key`, or a ShortcodeError listing the known ids."""
    for item in items:
        if item.id == key:
            return item
    known = ", ".join(i.id for i in items)
    raise ShortcodeError(f"unknown {kind} '{key}' (known: {known})")


def _need(parts: list[str], count: int, shape: str) -> None:
    """Check the number of dotted parts of a reference."""
    if len(parts) != count:
        raise ShortcodeError(f"expected the form '{shape}'")


def _filter(filt: str, allowed: dict[str, Callable[[], Ref]]) -> Ref:
    """Apply a named format, or say which formats fit here."""
    if filt not in allowed:
        raise ShortcodeError(f"unknown format '{filt}' here (use one of: {', '.join(k or '(none)' for k in allowed)})")
    return allowed[filt]()


def _plain(value, filt: str) -> Ref:
    """A count such as the number enrolled."""
    return _filter(filt, {"": lambda: Ref(fmt.number(value), fmt.number(value))})


def _arm_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """arms.ARM (label), arms.ARM | n, arms.ARM.DRUG | dose."""
    if len(parts) == 2:
        arm = _pick(trial.arms, parts[0], "arm")
        treatment = next((t for t in arm.treatments if t.drug == parts[1]), None)
        if treatment is None or treatment.dose is None:
            raise ShortcodeError(f"arm '{arm.id}' has no dose of '{parts[1]}'")
        return _filter(filt, {"dose": lambda: Ref(treatment.dose)})
    _need(parts, 1, "arms.ARM")
    arm = _pick(trial.arms, parts[0], "arm")
    n = arm.randomised.value
    return _filter(filt, {"": lambda: Ref(arm.label), "n": lambda: Ref(str(n), str(n))})


def _population_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """populations.ID.ARM: the number of people."""
    _need(parts, 2, "populations.ID.ARM")
    population = _pick(trial.populations, parts[0], "population")
    if parts[1] not in population.sizes:
        raise ShortcodeError(f"population '{population.id}' has no arm '{parts[1]}'")
    value = population.sizes[parts[1]].value
    return _filter(filt, {"": lambda: Ref(str(value), str(value))})


def _baseline_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """baseline.ID with an optional per100."""
    _need(parts, 1, "baseline.ID")
    fact = _pick(trial.baseline, parts[0], "baseline fact")
    formats = {"": lambda: Ref(fmt.with_unit(fact.value, fact.unit), fmt.number(fact.value), fact.analysis)}
    if fact.unit == "percent":
        formats["per100"] = lambda: Ref(fmt.per100_text(fact.value), str(fmt.per100(fact.value)), fact.analysis)
    return _filter(filt, formats)


def _analysis_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """analyses.ID (label), | follow_up, | data_cutoff."""
    _need(parts, 1, "analyses.ID")
    analysis = _pick(trial.analyses, parts[0], "analysis")
    return _filter(filt, {
        "": lambda: Ref(fmt.lower_first(fmt.analysis_label(analysis)), names_analysis=analysis.id,
                        link=analysis_link(trial, analysis.id)),
        "follow_up": lambda: Ref(fmt.follow_up(analysis), names_analysis=analysis.id),
        "data_cutoff": lambda: Ref(fmt.data_cutoff(analysis), names_analysis=analysis.id),
    })


def _side_effect_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """side-effects.TABLE.EVENT.ARM with an optional per100."""
    _need(parts, 3, "side-effects.TABLE.EVENT.ARM")
    table = _pick(trial.side_effects, parts[0], "side-effect table")
    event = _pick(table.events, parts[1], "side effect")
    if parts[2] not in event.values:
        raise ShortcodeError(f"side effect '{event.id}' has no arm '{parts[2]}'")
    value = event.values[parts[2]]
    shown = value if isinstance(value, str) else fmt.with_unit(value, "percent")
    return _filter(filt, {
        "": lambda: Ref(shown, str(value), table.analysis),
        "per100": lambda: Ref(fmt.per100_text(value), str(value if isinstance(value, str) else fmt.per100(value)), table.analysis),
    })


def _result_ref(trial: Trial, parts: list[str], filt: str) -> Ref:
    """RESULT.ARM (value, number, per100, ci) or RESULT (analysis, assessment, hr, hr_ci, p, significance)."""
    result = _pick(trial.results, parts[0], "result")
    analysis = _pick(trial.analyses, result.analysis, "analysis")
    unit = fmt.result_unit(result)
    if len(parts) == 2:
        if parts[1] not in result.values:
            raise ShortcodeError(f"result '{result.id}' has no arm '{parts[1]}'")
        value = result.values[parts[1]]
        formats = {
            "": lambda: Ref(fmt.with_unit(value.value, unit), fmt.number(value.value), analysis.id),
            "number": lambda: Ref(fmt.number(value.value), fmt.number(value.value), analysis.id),
        }
        if result.measure == "percent":
            formats["per100"] = lambda: Ref(fmt.per100_text(value.value), str(fmt.per100(value.value)), analysis.id)
        if value.ci95:
            formats["ci"] = lambda: Ref(fmt.interval(value.ci95, unit), None, analysis.id)
        return _filter(filt, formats)
    _need(parts, 1, "RESULT or RESULT.ARM")
    formats = {
        "analysis": lambda: Ref(fmt.lower_first(fmt.analysis_label(analysis)), names_analysis=analysis.id,
                                link=analysis_link(trial, analysis.id)),
        "assessment": lambda: Ref(fmt.ASSESSMENT_PHRASES[result.assessment]),
        "population": lambda: Ref(fmt.population_text(trial, result)),
    }
    comparison = result.comparison
    if comparison:
        formats["hr"] = lambda: Ref(fmt.number(comparison.hazard_ratio), fmt.number(comparison.hazard_ratio), analysis.id)
        formats["p"] = lambda: Ref(fmt.p_text(comparison.p), None, analysis.id)
        formats["significance"] = lambda: Ref("statistically significant" if comparison.significant else "not statistically significant")
        if comparison.ci95:
            formats["hr_ci"] = lambda: Ref(fmt.interval(comparison.ci95), None, analysis.id)
    return _filter(filt, formats)


def _check_blocks(page: Page, lines: list[str], default, project: Project, out: Rendered) -> None:
    """Warn when a paragraph shows a number without naming the analysis it comes from."""
    for start, block in _blocks(lines):
        shown: dict[str, str] = {}
        named: set[str] = set()
        for match in SHORTCODE.finditer(block):
            if CHART_LINE.match(match.group(0)):
                continue
            try:
                ref = resolve(match.group(1), default, project)
            except ShortcodeError:
                continue  # already reported
            if ref.analysis:
                shown.setdefault(ref.analysis, match.group(1))
            if ref.names_analysis:
                named.add(ref.names_analysis)
        for analysis, code in shown.items():
            if analysis not in named:
                out.warnings.append(SourceError(
                    page.doc.path, start + page.doc.body_line, "{{ " + code + " }}",
                    f"this paragraph shows a number from the analysis '{analysis}' but does not name it "
                    f"(add {{{{ analyses.{analysis} }}}} or {{{{ RESULT | analysis }}}})"))


def _blocks(lines: list[str]):
    """Yield (first line index, text) for each paragraph and each list item."""
    start, current = None, []
    for i, line in enumerate(lines + [""]):
        new_item = re.match(r"^\s*([-*+]|\d+\.)\s", line)
        if not line.strip() or new_item:
            if current:
                yield start, "\n".join(current)
            start, current = (i, [line]) if new_item else (None, [])
            continue
        if start is None:
            start = i
        current.append(line)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text (headings and lists count as sentences)."""
    cleaned = re.sub(r"^\s*(#+|[-*+]|\d+\.)\s*", "", text, flags=re.MULTILINE)
    cleaned = re.sub(r"[*_`>|]", "", cleaned)
    sentences = [s.strip() for s in re.split(r"\n\s*\n|\n(?=\S)", cleaned) if s.strip()]
    joined = " ".join(s if s.endswith((".", "?", "!", ":")) else s + "." for s in sentences)
    return float(textstat.flesch_kincaid_grade(joined)) if joined.strip() else 0.0
