"""Signal handlers, connected in `DiscussionConfig.ready()`."""

from wagtail.signals import page_published


def course_published(sender, instance, **kwargs):
    """A published course opens a thread for each of its topics."""
    from .services import course_threads_sync

    course_threads_sync(course=instance)


def connect() -> None:
    from peer_support.courses.models import CoursePage

    page_published.connect(
        course_published, sender=CoursePage, dispatch_uid="discussion_course_topics"
    )
