import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PSEUDONYM_MIN_LENGTH = 3
PSEUDONYM_MAX_LENGTH = 30
ALLOWED = re.compile(r"^[\w .'-]+$")
LOOKS_LIKE_EMAIL = re.compile(r"@|\b[\w-]+\.(com|org|net|uk|io|co)\b", re.IGNORECASE)
PHONE_DIGITS = 7


def validate_pseudonym(value: str) -> None:
    """A pseudonym must not give away who someone is or how to reach them."""
    if len(value) < PSEUDONYM_MIN_LENGTH:
        raise ValidationError(
            _("Please choose a pseudonym of at least %(n)d characters."),
            code="too_short",
            params={"n": PSEUDONYM_MIN_LENGTH},
        )
    if len(value) > PSEUDONYM_MAX_LENGTH:
        raise ValidationError(
            _("Please keep your pseudonym to %(n)d characters or fewer."),
            code="too_long",
            params={"n": PSEUDONYM_MAX_LENGTH},
        )
    if LOOKS_LIKE_EMAIL.search(value):
        raise ValidationError(
            _(
                "This looks like an email address. Others will see your pseudonym, "
                "so please choose one that doesn't say how to contact you."
            ),
            code="looks_like_email",
        )
    if sum(ch.isdigit() for ch in value) >= PHONE_DIGITS:
        raise ValidationError(
            _(
                "This looks like a phone number. Others will see your pseudonym, "
                "so please choose one that doesn't say how to contact you."
            ),
            code="looks_like_phone",
        )
    if not ALLOWED.match(value):
        raise ValidationError(
            _("Please use letters, numbers, spaces, dots, dashes or apostrophes."),
            code="invalid_characters",
        )
