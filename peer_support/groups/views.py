"""Thin views for the finder, the group page and its calendar file. The pages route
here through `RoutablePageMixin`; rules live in selectors and the space policy."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from peer_support.ical import CalendarEvent, calendar_response
from peer_support.spaces.permissions import VIEW_PRIVATE_DETAILS, user_may
from peer_support.spaces.selectors import space_balance_shown

from .finder_html import cards_html
from .forms import GroupFinderForm
from .selectors import (
    Origin,
    finder_cards,
    finder_choices,
    finder_matches,
    nearest_first,
)

PER_PAGE = 10
UPCOMING = 6
CALENDAR_MEETINGS = 12


def group_finder(request, *, page):
    choices = finder_choices()
    form = GroupFinderForm(request.GET or None, choices=choices)
    form.is_valid()
    filters = form.filters()
    origin = None
    if "lat" in filters and "lng" in filters:
        origin = Origin(filters["lat"], filters["lng"])
    elif near := filters.get("near"):
        origin = choices.town_centres.get(near)
    matches = finder_matches(index_page=page, filters=filters)
    if origin is not None:
        matches = nearest_first(matches, origin)
    page_obj = Paginator(matches, PER_PAGE).get_page(request.GET.get("page"))
    results = finder_cards(
        page_obj.object_list, index_url=page.get_url(request), origin=origin
    )
    context = {
        "form": form,
        "page_obj": page_obj,
        "results": results,
        "cards_html": cards_html(results),
        "sorted_by_distance": origin is not None,
    }
    template = None
    if getattr(request, "htmx", False) and request.htmx.target == "finder-results":
        template = "groups/includes/finder_results.html"
    return page.render(request, context_overrides=context, template=template)


def group_context(request, *, page) -> dict:
    ground_rules = page.ground_rules
    if ground_rules is not None and not ground_rules.live:
        ground_rules = None
    return {
        "meetings": page.next_meetings(UPCOMING),
        "may_view_private": user_may(request.user, VIEW_PRIVATE_DETAILS, page),
        # A page being previewed before its first save has no members yet.
        "balance": space_balance_shown(space=page) if page.pk else None,
        "facilitators": page.facilitators.select_related("worker").order_by(
            "sort_order"
        ),
        "live_ground_rules": ground_rules,
        "ical_url": page.url + page.reverse_subpage("meetings_ical")
        if page.url
        else "",
    }


def group_meetings_ical(request, *, page):
    private = user_may(request.user, VIEW_PRIVATE_DETAILS, page)
    where = []
    if page.meets_in_person and page.venue:
        where.append(
            f"{page.venue.name}, {page.venue.address}" if private else page.venue.town
        )
    if page.meets_online:
        where.append(page.meeting_link if private else _("Online"))
    url = request.build_absolute_uri(page.url)
    events = [
        CalendarEvent(
            uid=f"group-{page.pk}-{start.date().isoformat()}@{request.get_host()}",
            start=start,
            end=end,
            summary=page.title,
            location="; ".join(where),
            description=page.summary,
            url=url,
        )
        for start, end in page.next_meetings(CALENDAR_MEETINGS)
    ]
    return calendar_response(name=page.title, filename=page.slug, events=events)
