"""The one scale of risk every part of safeguarding speaks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.IntegerChoices):
    NONE = 0, _("None")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    IMMEDIATE = 4, _("Immediate")


class Category(models.TextChoices):
    """Kinds of risk signal, after Samaritans' and NSPA's safe-messaging guidance:
    what someone intends, how far a plan has gone, how and with what, how soon, and
    the signs of saying goodbye; beside self-harm, harm to others and abuse disclosed.
    Hopelessness is the quieter signal that a peer worker should still see."""

    INTENT = "intent", _("Intent")
    PLAN = "plan", _("Plan")
    METHOD = "method", _("Method")
    MEANS = "means", _("Means")
    TIMESCALE = "timescale", _("Timescale")
    FAREWELL = "farewell", _("Farewell")
    SELF_HARM = "self_harm", _("Self-harm")
    HARM_TO_OTHERS = "harm_to_others", _("Harm to others")
    ABUSE = "abuse", _("Abuse disclosed")
    HOPELESSNESS = "hopelessness", _("Hopelessness")
