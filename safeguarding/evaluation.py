"""Precision and recall of screening against a labelled set of sentences, for the tests
and for `make bench`."""

import csv
from dataclasses import dataclass
from pathlib import Path

from .screening import Lexicon
from .severity import Severity


@dataclass
class Evaluation:
    rows: list[tuple[str, Severity, Severity]]  # text, expected, screened

    def precision_recall(self, severity: Severity) -> tuple[float, float, int]:
        predicted = [r for r in self.rows if r[2] == severity]
        actual = [r for r in self.rows if r[1] == severity]
        hits = [r for r in actual if r[2] == severity]
        precision = len(hits) / len(predicted) if predicted else 1.0
        recall = len(hits) / len(actual) if actual else 1.0
        return precision, recall, len(actual)

    @property
    def serious_recall(self) -> float:
        """Share of high and immediate sentences screened high or immediate."""
        serious = [r for r in self.rows if r[1] >= Severity.HIGH]
        caught = [r for r in serious if r[2] >= Severity.HIGH]
        return len(caught) / len(serious)

    @property
    def harmless_held_rate(self) -> float:
        """Share of harmless sentences that screening would hold (medium or more)."""
        harmless = [r for r in self.rows if r[1] == Severity.NONE]
        held = [r for r in harmless if r[2] >= Severity.MEDIUM]
        return len(held) / len(harmless)

    def misses(self):
        return [r for r in self.rows if r[1] != r[2]]


def labelled_sentences(path: Path) -> list[tuple[str, Severity]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (row["text"], Severity[row["severity"].strip().upper()]) for row in reader
        ]


def evaluate(lexicon: Lexicon, sentences) -> Evaluation:
    return Evaluation(
        rows=[
            (text, expected, lexicon.screen(text).severity)
            for text, expected in sentences
        ]
    )
