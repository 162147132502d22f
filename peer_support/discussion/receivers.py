"""Signal handlers, connected in `DiscussionConfig.ready()`."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published

from . import versions


def course_published(sender, instance, **kwargs):
    """A published course opens a thread for each of its topics."""
    from .services import course_threads_sync

    course_threads_sync(course=instance)


def post_written(sender, instance, **kwargs):
    versions.thread_changed(instance.thread_ref_id)


def helped_written(sender, instance, **kwargs):
    from .models import Post

    thread_id = (
        Post.objects.filter(pk=instance.post_id)
        .values_list("thread_ref_id", flat=True)
        .first()
    )
    if thread_id is not None:
        versions.thread_changed(thread_id)


def flag_written(sender, instance, **kwargs):
    versions.reader_changed(instance.reporter_id)


def reader_choice_written(sender, instance, **kwargs):
    """A muted member or word folds posts away for the member who muted them; a
    break or a follow choice is theirs too."""
    versions.reader_changed(instance.member_id)


def people_written(sender, **kwargs):
    """Badges come from facilitators, memberships (the professional role) and role
    groups; an erased account's posts show a former member."""
    versions.people_changed()


def role_groups_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        versions.people_changed()


def user_saved(sender, instance, update_fields=None, **kwargs):
    """A pseudonym shows beside every post; a sign-in only stamps `last_login`."""
    if update_fields is None or "pseudonym" in update_fields:
        versions.people_changed()


def connect() -> None:
    from peer_support.courses.models import CoursePage
    from peer_support.spaces.models import Membership, SpaceFacilitator

    from .models import (
        Helped,
        MutedMember,
        MutedWord,
        Post,
        PostFlag,
        SpaceBreak,
        ThreadFollow,
    )

    page_published.connect(
        course_published, sender=CoursePage, dispatch_uid="discussion_course_topics"
    )
    uid = "discussion_thread_cache"
    user = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(post_written, sender=Post, dispatch_uid=uid)
        signal.connect(helped_written, sender=Helped, dispatch_uid=uid)
        signal.connect(flag_written, sender=PostFlag, dispatch_uid=uid)
        for choice in (MutedMember, MutedWord, SpaceBreak, ThreadFollow):
            signal.connect(reader_choice_written, sender=choice, dispatch_uid=uid)
        signal.connect(people_written, sender=SpaceFacilitator, dispatch_uid=uid)
        signal.connect(people_written, sender=Membership, dispatch_uid=uid)
    post_save.connect(user_saved, sender=user, dispatch_uid=uid)
    post_delete.connect(people_written, sender=user, dispatch_uid=uid)
    m2m_changed.connect(
        role_groups_changed, sender=user.groups.through, dispatch_uid=uid
    )
