from django import template

from ..selectors import MemberLinks, member_links

register = template.Library()


@register.simple_tag(takes_context=True, name="member_links")
def member_links_tag(context) -> MemberLinks:
    """`{% member_links as links %}`: the signed-in person's own links
    (`selectors.member_links`)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return MemberLinks()
    return member_links(user=user)
