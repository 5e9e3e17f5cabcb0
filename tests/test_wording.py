"""How numbers and results are written for readers: one rule each, the same in prose, charts, tables and CSV."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from trialsite import wording


@pytest.mark.parametrize("percent, whole", [(50.5, 51), (25.5, 26), (2.5, 3), (12.6, 13), (1.7, 2), (0.4, 0), (59, 59)])
def test_out_of_100_rounds_half_up(percent, whole):
    """One documented rule: X out of 100 rounds halves up."""
    assert wording.per100(percent) == whole


def test_out_of_100_text():
    """Exact whole numbers are not called 'about'; bounds are 'fewer than'."""
    assert wording.per100_text(50.5) == "about 51 out of 100"
    assert wording.per100_text(59) == "59 out of 100"
    assert wording.per100_text("<1") == "fewer than 1 out of 100"


def test_comparison_sentence_says_whether_it_could_be_chance():
    """A difference that is not statistically significant says it could be due to chance, with its numbers."""
    c = SimpleNamespace(measure="hazard-ratio", value="0.89", ci95=("0.73", "1.10"), p="0.14", significant="no")
    assert wording.comparison_sentence(c, None) == (
        " The difference was not statistically significant: it could be due to chance "
        "(hazard ratio 0.89, range of likely values 0.73 to 1.10; p = 0.14).")
    significant = SimpleNamespace(measure="hazard-ratio", value="0.45", ci95=None, p="< 0.0001", significant="yes")
    assert wording.comparison_sentence(significant, ("Drug A", "Usual care")) == (
        " The difference between drug A and usual care was statistically significant (hazard ratio 0.45; p < 0.0001).")


def test_a_comparison_not_tested_or_not_stated_says_so():
    """An exploratory comparison, or one whose significance the source does not give, is never called significant."""
    exploratory = SimpleNamespace(measure="odds-ratio", value="1.20", ci95=None, p=None, significant="not-tested")
    assert wording.comparison_sentence(exploratory, None) == (
        " The difference was not tested for statistical significance: it was an exploratory look (odds ratio 1.20).")
    unknown = SimpleNamespace(measure="risk-difference", value="-4", ci95=None, p=None, significant="not-stated")
    assert wording.comparison_sentence(unknown, None) == (
        " The source does not say whether the difference was statistically significant "
        "(difference in percentage points -4).")
    assert wording.comparison_line(exploratory, ("Drug A", "Usual care")) == (
        "Drug A vs usual care: odds ratio 1.20: not tested (exploratory)")


def test_medians_headers_name_the_arms_compared_when_there_are_more_than_two():
    """A three-arm table says which two arms its hazard ratios compare."""
    assert wording.medians_headers(["A", "B"], None)[-2:] == ["Hazard ratio (range of likely values)",
                                                              "Statistically significant?"]
    assert wording.medians_headers(["A", "B", "C"], "A vs C")[-2] == "Hazard ratio, A vs C (range of likely values)"


@pytest.mark.parametrize("citation, short", [
    ("Baselga J, Campone M, Piccart M, et al. Everolimus in postmenopausal advanced breast cancer. N Engl J Med. "
     "2012;366(6):520-529.", "Baselga et al., 2012"),
    ("National Cancer Institute. NCI Dictionary of Cancer Terms: aromatase inhibitor.", "National Cancer Institute"),
    ("Reuters, 20 July 2012: FDA approves Novartis drug Afinitor for breast cancer.", "Reuters, 20 July 2012"),
    ("AFINITOR (everolimus) US Prescribing Information, section 14.1 (version that includes overall survival).",
     "AFINITOR (everolimus) US Prescribing Information"),
])
def test_a_source_in_a_few_words(citation, short):
    """The glossary page names a definition's source briefly: its first authors or publisher, and its year."""
    assert wording.short_citation(citation) == short
