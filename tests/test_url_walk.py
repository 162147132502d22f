"""Every URL this project adds, as every role, gives the status in the table below.

The walk resolves every URL pattern from the root URLconf: the front end (everything
outside `admin/`, `documents/` and Wagtail's page serving), the admin URLs this
project registers (its hooks, viewsets and snippets), and one page of each page type
this project defines. A URL or page type that is not in the table fails the test
with a message saying which row to add.

Editing the table: one row per URL name, one column per role, in the order of
`ROLES` (ano anonymous, usr service user, pro professional, pw peer worker, fac
facilitator of the space the URL is about, oth facilitator of another space, crd rota
coordinator, sg safeguarding lead, ed editor). A number is the status code; L is a
redirect to the site's login page, A to the admin's login page, R any other redirect.
Only GET is walked: views that take only POST answer 405. `world_build()` makes the
objects the URLs are about; a URL argument it does not know gets a missing object
(the shift-pattern rows, for now, so those answer 404 once past the permission check).
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import get_page_models

from peer_support.accounts.roles import role_groups_sync
from peer_support.chat.models import ChatRoom
from peer_support.discussion import services as discussion_services
from peer_support.discussion.models import SpaceDiscussion, WatchedWord
from peer_support.groups.models import Topic, Venue
from peer_support.rotas import services as rota_services
from peer_support.rotas.models import QualificationKind, SwapKind, WorkerQualification
from peer_support.spaces.models import GroundRules, JoinPolicy, SpaceFacilitator
from safeguarding import services as safeguarding_services
from safeguarding.models import ConcernSource, LexiconEntry
from safeguarding.severity import Severity
from tests.conftest import wagtail_tree_ensure
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    EditorFactory,
    FacilitatedSpaceFactory,
    GroupIndexPageFactory,
    GroupPageFactory,
    MembershipFactory,
    PeerWorkerFactory,
    ProfessionalFactory,
    RotaCoordinatorFactory,
    SafeguardingLeadFactory,
    ShiftFactory,
    StandardPageFactory,
    TopicFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "service_user",
    "professional",
    "peer_worker",
    "facilitator",  # facilitates the space the URL is about
    "other_facilitator",  # facilitates another space
    "coordinator",
    "safeguarding",
    "editor",
)

LOGIN, ADMIN_LOGIN, REDIRECT = "L", "A", "R"

# fmt: off
URLS = {
    # name                                              ano usr pro pw  fac oth crd sg  ed
    # Front end
    "discussion:delete":                                "L   405 405 405 405 405 405 405 405",
    "discussion:edit":                                  "L   403 403 403 200 403 403 403 403",
    "discussion:flag":                                  "L   200 403 403 200 403 403 403 403",
    "discussion:follow":                                "L   405 405 405 405 405 405 405 405",
    "discussion:helped":                                "L   405 405 405 405 405 405 405 405",
    "discussion:mute_member":                           "L   405 405 405 405 405 405 405 405",
    "discussion:my_sanctions":                          "L   200 200 200 200 200 200 200 200",
    "discussion:appeal":                                "L   404 404 404 404 404 404 404 404",
    "discussion:muted":                                 "L   200 200 200 200 200 200 200 200",
    "discussion:post":                                  "L   R   403 403 R   403 403 403 403",
    "discussion:reply":                                 "L   405 405 405 405 405 405 405 405",
    "discussion:rules_accept":                          "L   200 404 404 404 404 404 404 404",
    "discussion:space_break":                           "L   405 405 405 405 405 405 405 405",
    "discussion:thread":                                "L   200 403 403 200 403 403 403 403",
    "discussion:thread_new":                            "L   405 405 405 405 405 405 405 405",
    "discussion:thread_settings":                       "L   405 405 405 405 405 405 405 405",
    "discussion:threads":                               "L   200 403 403 200 403 403 403 403",
    "chat:room":                                        "L   403 403 403 200 403 403 403 403",
    "chat:events":                                      "403 403 403 403 200 403 403 403 403",
    "chat:post":                                        "405 405 405 405 405 405 405 405 405",
    "chat:act":                                         "405 405 405 405 405 405 405 405 405",
    "delete_account":                                   "L   200 200 200 200 200 200 200 200",
    "login":                                            "200 R   R   R   R   R   R   R   R",
    "logout":                                           "405 405 405 405 405 405 405 405 405",
    "my_spaces:home":                                   "L   200 200 200 200 200 200 200 200",
    "my_spaces:withdraw":                               "L   200 404 404 404 404 404 404 404",
    "password_change":                                  "L   200 200 200 200 200 200 200 200",
    "password_change_done":                             "L   200 200 200 200 200 200 200 200",
    "password_reset":                                   "200 200 200 200 200 200 200 200 200",
    "password_reset_complete":                          "200 200 200 200 200 200 200 200 200",
    "password_reset_confirm":                           "200 200 200 200 200 200 200 200 200",
    "password_reset_done":                              "200 200 200 200 200 200 200 200 200",
    "profile":                                          "L   200 200 200 200 200 200 200 200",
    "register":                                         "200 R   R   R   R   R   R   R   R",
    "rotas:accept":                                     "405 405 405 405 405 405 405 405 405",
    "rotas:availability":                               "L   403 403 200 200 200 200 200 403",
    "rotas:calendar":                                   "L   403 403 200 200 200 200 200 403",
    "rotas:claim":                                      "405 405 405 405 405 405 405 405 405",
    "rotas:feed":                                       "404 404 404 404 404 404 404 404 404",
    "rotas:my_rota":                                    "L   403 403 200 200 200 200 200 403",
    "rotas:offer":                                      "405 405 405 405 405 405 405 405 405",
    "rotas:withdraw":                                   "405 405 405 405 405 405 405 405 405",
    "safety_plan":                                      "L   200 200 200 200 200 200 200 200",
    "search":                                           "200 200 200 200 200 200 200 200 200",
    "spaces:decide":                                    "L   405 405 405 405 405 405 405 405",
    "spaces:history":                                   "L   403 403 403 200 403 403 403 403",
    "spaces:invite_new":                                "L   405 405 405 405 405 405 405 405",
    "spaces:join":                                      "L   200 200 200 200 200 200 200 200",
    "spaces:leave":                                     "L   200 R   R   R   R   R   R   R",
    "spaces:manage":                                    "L   403 403 403 200 403 403 403 403",
    "spaces:managed":                                   "L   403 403 403 200 200 403 403 403",
    "spaces:notices":                                   "L   200 200 200 200 200 200 200 200",
    "spaces:rules_accept":                              "L   200 404 404 404 404 404 404 404",
    # Admin: this project's hooks, viewsets and snippets
    "discussion_queue:add":                             "A   A   A   R R R R R R",
    "discussion_queue:delete":                          "A   A   A   R R R R R R",
    "discussion_queue:edit":                            "A   A   A   R R R R R R",
    "discussion_queue:history":                         "A   A   A   R R R R R R",
    "discussion_queue:history_results":                 "A   A   A   R R R R R R",
    "discussion_queue:index":                           "A   A   A   200 200 200 200 200 R",
    "discussion_queue:index_results":                   "A   A   A   200 200 200 200 200 R",
    "discussion_queue:usage":                           "A   A   A   R R R R R R",
    "discussion_record":                                "A   A   A   404 200 404 404 404 404",
    "discussion_appeals":                               "A   A   A   200 200 200 200 200 200",
    "chat_transcripts":                                 "A   A   A   200 200 200 200 200 200",
    "chat_transcript":                                  "A   A   A   404 200 404 404 404 404",
    "discussion_appeal_decide":                         "A   A   A   404 404 404 404 404 404",
    "discussion_review":                                "A   A   A   404 200 404 404 404 404",
    "discussion_settings:add":                          "A   A   A   200 200 200 200 200 R",
    "discussion_settings:delete":                       "A   A   A   200 200 200 200 200 R",
    "discussion_settings:edit":                         "A   A   A   200 200 200 200 200 R",
    "discussion_settings:history":                      "A   A   A   200 200 200 200 200 R",
    "discussion_settings:history_results":              "A   A   A   200 200 200 200 200 R",
    "discussion_settings:index":                        "A   A   A   200 200 200 200 200 R",
    "discussion_settings:index_results":                "A   A   A   200 200 200 200 200 R",
    "discussion_settings:usage":                        "A   A   A   200 200 200 200 200 R",
    "discussion_unanswered":                            "A   A   A   200 200 200 200 200 404",
    "discussion_words:add":                             "A   A   A   200 200 200 200 200 R",
    "discussion_words:delete":                          "A   A   A   200 200 200 200 200 R",
    "discussion_words:edit":                            "A   A   A   200 200 200 200 200 R",
    "discussion_words:history":                         "A   A   A   200 200 200 200 200 R",
    "discussion_words:history_results":                 "A   A   A   200 200 200 200 200 R",
    "discussion_words:index":                           "A   A   A   200 200 200 200 200 R",
    "discussion_words:index_results":                   "A   A   A   200 200 200 200 200 R",
    "discussion_words:usage":                           "A   A   A   200 200 200 200 200 R",
    "discussion_words_tools":                           "A   A   A   200 200 200 200 200 404",
    "rotas_coverage":                                   "A   A   A   R   R   R   200 R   R",
    "rotas_fairness":                                   "A   A   A   R   R   R   200 R   R",
    "rotas_fairness_results":                           "A   A   A   R   R   R   200 R   R",
    "rotas_pattern_generate":                           "A   A   A   404 404 404 404 404 404",
    "rotas_qualification:add":                          "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:copy":                         "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:delete":                       "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:edit":                         "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:history":                      "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:history_results":              "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:index":                        "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:index_results":                "A   A   A   R   R   R   200 R   R",
    "rotas_qualification:usage":                        "A   A   A   R   R   R   200 R   R",
    "rotas_shift:add":                                  "A   A   A   R   R   R   200 R   R",
    "rotas_shift:delete":                               "A   A   A   R   R   R   200 R   R",
    "rotas_shift:edit":                                 "A   A   A   R   R   R   200 R   R",
    "rotas_shift:history":                              "A   A   A   R   R   R   200 R   R",
    "rotas_shift:history_results":                      "A   A   A   R   R   R   200 R   R",
    "rotas_shift:index":                                "A   A   A   R   R   R   200 R   R",
    "rotas_shift:index_results":                        "A   A   A   R   R   R   200 R   R",
    "rotas_shift:usage":                                "A   A   A   R   R   R   200 R   R",
    "rotas_shift_assign":                               "A   A   A   R   R   R   200 R   R",
    "rotas_shiftpattern:add":                           "A   A   A   R   R   R   200 R   R",
    "rotas_shiftpattern:copy":                          "A   A   A   R   R   R   404 R   R",
    "rotas_shiftpattern:delete":                        "A   A   A   404 404 404 404 404 404",
    "rotas_shiftpattern:edit":                          "A   A   A   R   R   R   404 R   R",
    "rotas_shiftpattern:history":                       "A   A   A   404 404 404 404 404 404",
    "rotas_shiftpattern:history_results":               "A   A   A   404 404 404 404 404 404",
    "rotas_shiftpattern:index":                         "A   A   A   R   R   R   200 R   R",
    "rotas_shiftpattern:index_results":                 "A   A   A   R   R   R   200 R   R",
    "rotas_shiftpattern:usage":                         "A   A   A   404 404 404 404 404 404",
    "rotas_swaps":                                      "A   A   A   R   R   R   200 R   R",
    "rotas_swaps_results":                              "A   A   A   R   R   R   200 R   R",
    # Safeguarding: R for staff who may see concerns is the second-factor page first.
    "safeguarding_chronology":                          "A   A   A   404 404 404 404 R   404",
    "safeguarding_concern":                             "A   A   A   404 R   404 404 R   404",
    "safeguarding_dashboard":                           "A   A   A   R   R   R   R   R   404",
    "safeguarding_inbox":                               "A   A   A   R   R   R   R   R   404",
    "safeguarding_lexicon:add":                         "A   A   A   R   R   R   R   200 R",
    "safeguarding_lexicon:delete":                      "A   A   A   R   R   R   R   200 R",
    "safeguarding_lexicon:edit":                        "A   A   A   R   R   R   R   200 R",
    "safeguarding_lexicon:history":                     "A   A   A   R   R   R   R   200 R",
    "safeguarding_lexicon:history_results":             "A   A   A   R   R   R   R   200 R",
    "safeguarding_lexicon:index":                       "A   A   A   R   R   R   R   200 R",
    "safeguarding_lexicon:index_results":               "A   A   A   R   R   R   R   200 R",
    "safeguarding_lexicon:usage":                       "A   A   A   R   R   R   R   200 R",
    "safeguarding_raise":                               "A   A   A   200 200 200 200 200 404",
    "safeguarding_verify":                              "A   A   A   200 200 200 200 200 404",
    "wagtailsnippetchoosers_groups_topic:choose":       "A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_topic:choose_results":"A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_topic:chosen":       "A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_topic:chosen_multiple":"A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_topic:create":       "A   A   A   R   R   R   R   R   R",
    "wagtailsnippetchoosers_groups_venue:choose":       "A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_venue:choose_results":"A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_venue:chosen":       "A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_venue:chosen_multiple":"A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_groups_venue:create":       "A   A   A   R   R   R   R   R   R",
    "wagtailsnippetchoosers_spaces_groundrules:choose": "A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_spaces_groundrules:choose_results":"A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_spaces_groundrules:chosen": "A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_spaces_groundrules:chosen_multiple":"A   A   A   200 200 200 200 200 200",
    "wagtailsnippetchoosers_spaces_groundrules:create": "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_groups_topic:add":                 "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:copy":                "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:delete":              "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:edit":                "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:history":             "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:history_results":     "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:list":                "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:list_results":        "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_topic:usage":               "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:add":                 "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:copy":                "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:delete":              "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:edit":                "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:history":             "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:history_results":     "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:list":                "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:list_results":        "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_groups_venue:usage":               "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_spaces_groundrules:add":           "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:copy":          "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:delete":        "A   A   A   R   R   R   R   R   R",
    "wagtailsnippets_spaces_groundrules:edit":          "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:history":       "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:history_results":"A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:list":          "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:list_results":  "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:preview_on_add":"A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:preview_on_edit":"A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:revisions_compare":"A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:revisions_revert":"A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:revisions_unschedule":"A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:revisions_view":"A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:unpublish":     "A   A   A   R   R   R   R   R   200",
    "wagtailsnippets_spaces_groundrules:usage":         "A   A   A   R   R   R   R   R   200",
}
# fmt: on

# One page of each page type this project defines, served by Wagtail.
# fmt: off
PAGES = {
    # page type                                         ano usr pro pw  fac oth crd sg  ed
    "home.HomePage":                                    "200 200 200 200 200 200 200 200 200",
    "home.StandardPage":                                "200 200 200 200 200 200 200 200 200",
    "spaces.SpacePage":                                 "200 200 200 200 200 200 200 200 200",
    "groups.GroupIndexPage":                            "200 200 200 200 200 200 200 200 200",
    "groups.GroupPage":                                 "200 200 200 200 200 200 200 200 200",
    "courses.CourseIndexPage":                          "200 200 200 200 200 200 200 200 200",
    "courses.CoursePage":                               "200 200 200 200 200 200 200 200 200",
}
# fmt: on


def expected(row: str, role: str):
    code = row.split()[ROLES.index(role)]
    return int(code) if code.isdigit() else code


@dataclass
class World:
    """The objects the walk's URLs are about, and one user per role."""

    users: dict
    kwargs: dict
    pages: dict


