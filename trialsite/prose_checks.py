"""Checks of a page's wording, sentence by sentence, on the text as the author wrote it.

Each check is a `ProseCheck` in `CHECKS`: a name, the message an author sees, and a function that returns
the phrases it flags in one paragraph. Shortcodes are read for what they show, not resolved: a comparison
(`| hr`, `| estimate`...) is a relative figure, a value of an arm or a count is an absolute figure.
Every check has labelled sentences in `tests/prose/` (should flag, should pass) that a test classifies.
"""
from __future__ import annotations

import operator
import re
import re._constants as re_constants  # noqa: PLC2701 - see with_first_characters
import re._parser as re_parser  # noqa: PLC2701
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, reduce

SHORTCODE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
TERM_LINK = re.compile(r"\[\[([^\]|]*?)(?:\|([^\]]*))?\]\]")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")

# What a shortcode stands for in these checks, by its format (after the '|').
RELATIVE_FORMATS = {"hr", "hr_ci", "estimate", "estimate_ci"}
WORD_FORMATS = {"label", "analysis", "assessment", "population", "time_point", "significance", "date", "indication",
                "follow_up", "data_cutoff"}
WORD_HEADS = {"arms", "populations", "analyses", "approvals", "findings", "phase", "ratio", "chart"}
RELATIVE, ABSOLUTE, P_VALUE, WORDS = "RELFIG", "ABSFIG", "PVALUE", "WORDS"

NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred"
                r"|thousand|half|quarter|third")
NUMBER = re.compile(rf"\d|\b(?:{NUMBER_WORDS}|{ABSOLUTE}|{RELATIVE})\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|without|whether|if|cannot)\b|n't\b", re.IGNORECASE)
WORD = re.compile(r"\w+")
DIGIT = re.compile(r"\d")
SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)(?<=[.!?])[\"')\]]*\s+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph, list item or heading as written, with the text of its section before it."""

    text: str
    earlier: str = ""  # the section so far: absolute figures there may stand for a relative figure here
    heading: bool = False
    survival_shown: bool = False  # the page's trial showed a statistically significant overall-survival difference

    @cached_property
    def plain(self) -> str:
        """The text as a reader reads it (see `plain`); worked out once for all the checks."""
        return plain(self.text)

    @cached_property
    def said(self) -> list[str]:
        """The sentences of the plain text."""
        return sentences(self.plain)

    @cached_property
    def folded(self) -> str:
        """The plain text case-folded, for a quick first look (see `mentions`)."""
        return self.plain.casefold()

    @cached_property
    def words(self) -> frozenset[str]:
        """The words of the folded text (runs of word characters), for the quickest first look (see `anchors`)."""
        return words_of(self.folded)

    @cached_property
    def has_digit(self) -> bool:
        """Whether the text holds a digit."""
        if self.folded.isascii():
            return any(digit in self.folded for digit in "0123456789")
        return DIGIT.search(self.folded) is not None

    @cached_property
    def earlier_plain(self) -> str:
        """The section so far as a reader reads it."""
        return plain(self.earlier)


# Every ASCII character that is not a word character (\w), made a space: ASCII text's words are then its pieces
# between spaces, found by str.split (three times quicker than the regular expression).
_ASCII_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})


def words_of(text: str) -> frozenset[str]:
    """The runs of word characters (WORD) in a text."""
    if text.isascii():
        return frozenset(text.translate(_ASCII_NOT_WORD).split())
    return frozenset(WORD.findall(text))


@dataclass(frozen=True)
class ProseCheck:
    """One check of wording: its name, what it asks of the author, and the phrases it flags in a paragraph."""

    name: str
    message: str  # '{phrase}' is replaced by the flagged words
    find: Callable[[Paragraph], list[str]]


CHECKS: list[ProseCheck] = []


def prose_check(name: str, message: str) -> Callable[[Callable[[Paragraph], list[str]]], ProseCheck]:
    """Decorator: register a check under `name`, with the message an author sees."""
    def register(find: Callable[[Paragraph], list[str]]) -> ProseCheck:
        check = ProseCheck(name, message, find)
        CHECKS.append(check)
        return check
    return register


