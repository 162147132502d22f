from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Topic, Venue


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Group topics"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = "Venues"
    list_display = ["name", "town"]
    list_filter = ["town"]
    search_fields = ["name", "town"]


register_snippet(TopicViewSet)
register_snippet(VenueViewSet)
