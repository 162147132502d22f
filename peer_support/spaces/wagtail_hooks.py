from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GroundRules


class GroundRulesViewSet(SnippetViewSet):
    model = GroundRules
    icon = "list-ol"
    menu_label = "Ground rules"
    list_display = ["title", "live", "last_published_at"]
    search_fields = ["title"]


register_snippet(GroundRulesViewSet)