def plain(text: str) -> str:
    """The paragraph as a reader reads it, with each shortcode replaced by what kind of thing it shows."""
    text = TERM_LINK.sub(lambda m: m.group(1), text)
    text = MD_LINK.sub(lambda m: m.group(1), text)
    return SHORTCODE.sub(lambda m: _stands_for(m.group(1)), text)


def _stands_for(code: str) -> str:
    """RELFIG, ABSFIG (with 'out of 100' for `| per100`), PVALUE or WORDS for the inside of one shortcode."""
    path, _, fmt = (part.strip() for part in code.partition("|"))
    head = path.split(":")[-1].split(".")[0].split()[0] if path else ""
    if fmt in RELATIVE_FORMATS:
        return RELATIVE
    if fmt == "p":
        return P_VALUE
    if fmt == "per100":
        return f"{ABSOLUTE} out of 100"
    if fmt in WORD_FORMATS or head in WORD_HEADS and fmt not in {"n", "dose"}:
        return WORDS
    return ABSOLUTE


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (decimals such as 7.8 and 'e.g.' do not end one)."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def findings(paragraph: Paragraph) -> list[tuple[ProseCheck, str]]:
    """Every (check, phrase) the checks flag in one paragraph."""
    return [(check, phrase) for check in CHECKS for phrase in check.find(paragraph)]


def mentions(pattern: re.Pattern[str], paragraph: Paragraph) -> bool:
    """Whether a case-insensitive pattern matches somewhere in the paragraph's plain text: a first look, before a
    check splits the paragraph into sentences. Python's regular expressions find lower-case words in case-folded text
    about three times faster than they ignore case, so the pattern is looked for that way where it can be."""
    if pattern not in _FOLDED:
        folded = folded_pattern(pattern)
        _FOLDED[pattern] = with_first_characters(folded), anchors(folded) if folded else None
    quick, needed = _FOLDED[pattern]
    if needed is not None and not needed.found_in(paragraph):
        return False  # no match can be there: the paragraph lacks every word (or text, or digit) a match holds
    return bool(quick.search(paragraph.folded) if quick else pattern.search(paragraph.plain))


_FOLDED: dict[re.Pattern[str], tuple[re.Pattern[str] | None, Anchors | None]] = {}


@dataclass(frozen=True)
class Anchors:
    """What every match of a pattern holds at least one of: a whole word of the text, a piece of its text, a digit."""

    words: frozenset[str] = frozenset()
    texts: frozenset[str] = frozenset()
    digit: bool = False
    rarity: float = 0.0  # how seldom the least rare of them stands in a paragraph, roughly: to choose among anchors

    def found_in(self, paragraph: Paragraph) -> bool:
        """Whether the paragraph holds one of them."""
        return (not self.words.isdisjoint(paragraph.words) or (self.digit and paragraph.has_digit)
                or any(text in paragraph.folded for text in self.texts))

    def __or__(self, other: Anchors) -> Anchors:
        return Anchors(self.words | other.words, self.texts | other.texts, self.digit or other.digit,
                       min(self.rarity, other.rarity))


# Words so common in the site's prose that a first look by them would look at nearly every paragraph.
COMMON_WORDS = frozenset("a an and are as at be by for from had has have in is it of on or that the their they this "
                         "to was were with more less most many few long lived live people trial study care chance "
                         "risk time times result results group groups side".split())
WORDS_EXPANDED = 32  # a word part with more spellings than this is not spelt out


def folded_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern in lower case, matching case-folded text without ignoring case; None where lower-casing would
    change what it means (an escape such as \\W or \\S) or it does not ignore case."""
    if not pattern.flags & re.IGNORECASE or re.search(r"\\[A-Z]", pattern.pattern):
        return None
    return re.compile(pattern.pattern.lower(), pattern.flags & ~re.IGNORECASE)


def with_first_characters(pattern: re.Pattern[str] | None) -> re.Pattern[str] | None:
    """The pattern led by a look-ahead for the characters any match of it starts with, when those can be told: the
    search then passes over every other position at once, instead of trying each alternative there (the
    relative-figure words: 25 -> 12 microseconds a paragraph). It matches exactly where the pattern matches."""
    if pattern is None:
        return None
    starts = first_characters(pattern)
    return pattern if starts is None else re.compile(f"(?=[{starts}])(?:{pattern.pattern})", pattern.flags)


def first_characters(pattern: re.Pattern[str]) -> str | None:
    """The characters any match of the pattern starts with, as the inside of a character class; None when they
    cannot be told, when a match may be empty (any position may start one) or when case is ignored."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        starts = _first_characters(re_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - Python's own parser of patterns is not a public interface: then nothing told
        return None
    if starts is None or starts[1] or not starts[0]:
        return None
    return "".join(sorted(starts[0]))


