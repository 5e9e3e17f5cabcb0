"""The one shortcode table: every head and format resolves from the data to the text an author expects."""
from __future__ import annotations

import pytest
from test_chart_kinds import TWO_COMPARISONS

from trialsite.project import load_project
from trialsite.shortcodes import HEADS, RESULT, ShortcodeError, resolve


@pytest.fixture
def tiny(tiny_project):
    """The loaded tiny project and its trial."""
    project, errors = load_project(tiny_project)
    assert not errors
    return project, project.trials["tiny-trial"]


EXAMPLES = [
    ("pfs-final.drug-a", "6.0 months"),
    ("pfs-final.drug-a | number", "6.0"),
    ("pfs-final.drug-a | ci", "4.5 to 7.25 months"),
    ("pfs-final | analysis", "final analysis (24 months of follow-up)"),
    ("pfs-final | label", "Final analysis · follow-up 24 months · independent experts"),
    ("response-poster | label", "Poster update · follow-up not stated · who judged it not stated"),
    ("analyses.final | label", "Final analysis · follow-up 24 months"),
    ("pfs-final | assessment", "as judged by independent experts who reviewed the scans"),
    ("pfs-final | hr", "0.60"),
    ("pfs-final | hr_ci", "0.40 to 0.90"),
    ("pfs-final | estimate", "0.60"),
    ("approvals.made-up", "Made-up Medicines Agency"),
    ("approvals.made-up | date", "March 2021"),
    ("approvals.made-up | indication", "Adults with the made-up illness"),
    ("pfs-final | estimate_ci", "0.40 to 0.90"),
    ("pfs-final | p", "0.01"),
    ("pfs-final | significance", "statistically significant"),
    ("response-poster.drug-a | per100", "about 21 out of 100"),
    ("response-poster | analysis", "poster update (follow-up not stated by the source)"),
    ("findings.stopped", "More people with drug A stopped treatment because of side effects"),
    ("enrolled", "90"),
    ("analysed", "88"),
    ("arms.drug-b", "Drug B"),
    ("arms.drug-b | n", "30"),
    ("arms.drug-b.drug b | dose", "20 mg"),
    ("side-effects.any.rash.usual-care | per100", "fewer than 1 out of 100"),
    ("side-effects.any.rash.drug-b", "12.5%"),
    ("analyses.final | data_cutoff", "31 January 2020"),
    ("analyses.poster | data_cutoff", "not stated by the source"),
    ("pfs-final | population", "everyone randomly assigned to a group (30 in the drug A group, 30 in the drug B group, "
                               "30 in the usual care group)"),
]


@pytest.mark.parametrize("code, text", EXAMPLES)
def test_shortcodes_resolve_from_data(tiny, code, text):
    """Every shortcode form gives the text the author expects."""
    project, trial = tiny
    assert resolve(code, trial, project).text == text


def _head_and_format(code: str):
    """The table entry a shortcode uses, and its format."""
    path, _, filt = (part.strip() for part in code.partition("|"))
    return HEADS.get(path.split(".")[0], RESULT), filt


def test_every_declared_format_is_resolved_above():
    """The shortcode table and the resolvers agree: each example's format is declared, each declared format used."""
    used = {(head.shape, filt) for head, filt in map(_head_and_format, (code for code, _ in EXAMPLES))}
    declared = {(head.shape, filt) for head in [*HEADS.values(), RESULT] for filt in head.formats}
    assert used <= declared
    # time_point and randomised have tests of their own below and in test_chart_kinds.
    assert declared - used <= {("populations.ID or populations.ID.ARM", ""), ("baseline.ID", ""),
                                ("baseline.ID", "per100"), ("analyses.ID", "follow_up"), ("analyses.ID", ""),
                                ("phase", ""), ("ratio", ""),
                                (RESULT.shape, "time_point"), ("randomised", "")}


def test_phase_and_ratio_shortcodes(tiny):
    """Design facts with digits can be used in prose without typing them."""
    project, trial = tiny
    assert [resolve(code, trial, project).text for code in ("phase", "ratio")] == ["2", "1:1:1"]


def test_a_named_comparison_of_several(tiny_project):
    """With two comparisons, `RESULT.COMPARISON | format` picks one; an odds ratio has no `hr`."""
    trial_file = tiny_project / "data" / "trials" / "tiny-trial.yaml"
    trial_file.write_text(trial_file.read_text().replace(*TWO_COMPARISONS))
    project, errors = load_project(tiny_project)
    assert not errors
    trial = project.trials["tiny-trial"]
    assert resolve("pfs-final.a-vs-c | hr", trial, project).text == "0.60"
    assert resolve("pfs-final.b-vs-c | estimate_ci", trial, project).text == "0.60 to 1.30"
    assert resolve("pfs-final.b-vs-c | significance", trial, project).text == (
        "not tested for statistical significance (an exploratory look)")
    with pytest.raises(ShortcodeError, match=r"unknown format 'hr' here \(use one of: estimate, p, significance"):
        resolve("pfs-final.b-vs-c | hr", trial, project)


def test_a_count_the_trial_file_does_not_give(tiny):
    """{{ randomised }} in a trial that gives no such count says where to add it."""
    project, trial = tiny
    with pytest.raises(ShortcodeError, match="this trial's data gives no `randomised` count; add it to the trial file"):
        resolve("randomised", trial, project)
