"""The real BOLERO-2 site: numbers shown with their analysis, balance, and accessible charts."""
from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT

# An independent transcription of the confirmed figures of the fact sheet, plus their whole numbers out of 100.
CONFIRMED = {
    "724", "485", "239", "482", "238", "62", "56", "84", "100", "48", "16", "68",
    "6.9", "2.8", "10.6", "4.1", "7.4", "3.2", "7.8", "11.0", "0.43", "0.36", "0.44", "0.45", "0.38",
    "50.5", "25.5", "51", "26", "12.6", "1.7", "13", "2", "31.0", "26.6", "0.89", "8.3", "5.8", "0.74", "11.7", "8.4",
    "0.80", "59", "12", "39", "7", "37", "27", "34", "19", "31", "29", "28", "23", "15", "22", "6", "11", "21", "17",
    "5", "1", "0", "14", "<1", "8", "4", "3",
}
LEFT_OUT = ["17.2", "22.7", "25.4", "32.2", "33.4", "18.0%", "51.3", "26.4", "49.9", "22.2", "9.5%", "268", "411"]


@pytest.fixture(scope="module")
def site(bolero_site):
    """The built site folder; the strict build must have passed."""
    out, result = bolero_site
    assert not result.errors and not result.warnings, [str(e) for e in result.errors + result.warnings]
    return out


@pytest.fixture(scope="module")
def trial_page(site):
    """The parsed BOLERO-2 trial page."""
    return BeautifulSoup((site / "trials" / "bolero-2" / "index.html").read_text(), "html.parser")


def _paragraph_with(soup, text: str):
    """Texts of every paragraph or list item that contains `text`."""
    return [p.get_text(" ") for p in soup.select(".prose p, .prose li") if text in p.get_text(" ")]


def test_every_number_shown_is_confirmed(trial_page):
    """Each number taken from the data is one of the fact sheet's confirmed figures."""
    shown = {d["value"] for d in trial_page.select("data")}
    assert shown and shown <= CONFIRMED, sorted(shown - CONFIRMED)


def test_left_out_figures_never_appear(site):
    """Crude death percentages, unconfirmed figures and reconstructed counts are nowhere on the site."""
    text = " ".join(p.read_text() for p in site.rglob("*.csv"))
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for svg in soup.select("svg"):
            for node in svg.select("path, rect, g"):  # drop drawing coordinates, keep the SVG's text
                node.attrs = {}
        text += soup.get_text(" ") + " ".join(t.get_text(" ") for t in soup.select("svg text"))
    assert [value for value in LEFT_OUT if value in text] == []


@pytest.mark.parametrize("number, follow_up", [
    ("7.4 months", "12.5 months"), ("7.8 months", "18 months"), ("6.9 months", "7.5 months"),
    ("about 51 out of 100", "12.5 months"), ("31.0 months", "39.3 months")])
def test_numbers_appear_with_their_analysis(trial_page, number, follow_up):
    """Every paragraph quoting a figure also names the analysis it comes from, in words or as a compact label."""
    paragraphs = _paragraph_with(trial_page, number)
    named = (f"{follow_up} of follow-up", f"follow-up {follow_up}")
    assert paragraphs and all(any(n in p for n in named) for p in paragraphs), paragraphs


def test_seed_article_numbers_sit_next_to_final_numbers(trial_page):
    """The news article's 7.4 vs 3.2 months appear in the same section as the final 7.8 vs 3.2."""
    texts = []
    for sibling in trial_page.find(id="time-before-the-cancer-grew-or-the-woman-died").find_next_siblings():
        if sibling.name in ("h2", "h3"):
            break
        texts.append(sibling.get_text(" "))
    section = " ".join(texts)
    assert all(value in section for value in ("7.4 months", "3.2 months", "7.8 months", "12.5 months of follow-up"))


def test_overall_survival_not_significant_is_stated(trial_page):
    """OS is shown with its CIs and called not statistically significant, in prose and chart."""
    figure = trial_page.find(id="chart-bolero-2-os-medians")
    description = figure.select_one(".chart-description").get_text(" ")
    assert "not statistically significant" in description and "0.73 to 1.10" in description
    assert any("not statistically significant" in p for p in _paragraph_with(trial_page, "31.0 months"))


def test_every_chart_is_an_accessible_figure(trial_page):
    """Each chart: SVG with role=img and a name, caption, description, table with th scope, CSV link."""
    figures = trial_page.select("figure.chart")
    assert len(figures) == 9
    for figure in figures:
        svg = figure.select_one("svg")
        assert svg["role"] == "img"
        assert figure.find(id=svg["aria-labelledby"]).get_text().strip()
        assert not svg.has_attr("aria-describedby")  # the summary follows it: said once, not twice
        summary = figure.select_one("p.chart-summary").get_text()
        assert 15 <= len(summary.split()) <= 60, summary
        assert figure.select_one("details .chart-description").get_text().strip()  # every number, in words
        assert figure.select_one("figcaption").get_text().strip()
        assert figure.select("th[scope=col]") and figure.select("th[scope=row]")
        assert figure.select_one("a[download]")["href"].endswith(".csv")