def anchors(pattern: re.Pattern[str]) -> Anchors | None:
    """What every match of the pattern holds (see Anchors), chosen among each alternative's parts as the rarest; None
    when that cannot be told. A word of the pattern counts only where the pattern shows where it starts and ends (a
    word boundary, a space or a hyphen on each side), so that it is a whole word of any text it matches."""
    if pattern.flags & (re.IGNORECASE | re.ASCII):  # the words of a paragraph are runs of Unicode word characters
        return None
    try:
        # the pattern's own ends show no word's end, unless they hold \b
        return _anchors(list(re_parser.parse(pattern.pattern, pattern.flags)), left=False, right=False)
    except Exception:  # noqa: BLE001 - see first_characters
        return None


def _anchors(items: list, left: bool, right: bool) -> Anchors | None:
    """The rarest anchors of a sequence of parsed items; `left` and `right`: whether a word ends just before it and
    starts just after it."""
    best: Anchors | None = None
    index = 0
    while index < len(items):
        op, arg = items[index]
        spellings = _spellings(op, arg)
        if spellings is not None and spellings != {""}:  # the start of a word part: take it whole
            end = index
            words = {""}
            while end < len(items) and (more := _spellings(*items[end])) is not None:
                words = {w + m for w in words for m in more}
                if len(words) > WORDS_EXPANDED:
                    break
                end += 1
            else:
                if (_ends_word(items, index - 1, left, before=True) and _ends_word(items, end, right, before=False)
                        and "" not in words):
                    best = _rarer(best, Anchors(words=frozenset(words), rarity=_rarity(words)))
            for texts in ({_literal_run(items, index)}, words):  # or pieces of text: the letters and what follows
                if texts and min(map(len, texts)) >= 3:
                    best = _rarer(best, Anchors(texts=frozenset(texts), rarity=_rarity(texts) - 2.5))
            index = max(end, index + 1)
            continue
        inner: Anchors | None = None
        before, after = _ends_word(items, index - 1, left, True), _ends_word(items, index + 1, right, False)
        if op is re_constants.SUBPATTERN and not arg[1] and not arg[2]:
            inner = _anchors(list(arg[3]), before, after)
        elif op is re_constants.BRANCH:
            each = [_anchors(list(branch), before, after) for branch in arg[1]]
            inner = None if any(e is None for e in each) else reduce(operator.or_, each)
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT) and arg[0] >= 1:
            inner = _anchors(list(arg[2]), before, arg[1] == 1 and after)
        elif op is re_constants.IN and arg == [(re_constants.CATEGORY, re_constants.CATEGORY_DIGIT)]:
            inner = Anchors(digit=True, rarity=6)
        elif op is re_constants.LITERAL:
            text = _literal_run(items, index)
            if len(text) >= 3:
                inner = Anchors(texts=frozenset({text}), rarity=_rarity({text}) - 2.5)
        best = _rarer(best, inner)
        index += 1
    return best


def _spellings(op, arg) -> set[str] | None:
    """The spellings of one item that holds only word characters, a few at most; None for any other item."""
    if op is re_constants.LITERAL:
        return {chr(arg)} if WORD.fullmatch(chr(arg)) else None
    if op is re_constants.IN and arg and all(o is re_constants.LITERAL and WORD.fullmatch(chr(a)) for o, a in arg):
        return {chr(a) for _, a in arg}
    if op is re_constants.SUBPATTERN and not arg[1] and not arg[2]:
        return _sequence_spellings(list(arg[3]))
    if op is re_constants.BRANCH:
        each = [_sequence_spellings(list(branch)) for branch in arg[1]]
        return None if any(e is None for e in each) else {w for e in each if e is not None for w in e}
    if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT) and arg[1] <= 2:
        once = _sequence_spellings(list(arg[2]))
        if once is None:
            return None
        found = {""} if arg[0] == 0 else set()
        repeated = {""}
        for count in range(1, arg[1] + 1):
            repeated = {w + m for w in repeated for m in once}
            if count >= arg[0]:
                found |= repeated
        return found if len(found) <= WORDS_EXPANDED else None
    return None


