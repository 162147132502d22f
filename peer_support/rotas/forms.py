from django import forms
from django.utils.translation import gettext_lazy as _

from peer_support.timeutils import Weekday

from .models import ExceptionKind, SwapKind


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("What would you like?"), choices=SwapKind.choices)
    reason = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class AcceptForm(forms.Form):
    their_shift = forms.IntegerField(
        label=_("Your shift to give in return"), required=False
    )


class AvailabilityWindowForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=Weekday.choices, coerce=int
    )
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until"),
        help_text=_("00:00 means midnight."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end.hour + end.minute and end <= start:
            raise forms.ValidationError(_("The window must end after it starts."))
        return data


class AvailabilityExceptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExceptionKind.choices)
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            raise forms.ValidationError(_("The last day cannot be before the first."))
        return data
