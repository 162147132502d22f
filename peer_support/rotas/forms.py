"""Every value a rota page posts is read through one of these forms."""

from datetime import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from peer_support.accounts.models import User
from peer_support.timeutils import Weekday

from .models import (
    AssignmentStatus,
    ExceptionKind,
    ShiftAssignment,
    SwapKind,
    SwapRequest,
)
from .selectors import workers_eligible_for


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


# Coordinator forms (admin) -----------------------------------------------------------


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=_("Peer worker"), queryset=User.objects.none()
    )
    reason = forms.CharField(
        label=_("Note for the history (optional)"), max_length=300, required=False
    )
    confirm_warnings = forms.BooleanField(
        label=_("I have read the warnings and want to go ahead"), required=False
    )

    def __init__(self, *args, shift, **kwargs):
        super().__init__(*args, **kwargs)
        # Only workers the rules allow on this shift (role and current training).
        self.fields["worker"].queryset = workers_eligible_for(shift=shift)


class UnassignForm(forms.Form):
    unassign = forms.ModelChoiceField(
        queryset=ShiftAssignment.objects.none(),
        error_messages={
            "invalid_choice": _("That worker is not on this shift."),
            "required": _("Choose who comes off the shift."),
        },
    )
    unassign_reason = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, shift, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unassign"].queryset = shift.assignments.filter(
            status=AssignmentStatus.ACTIVE
        )


class PatternGenerateForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Weeks to generate"), min_value=1, max_value=52, initial=4
    )


class GapOfferForm(forms.Form):
    """The at-risk session, as `<space id>:<start in ISO format>`."""

    session = forms.CharField(
        max_length=80,
        error_messages={"required": _("Choose a session at risk.")},
    )

    def clean(self):
        data = super().clean()
        space_id, _sep, start = data.get("session", "").partition(":")
        try:
            data["space_id"] = int(space_id)
            data["start"] = datetime.fromisoformat(start)
        except ValueError as error:
            raise forms.ValidationError(
                _("That session is not on the rota.")
            ) from error
        if data["start"].tzinfo is None:
            raise forms.ValidationError(_("That session is not on the rota."))
        return data


class SwapDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    swap = forms.ModelChoiceField(
        queryset=SwapRequest.objects.all(),
        error_messages={
            "invalid_choice": _("That request no longer exists."),
            "required": _("Choose a request."),
        },
    )
    action = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))],
        error_messages={"required": _("Choose approve or decline.")},
    )
    reason = forms.CharField(max_length=300, required=False)


class FairnessFilterSet(WagtailFilterSet):
    weeks = django_filters.ChoiceFilter(
        label=_("Period"),
        choices=[
            (4, _("Last 4 weeks")),
            (8, _("Last 8 weeks")),
            (12, _("Last 12 weeks")),
        ],
        empty_label=None,
        null_label=None,
        method="period",
    )

    class Meta:
        model = User
        fields = ["weeks"]

    def period(self, queryset, name, value):
        """The period changes the totals, not who is listed."""
        return queryset


# Peer worker forms (site) ------------------------------------------------------------


class RemoveWindowForm(forms.Form):
    remove_window = forms.IntegerField(
        min_value=1,
        error_messages={"invalid": _("That window is not one of yours.")},
    )


class RemoveExceptionForm(forms.Form):
    remove_exception = forms.IntegerField(
        min_value=1,
        error_messages={"invalid": _("That leave is not one of yours.")},
    )


class CalendarLinkForm(forms.Form):
    RENEW = "renew"
    REVOKE = "revoke"

    action = forms.ChoiceField(
        choices=[(RENEW, _("Make my link")), (REVOKE, _("Stop my link"))],
        required=False,
    )