def test_no_promotional_wording_anywhere(site):
    """No page uses promotional words or says survival improved."""
    words = re.compile(r"breakthrough|dramatic|miracle|highly significant|improves survival", re.IGNORECASE)
    hits = [f"{p}: {m.group(0)}" for p in site.rglob("*.html") for m in words.finditer(BeautifulSoup(
        p.read_text(), "html.parser").select_one("main").get_text(" "))]
    assert hits == []


def test_every_page_names_publisher_and_review_dates(site):
    """Each page says who publishes it, when it was last reviewed, and who checked it or that no clinician has."""
    reviewed = {_page_address(p): bool(_front_matter(p).get("clinical_review"))
                for p in (ROOT / "content").rglob("*.md")}
    for page in site.rglob("index.html"):
        if page.parent.name == "report":  # the author report is not a reader page
            continue
        about = BeautifulSoup(page.read_text(), "html.parser").select_one(".about-page").get_text(" ")
        assert "The trialsite project" in about and "Last reviewed" in about and "Next review due" in about, page
        checked = reviewed[page.parent.relative_to(site).as_posix()]
        assert ("Not yet checked by a clinician" in about) != checked, page


def _front_matter(path) -> dict:
    """The YAML front matter of a Markdown page."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1]) or {}


def _page_address(path) -> str:
    """The folder a page is built into, relative to the site: '.' for the home page."""
    rel = path.relative_to(ROOT / "content").with_suffix("")
    return "." if rel.as_posix() == "index" else rel.as_posix()


def test_pages_read_at_grade_8_or_below(bolero_site):
    """Every page's prose reads at US grade 8 or below: the limit is 8 and the build warns about no page."""
    _, result = bolero_site
    assert yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))["max_reading_grade"] <= 8
    assert not [str(w) for w in result.warnings if w.field == "readability"]


def test_the_trial_page_lists_its_sections_and_puts_the_design_after_the_text(trial_page):
    """'On this page' links every section; the author's text comes before the trial at a glance."""
    contents = [a["href"] for a in trial_page.select("nav.contents a")]
    sections = ["#" + h2["id"] for h2 in trial_page.select(".prose h2")]
    assert contents == sections + ["#since", "#not-available", "#glance", "#analyses", "#support"]
    order = [el.get("id") or el.get("class")[0] for el in trial_page.select("div.prose, section.glance")]
    assert order == ["prose", "glance"]
    notice = trial_page.select_one("p.notice")
    assert len(notice.get_text().split()) <= 15 and notice.a["href"] == "#about-this-page"


def test_key_points_come_first_with_survival_beside_pfs_and_a_harm(trial_page):
    """The body opens with key points: short, numbers from the data, OS next to PFS, and side effects."""
    first = trial_page.select_one(".prose h2")
    assert first["id"] == "key-points"
    points = [li.get_text(" ") for li in first.find_next("ul").select("li")]
    assert len([w for w in " ".join(points).split() if re.search(r"\w", w)]) <= 120  # '·' is not a word
    pfs = next(i for i, p in enumerate(points) if "cancer grew or the woman died" in p)
    assert "7.8 months" in points[pfs] and "3.2 months" in points[pfs] and "follow-up 18 months" in points[pfs]
    assert "How long women lived" in points[pfs + 1] and "31.0 months" in points[pfs + 1]
    assert any("59 out of 100" in p and "mouth sores" in p and "Severe" in p for p in points)
    assert "did not show that women lived longer" in points[pfs + 1]


def test_every_explainer_is_reachable_from_the_main_menu(site):
    """The main menu links the explainers page, and it links every explainer once."""
    home = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    assert "explainers/" in [a["href"] for a in home.select('nav[aria-label="Main"] a')]
    listing = BeautifulSoup((site / "explainers" / "index.html").read_text(), "html.parser")
    linked = [a["href"] for a in listing.select("#all-explainers ~ ul.cards a")]
    built = sorted(f"../explainers/{p.parent.name}/" for p in (site / "explainers").glob("*/index.html"))
    assert sorted(linked) == built and len(built) == 19


def test_every_footer_links_the_accessibility_statement_and_privacy_note(site):
    """The optional statements, once written, are linked from every reader page's footer and from the 404 page."""
    for page in [*site.rglob("index.html"), site / "404.html"]:
        if page.parent.name == "report":
            continue
        footer = BeautifulSoup(page.read_text(), "html.parser").select_one("footer")
        titles = [a.get_text() for a in footer.select("a")]
        assert "Accessibility" in titles and "Privacy" in titles, page
