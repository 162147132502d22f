from django import forms
from django.utils.translation import gettext_lazy as _


class AttendanceForm(forms.Form):
    """The members a moderator ticks on a session's sheet: only members on the sheet
    and not yet recorded can be chosen."""

    member = forms.TypedMultipleChoiceField(
        label=_("Members who were there"), coerce=int, required=False
    )

    def __init__(self, *args, sheet: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            (row["membership"].member_id, row["membership"].member.pseudonym)
            for row in sheet
            if not row["recorded"]
        ]