def world_build() -> World:
    home = wagtail_tree_ensure()
    role_groups_sync()
    facilitator, other_facilitator = PeerWorkerFactory(), PeerWorkerFactory()
    space = FacilitatedSpaceFactory(
        parent=home,
        title="Here",
        join_policy=JoinPolicy.REQUEST,
        facilitator=facilitator,
    )
    FacilitatedSpaceFactory(parent=home, title="There", facilitator=other_facilitator)
    member = UserFactory()
    membership = MembershipFactory(space=space, member=member)
    finder = GroupIndexPageFactory(parent=home)
    group = GroupPageFactory(parent=finder, topics=[TopicFactory()])
    SpaceFacilitator.objects.create(page_id=group.pk, worker=facilitator)
    courses = CourseIndexPageFactory(parent=home)
    course = CoursePageFactory(parent=courses)
    SpaceFacilitator.objects.create(page_id=course.pk, worker=facilitator)
    shift = ShiftFactory(space=space)
    rota_services.shift_claim(shift_id=shift.pk, worker=facilitator)
    swap = rota_services.swap_offer(
        shift_id=shift.pk, worker=facilitator, kind=SwapKind.COVER
    )
    rules = GroundRules(title="Our ground rules", body="<p>Be kind.</p>")
    rules.save()
    rules.save_revision().publish()
    VenueFactory()
    about = StandardPageFactory(parent=home)
    live_session = course.live_sessions.first()
    room = ChatRoom.objects.for_session(live_session)
    opening = discussion_services.post_submit(
        author=facilitator, space_id=space.pk, title="How was your week?", text="Hi."
    )
    watched = WatchedWord.objects.first()
    discussion_settings = SpaceDiscussion.objects.create(space=space)
    users = {
        "anonymous": None,
        "service_user": member,
        "professional": ProfessionalFactory(),
        "peer_worker": PeerWorkerFactory(),
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "coordinator": RotaCoordinatorFactory(),
        "safeguarding": SafeguardingLeadFactory(),
        "editor": EditorFactory(),
    }
    qualification = WorkerQualification.objects.create(
        worker=users["safeguarding"],
        kind=QualificationKind.SAFEGUARDING_TRAINING,
        obtained_on=date(2026, 1, 5),
    )
    concern = safeguarding_services.concern_raise(
        member=member,
        severity=Severity.HIGH,
        source=ConcernSource.SCREENING,
        content="I want to die",
        space=space,
    )
    safeguarding_services.concern_assign(
        concern_id=concern.pk, user=users["safeguarding"], owner=facilitator
    )
    kwargs = {
        "member_id": member.pk,
        "space_id": space.pk,
        "membership_id": membership.pk,
        "action": "approve",
        "shift_id": shift.pk,
        "swap_id": swap.pk,
        "token": "no-such-token",
        "uidb64": "MQ",
        "revision_id": rules.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "thread_id": opening.thread_ref_id,
        "post_id": opening.pk,
        "user_id": facilitator.pk,
        "sanction_id": 999999,  # no sanction: the appeal page answers 404
        "session_id": live_session.pk,
    }
    pages = {
        "home.HomePage": home,
        "home.StandardPage": about,
        "spaces.SpacePage": space,
        "groups.GroupIndexPage": finder,
        "groups.GroupPage": group,
        "courses.CourseIndexPage": courses,
        "courses.CoursePage": course,
    }
    kwargs["pk_by_namespace"] = {
        "wagtailsnippets_spaces_groundrules": rules.pk,
        "wagtailsnippetchoosers_spaces_groundrules": rules.pk,
        "wagtailsnippets_groups_topic": Topic.objects.first().pk,
        "wagtailsnippetchoosers_groups_topic": Topic.objects.first().pk,
        "wagtailsnippets_groups_venue": Venue.objects.first().pk,
        "wagtailsnippetchoosers_groups_venue": Venue.objects.first().pk,
        "rotas_shift": shift.pk,
        "rotas_qualification": qualification.pk,
        "rotas_shift_assign": shift.pk,
        "spaces_membership": membership.pk,
        "discussion_queue": opening.pk,
        "discussion_review": opening.pk,
        "chat_transcript": room.pk,
        "discussion_words": watched.pk,
        "discussion_settings": discussion_settings.pk,
        "safeguarding_concern": concern.pk,
        "safeguarding_lexicon": LexiconEntry.objects.order_by("pk").first().pk,
    }
    return World(users=users, kwargs=kwargs, pages=pages)


