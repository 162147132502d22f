"""Demo boundaries on whatever spaces the other loaders made: requests waiting with
answers, a waiting list, a suspended member and their history. Idempotent: a member
already in a space is left as they are."""

from datetime import timedelta

from django.utils import timezone

from peer_support.accounts.demo import DEMO_PASSWORD
from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER
from peer_support.audit import audit_record

from .models import (
    EligibilityAnswer,
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SpaceFacilitator,
    SpacePage,
)

Status = MembershipStatus
Action = MembershipEvent.Action

DEMO_PEOPLE = [
    (
        "Soft Lantern",
        "I've been low since the winter and want to talk to people who get it.",
    ),
    (
        "Northern Gull",
        "My GP suggested peer support; I'd mostly like to read at first.",
    ),
    ("Paper Moon", ""),
    ("Still Pond", ""),
    ("Bright Thistle", ""),
]


def _person(index, pseudonym):
    user, created = User.objects.get_or_create(
        email=f"boundaries{index}@demo.invalid",
        defaults={"pseudonym": pseudonym, "terms_version": "demo"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _facilitator(space):
    link = SpaceFacilitator.objects.filter(page=space).select_related("worker").first()
    if link:
        return link.worker
    worker = User.objects.filter(email="peer@demo.invalid").first() or (
        User.objects.filter(groups__name=PEER_WORKER).first()
    )
    if worker:
        SpaceFacilitator.objects.create(page=space, worker=worker)
    return worker


def _place(space, member, status, *, actor=None, action, reason="", **fields):
    if Membership.objects.filter(space=space, member=member).exists():
        return None
    membership = Membership.objects.create(
        space=space, member=member, status=status, **fields
    )
    audit_record(
        MembershipEvent,
        membership=membership,
        space=space,
        member=member,
        actor=actor or member,
        action=action,
        to_status=status,
        reason=reason,
    )
    return membership


def load() -> list[str]:
    spaces = list(SpacePage.objects.live().order_by("path")[:2])
    if not spaces:
        return ["No spaces yet: membership demo skipped."]
    people = [_person(i, p) for i, (p, _answer) in enumerate(DEMO_PEOPLE, start=1)]
    now = timezone.now()
    lines = ["", "Membership demo:"]
    for space in spaces:
        facilitator = _facilitator(space)
        questions = list(space.eligibility_questions.order_by("sort_order"))
        for person, (_p, answer) in zip(people[:2], DEMO_PEOPLE[:2], strict=True):
            request = _place(space, person, Status.REQUESTED, action=Action.REQUESTED)
            if request is not None:
                for question in questions or [None]:
                    EligibilityAnswer.objects.create(
                        membership=request,
                        question=question,
                        question_text=question.text
                        if question
                        else "What brings you here?",
                        answer=answer,
                    )
        for offset, person in enumerate(people[2:4]):
            _place(
                space,
                person,
                Status.WAITLISTED,
                action=Action.WAITLISTED,
                waitlisted_at=now - timedelta(days=3 - offset),
            )
        lines.append(
            f"  {space.title}: 2 requests to approve, 2 on the waiting list"
            + (f" (facilitated by {facilitator.pseudonym})" if facilitator else "")
        )
    first = spaces[0]
    suspended = _place(
        first,
        people[4],
        Status.SUSPENDED,
        actor=_facilitator(first),
        action=Action.SUSPENDED,
        reason="Several posts gave medication advice; a week's pause to read the "
        "ground rules again (7 days).",
        joined_at=now - timedelta(days=30),
        suspended_until=now + timedelta(days=7),
    )
    if suspended is not None:
        MemberNotice.objects.create(
            member=suspended.member,
            space=first,
            subject=f"A pause in {first.title}",
            body="A facilitator has paused your membership for a week. You can still "
            "read; you can post again after that.\n\nSeveral posts gave medication "
            "advice; please read the ground rules again.",
        )
    member = User.objects.filter(email="member@demo.invalid").first()
    if member:
        _place(first, member, Status.ACTIVE, action=Action.JOINED, joined_at=now)
    lines.append(
        f"  {first.title}: {people[4].pseudonym} is suspended for a week "
        f"(boundaries5@demo.invalid; see Messages on the account page)"
    )
    return lines
