from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """Top-level pages editors ticked "Show in menus" for, in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    pages = Page.objects.none()
    if site is not None:
        pages = site.root_page.get_children().live().public().in_menu()
    return {"pages": pages, "request": request}
