"""Each partial macro renders what it is given; templates fail loudly on undefined names."""
from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import ROOT

from trialsite.context import Link, Review, SourceView
from trialsite.figures import Figure
from trialsite.pipeline import build
from trialsite.render import make_environment

ENV = make_environment(ROOT / "templates")
SOURCE = SourceView("paper", 2, "A paper <2020>", "https://example.org/p", "10.1/x", "123", "A note")
REVIEW = Review("Publisher org", ["Writers team"], "1 January 2026", "2026-01-01", "1 January 2027", "2027-01-01", None)


def _macro(template: str, name: str):
    """A macro from a partial template."""
    return getattr(ENV.get_template(f"partials/{template}").module, name)


def _soup(markup) -> BeautifulSoup:
    """Parse rendered markup."""
    return BeautifulSoup(str(markup), "html.parser")


def test_nav_marks_the_current_page():
    """The link to the current page has aria-current=page; the others do not."""
    soup = _soup(_macro("_nav.html", "site_nav")([Link("Home", "../"), Link("Glossary", "./", current=True)]))
    assert [a.get("aria-current") for a in soup.select("a")] == [None, "page"]
    assert soup.select_one("nav")["aria-label"] == "Main"


def test_link_list_renders_titles_and_summaries_or_nothing():
    """A list of links with summaries under a heading; an empty list renders no section."""
    soup = _soup(_macro("_links.html", "link_list")("Trials", "trials", [Link("T", "/t/", "About T")]))
    assert soup.select_one("h2#trials").get_text() == "Trials" and soup.select_one("li p").get_text() == "About T"
    assert str(_macro("_links.html", "link_list")("Trials", "trials", [])).strip() == ""


def test_review_notice_and_details_say_when_unchecked():
    """No reviewer: a visible notice and 'Not yet checked by a clinician' in the details."""
    assert "Not yet checked by a clinician." in _soup(_macro("_review.html", "review_notice")(REVIEW)).get_text()
    details = _soup(_macro("_review.html", "review_details")(REVIEW))
    assert details.select_one("time")["datetime"] == "2026-01-01"
    assert "Not yet checked by a clinician" in details.get_text()


def test_sources_are_numbered_linked_and_escaped():
    """Cites link to the numbered list; citation text is escaped."""
    cite = _soup(_macro("_sources.html", "cite")([SOURCE]))
    assert cite.select_one("a")["href"] == "#source-paper" and cite.get_text() == "Source 2"
    other = SourceView("poster", 5, "A poster", "https://example.org/poster", None, None, None)
    both = _soup(_macro("_sources.html", "cite")([SOURCE, other]))
    assert both.get_text() == "Sources Source 2, Source 5"  # 'Sources 2, 5' on screen, each link named in full
    assert [a.get_text() for a in both.select("a")] == ["Source 2", "Source 5"]
    listed = str(_macro("_sources.html", "source_list")([SOURCE]))
    assert "A paper &lt;2020&gt;" in listed and 'id="source-paper"' in listed and "PubMed: 123" in listed


def test_figure_has_caption_table_description_and_csv():
    """The chart macro wraps the SVG with caption, summary, description, table with scopes and a CSV link."""
    figure = Figure("chart-x", "A title", "<svg role=\"img\"></svg>", "In short.", ["Said in words."],
                    ["Group", "Value"], [["A", "1"]], "Group,Value\nA,1\n", ["paper"], ["First analysis"])
    soup = _soup(_macro("_chart.html", "figure")(figure, "/data/x.csv", [SOURCE]))
    assert soup.select_one("figcaption").get_text() == "A title"
    assert soup.select_one("p.chart-summary").get_text() == "In short."
    assert soup.select_one("details #chart-x-desc").get_text(strip=True) == "Said in words."
    assert [th["scope"] for th in soup.select("th")] == ["col", "col", "row"]
    assert soup.select_one("a[download]")["href"] == "/data/x.csv"
    assert soup.select_one("p.chart-source a")["href"] == "#source-paper"  # numbered as on the page


