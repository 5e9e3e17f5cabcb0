"""One typed context per page kind: a template sees only what its page shows."""
from __future__ import annotations

import pytest

from trialsite.context import (
    MENU_TRIALS,
    CorrectionsContext,
    ExplainerContext,
    GlossaryContext,
    HomeContext,
    PageContext,
    SourcesContext,
    TrialContext,
    build_page_context,
    pages_with,
    site_parts,
)
from trialsite.project import load_project


@pytest.fixture
def contexts(tiny_project):
    """The context of every page of the tiny project, by page address."""
    project, errors = load_project(tiny_project)
    assert not errors
    shared = site_parts(project)
    return {p.url: build_page_context(p, [], project, "https://example.org/site/", shared) for p in project.pages}


def test_each_page_kind_gets_its_own_context(contexts):
    """Home, trial, explainer, glossary and sources pages each get the type that holds what they show."""
    assert {url: type(c) for url, c in contexts.items()} == {
        "": HomeContext, "trials/tiny-trial/": TrialContext, "explainers/median/": ExplainerContext,
        "glossary/": GlossaryContext, "sources/": SourcesContext, "about/": PageContext,
        "corrections/": CorrectionsContext, "how-we-work/": PageContext}
    assert not hasattr(contexts["sources/"], "glossary") and not hasattr(contexts[""], "trial")


def test_trust_statements_say_when_they_are_not_yet_declared(contexts):
    """Who pays and conflicts of interest come from site.yaml; 'not yet declared' is marked for the page to show."""
    about = contexts["about/"]
    assert (about.funding.text, about.funding.pending) == ("Test grants", False)
    assert (about.conflicts_of_interest.text, about.conflicts_of_interest.pending) == ("Not yet declared", True)


def test_addresses_in_a_context_are_relative_to_its_page(contexts):
    """The way to the root, the menu and the lists are written from the page; the canonical address is absolute."""
    trial = contexts["trials/tiny-trial/"]
    assert trial.root == "../../"
    assert [link.url for link in trial.nav if link.current] == ["../../trials/tiny-trial/"]
    assert trial.canonical_url == "https://example.org/site/trials/tiny-trial/"
    assert [link.url for link in contexts[""].explainers] == ["explainers/median/"]


def test_a_field_is_traced_to_the_pages_that_have_it():
    """The template error for `page.glossary` on another page says which page has it."""
    assert pages_with("glossary") == ["the glossary page"]
    assert pages_with("explainers") == ["the home page", "explainers", "the explainers page"]
    assert pages_with("title") == [] and pages_with("nothing") == []
    assert "glossary" not in {f for f in PageContext.__dataclass_fields__}


def test_the_glossary_is_grouped_a_to_z(contexts):
    """Every letter A to Z, each with the entries that start with it, under an anchor such as 'letter-c'."""
    letters = contexts["glossary/"].letters
    assert [group.letter for group in letters] == list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert {group.anchor: [t.anchor for t in group.terms] for group in letters if group.terms} == {
        "letter-c": ["term-confidence-interval"], "letter-m": ["term-median"], "letter-r": ["term-response"]}
    assert (letters[2].terms[0].abbreviation, letters[2].terms[0].source) == ("CI", None)
    entry = letters[17].terms[0]
    assert (entry.source_short, entry.source.key) == ("Example A, Example B, 2020", "paper2020")


def _with_trials(tiny_project, count: int):
    """The tiny project with `count` trials in all, each with its page in the menu; its contexts by page address."""
    trials, pages = tiny_project / "data" / "trials", tiny_project / "content" / "trials"
    data, page = (trials / "tiny-trial.yaml").read_text(), (pages / "tiny-trial.md").read_text()
    for number in range(2, count + 1):
        (trials / f"tiny-{number}.yaml").write_text(
            data.replace("id: tiny-trial", f"id: tiny-{number}").replace("name: TINY-1", f"name: TINY-{number}"))
        (pages / f"tiny-{number}.md").write_text(
            page.replace("trial: tiny-trial", f"trial: tiny-{number}").replace("TINY-1 trial", f"TINY-{number} trial"))
    project, errors = load_project(tiny_project)
    assert not errors and len(project.trials) == count
    shared = site_parts(project)
    return {p.url: build_page_context(p, [], project, "https://example.org/", shared) for p in project.pages}


def test_the_menu_names_each_of_a_few_trials(tiny_project):
    """Up to MENU_TRIALS trials, the menu links each trial's page, and marks the one it is on."""
    contexts = _with_trials(tiny_project, MENU_TRIALS)
    menu = [(link.title, link.url, link.current) for link in contexts["trials/tiny-3/"].nav]
    assert menu[0][0] == "Home" and {title for title, _, _ in menu[1:MENU_TRIALS + 1]} == {
        f"TINY-{n}" for n in range(1, MENU_TRIALS + 1)}
    assert ("TINY-3", "../../trials/tiny-3/", True) in menu and ("TINY-2", "../../trials/tiny-2/", False) in menu


def test_a_menu_of_many_trials_links_the_home_pages_list_once(tiny_project):
    """Past MENU_TRIALS trials, every page's menu has one 'Trials' link to the home page's list instead of one link a
    trial, so no page grows with the number of trials; the home page still lists each of them."""
    contexts = _with_trials(tiny_project, MENU_TRIALS + 1)
    for url, context in contexts.items():
        titles = [link.title for link in context.nav]
        assert titles.count("Trials") == 1 and not any(title.startswith("TINY-") for title in titles), url
    assert [link.url for link in contexts["trials/tiny-3/"].nav if link.title == "Trials"] == ["../../#trials"]
    assert [link.url for link in contexts[""].nav if link.title == "Trials"] == ["#trials"]
    assert len(contexts[""].trials_on_site) == MENU_TRIALS + 1
