"""Moderators' tools in the Wagtail admin: the review queue (held and flagged posts in
the spaces they facilitate or cover), watched words, and each space's discussion
settings. Posts are never edited here: a decision goes through the review page and
`services.post_moderate`."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER, has_role

from . import selectors
from .admin_views import ReviewView, UnansweredView, WatchedWordsToolsView
from .models import Post, SpaceDiscussion, WatchedWord


def is_moderator(user) -> bool:
    if not user.is_active:
        return False
    if not hasattr(user, "_discussion_moderator"):
        user._discussion_moderator = user.is_superuser or has_role(user, PEER_WORKER)
    return user._discussion_moderator


class QueuePolicy(BasePermissionPolicy):
    """Peer workers look at the queue; which posts they see is the selector's rule.
    Nobody adds, edits or deletes posts from the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and is_moderator(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, groups__name=PEER_WORKER)


class ModeratorsEditPolicy(BasePermissionPolicy):
    """Peer workers edit watched words and discussion settings."""

    def user_has_permission(self, user, action):
        return is_moderator(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, groups__name=PEER_WORKER)


register_permission_policy(Post, QueuePolicy(Post))
register_permission_policy(WatchedWord, ModeratorsEditPolicy(WatchedWord))
register_permission_policy(SpaceDiscussion, ModeratorsEditPolicy(SpaceDiscussion))


class QueueIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.review_queue(user=self.request.user)

    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                _("Review"),
                url=reverse("discussion_review", args=[instance.pk]),
                icon_name="view",
                priority=1,
            )
        ]


class ExcerptColumn(TitleColumn):
    """The start of the post, linking to its review page."""

    def __init__(self, *args, **kwargs):
        kwargs["get_url"] = lambda post: reverse("discussion_review", args=[post.pk])
        super().__init__(*args, **kwargs)

    def get_value(self, instance):
        text = instance.comment
        return text if len(text) <= 120 else text[:117] + "…"


class ReviewQueueViewSet(ModelViewSet):
    model = Post
    icon = "warning"
    menu_label = _("Review queue")
    add_to_admin_menu = False
    index_view_class = QueueIndexView
    form_fields = ["comment"]  # never reachable: the policy refuses change
    list_display = [
        ExcerptColumn("comment", label=_("Post")),
        Column("review_since", label=_("Waiting since")),
        Column("thread_ref", label=_("Conversation")),
        Column("user", label=_("Author")),
        Column("status", label=_("Status")),
        Column("hold_reason", label=_("Held because")),
        Column("open_flags", label=_("Flags")),
    ]
    list_filter = ["status", "hold_reason"]
    search_fields = ["comment", "thread_ref__title"]
    copy_view_enabled = False
    inspect_view_enabled = False


class WatchedWordViewSet(ModelViewSet):
    model = WatchedWord
    icon = "search"
    menu_label = _("Watched words")
    add_to_admin_menu = False
    form_fields = ["text", "match", "action", "replacement", "explanation"]
    list_display = ["text", "match", "action", "replacement"]
    list_filter = ["action", "match"]
    search_fields = ["text"]
    copy_view_enabled = False


class SpaceDiscussionViewSet(ModelViewSet):
    model = SpaceDiscussion
    icon = "cog"
    menu_label = _("Discussion settings")
    add_to_admin_menu = False
    form_fields = [
        "space",
        "non_members_may_read",
        "probation_posts",
        "new_member_posts",
        "new_member_window_seconds",
        "unanswered_hours",
    ]
    list_display = ["space", "non_members_may_read", "probation_posts"]
    copy_view_enabled = False


class DiscussionGroup(ViewSetGroup):
    menu_label = _("Discussion")
    menu_icon = "comment"
    menu_order = 240
    items = (
        ReviewQueueViewSet("discussion_queue"),
        WatchedWordViewSet("discussion_words"),
        SpaceDiscussionViewSet("discussion_settings"),
    )


@hooks.register("register_admin_viewset")
def register_discussion_viewsets():
    return DiscussionGroup()


@hooks.register("register_admin_urls")
def register_discussion_admin_urls():
    return [
        path(
            "discussion/review/<int:pk>/",
            ReviewView.as_view(),
            name="discussion_review",
        ),
        path(
            "discussion/unanswered/",
            UnansweredView.as_view(),
            name="discussion_unanswered",
        ),
        path(
            "discussion/watched-words/tools/",
            WatchedWordsToolsView.as_view(),
            name="discussion_words_tools",
        ),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def register_watched_words_tools_menu_item():
    return ModeratorMenuItem(
        _("Watched words: test and import"),
        reverse("discussion_words_tools"),
        icon_name="search",
        order=241,
    )


@hooks.register("register_admin_menu_item")
def register_unanswered_menu_item():
    return ModeratorMenuItem(
        _("Unanswered posts"),
        reverse("discussion_unanswered"),
        icon_name="help",
        order=242,
    )


@hooks.register("register_admin_urls")
def register_sanction_admin_urls():
    from .admin_views import AppealDecideView, AppealsView, MemberRecordView

    return [
        path(
            "discussion/record/<int:space_id>/<int:member_id>/",
            MemberRecordView.as_view(),
            name="discussion_record",
        ),
        path("discussion/appeals/", AppealsView.as_view(), name="discussion_appeals"),
        path(
            "discussion/appeals/<int:pk>/",
            AppealDecideView.as_view(),
            name="discussion_appeal_decide",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_appeals_menu_item():
    return ModeratorMenuItem(
        _("Appeals"), reverse("discussion_appeals"), icon_name="help", order=243
    )
