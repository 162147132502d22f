from django import template
from django.core.cache import cache
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from home.chrome import site_chrome as chrome_for_request

register = template.Library()

# How long a member's "may use the admin" answer is kept: granting or taking away an
# admin role shows in the userbar within this time (the admin itself checks anew).
ADMIN_ACCESS_SECONDS = 300


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """`{% site_chrome as chrome %}`: the menu, footer and site settings every page
    shows (`home.chrome`)."""
    return chrome_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def userbar(context):
    """Wagtail's userbar, for people who may use the admin. Wagtail asks `has_perm`,
    which loads all of a member's permissions (two queries) mostly to say no: the
    answer is kept a few minutes per person, and a visitor is never asked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_use_admin(user):
        return ""
    return wagtailuserbar(context)


def may_use_admin(user) -> bool:
    """Whether the userbar shows for `user`: kept ADMIN_ACCESS_SECONDS, and read once
    per user object, so a request that asks before rendering (a page kept only
    without the userbar, `discussion.thread_frame`) renders the answer it had."""
    if not user.is_authenticated:
        return False
    allowed = getattr(user, "_may_use_admin", None)
    if allowed is None:
        key = f"may-use-admin:{user.pk}"
        allowed = cache.get(key)
        if allowed is None:
            allowed = user.has_perm("wagtailadmin.access_admin")
            cache.set(key, allowed, ADMIN_ACCESS_SECONDS)
        user._may_use_admin = allowed
    return allowed