def _sequence_spellings(items: list) -> set[str] | None:
    """The spellings of a sequence of word-character items, or None."""
    words = {""}
    for op, arg in items:
        more = _spellings(op, arg)
        if more is None:
            return None
        words = {w + m for w in words for m in more}
        if len(words) > WORDS_EXPANDED:
            return None
    return words


def _ends_word(items: list, index: int, edge: bool, before: bool) -> bool:
    """Whether the item at `index` (next to a word part, before it or after it; past either end of the items: `edge`)
    shows that no word character stands next to the part: a word boundary, a non-word character or a class of them,
    or a group, alternatives or repeat whose every way of matching ends (or starts) so; look-arounds are passed over."""
    step = -1 if before else 1
    while 0 <= index < len(items) and items[index][0] in (re_constants.ASSERT, re_constants.ASSERT_NOT):
        index += step
    if not 0 <= index < len(items):
        return edge
    op, arg = items[index]
    if op is re_constants.AT:
        return arg is re_constants.AT_BOUNDARY
    if op is re_constants.LITERAL:
        return not WORD.fullmatch(chr(arg))
    if op is re_constants.IN:
        return all((o is re_constants.LITERAL and not WORD.fullmatch(chr(a)))
                   or (o is re_constants.CATEGORY and a is re_constants.CATEGORY_SPACE) for o, a in arg)
    beyond = _ends_word(items, index + step, edge, before)  # where the item matches nothing, or is left out
    if op is re_constants.SUBPATTERN and not arg[1] and not arg[2]:
        return _inner_ends_word(list(arg[3]), beyond, before)
    if op is re_constants.BRANCH:
        return all(_inner_ends_word(list(branch), beyond, before) for branch in arg[1])
    if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT):
        inner = _inner_ends_word(list(arg[2]), beyond, before)
        return inner and (arg[0] >= 1 or beyond)
    return False


def _inner_ends_word(items: list, beyond: bool, before: bool) -> bool:
    """_ends_word for the edge of a group's items next to the word part."""
    return _ends_word(items, len(items) - 1 if before else 0, beyond, before)


def _literal_run(items: list, index: int) -> str:
    """The characters of the literals from `index` on, up to the first other item."""
    text = ""
    for op, arg in items[index:]:
        if op is not re_constants.LITERAL:
            break
        text += chr(arg)
    return text


def _rarity(words: set[str]) -> float:
    """How seldom the commonest of these words stands in a paragraph, roughly: a common word 0, else its length."""
    return min(0.0 if word in COMMON_WORDS else float(len(word)) for word in words)


def _rarer(best: Anchors | None, other: Anchors | None) -> Anchors | None:
    """The rarer of two choices of anchors."""
    if other is None:
        return best
    return other if best is None or other.rarity > best.rarity else best


