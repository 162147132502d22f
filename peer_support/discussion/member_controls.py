"""What a member does to protect themselves: mute words, mute a member, take a break
from a space. Services and selectors sit together here because the rules are small and
read together; the thread page and the follow-emails ask the selectors below.

Muting only changes what the muter sees: nothing is recorded on the post, and the
muted member is never told. Peer workers, facilitators and moderators cannot be muted,
so their safety messages always reach everyone.
"""

import re
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER
from peer_support.errors import ServiceError
from peer_support.spaces.models import SpaceFacilitator, SpacePage
from peer_support.spaces.permissions import READ_DISCUSSION, user_may

from .models import MutedMember, MutedWord, SpaceBreak

MAX_MUTED_WORDS = 100
MAX_WORD_LENGTH = 60
MAX_BREAK_DAYS = 365


class ControlError(ServiceError):
    """A member's own setting could not be saved; `message` says why."""


# --- mute words ----------------------------------------------------------------------


def _word_clean(word: str) -> str:
    word = " ".join((word or "").split()).lower()
    if not word:
        raise ControlError(_("Type the word you'd rather not see."))
    if len(word) > MAX_WORD_LENGTH:
        raise ControlError(_("Please keep a muted word under 60 characters."))
    return word


@transaction.atomic
def muted_word_add(*, member: User, word: str) -> MutedWord:
    word = _word_clean(word)
    if MutedWord.objects.filter(member=member).count() >= MAX_MUTED_WORDS:
        raise ControlError(_("You can mute up to 100 words."))
    try:
        with transaction.atomic():
            return MutedWord.objects.create(member=member, word=word)
    except IntegrityError as duplicate:
        raise ControlError(_("You have already muted that word.")) from duplicate


@transaction.atomic
def muted_word_remove(*, member: User, word_id: int) -> None:
    if not MutedWord.objects.filter(member=member, pk=word_id).delete()[0]:
        raise ControlError(_("That word is no longer muted."))


def muted_words(*, member: User) -> list[str]:
    if not member.is_authenticated:
        return []
    return list(MutedWord.objects.filter(member=member).values_list("word", flat=True))


def muted_words_regex(words: list[str]) -> re.Pattern | None:
    """Whole words, any case; None when the member muted nothing."""
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len)[::-1])
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


# --- mute a member -------------------------------------------------------------------


def unmutable_q() -> Q:
    """People whose posts always show: peer workers, facilitators, staff."""
    return (
        Q(groups__name=PEER_WORKER)
        | Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(pk__in=SpaceFacilitator.objects.values("worker_id"))
    )


@transaction.atomic
def member_mute_set(*, member: User, muted_id: int, mute: bool) -> bool:
    if not mute:
        MutedMember.objects.filter(member=member, muted_id=muted_id).delete()
        return False
    if muted_id == member.pk:
        raise ControlError(_("You can't mute yourself."))
    target = User.objects.filter(pk=muted_id, is_active=True).first()
    if target is None:
        raise ControlError(_("That member is no longer here."))
    if User.objects.filter(unmutable_q(), pk=muted_id).exists():
        raise ControlError(
            _(
                "Posts by peer workers and moderators can't be muted; "
                "they keep the space safe."
            )
        )
    MutedMember.objects.get_or_create(member=member, muted=target)
    return True


def muted_member_ids(*, member: User) -> set[int]:
    if not member.is_authenticated:
        return set()
    return set(
        MutedMember.objects.filter(member=member).values_list("muted_id", flat=True)
    )


def muted_members(*, member: User):
    return MutedMember.objects.filter(member=member).select_related("muted")


# --- take a break --------------------------------------------------------------------


@transaction.atomic
def space_break_take(*, member: User, space: SpacePage, until: date) -> SpaceBreak:
    today = timezone.localdate()
    if until is None or until <= today:
        raise ControlError(_("Choose a day after today to come back."))
    if until > today + timedelta(days=MAX_BREAK_DAYS):
        raise ControlError(_("A break can last up to a year."))
    if not user_may(member, READ_DISCUSSION, space):
        raise ControlError(_("You can take a break only from a space you belong to."))
    space_break, _created = SpaceBreak.objects.update_or_create(
        member=member, space=space, defaults={"until": until}
    )
    return space_break


@transaction.atomic
def space_break_end(*, member: User, space: SpacePage) -> None:
    SpaceBreak.objects.filter(member=member, space=space).delete()


def space_break_until(*, member: User, space: SpacePage) -> date | None:
    """The day a member's break from a space ends, if they are on one today."""
    if not member.is_authenticated:
        return None
    return (
        SpaceBreak.objects.filter(
            member=member, space=space, until__gt=timezone.localdate()
        )
        .values_list("until", flat=True)
        .first()
    )


def members_on_break_q(*, space_id: int) -> Q:
    """Members away from a space today (for pausing its follow-emails)."""
    return Q(
        pk__in=SpaceBreak.objects.filter(
            space_id=space_id, until__gt=timezone.localdate()
        ).values("member_id")
    )