PROJECT_APPS = {
    config.label
    for config in apps.get_app_configs()
    if config.name.startswith(("peer_support", "home", "safeguarding"))
}


def walk(patterns, prefix="", namespace=None, area=None):
    """(route, name, area) for every pattern; area is "front", "admin" or None for
    URLs this project does not add."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner_ns = namespace
            if pattern.namespace:
                inner_ns = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            route = prefix + str(pattern.pattern)
            inner_area = area
            if area is None and not prefix:
                module = getattr(pattern.urlconf_module, "__name__", "")
                if route == "admin/":
                    inner_area = "admin"
                elif route == "documents/" or module.startswith("wagtail"):
                    inner_area = "elsewhere"
                else:
                    inner_area = "front"
            yield from walk(pattern.url_patterns, route, inner_ns, inner_area)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield prefix + str(pattern.pattern), name, area or "front"


def project_admin_name(name: str | None) -> bool:
    if not name:
        return False
    owner = name.split(":")[0]
    for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
        owner = owner.removeprefix(prefix)
    return owner.split("_")[0] in PROJECT_APPS


def project_urls() -> dict[str, str]:
    """{url name: route} for every URL this project adds."""
    found = {}
    for route, name, area in walk(get_resolver().url_patterns):
        if name == "wagtail_serve":
            # Wagtail's page serving behind the route cache (tests/site/
            # test_page_routes.py); pages are reached through their own URLs.
            continue
        if area == "front" and not route.startswith("_util/"):
            assert name, f"the URL {route!r} needs a name to be walked"
            found[name] = route
        elif area == "admin" and project_admin_name(name):
            found[name] = route
    return found


def url_for(name: str, route: str, world: World) -> str:
    kwargs = {}
    namespace = name.rsplit(":", 1)[0] if ":" in name else name
    for key, value in world.kwargs.items():
        if key == "pk_by_namespace":
            continue
        if f":{key}>" in route or f"<{key}>" in route or f"(?P<{key}>" in route:
            kwargs[key] = value
    if ":pk>" in route or "(?P<pk>" in route:
        kwargs["pk"] = world.kwargs["pk_by_namespace"].get(namespace, 999999)
    return reverse(name, kwargs=kwargs)


def status_of(client, url: str):
    response = client.get(url)
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return ADMIN_LOGIN
        if location.startswith(settings.LOGIN_URL) or location.startswith(
            reverse("login")
        ):
            return LOGIN
        return REDIRECT
    return response.status_code


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)


def test_every_url_this_project_adds_is_in_the_table():
    missing = sorted(set(project_urls()) - set(URLS))
    assert not missing, (
        "add a row to URLS in tests/test_url_walk.py for each new URL (one column "
        f"per role, the status you expect): {missing}"
    )


def test_every_row_in_the_table_is_a_url():
    stale = sorted(set(URLS) - set(project_urls()))
    assert not stale, f"remove these rows from URLS, no such URL: {stale}"


def test_every_page_type_this_project_defines_is_walked(world):
    types = {
        f"{model._meta.app_label}.{model.__name__}"
        for model in get_page_models()
        if model._meta.app_label in PROJECT_APPS
    }
    missing = sorted(types - (set(PAGES) & set(world.pages)))
    assert not missing, f"add a page of each type to world_build() and PAGES: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_each_url_gives_the_expected_status_for_the_role(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    wrong = []
    for name, route in sorted(project_urls().items()):
        if name not in URLS:
            continue
        url = url_for(name, route, world)
        got = status_of(client, url)
        if got != expected(URLS[name], role):
            want = expected(URLS[name], role)
            wrong.append(f"{name} {url}: expected {want}, got {got}")
    for label, row in PAGES.items():
        page = world.pages[label]
        got = status_of(client, page.url)
        if got != expected(row, role):
            want = expected(row, role)
            wrong.append(f"{label} {page.url}: expected {want}, got {got}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