def literal_text(pattern: re.Pattern[str]) -> str | None:
    """The text a pattern of plain characters matches (e.g. two spaces and a line break), or None for any other."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        items = list(re_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - see first_characters
        return None
    if not items or any(op is not re_constants.LITERAL for op, _ in items):
        return None
    return "".join(chr(code) for _, code in items)


def _first_characters(items) -> tuple[set[str], bool] | None:
    """(the characters a match of these parsed items can start with, as parts of a character class; whether a match
    can be empty), or None when that cannot be told (a negated class, a reference to a group, ...)."""
    found: set[str] = set()
    for op, arg in items:
        if op in (re_constants.AT, re_constants.ASSERT, re_constants.ASSERT_NOT):
            continue  # zero width: the next item starts the match
        if op is re_constants.LITERAL:
            return found | {_escaped(arg)}, False
        if op is re_constants.IN:
            members = _class_members(arg)
            return (found | members, False) if members is not None else None
        if op is re_constants.SUBPATTERN and not arg[1] and not arg[2]:  # a group, changing no flags
            inner = _first_characters(arg[3])
        elif op is re_constants.BRANCH:
            each = [_first_characters(branch) for branch in arg[1]]
            inner = None if None in each else ({c for e in each if e for c in e[0]}, any(e[1] for e in each if e))
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT):
            repeated = _first_characters(arg[2])
            inner = None if repeated is None else (repeated[0], repeated[1] or arg[0] == 0)
        else:
            return None
        if inner is None:
            return None
        found |= inner[0]
        if not inner[1]:
            return found, False
    return found, True


def _class_members(items) -> set[str] | None:
    """The members of a parsed character class as parts of a class, or None for a negated or unusual one."""
    members = set()
    for op, arg in items:
        if op is re_constants.LITERAL:
            members.add(_escaped(arg))
        elif op is re_constants.RANGE:
            members.add(f"{_escaped(arg[0])}-{_escaped(arg[1])}")
        elif op is re_constants.CATEGORY and arg in (re_constants.CATEGORY_DIGIT, re_constants.CATEGORY_SPACE,
                                                      re_constants.CATEGORY_WORD):
            members.add({re_constants.CATEGORY_DIGIT: "\\d", re_constants.CATEGORY_SPACE: "\\s",
                         re_constants.CATEGORY_WORD: "\\w"}[arg])
        else:
            return None
    return members


def _escaped(code: int) -> str:
    """A character as a regular expression writes it by number, safe inside a character class."""
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _each_sentence(pattern: re.Pattern[str], keep: Callable[[str, re.Match[str]], bool]
                   ) -> Callable[[Paragraph], list[str]]:
    """A check that flags every match of `pattern` in a sentence for which `keep(sentence, match)` holds."""
    def find(paragraph: Paragraph) -> list[str]:
        if not mentions(pattern, paragraph):  # most paragraphs: no need to split them into sentences
            return []
        return [m.group(0) for s in paragraph.said for m in pattern.finditer(s) if keep(s, m)]
    return find


PROMOTIONAL = re.compile(
    r"\b(?:breakthrough|dramatic(?:ally)?|miracle|cures?|game[- ]chang\w*|revolutionary|highly significant"
    r"|proven|exciting|remarkabl[ey]|wonder(?: drug)?|groundbreaking|life[- ]saving|hope for|superior"
    r"|best (?:treatment|medicine|drug|option|choice|therapy|available|results?)"
    r"|unprecedented|spectacular|cutting[- ]edge|state[- ]of[- ]the[- ]art|powerful)\b", re.IGNORECASE)
prose_check("promotional", "'{phrase}' is promotional; say what was measured and what was found")(
    _each_sentence(PROMOTIONAL, lambda s, m: not NEGATION.search(s[:m.start()])
                   and not (s.endswith("?") and m.group(0).lower().startswith("best"))))

EVALUATIVE = re.compile(
    r"\b(?:careful(?:ly)?|landmark|pivotal|rigorous(?:ly)?|robust|well[- ](?:designed|run|conducted)"
    r"|high[- ]quality|gold[- ]standard|impressive|promising|encouraging|disappointing|striking|excellent"
    r"|clinically meaningful|meaningful (?:benefit|difference|improvement)|substantial|major advance|successful(?:ly)?"
    r"|(?:trial|study) (?:failed|succeeded)|(?:highly |very )?effective|positive (?:trial|study|results?)"
    r"|negative (?:trial|study|results?)|(?<!statistically )(?<!not )significant(?:ly)?)\b", re.IGNORECASE)
prose_check("evaluative", "'{phrase}' judges the trial or its result; describe what was done and found")(
    _each_sentence(EVALUATIVE, lambda s, m: True))


SURVIVAL_CLAIM = re.compile(
    rf"\b(?:improv\w* (?:overall )?survival|(?:live[ds]?|living) longer(?! than (?:that|this|the median|{ABSOLUTE}))"
    r"|longer li(?:fe|ves)|longer survival"
    r"|(?:extend|prolong|lengthen)\w* (?:\w+ )?li(?:fe|ves)|survival (?:benefit|advantage|gain)"
    r"|(?:helped|help|helps|let|lets) (?:\w+ )?(?:women|people|patients) live)\b", re.IGNORECASE)


def _claims_survival(paragraph: Paragraph) -> list[str]:
    """Claims that people lived longer, unless negated, asked, or shown by the trial's own overall survival."""
    if paragraph.survival_shown or not mentions(SURVIVAL_CLAIM, paragraph):
        return []
    return [m.group(0) for s in paragraph.said for m in SURVIVAL_CLAIM.finditer(s)
            if not s.endswith("?") and not NEGATION.search(s[:m.start()])]


