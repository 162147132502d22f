"""Short helpers over the factories for the home page, finder and My groups tests."""

from django.utils.text import slugify

from tests.factories import (
    CoursePageFactory,
    GroupIndexPageFactory,
    GroupPageFactory,
    TopicFactory,
    VenueFactory,
)


def finder_make(home):
    return GroupIndexPageFactory(parent=home)


def group_make(finder, *, title="Hearing Voices", topics=(), **fields):
    fields.setdefault("slug", slugify(title))
    return GroupPageFactory(
        parent=finder, title=title, topics=list(topics) or None, **fields
    )


def topic_make(name: str):
    return TopicFactory(name=name)


def venue_make(town="Leeds", lat="53.800", lng="-1.549", **extra):
    return VenueFactory(town=town, lat=lat, lng=lng, **extra)


def course_build(index, **fields):
    return CoursePageFactory(parent=index, **fields)
