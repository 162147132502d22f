from django import template

from peer_support.rotas.selectors import Cover, PeerCover, peer_cover

register = template.Library()


@register.inclusion_tag("rotas/includes/peer_worker_status.html")
def peer_worker_status(space=None):
    """Whether a peer worker is around, for the discussions and (given a space) for
    that space, naming no one."""
    if space is not None and space.pk is None:  # previewing a space not yet saved
        nobody = Cover(now=False, next=None)
        return {"cover": PeerCover(discussions=nobody, space=nobody)}
    return {"cover": peer_cover(space=space)}


@register.simple_tag
def peer_cover_now(space=None) -> PeerCover:
    """The same answer as `peer_worker_status`, for templates that lay it out
    themselves (the home page's section): `{% peer_cover_now as cover %}`."""
    return peer_worker_status(space=space)["cover"]
