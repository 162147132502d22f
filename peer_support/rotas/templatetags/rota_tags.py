from django import template
from django.utils import timezone

from peer_site.page_cache import content_cached
from peer_support.rotas.selectors import (
    Cover,
    PeerCover,
    next_cover_change,
    peer_cover,
)

register = template.Library()


@register.inclusion_tag("rotas/includes/peer_worker_status.html")
def peer_worker_status(space=None):
    """Whether a peer worker is around, for the discussions and (given a space) for
    that space, naming no one."""
    if space is not None and space.pk is None:  # previewing a space not yet saved
        nobody = Cover(now=False, next=None)
        return {"cover": PeerCover(discussions=nobody, space=nobody)}
    return {"cover": _peer_cover_kept(space)}


def _peer_cover_kept(space) -> PeerCover:
    """`peer_cover` as worked out at one instant, kept until the clock reaches the
    next shift start or end (when it may change by itself) or the rota changes (a
    content purge: shifts and assignments purge)."""

    def worked_out():
        at = timezone.now()
        return peer_cover(space=space, at=at), next_cover_change(at=at)

    def holds(kept) -> bool:
        _cover, until = kept
        return until is None or timezone.now() < until

    name = f"peer-cover:{'all' if space is None else space.pk}"
    cover, _until = content_cached(name, worked_out, fresh=holds)
    return cover


@register.simple_tag
def peer_cover_now(space=None) -> PeerCover:
    """The same answer as `peer_worker_status`, for templates that lay it out
    themselves (the home page's section): `{% peer_cover_now as cover %}`."""
    return peer_worker_status(space=space)["cover"]
