"""The member's private notices."""

from django.db import transaction
from django.utils import timezone

from ..models import MemberNotice


@transaction.atomic
def notice_mark_read(*, notice_id: int, member) -> None:
    MemberNotice.objects.filter(pk=notice_id, member=member, read_at=None).update(
        read_at=timezone.now()
    )
