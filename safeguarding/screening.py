"""Risk screening: `screen(text)` is the only place that judges risk in what people
write.

The lexicon (phrases with a severity and a category, and harmless exceptions) is
compiled into one regular expression: a trie of the phrases' words, each word an
alternation of its inflections and common misspellings, each phrase ending in an
empty named group so that `match.lastgroup` names it. The pattern sits in a lookahead
at each word start, so overlapping phrases are all seen (an exception such as
"kill them with kindness" cancels the risk phrase inside it). The compiled lexicon is
cached per process and rebuilt when the lexicon changes (a version in the shared cache
is bumped on every edit, so every process notices within `CHECK_EVERY` seconds).

After matching: a negation in the few words before a phrase in the same clause ("I'm
not suicidal", "I would never hurt myself") drops it unless the sentence doubts the
negation ("I can't promise I won't"); a marker of the past ("I used to self-harm")
caps it at low. Then combination rules raise the severity (intent with a plan or a
timescale is immediate).
"""

import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from .lexicon_data import EXACT, IRREGULAR, VARIANTS
from .severity import Category, Severity

CHECK_EVERY = 5.0  # seconds between checks of the shared lexicon version
VERSION_KEY = "safeguarding:lexicon-version"
SEP = r"[\s\-]*"
WINDOW_WORDS = 4

NEGATORS = {
    "not", "never", "no", "don't", "dont", "won't", "wont", "wouldn't", "wouldnt",
    "isn't", "isnt", "aren't", "arent", "nor", "didn't", "didnt", "haven't",
    "havent", "ain't",
}  # fmt: skip
DOUBT = {"promise", "sure", "guarantee", "swear", "trust"}
HISTORY = re.compile(
    r"\b(used to|in the past|years ago|as a teenager|when i was younger|back then"
    r"|a long time ago)\b"
)
CLAUSE_BREAK = re.compile(r"[.!?;,:]|\bbut\b|\bthough\b|\bbecause\b")
WORD = re.compile(r"[\w']+")

# A category found at `at_least` severity, with any one of `with_any` (at any
# severity), makes the text at least `result`.
COMBINATIONS = [
    (
        Category.INTENT,
        Severity.HIGH,
        {Category.PLAN, Category.TIMESCALE},
        Severity.IMMEDIATE,
    ),
    (Category.INTENT, Severity.HIGH, {Category.MEANS}, Severity.IMMEDIATE),
    (
        Category.PLAN,
        Severity.HIGH,
        {Category.TIMESCALE, Category.MEANS},
        Severity.IMMEDIATE,
    ),
    (
        Category.FAREWELL,
        Severity.LOW,
        {Category.INTENT, Category.PLAN, Category.METHOD, Category.MEANS},
        Severity.IMMEDIATE,
    ),
    (
        Category.METHOD,
        Severity.HIGH,
        {Category.TIMESCALE, Category.MEANS, Category.PLAN},
        Severity.IMMEDIATE,
    ),
    (
        Category.HARM_TO_OTHERS,
        Severity.HIGH,
        {Category.PLAN, Category.TIMESCALE, Category.MEANS},
        Severity.IMMEDIATE,
    ),
    (
        Category.SELF_HARM,
        Severity.MEDIUM,
        {Category.TIMESCALE, Category.MEANS},
        Severity.HIGH,
    ),
    (
        Category.INTENT,
        Severity.MEDIUM,
        {Category.METHOD, Category.SELF_HARM},
        Severity.HIGH,
    ),
    (Category.HOPELESSNESS, Severity.LOW, {Category.FAREWELL}, Severity.HIGH),
]


@dataclass(frozen=True)
class Entry:
    phrase: str
    severity: int = 0
    category: str = ""
    exception: bool = False


@dataclass(frozen=True)
class Screening:
    severity: Severity = Severity.NONE
    reasons: tuple[str, ...] = ()
    categories: frozenset = field(default_factory=frozenset)

    @property
    def held(self) -> bool:
        """Medium or higher: the post is held and a concern raised."""
        return self.severity >= Severity.MEDIUM


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    # "soooo" -> "soo", "killlll" -> "kill": stretched words still match.
    return re.sub(r"(\w)\1{2,}", r"\1\1", text)


def _inflect(word: str) -> str:
    escaped = re.escape(word).replace("'", "'?")
    if word in EXACT or len(word) < 3 or not word.isalpha():
        return escaped
    if word.endswith(("ed", "ing", "s")):
        return escaped
    if word.endswith("e"):
        return re.escape(word[:-1]) + "(?:e|es|ed|ing)"
    if word.endswith("y") and word[-2] not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ies|ied|ying)"
    return escaped + "(?:" + re.escape(word[-1]) + ")?(?:s|es|ed|ing)?"


def _literal(words: str) -> str:
    return SEP.join(re.escape(w).replace("'", "'?") for w in words.split())


def word_pattern(word: str) -> str:
    """One word of a phrase as a regex: its inflections and common misspellings."""
    if word == "*":
        return r"[\w']+"
    if word == "...":
        return r"(?:[\w']+[\s\-]*){0,3}?"
    alternatives = set()
    for form in [word, *VARIANTS.get(word, [])]:
        if " " in form:
            alternatives.add(_literal(form))
        elif form in IRREGULAR:
            alternatives.update(_literal(f) for f in IRREGULAR[form])
        else:
            alternatives.add(_inflect(form))
    if len(alternatives) == 1:
        return alternatives.pop()
    return "(?:" + "|".join(sorted(alternatives, key=lambda a: (-len(a), a))) + ")"