def test_undefined_name_in_a_template_is_an_error(tiny_project):
    """StrictUndefined: a misspelt name stops the build with the template's path and line."""
    page = tiny_project / "templates" / "page.html"
    page.write_text(page.read_text().replace("{{ page.summary }}", "{{ page.sumary }}"))
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert errors and all(e.startswith("templates/page.html:10: template: ") and "sumary" in e for e in errors)


def test_error_in_a_partial_names_the_partial(tiny_project):
    """A syntax error in a partial points at partials/<name> and its line."""
    partial = tiny_project / "templates" / "partials" / "_links.html"
    partial.write_text(partial.read_text().replace("{% endif %}", "{% endiff %}", 1))
    errors = [str(e) for e in build(tiny_project, tiny_project / "_site").errors]
    assert len(errors) == 1 and errors[0].startswith("templates/partials/_links.html:11: template: ")


def test_the_sandbox_refuses_pythons_internals_however_often_it_was_asked_before(tmp_path):
    """Templates cannot reach Python's internals: the remembered verdicts (render._Sandbox) are per type and name,
    so a type's 'mro', a function's globals and any '_' name stay refused after many safe reads of other objects."""
    import pytest
    from jinja2.sandbox import SecurityError

    from trialsite.render import render

    class Page:
        title = "a title"
        kind = str

        def helper(self) -> str:
            """A method a template may call."""
            return "ok"

    templates = {"safe.html": "{{ page.title.upper() }} {{ page.helper() }}",
                 "mro.html": "{{ page.kind.mro() }}",
                 "globals.html": "{{ page.helper.__func__.__globals__ }}",
                 "format.html": "{{ '{0.__class__}'.format(page) }}"}
    for name, text in templates.items():
        (tmp_path / name).write_text(text)
    env = make_environment(tmp_path)
    for _ in range(3):
        assert render(env, "safe.html", Page()) == "A TITLE ok"
    for name in ("mro.html", "globals.html", "format.html"):
        with pytest.raises(SecurityError):
            render(env, name, Page())


def test_the_sandboxs_quick_attribute_reads_answer_as_jinjas_own(tmp_path):
    """render._Sandbox.getattr answers a name judged safe before at once: on data, properties, methods, a text's
    format methods, mapping keys, missing names and Python's internals, read again and again, it gives what Jinja's
    own sandbox gives (the same value, or the same kind of undefined with the same reason)."""
    import functools

    from jinja2 import StrictUndefined, Undefined
    from jinja2.sandbox import SandboxedEnvironment

    class Page:
        title = "a title"
        kind = str

        def __init__(self) -> None:
            self.items = {"a": 1}

        @property
        def shown(self) -> str:
            return self.title.upper()

        @functools.cached_property
        def once(self) -> list[int]:
            return [1, 2]

        def helper(self) -> str:
            return "ok"

    ours, stock = make_environment(tmp_path), SandboxedEnvironment(undefined=StrictUndefined)
    cases = [(Page(), "title"), (Page(), "shown"), (Page(), "once"), (Page(), "items"), (Page(), "kind"),
             (Page(), "helper"), (Page(), "_private"), (Page(), "__class__"), (Page(), "missing"), ({"a": 1}, "a"),
             ({"a": 1}, "b"), ({"a": 1}, "items"), ("text", "upper"), ("text {0}", "format"), ("{a}", "format_map"),
             (str, "mro"), (Page().helper, "__func__"), (Page.helper, "__globals__"), ([1], "append"), (3, "real")]
    for _ in range(3):
        for obj, name in cases:
            got, expected = ours.getattr(obj, name), stock.getattr(obj, name)
            assert type(got) is type(expected), (obj, name)
            if isinstance(expected, Undefined):
                assert (got._undefined_hint, got._undefined_exception) == (
                    expected._undefined_hint, expected._undefined_exception), (obj, name)
            elif name in ("format", "format_map"):
                argument = "x" if name == "format" else {"a": 1}
                assert got(argument) == expected(argument), (obj, name)
            else:
                assert got == expected, (obj, name)
