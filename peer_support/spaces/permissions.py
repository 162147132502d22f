"""The one answer to "may this user do this in this space?".

Each action is one rule, written once as a filter on spaces (`ACTION_RULES`). The
same filter answers both questions callers ask: `user_may(user, action, space)` for
one space, and `space_policy.instances_user_has_permission_for(user, action)` for
"every space where this user may", so the admin, the templates, the views and the
selectors can never disagree. To add an action (read, post, moderate...), add a
constant and a rule to `ACTION_RULES`.

Global roles are Django groups or permissions; standing in a space is the membership;
facilitators come from the live page; a peer worker's reach to a space comes from
their shifts there.

`space_policy` is a Wagtail permission policy, but it is deliberately not put in
Wagtail's policy registry: the registry picks the nearest ancestor class, so it would
replace the page permission policy for every group and course page in the page
editor, which is decided by Wagtail's page permissions.
"""

from collections.abc import Callable

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Membership, MembershipStatus, SpaceFacilitator, SpacePage

VIEW_PRIVATE_DETAILS = "view_private_details"  # meeting link, exact venue, calendar
MANAGE_MEMBERS = "manage_members"
MARK_ATTENDANCE = "mark_attendance"  # a course's live-session attendance sheet
# The discussion: read its threads, post in it, moderate it.
READ_DISCUSSION = "read_discussion"
POST = "post"
MODERATE = "moderate"
READ_LIVE_CHAT = (
    "read_live_chat"  # a course's live-session chat (the host: per session)
)

MANAGE_ANY_SPACE = "spaces.manage_any_space_members"


def _facilitates(user) -> Q:
    return Q(Exists(SpaceFacilitator.objects.filter(page=OuterRef("pk"), worker=user)))


def _active_member(user) -> Q:
    return Q(
        Exists(
            Membership.objects.filter(
                space=OuterRef("pk"), member=user, status=MembershipStatus.ACTIVE
            )
        )
    )


def _on_shift_now_or_later(user) -> Q:
    """A worker with a current or upcoming shift covering this space. The rota is
    reached by model name, not imported: the rota app already depends on spaces."""
    assignments = apps.get_model("rotas", "ShiftAssignment").objects
    return Q(
        Exists(
            assignments.filter(
                shift__space=OuterRef("pk"),
                shift__status="scheduled",
                shift__end__gt=timezone.now(),
                worker=user,
                status="active",
            )
        )
    )


def _manage_members(user) -> Q | None:
    if user.has_perm(MANAGE_ANY_SPACE):
        return None  # staff granted every space in the admin
    return _facilitates(user)


def _holding_place(user) -> Q:
    """An active or suspended membership: a suspended member still reads."""
    return Q(
        Exists(
            Membership.objects.filter(
                space=OuterRef("pk"),
                member=user,
                status__in=(MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED),
            )
        )
    )


def _view_private_details(user) -> Q:
    return _active_member(user) | _facilitates(user) | _on_shift_now_or_later(user)


def _mark_attendance(user) -> Q:
    return _facilitates(user)


def _covering_now(user) -> Q:
    """A worker on a shift covering this space now; a moderation shift now covers
    every space. Both are conditions of the one query, never a query of their own."""
    now = timezone.now()
    assignments = apps.get_model("rotas", "ShiftAssignment").objects.filter(
        shift__status="scheduled",
        shift__start__lte=now,
        shift__end__gt=now,
        worker=user,
        status="active",
    )
    return Q(Exists(assignments.filter(shift__duty="moderation"))) | Q(
        Exists(assignments.filter(shift__space=OuterRef("pk")))
    )


def _moderate(user) -> Q:
    return _facilitates(user) | _covering_now(user)


def _post(user) -> Q:
    """Active members who accepted the space's current ground rules (none, or not
    published, counts as accepted); and facilitators."""
    rules_accepted = (
        Q(ground_rules__isnull=True)
        | Q(ground_rules__live=False)
        | Q(ground_rules__live_revision__isnull=True)
        | Q(
            Exists(
                Membership.objects.filter(
                    space=OuterRef("pk"),
                    member=user,
                    rules_revision=OuterRef("ground_rules__live_revision"),
                )
            )
        )
    )
    return _facilitates(user) | (_active_member(user) & rules_accepted)


def _read_discussion(user) -> Q:
    """Members holding a place (a suspended member reads), whoever moderates, and
    signed-in non-members where the space opens its discussion to them."""
    holding = _holding_place(user)
    settings = apps.get_model("discussion", "SpaceDiscussion").objects
    open_to_readers = Q(
        Exists(settings.filter(space=OuterRef("pk"), non_members_may_read=True))
    )
    return holding | open_to_readers | _moderate(user)


def _read_live_chat(user) -> Q:
    """Enrolled members (a suspended member reads, as in the discussion) and whoever
    moderates; never readers the discussion merely opens to."""
    return _holding_place(user) | _moderate(user)


# action -> the spaces where the user may, as a filter (None: every space).
ACTION_RULES: dict[str, Callable[[object], Q | None]] = {
    VIEW_PRIVATE_DETAILS: _view_private_details,
    MANAGE_MEMBERS: _manage_members,
    MARK_ATTENDANCE: _mark_attendance,
    READ_DISCUSSION: _read_discussion,
    POST: _post,
    MODERATE: _moderate,
    READ_LIVE_CHAT: _read_live_chat,
}


def spaces_where(user, action: str) -> QuerySet:
    """Every space where `user` may do `action`: the one query behind the policy."""
    spaces = SpacePage.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return spaces.none()
    if user.is_superuser:
        return spaces
    rule = ACTION_RULES.get(action)
    if rule is None:
        return spaces.none()
    condition = rule(user)
    return spaces if condition is None else spaces.filter(condition)


def user_may(user, action: str, space: SpacePage) -> bool:
    if space is None or space.pk is None:  # an unsaved page in preview
        return False
    where = spaces_where(user, action)
    if where.query.is_empty():  # a visitor, say: building the query costs more
        return False
    return where.filter(pk=space.pk).exists()


def is_facilitator(user, space: SpacePage) -> bool:
    return (
        user.is_authenticated and space.facilitators.filter(worker_id=user.pk).exists()
    )


def active_membership(user, space: SpacePage) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        space=space, member=user, status=MembershipStatus.ACTIVE
    ).first()


class SpacePermissionPolicy(BasePermissionPolicy):
    """Wagtail's shape for the rules above: instance checks call `user_may`, and the
    instances a user may act on come from the same filter."""

    def __init__(self):
        super().__init__(SpacePage)

    def user_has_permission(self, user, action):
        return self.instances_user_has_permission_for(user, action).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return user_may(user, action, instance)

    def instances_user_has_permission_for(self, user, action):
        return spaces_where(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        spaces = SpacePage.objects.none()
        for action in actions:
            spaces = spaces | spaces_where(user, action)
        return spaces


space_policy = SpacePermissionPolicy()
