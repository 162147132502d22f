from pathlib import Path

import pytest

from safeguarding.evaluation import evaluate, labelled_sentences
from safeguarding.models import LexiconEntry
from safeguarding.screening import (
    Entry,
    Lexicon,
    Screening,
    current_lexicon,
    default_entries,
    screen,
)
from safeguarding.severity import Category, Severity

FIXTURE = Path(__file__).with_name("risk_sentences.tsv")


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon(default_entries())


def test_fixture_has_enough_labelled_sentences_of_every_severity():
    sentences = labelled_sentences(FIXTURE)
    assert len(sentences) >= 150
    assert {severity for _, severity in sentences} == set(Severity)


def test_fixture_recall_for_high_and_immediate_is_at_least_95_percent(lexicon):
    result = evaluate(lexicon, labelled_sentences(FIXTURE))
    missed = [r for r in result.rows if r[1] >= Severity.HIGH > r[2]]
    assert result.serious_recall >= 0.95, missed


def test_fixture_holds_at_most_one_in_five_harmless_sentences(lexicon):
    result = evaluate(lexicon, labelled_sentences(FIXTURE))
    held = [r for r in result.rows if r[1] == Severity.NONE and r[2] >= 2]
    assert result.harmless_held_rate <= 0.2, held


def test_severity_is_ordered_none_to_immediate():
    assert (
        Severity.NONE
        < Severity.LOW
        < Severity.MEDIUM
        < Severity.HIGH
        < Severity.IMMEDIATE
    )


@pytest.mark.parametrize(
    "text",
    [
        "this exam is killing me",
        "I'd kill for a coffee",
        "I'm not suicidal",
        "I would never hurt myself",
        "kill them with kindness",
        "I cut myself a slice of cake",
        "That cake is to die for",
        "",
    ],
)
def test_figurative_and_negated_uses_are_not_risk(lexicon, text):
    assert lexicon.screen(text).severity == Severity.NONE


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "I keep thinking about killing myself",
        "i wanna kill myslef",
        "I feel sucidal",
        "I FEEL SUICIDAL",
        "I’ve been thinking about an overdose",
        "i overdosed once and i want to do it again",
    ],
)
def test_inflections_misspellings_and_case_still_match(lexicon, text):
    assert lexicon.screen(text).severity >= Severity.HIGH


def test_intent_with_a_timescale_is_immediate_and_reasons_name_the_rule(lexicon):
    result = lexicon.screen("I want to die tonight")
    assert result.severity == Severity.IMMEDIATE
    assert any('"want to die"' in reason for reason in result.reasons)
    assert any("intent + timescale" in reason for reason in result.reasons)
    assert result.held


def test_intent_with_a_plan_is_immediate(lexicon):
    assert (
        lexicon.screen("I'm suicidal and I have a plan").severity == Severity.IMMEDIATE
    )


def test_a_timescale_alone_is_harmless(lexicon):
    result = lexicon.screen("See you all tonight")
    assert result.severity == Severity.NONE
    assert not result.held


def test_doubted_negation_still_counts(lexicon):
    assert lexicon.screen("I can't promise I won't hurt myself").severity >= (
        Severity.MEDIUM
    )


def test_past_self_harm_is_low_not_held(lexicon):
    result = lexicon.screen("I used to self-harm as a teenager")
    assert result.severity == Severity.LOW
    assert not result.held


def test_exception_cancels_only_the_phrase_it_overlaps(lexicon):
    result = lexicon.screen("I cut myself a slice of cake. Then I cut myself again.")
    assert result.severity == Severity.MEDIUM


def test_wildcards_in_a_phrase():
    lexicon = Lexicon([Entry("going to ... the bridge", 3, Category.METHOD)])
    assert lexicon.screen("I'm going to walk to the bridge").severity == 3
    assert lexicon.screen("I'm going to the bridge").severity == 3
    assert lexicon.screen("going to the shops near the old bridge").severity == 0


def test_five_hundred_phrases_compile_into_one_pattern():
    entries = [Entry(f"risk phrase {n} zed", 2, Category.INTENT) for n in range(500)]
    lexicon = Lexicon(entries)
    assert lexicon.size == 500
    assert lexicon.screen("and then risk phrase 437 zed happened").severity == 2
    assert lexicon.screen("risk phrase 501 zed").severity == 0


def test_screen_returns_a_screening():
    assert isinstance(screen("hello"), Screening)


@pytest.mark.django_db
def test_default_lexicon_is_loaded_by_migrate():
    assert LexiconEntry.objects.filter(is_exception=False).count() >= 150
    assert LexiconEntry.objects.filter(phrase="kill myself").exists()


@pytest.mark.django_db
def test_compiled_lexicon_is_cached_and_rebuilt_when_an_entry_changes():
    first = current_lexicon()
    assert current_lexicon() is first
    assert screen("the purple elephant is here").severity == Severity.NONE

    entry = LexiconEntry.objects.create(
        phrase="purple elephant", severity=Severity.HIGH, category=Category.INTENT
    )
    assert current_lexicon() is not first
    assert screen("the purple elephants are here").severity == Severity.HIGH

    entry.active = False
    entry.save()
    assert screen("the purple elephant is here").severity == Severity.NONE


@pytest.mark.django_db
def test_an_empty_lexicon_table_falls_back_to_the_defaults():
    LexiconEntry.objects.all().delete()
    assert screen("I want to kill myself").severity >= Severity.HIGH


@pytest.mark.django_db
def test_lexicon_entry_validation_gives_clear_messages():
    from django.core.exceptions import ValidationError

    entry = LexiconEntry(phrase="  ", severity=2, category=Category.INTENT)
    with pytest.raises(ValidationError) as raised:
        entry.full_clean()
    assert "phrase" in raised.value.message_dict
    entry = LexiconEntry(phrase="something bad", severity=2, category="")
    with pytest.raises(ValidationError) as raised:
        entry.full_clean()
    assert "category" in raised.value.message_dict