prose_check("survival-claim", "'{phrase}' says people lived longer, but this trial did not show an overall-survival "
            "difference; say what was measured, e.g. the time before the cancer grew")(_claims_survival)

ONE_IN_X = re.compile(
    rf"\b(?:1|one) (?:in|out of) (?:every )?(?!100\b|a hundred\b|one hundred\b)"
    rf"(?:\d[\d,]*|{NUMBER_WORDS}|(?:a )?million|a thousand)\b",
    re.IGNORECASE)
prose_check("one-in-x", "'{phrase}' changes the denominator; give every figure out of 100, "
            "e.g. {{{{ RESULT.ARM | per100 }}}}")(_each_sentence(ONE_IN_X, lambda s, m: True))

FREQUENCY = re.compile(
    r"\b(?:rare(?:ly)?|uncommon(?:ly)?|common(?:ly)?|most|often|frequent(?:ly)?|usually|many|few|fewer|majority"
    r"|minority|seldom|occasional(?:ly)?)\b", re.IGNORECASE)
NOT_FREQUENCY = re.compile(
    r"\b(?:how (?:often|many|common|few)|at most|in common|most (?:of all|recent|likely|important|useful)"
    r"|common (?:name|form|type|kind)s?|as many as \w+"
    r"|(?:trials?|studies|researchers|papers|sources|reports|doctors) (?:\w+ )?(?:often|usually|commonly|mostly))\b",
    re.IGNORECASE)


OUTCOME = re.compile(
    r"\b(?:side effects?|sores?|infections?|rash\w*|pneumonitis|inflammation|deaths?|died|dies?|dying|live[ds]?"
    r"|living|alive|respon\w+|grew|grow\w*|shr[ai]nk\w*|worse|works?|worked|benefit\w*|harms?|problems?|symptoms?"
    r"|stopp?(?:ed|ing)?|reactions?|events?|came back|come back|spread)\b", re.IGNORECASE)


def _vague_frequency(paragraph: Paragraph) -> list[str]:
    """Frequency words (common, rare, most...) about what happened to people, with no number in it or the next one."""
    if paragraph.heading or not mentions(FREQUENCY, paragraph):
        return []
    flagged = []
    said = paragraph.said
    for i, sentence in enumerate(said):
        if NUMBER.search(" ".join(said[i:i + 2])) or not OUTCOME.search(sentence):
            continue
        cleared = NOT_FREQUENCY.sub(lambda m: "_" * len(m.group(0)), sentence)
        flagged += [m.group(0) for m in FREQUENCY.finditer(cleared)]
    return flagged


prose_check("frequency-word", "'{phrase}' says how often without a number; give the number out of 100 in the "
            "same sentence, or reword")(_vague_frequency)

RELATIVE_WORDS = re.compile(
    rf"{RELATIVE}|\b\d+(?:\.\d+)?\s?%\s(?:lower|higher|less|more|fewer|smaller|greater|reduction|increase|drop|rise)\b"
    r"|\b(?:hazard ratio|odds ratio|relative risk)s? (?:\w+ ){0,3}\d"
    r"|\b(?:halved|doubled|tripled)\b|\b\d+(?:\.\d+)? times (?:as|more|less|higher|lower)\b"
    r"|\b(?:cut|reduced|lowered|raised|increased) (?:the |their )?(?:risk|chance|odds) by\b", re.IGNORECASE)
