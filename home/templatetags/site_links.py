"""Absolute links for templates rendered outside a request, such as emails."""

from django import template
from django.urls import reverse

from peer_site.addresses import absolute_url

register = template.Library()


@register.simple_tag
def site_url(view_name: str, *args) -> str:
    """`{% site_url 'spaces:notices' %}`: the view's address on the real site."""
    return absolute_url(reverse(view_name, args=args))
