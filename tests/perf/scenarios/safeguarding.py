"""Screening: precision and recall on the labelled fixture, and 10,000 messages
screened with a 500-phrase lexicon beside a plain substring scan of the same phrases
in the same run (the floor any phrase matcher is compared with)."""

import random
import statistics
import time
from pathlib import Path

from safeguarding.evaluation import evaluate, labelled_sentences
from safeguarding.screening import Entry, Lexicon, default_entries, normalise
from safeguarding.severity import Category, Severity

FIXTURE = Path(__file__).resolve().parents[2] / "safeguarding" / "risk_sentences.tsv"
MESSAGES = 10_000
PHRASES = 500
REPEATS = 3

FILLER = (
    "the group was good today and i went for a walk after the meeting with my "
    "sister we talked about sleep and work and the course and how the week went "
    "i feel a bit better than last month thanks everyone for listening"
).split()
VERBS = ["hurt", "burn", "cut", "punish", "starve", "hide", "lose", "drown", "end"]
OBJECTS = ["myself", "my arms", "my life", "everything", "my legs", "it all"]
TAILS = ["again", "tonight", "for good", "quietly", "at last", "soon", "properly"]


def lexicon_entries(size: int) -> list[Entry]:
    entries = default_entries()
    rng = random.Random(7)
    seen = {e.phrase for e in entries}
    while len(entries) < size:
        phrase = " ".join(
            [rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS), str(len(seen))]
        )
        if phrase not in seen:
            seen.add(phrase)
            entries.append(Entry(phrase, 2, Category.SELF_HARM))
    return entries


def messages(count: int) -> list[str]:
    rng = random.Random(11)
    sentences = [text for text, _ in labelled_sentences(FIXTURE)]
    out = []
    for n in range(count):
        words = rng.choices(FILLER, k=rng.randint(10, 60))
        if n % 10 == 0:
            words.insert(rng.randint(0, len(words)), rng.choice(sentences))
        out.append(" ".join(words))
    return out


def build() -> None:
    """Screening needs no database rows: the lexicons are built in memory."""


def measurements(client):
    lexicon = Lexicon(default_entries())
    return [
        ("screen one message (default lexicon)", lambda: lexicon.screen(FILLER_TEXT)),
    ]


FILLER_TEXT = " ".join(FILLER) + " and honestly i want to die tonight"


def report() -> list[str]:
    lines = ["", "## Safeguarding screening", ""]
    result = evaluate(Lexicon(default_entries()), labelled_sentences(FIXTURE))
    lines += [
        f"Fixture: {len(result.rows)} labelled sentences.",
        "",
        "| severity | precision | recall | sentences |",
        "|---|---:|---:|---:|",
    ]
    for severity in Severity:
        precision, recall, count = result.precision_recall(severity)
        lines.append(
            f"| {severity.name.lower()} | {precision:.2f} | {recall:.2f} | {count} |"
        )
    lines += [
        "",
        f"High and immediate screened high or more: {result.serious_recall:.2f}; "
        f"harmless sentences held: {result.harmless_held_rate:.2f}.",
        "",
    ]

    entries = lexicon_entries(PHRASES)
    started = time.perf_counter()
    lexicon = Lexicon(entries)
    compile_ms = (time.perf_counter() - started) * 1000
    texts = messages(MESSAGES)
    phrases = [normalise(e.phrase) for e in entries]

    def pattern_run():
        return sum(1 for text in texts if lexicon.screen(text).severity)

    def substring_run():
        found = 0
        for text in texts:
            text = normalise(text)
            if any(phrase in text for phrase in phrases):
                found += 1
        return found

    pattern_times, substring_times = [], []
    for _ in range(REPEATS):
        started = time.perf_counter()
        flagged = pattern_run()
        pattern_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        substring_run()
        substring_times.append(time.perf_counter() - started)
    pattern_s = statistics.median(pattern_times)
    substring_s = statistics.median(substring_times)
    lines += [
        f"{MESSAGES:,} messages, {lexicon.size}-phrase lexicon "
        f"(compiled once in {compile_ms:.0f} ms; median of {REPEATS} runs):",
        "",
        "| matcher | seconds | per message (µs) | ratio to substring scan |",
        "|---|---:|---:|---:|",
        f"| screen(): one compiled pattern, inflections, rules | {pattern_s:.3f} | "
        f"{pattern_s / MESSAGES * 1e6:.0f} | {pattern_s / substring_s:.2f}x |",
        f"| plain substring scan, exact phrases only | {substring_s:.3f} | "
        f"{substring_s / MESSAGES * 1e6:.0f} | 1.00x |",
        "",
        f"Messages screened as some risk: {flagged:,}.",
    ]
    return lines
