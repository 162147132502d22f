"""Sections editors arrange on the home page. Kept apart from the shared content blocks
in `blocks.py`, which every page type imports, because these sections read groups,
courses and the rota."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .blocks import BodyBlock


class RouteBlock(blocks.StructBlock):
    """One big way in, e.g. "Find a group" or "Courses"."""

    title = blocks.CharBlock(label=_("Link text"))
    page = blocks.PageChooserBlock(label=_("Page"))
    text = blocks.CharBlock(required=False, label=_("One line under the link"))
    icon = blocks.ChoiceBlock(
        choices=[
            ("group", _("People")),
            ("course", _("Book")),
            ("calendar", _("Calendar")),
            ("chat", _("Speech bubble")),
            ("info", _("Information")),
        ],
        default="group",
        label=_("Icon"),
    )


class RoutesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("Heading"))
    routes = blocks.ListBlock(RouteBlock(), min_num=1, max_num=4, label=_("Routes"))

    class Meta:
        icon = "link"
        label = _("Ways in")
        template = "home/blocks/routes_block.html"


class UpcomingGroupsBlock(blocks.StructBlock):
    """The next few groups to meet, worked out when the page is shown."""

    heading = blocks.CharBlock(default=_("Groups meeting soon"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=6)

    class Meta:
        icon = "group"
        label = _("Groups meeting soon")
        template = "home/blocks/upcoming_groups_block.html"

    def get_context(self, value, parent_context=None):
        from .selectors import groups_meeting_soon

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["groups"] = groups_meeting_soon(limit=value["count"], request=request)
        return context


class UpcomingCoursesBlock(blocks.StructBlock):
    """The next few courses that have not ended."""

    heading = blocks.CharBlock(default=_("Courses coming up"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=6)

    class Meta:
        icon = "doc-full"
        label = _("Courses coming up")
        template = "home/blocks/upcoming_courses_block.html"

    def get_context(self, value, parent_context=None):
        from .selectors import courses_coming_up

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["courses"] = courses_coming_up(limit=value["count"], request=request)
        return context


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"))
    text = blocks.TextBlock(label=_("What happens"))


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("How it works"))
    steps = blocks.ListBlock(StepBlock(), min_num=2, max_num=5, label=_("Steps"))

    class Meta:
        icon = "list-ol"
        label = _("How it works")
        template = "home/blocks/steps_block.html"


class PeerWorkersBlock(blocks.StructBlock):
    """Whether a peer worker is around now or when one is next, naming no one."""

    heading = blocks.CharBlock(default=_("When peer workers are around"))
    text = blocks.TextBlock(required=False, label=_("A line about their hours"))

    class Meta:
        icon = "user"
        label = _("Peer workers around")
        template = "home/blocks/peer_workers_block.html"


class HomeBlock(BodyBlock):
    """The home page's body: the shared blocks plus the home page's sections."""

    routes = RoutesBlock()
    upcoming_groups = UpcomingGroupsBlock()
    upcoming_courses = UpcomingCoursesBlock()
    steps = StepsBlock()
    peer_workers = PeerWorkersBlock()
