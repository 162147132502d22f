"""The finder's result cards as HTML, written in Python: the template engine spent
over a thousand calls on each card. Every value goes through `format_html`, which
escapes it as the template would have."""

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from .selectors import GroupCard

CARD = """<li class="card mb-3 group-result">
    <div class="card-body">
      <h3 class="h5 card-title"><a href="{url}">{title}</a></h3>
      <p class="card-text">{summary}</p>
      <dl class="row small mb-0">
        <dt class="col-sm-4">{next_label}</dt>
        <dd class="col-sm-8 next-meeting">{next_meeting}</dd>
        <dt class="col-sm-4">{how_label}</dt>
        <dd class="col-sm-8">{how}</dd>
        <dt class="col-sm-4">{places_label}</dt>
        <dd class="col-sm-8">{places}</dd>
        <dt class="col-sm-4">{joining_label}</dt>
        <dd class="col-sm-8">{joining}</dd>
      </dl>{topics}
    </div>
  </li>
"""
MEETING = '<time datetime="{}">{}</time>'
TOPIC = '<span class="badge text-bg-light border me-1">{}</span>'


def cards_html(cards: list[GroupCard]) -> SafeString:
    """The `<li>` of each card, in order, with the labels translated once."""
    labels = {
        "next_label": gettext("Next meeting"),
        "how_label": gettext("How it meets"),
        "places_label": gettext("Places"),
        "joining_label": gettext("Joining"),
    }
    none_planned = gettext("None planned")
    no_limit = gettext("No limit")
    full = gettext("Full at the moment")
    shown = []
    for card in cards:
        if card.next_meeting:
            starts = localtime(card.next_meeting)
            next_meeting = format_html(
                MEETING,
                starts.isoformat(),
                formats.date_format(starts, "l j F, H:i"),
            )
        else:
            next_meeting = none_planned
        how = card.format
        if card.town:
            how = format_html("{}, {}", how, card.town)
        if card.distance_km is not None:
            how = format_html("{} ({})", how, card.distance)
        if card.places_left is None:
            places = no_limit
        elif card.places_left == 0:
            places = full
        else:
            places = card.places
        topics = ""
        if card.topics:
            topics = format_html(
                '<p class="mt-2 mb-0">{}</p>',
                format_html_join("", TOPIC, ((topic,) for topic in card.topics)),
            )
        shown.append(
            format_html(
                CARD,
                url=card.url,
                title=card.title,
                summary=card.summary,
                next_meeting=next_meeting,
                how=how,
                places=places,
                joining=card.joining,
                topics=topics,
                **labels,
            )
        )
    return mark_safe("".join(shown))
