from django import template

from home.chrome import site_chrome as chrome_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """`{% site_chrome as chrome %}`: the menu, footer and site settings every page
    shows (`home.chrome`)."""
    return chrome_for_request(context.get("request"))