ABSOLUTE_FIGURE = re.compile(
    rf"\b{ABSOLUTE}\b|\b\d+(?:\.\d+)? out of \d+|\b\d+(?:\.\d+)? (?:months?|weeks?|years?|days?)\b"
    r"|\b\d+(?:\.\d+)?\s?% of\b")
NOT_GIVEN = re.compile(r"\b(?:not (?:reported|given|published|stated)|gives? no|does not give|do not give)\b",
                       re.IGNORECASE)  # the page says the absolute figures are not available


def _relative_alone(paragraph: Paragraph) -> list[str]:
    """A relative figure (hazard ratio, '% lower', 'halved') with no absolute figure in its paragraph or section so far.

    Where no source gives the absolute figures, the page says so ("gives no medians", "not reported") and passes.
    """
    text = paragraph.plain
    if not mentions(RELATIVE_WORDS, paragraph):
        return []
    if any(p.search(t) for p in (ABSOLUTE_FIGURE, NOT_GIVEN) for t in (text, paragraph.earlier_plain)):
        return []
    return [_shown(m.group(0)) for m in RELATIVE_WORDS.finditer(text)]


def _shown(phrase: str) -> str:
    """A flagged phrase as the author wrote it, or what a shortcode token stands for."""
    return "a hazard ratio or other comparison" if phrase == RELATIVE else phrase


prose_check("relative-alone", "{phrase} stands without the absolute figures; give each group's numbers in the same "
            "paragraph or earlier in its section")(_relative_alone)

DENOMINATOR = re.compile(r"\bout of (\d[\d,]*)\b")
PERCENT = re.compile(r"\d\s?%|\bper ?cent\b", re.IGNORECASE)


def _mixed_denominators(paragraph: Paragraph) -> list[str]:
    """One sentence that compares figures out of different numbers, or mixes 'out of' and percents."""
    if "out of" not in paragraph.plain:
        return []
    flagged = []
    for sentence in paragraph.said:
        denominators = sorted(set(DENOMINATOR.findall(sentence)))
        if len(denominators) > 1:
            flagged.append("out of " + " and out of ".join(denominators))
        elif denominators and PERCENT.search(sentence):
            flagged.append(f"out of {denominators[0]} and a percent")
    return flagged


prose_check("mixed-denominators", "'{phrase}' in one sentence; give both groups out of the same number")(
    _mixed_denominators)


# Numbers an author may type by hand: each name is documented in docs/data-format.md with an example.
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
ALLOWED_NUMBERS: dict[str, re.Pattern[str]] = {
    "a dose": re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|g|ml|mcg|µg)\b", re.IGNORECASE),
    "a date": re.compile(rf"\b(?:\d{{1,2}} )?(?:{MONTHS}) \d{{4}}\b|\b\d{{4}}-\d{{2}}(?:-\d{{2}})?\b"
                         r"|\b(?:in|since|from|until|to|by|before|after|during|of|year|and|or|between)"
                         r" (?:19|20)\d{2}\b"),
    "a trial phase": re.compile(r"\bphase (?:[1-4]|I{1,3}|IV)\b", re.IGNORECASE),
    "a grade of side effect": re.compile(r"\bgrades? [1-5](?:(?: or| and| to|-|–) ?[1-5])?\b", re.IGNORECASE),
    "the 95% of a confidence interval": re.compile(r"\b95\s?% (?:confidence interval|CI)\b", re.IGNORECASE),
    "the denominator 100": re.compile(r"(?<=\bout of )(?:every )?100\b|(?<=\bout of every )100\b", re.IGNORECASE),
    "a version of WCAG": re.compile(r"\bWCAG \d(?:\.\d)?\b"),
    "a registry number": re.compile(r"\b(?:NCT\d{8}|\d{4}-\d{6}-\d{2})\b"),
}


def blank_allowed_numbers(line: str) -> str:
    """The line with every allowed hand-typed number (doses, dates, phases, grades, registry numbers) blanked."""
    if not DIGIT.search(line):
        return line  # every allowed number has a digit
    for pattern in ALLOWED_NUMBERS.values():
        line = pattern.sub(lambda m: " " * len(m.group(0)), line)
    return line
