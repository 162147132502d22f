"""Shared builders for the membership tests."""

from peer_support.spaces.models import (
    EligibilityQuestion,
    GroundRules,
)


def question_add(space, text="What brings you here?", required=True):
    return EligibilityQuestion.objects.create(page=space, text=text, required=required)


def rules_publish(space=None, *, rules=None, body="<p>Be kind.</p>"):
    rules = rules or GroundRules(title="Our ground rules", body=body)
    rules.body = body
    rules.save()
    rules.save_revision().publish()
    rules.refresh_from_db()
    if space is not None:
        space.ground_rules = rules
        space.save(update_fields=["ground_rules"])
    return rules