def phrase_words(phrase: str) -> list[str]:
    phrase = normalise(phrase)
    return [w for w in re.split(r"[\s\-,]+", phrase) if w]


class Lexicon:
    """A compiled lexicon: one pattern, and the entries each of its ends stands for."""

    def __init__(self, entries: Iterable[Entry]):
        root: dict = {}
        self.ends: dict[str, list[Entry]] = {}
        self.size = 0
        for entry in entries:
            words = phrase_words(entry.phrase)
            if not words:
                continue
            self.size += 1
            node = root
            for word in words:
                node = node.setdefault(word_pattern(word), {})
            name = node.setdefault(None, f"e{len(self.ends)}")
            self.ends.setdefault(name, []).append(entry)
        body = self._alternation(root, first=True)
        self.pattern = re.compile(r"\b(?=" + body + ")") if body else None

    def _alternation(self, node: dict, first: bool = False) -> str:
        alternatives = [
            ("" if first else SEP) + fragment + self._alternation(child)
            for fragment, child in node.items()
            if fragment is not None
        ]
        if None in node:
            alternatives.append(rf"\b(?P<{node[None]}>)")
        if not alternatives:
            return ""
        return "(?:" + "|".join(alternatives) + ")"

    def matches(self, text: str):
        """(start, end, entry) for every phrase found, overlapping ones included."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            name = match.lastgroup
            for entry in self.ends[name]:
                yield match.start(), match.end(name), entry

    def screen(self, text: str) -> Screening:
        text = normalise(text or "")
        found = list(self.matches(text))
        if not found:
            return Screening()
        exceptions = [(s, e) for s, e, entry in found if entry.exception]
        severity = Severity.NONE
        categories: dict[str, Severity] = {}
        reasons = []
        for start, end, entry in found:
            if entry.exception:
                continue
            if any(s < end and start < e for s, e in exceptions):
                reasons.append(f'"{entry.phrase}": figurative or harmless use')
                continue
            before = _clause_before(text, start)
            after = _clause_after(text, end)
            if _negated(before):
                reasons.append(f'"{entry.phrase}": negated')
                continue
            level = Severity(entry.severity)
            if HISTORY.search(before) or HISTORY.search(after):
                level = min(level, Severity.LOW)
                reasons.append(f'"{entry.phrase}" ({entry.category}): in the past')
                severity = max(severity, level)
                continue
            categories[entry.category] = max(categories.get(entry.category, 0), level)
            severity = max(severity, level)
            reasons.append(f'"{entry.phrase}" ({entry.category}, {level.name.lower()})')
        for needed, at_least, with_any, result in COMBINATIONS:
            if categories.get(needed, -1) < at_least or result <= severity:
                continue
            if present := with_any & categories.keys():
                others = "/".join(sorted(str(c) for c in present))
                reasons.append(f"{needed} + {others}: {result.name.lower()}")
                severity = result
        return Screening(
            severity=Severity(severity),
            reasons=tuple(reasons),
            categories=frozenset(categories),
        )


def _clause_before(text: str, start: int) -> str:
    head = text[max(0, start - 80) : start]
    parts = CLAUSE_BREAK.split(head)
    words = WORD.findall(parts[-1])
    return " ".join(words[-WINDOW_WORDS:])


def _clause_after(text: str, end: int) -> str:
    tail = text[end : end + 60]
    parts = CLAUSE_BREAK.split(tail)
    return " ".join(WORD.findall(parts[0])[:WINDOW_WORDS])


def _negated(before: str) -> bool:
    words = before.split()
    if any(w in DOUBT for w in words):
        return False
    count = sum(1 for w in words if w in NEGATORS)
    return count % 2 == 1


# --- the current lexicon, cached ------------------------------------------------------

_lock = threading.Lock()
_current: dict = {"lexicon": None, "version": None, "checked": 0.0}


def default_entries() -> list[Entry]:
    from .lexicon_data import EXCEPTIONS, RISK_PHRASES

    return [Entry(p, s, c) for p, s, c in RISK_PHRASES] + [
        Entry(p, exception=True) for p in EXCEPTIONS
    ]


def _entries_from_database() -> list[Entry]:
    from .models import LexiconEntry

    rows = LexiconEntry.objects.filter(active=True).values_list(
        "phrase", "severity", "category", "is_exception"
    )
    entries = [Entry(p, s, c, x) for p, s, c, x in rows]
    # An empty table (a fresh database before its data migration, a flushed test
    # database) must never mean "nothing is risky".
    return entries or default_entries()


def current_lexicon() -> Lexicon:
    from django.core.cache import cache

    now = time.monotonic()
    lexicon = _current["lexicon"]
    if lexicon is not None and now - _current["checked"] < CHECK_EVERY:
        return lexicon
    with _lock:
        version = cache.get(VERSION_KEY)
        if _current["lexicon"] is None or version != _current["version"]:
            _current["lexicon"] = Lexicon(_entries_from_database())
            _current["version"] = version
        _current["checked"] = now
        return _current["lexicon"]


def lexicon_changed() -> None:
    """Called whenever the lexicon is edited: this process rebuilds at once, the
    others at their next check."""
    from django.core.cache import cache

    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    with _lock:
        _current["lexicon"] = None


def screen(text: str) -> Screening:
    """Judge the risk in `text`: a `Screening` with a `Severity` and the reasons."""
    return current_lexicon().screen(text)
