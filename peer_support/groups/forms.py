from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from peer_support.timeutils import Weekday

from .models import GroupFormat
from .selectors import FinderChoices

DAY_CHOICES = [
    ("", _("Any day")),
    ("weekdays", _("Monday to Friday")),
    ("weekend", _("Saturday or Sunday")),
    *[(str(value), label) for value, label in Weekday.choices],
]
TIME_CHOICES = [
    ("", _("Any time")),
    ("morning", _("Morning (before 12 noon)")),
    ("afternoon", _("Afternoon (12 noon to 5pm)")),
    ("evening", _("Evening (from 5pm)")),
]


class GroupFinderForm(forms.Form):
    """The finder's GET form. Each field is optional; a field with a bad value is
    dropped (and explained) while the others still filter."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    format = forms.ChoiceField(
        label=_("How it meets"),
        choices=[("", _("Any way"))] + GroupFormat.choices,
        required=False,
    )
    day = forms.ChoiceField(
        label=_("Day of the week"), choices=DAY_CHOICES, required=False
    )
    time = forms.ChoiceField(
        label=_("Time of day"), choices=TIME_CHOICES, required=False
    )
    town = forms.ChoiceField(label=_("Town or area"), required=False)
    taking_new = forms.BooleanField(label=_("Taking new members"), required=False)
    near = forms.ChoiceField(label=_("Sort by distance from"), required=False)
    lat = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lng = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )

    def __init__(self, *args, choices: FinderChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic")), *choices.topics]
        towns = choices.towns
        self.fields["town"].choices = [("", _("Anywhere"))] + [(t, t) for t in towns]
        self.fields["near"].choices = [("", _("Don't sort by distance"))] + [
            (t, t) for t in towns
        ]

    SELECTS = ("topic", "format", "day", "time", "town", "near")

    def selects(self) -> list[dict]:
        """Each select with its options as HTML, the chosen one marked: written here
        rather than by a loop in the template, which spent more on the finder's
        forty-odd options than on its results."""
        found = []
        for name in self.SELECTS:
            bound = self[name]
            current = str(bound.value() or "")
            options = []
            for value, label in self.fields[name].choices:
                value = str(value)
                chosen = " selected" if value == current else ""
                options.append(
                    f'<option value="{escape(value)}"{chosen}>{escape(label)}</option>'
                )
            found.append({"field": bound, "options_html": mark_safe("".join(options))})
        return found

    def filters(self) -> dict:
        """The valid part of the input (call after `is_valid()`)."""
        data = getattr(self, "cleaned_data", {})
        return {key: value for key, value in data.items() if value not in ("", None)}
