from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from peer_site.page_routes import KnownRestrictionsMixin

from .blocks import BodyBlock, CrisisLineBlock
from .sections import HomeBlock


class HomePage(KnownRestrictionsMixin, Page):
    intro = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text=_("Plain words: what this service is and who it is for."),
    )
    body = StreamField(
        HomeBlock(),
        blank=True,
        use_json_field=True,
        help_text=_(
            "Arrange the sections: ways in, groups meeting soon, courses coming up, "
            "how it works and when peer workers are around."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "groups.GroupIndexPage",
        "courses.CourseIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["has_peer_workers_section"] = any(
            block.block_type == "peer_workers" for block in self.body
        )
        return context


class StandardPage(KnownRestrictionsMixin, Page):
    intro = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("information page")


@register_setting(icon="warning")
class SiteSettings(BaseGenericSetting):
    """Edited by staff in Settings; shown on every page."""

    # The footer links to these on every page: read them with the settings.
    select_related = ["terms_page", "privacy_page", "contact_page"]

    @classmethod
    def _get_or_create(cls):
        """Every page reads the settings: from the cache until they or the pages
        they link to change (`peer_site.page_cache.content_cached`). Wagtail's `load()`
        calls this once per request."""
        from peer_site.page_cache import content_cached

        return content_cached("site-settings", super()._get_or_create)

    service_name = models.CharField(max_length=100, default="Peer Support")
    crisis_heading = models.CharField(max_length=120, default="Need help right now?")
    crisis_intro = models.CharField(
        max_length=255,
        default="If you are in danger or might act on thoughts of harming yourself, "
        "call 999 or go to A&E now.",
    )
    crisis_lines = StreamField(
        [("line", CrisisLineBlock())], blank=True, use_json_field=True
    )
    support_hours_note = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("e.g. 'Peer workers read posts between 9am and 9pm.'"),
    )
    terms_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("terms of use page"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice page"),
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact page"),
    )

    panels = [
        FieldPanel("service_name"),
        MultiFieldPanel(
            [
                FieldPanel("crisis_heading"),
                FieldPanel("crisis_intro"),
                FieldPanel("crisis_lines"),
            ],
            heading=_("Crisis signposting (shown on every page)"),
        ),
        FieldPanel("support_hours_note"),
        MultiFieldPanel(
            [
                FieldPanel("terms_page"),
                FieldPanel("privacy_page"),
                FieldPanel("contact_page"),
            ],
            heading=_("Pages linked from every page's footer and from joining"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")
