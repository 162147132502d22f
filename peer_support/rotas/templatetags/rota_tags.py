from django import template
from django.utils import timezone

from peer_support.rotas.selectors import next_cover

register = template.Library()


@register.inclusion_tag("rotas/includes/peer_worker_status.html")
def peer_worker_status(space=None):
    """Whether a peer worker is around (for a space, or anywhere), naming no one."""
    now = timezone.now()
    if space is not None and space.pk is None:  # previewing a space not yet saved
        return {"status": {"now": False, "next": None}}
    when = next_cover(space=space, at=now)
    return {"status": {"now": when is not None and when <= now, "next": when}}
