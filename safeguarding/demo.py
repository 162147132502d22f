"""Demo safeguarding: one open concern for the demo lead (Steady Oak) to work through.
Idempotent."""

from peer_support.accounts.models import User
from peer_support.spaces.models import SpacePage

from . import services
from .models import Concern, ConcernSource
from .severity import Severity

DEMO_REF = "demo"


def load() -> list[str]:
    if Concern.objects.filter(content_ref=DEMO_REF).exists():
        return []
    people = {u.email: u for u in User.objects.filter(email__endswith="@demo.invalid")}
    member = people.get("member@demo.invalid")
    peer = people.get("peer@demo.invalid")
    lead = people.get("safeguarding@demo.invalid")
    if not (member and peer and lead):
        return []
    concern = services.concern_raise(
        member=member,
        severity=Severity.HIGH,
        source=ConcernSource.STAFF,
        content=(
            "In Tuesday's meeting they said things had felt hopeless for weeks and "
            "that they had been thinking about not being here."
        ),
        content_ref=DEMO_REF,
        space=SpacePage.objects.order_by("pk").first(),
        raised_by=peer,
    )
    if concern.owner_id != lead.pk:
        services.concern_assign(concern_id=concern.pk, user=lead, owner=lead)
    return [f"Safeguarding: an open concern ({concern.reference}) for Steady Oak."]
