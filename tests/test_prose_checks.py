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


# The patterns each check looks for first, in the whole paragraph
GATED = [prose_checks.PROMOTIONAL, prose_checks.EVALUATIVE, prose_checks.SURVIVAL_CLAIM, prose_checks.ONE_IN_X,
         prose_checks.FREQUENCY, prose_checks.RELATIVE_WORDS]


def _texts_for(pattern: re.Pattern[str], rng) -> list[str]:
    """Texts that match a pattern here and there: the labelled paragraphs, the site's pages, and random texts made of
    the pattern's own words with digits, signs and other words, in case-folded form."""
    texts = [item if isinstance(item, str) else item["text"] for _, _, item in CASES]
    texts += [path.read_text() for path in (Path(__file__).parents[1] / "content").rglob("*.md")]
    words = re.findall(r"[a-z]+", pattern.pattern) + ["1", "50", "7.8", "%", "relfig", "absfig", "the", "people", ",",
                                                       "(", "x", "survival", "it's", "\u00e9t\u00e9"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    return [prose_checks.plain(text).casefold() for text in texts]


def test_a_look_ahead_for_the_first_characters_finds_exactly_what_the_pattern_finds():
    """Every check's first-look pattern is led by a look-ahead for the characters its matches start with (the speed
    of the wording checks depends on it); with it, the pattern matches exactly the same texts, at the same places."""
    import random
    rng = random.Random(2012)
    for pattern in GATED:
        folded = prose_checks.folded_pattern(pattern)
        quick = prose_checks.with_first_characters(folded)
        assert folded is not None and quick is not None and quick.pattern.startswith("(?=["), pattern.pattern[:40]
        texts = _texts_for(pattern, rng)
        found = [(m.start(), m.group(0)) for text in texts for m in folded.finditer(text)]
        assert len(found) > 10, pattern.pattern[:40]  # the texts do match
        assert [(m.start(), m.group(0)) for text in texts for m in quick.finditer(text)] == found


@pytest.mark.parametrize(("source", "led_by"), [
    (r"\bcat|dog", "[\\x63\\x64]"),  # each alternative's first letter
    (r"(?:very )?good", "[\\x67\\x76]"),  # an optional start: what follows may start the match too
    (r"\d+ times|x*y", "[\\d\\x78\\x79]"),  # a class, and a repeat that may be absent
    (r"(?<!not )significant", "[\\x73]"),  # a look-behind is not part of the match
    (r"[a-c]\b", "[\\x61-\\x63]"),
    (r"[^a]b", None),  # a negated class: any character may start it
    (r"(a)\1", "[\\x61]"),  # what follows the first character does not matter
    (r".b", None),  # any character
    (r"(?i:a)b", None),  # a group that changes flags: not worked out
    (r"(?:x)?", None),  # a match may be empty: any position may hold one
])
def test_the_first_characters_of_a_pattern(source, led_by):
    """The look-ahead lists the characters a match can start with, or is left out when that cannot be told."""
    pattern = re.compile(source)
    quick = prose_checks.with_first_characters(pattern)
    if led_by is None:
        assert quick is pattern
    else:
        assert quick.pattern == f"(?={led_by})(?:{source})"


def _paragraph_of(folded: str) -> Paragraph:
    """A paragraph whose case-folded text is `folded` as it is."""
    paragraph = Paragraph(folded)
    paragraph.__dict__["folded"] = folded  # the cached property, set: the text is folded already
    return paragraph


def test_every_match_of_a_checks_pattern_holds_one_of_its_anchors():
    """prose_checks.anchors: wherever a check's first-look pattern matches (the labelled paragraphs, the site's pages,
    3000 random texts of the pattern's own words a pattern), the paragraph holds one of the pattern's anchors, so
    that a paragraph without any is rightly passed over; and the anchors do pass over most of the site's paragraphs."""
    import random
    rng = random.Random(1207)
    for pattern in GATED:
        folded = prose_checks.folded_pattern(pattern)
        needed = prose_checks.anchors(folded)
        assert folded is not None and needed is not None, pattern.pattern[:40]
        texts = _texts_for(pattern, rng)
        matched = [text for text in texts if folded.search(text)]
        assert len(matched) > 10, pattern.pattern[:40]
        assert [text for text in matched if not needed.found_in(_paragraph_of(text))] == [], pattern.pattern[:40]
    site = [prose_checks.plain(part).casefold() for path in (Path(__file__).parents[1] / "content").rglob("*.md")
            for part in path.read_text().split("\n\n") if part.strip()]
    passed_over = [not prose_checks.anchors(prose_checks.folded_pattern(pattern)).found_in(_paragraph_of(text))
                   for pattern in GATED for text in site]
    assert len(site) > 300 and sum(passed_over) > len(passed_over) * 0.6


@pytest.mark.parametrize(("source", "words", "texts", "digit"), [
    (r"\bcat\b", {"cat"}, set(), False),  # a whole word
    (r"cat", set(), {"cat"}, False),  # no boundary: 'concatenate' holds it, so a piece of text
    (r"\bcats?\b", {"cat", "cats"}, set(), False),
    (r"\bgame[- ]chang\w*", {"game"}, set(), False),  # ended by a class of non-word characters
    (r"\b(?:very )?good\b", {"good"}, set(), False),  # an optional group that ends with a space
    (r"\bimprov\w*", set(), {"improv"}, False),  # the word goes on: a piece of text
    (r"\b(?:\w+ )?li(?:fe|ves)\b", {"life", "lives"}, set(), False),
    (r"a(?:b|c)d", set(), {"abd", "acd"}, False),
    (r"\bab(?!c)\b", {"ab"}, set(), False),  # a look-ahead is passed over
    (r"x\d+", set(), set(), True),  # a digit
    (r"\bthe\b|\bzebra\b", {"the", "zebra"}, set(), False),
])
def test_the_anchors_of_a_pattern(source, words, texts, digit):
    found = prose_checks.anchors(re.compile(source))
    assert found is not None and (set(found.words), set(found.texts), found.digit) == (words, texts, digit)


@pytest.mark.parametrize("source", [r"\w+", r"(?i:cat)", r"[^a]bc", r".", r"x?"])
def test_a_pattern_whose_matches_hold_nothing_sure_has_no_anchors(source):
    assert prose_checks.anchors(re.compile(source)) is None


def test_a_paragraphs_words_and_digits_are_what_the_regular_expressions_find():
    """prose_checks.words_of (ASCII text split at its other characters) and Paragraph.has_digit give what WORD and
    DIGIT find, on 20000 random texts of ASCII and some letters, digits and spaces beyond it."""
    import random

    from trialsite import prose_checks

    rng = random.Random(5)
    characters = [chr(i) for i in range(128)] + ["\u00e9", "\u2019", "\u0663", "\u00df", "\u0130", "\u00a0", "\u00bd"]
    for _ in range(20000):
        text = "".join(rng.choice(characters) for _ in range(rng.randint(0, 60)))
        assert prose_checks.words_of(text) == frozenset(prose_checks.WORD.findall(text)), repr(text)
        paragraph = prose_checks.Paragraph(text)
        assert paragraph.has_digit == (prose_checks.DIGIT.search(paragraph.folded) is not None), repr(text)
