"""The wording checks classify every labelled paragraph in tests/prose/ as its label says."""
import re
from pathlib import Path

import pytest
import yaml

from trialsite import prose_checks
from trialsite.prose_checks import CHECKS, Paragraph

LABELLED = yaml.safe_load((Path(__file__).parent / "prose" / "sentences.yaml").read_text())
CASES = [(name, label, item) for name, groups in LABELLED.items() for label in ("flag", "pass")
         for item in groups[label]]


def _paragraph(item: str | dict) -> Paragraph:
    """A labelled item as the paragraph the checks read."""
    return Paragraph(item) if isinstance(item, str) else Paragraph(**item)


@pytest.mark.parametrize(("name", "label", "item"), CASES,
                         ids=[f"{n}-{lab}-{i}" for i, (n, lab, _) in enumerate(CASES)])
def test_labelled_paragraph(name, label, item):
    """Each check flags what it should and passes what it should."""
    check = next(c for c in CHECKS if c.name == name)
    flagged = check.find(_paragraph(item))
    assert bool(flagged) == (label == "flag"), flagged


def test_every_check_has_labelled_paragraphs():
    """No check goes without examples of both kinds, and no example names a check that does not exist."""
    assert sorted(LABELLED) == sorted(c.name for c in CHECKS)
    assert all(len(groups["flag"]) >= 3 and len(groups["pass"]) >= 3 for groups in LABELLED.values())


def test_messages_name_the_phrase():
    """An author sees the flagged words in the message."""
    found = prose_checks.findings(Paragraph("BOLERO-2 was a landmark trial."))
    assert [(c.name, c.message.format(phrase=p)) for c, p in found] == [
        ("evaluative", "'landmark' judges the trial or its result; describe what was done and found")]


@pytest.mark.parametrize(("text", "kept"), [
    ("Everolimus was taken as two 5 mg tablets.", ""),
    ("The US approval came on 20 July 2012, the EU one in July 2012.", ""),
    ("Results came out in 2012 and 2014.", ""),
    ("This was a phase 3 trial (phase III).", ""),
    ("Grades 3 or 4 and grade 2 side effects.", ""),
    ("The 95% confidence interval.", ""),
    ("Registered as NCT00863655 and 2008-002541-89.", ""),
    ("Out of every 100 women.", ""),
    ("About 59 out of 100 women; 724 women joined; 7.8 months.", "59 724 7.8"),
])
def test_allowed_hand_typed_numbers(text, kept):
    """Doses, dates, phases, grades, the 95% of an interval and registry numbers may be typed; results may not."""
    left = prose_checks.blank_allowed_numbers(text)
    assert " ".join(n for n in left.replace(";", " ").split() if n[0].isdigit()).replace(".", "").strip() == \
        kept.replace(".", "")


DOCS = (Path(__file__).parent.parent / "docs" / "data-format.md").read_text()


def test_docs_name_every_check_and_allowed_number():
    """docs/data-format.md lists every check by its field and every kind of number that may be typed."""
    for check in CHECKS:
        assert f"| `{check.name}` |" in DOCS, check.name
    for name in prose_checks.ALLOWED_NUMBERS:
        assert f"| {name} |" in DOCS, name


def test_documented_allowed_numbers_are_allowed():
    """Every example in the docs' table of numbers that may be typed passes the number check."""
    table = DOCS[DOCS.index("| Allowed | Examples |"):DOCS.index("To fix it:", DOCS.index("| Allowed | Examples |"))]
    examples = [e for row in table.splitlines()[2:] for e in re.findall(r"`([^`]+)`", row)]
    assert len(examples) > 15
    for example in examples:
        assert not re.search(r"(?<![\w\-.:/#])\d", prose_checks.blank_allowed_numbers(example)), example


def test_the_quick_first_look_finds_whatever_the_full_pattern_finds():
    """prose_checks.mentions looks for a pattern in case-folded text: for every case-insensitive pattern of the
    checks, on every labelled paragraph (and in capitals, with a long s and a Kelvin sign), it finds a match wherever
    the pattern itself does; patterns with an upper-case escape are looked for as they are."""
    patterns = [value for value in vars(prose_checks).values()
                if isinstance(value, re.Pattern) and value.flags & re.IGNORECASE]
    assert len(patterns) >= 8
    assert prose_checks.folded_pattern(re.compile(r"\Wrare", re.IGNORECASE)) is None
    texts = [item if isinstance(item, str) else item["text"] for _, _, item in CASES]
    texts += [t.upper() for t in texts] + [t.replace("s", "\u017f").replace("k", "\u212a") for t in texts]
    for pattern in patterns:
        assert prose_checks.folded_pattern(pattern) is not None, pattern.pattern[:40]
        for text in texts:
            if pattern.search(prose_checks.plain(text)):
                assert prose_checks.mentions(pattern, Paragraph(text)), (pattern.pattern[:40], text)
