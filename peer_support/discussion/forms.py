from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FlagReason, Label

TEXT_HELP = _(
    "Plain text. Leave a blank line between paragraphs; web addresses become links."
)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    text = forms.CharField(
        label=_("Your post"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=TEXT_HELP,
        max_length=3000,
    )


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TEXT_HELP,
        max_length=3000,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What's the matter?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything a peer worker should know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve: it shows to everyone")),
            (
                "approve_probation",
                _("Approve and end probation: their next posts don't wait"),
            ),
            ("hide", _("Hide, with a reason")),
            ("remove", _("Remove, with a reason")),
            ("warn", _("Warn the author, with a reason")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the author reads this; cite the ground rule)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Private note for moderators"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ThreadSettingsForm(forms.Form):
    label = forms.ChoiceField(label=_("Label"), choices=Label.choices, required=False)
    locked = forms.BooleanField(label=_("Closed to new posts"), required=False)
    pinned = forms.BooleanField(
        label=_("Pinned (welcomes, summaries, resources)"), required=False
    )
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode: seconds between one member's posts (0 for none)"),
        min_value=0,
        max_value=24 * 60 * 60,
    )


class WatchedTestForm(forms.Form):
    text = forms.CharField(
        label=_("Test this text"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WatchedImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: text, match (word, contains or pattern), action (block, hold or "
            "replace), replacement, explanation. A first row with these names is read "
            "as the header."
        ),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError(_("Please keep the file under 1 MB."))
        try:
            self._text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Please save the file as UTF-8.")) from error
        return upload

    def rows(self) -> list[dict]:
        import csv
        import io

        from .services import WATCHED_CSV_COLUMNS

        reader = csv.DictReader(io.StringIO(self._text), fieldnames=WATCHED_CSV_COLUMNS)
        rows = [row for row in reader if any((v or "").strip() for v in row.values())]
        if rows and (rows[0].get("text") or "").strip().lower() == "text":
            rows = rows[1:]
        return rows


class MutedWordForm(forms.Form):
    word = forms.CharField(label=_("A word you'd rather not see"), max_length=60)


class BreakForm(forms.Form):
    until = forms.DateField(
        label=_("Take a break until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EditOutForm(forms.Form):
    detail = forms.CharField(
        label=_("The exact text to take out (for example a phone number)"),
        max_length=500,
    )
    note = forms.CharField(
        label=_("Note to the author (they read this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PostLabelForm(forms.Form):
    label = forms.ChoiceField(label=_("Label"), choices=Label.choices, required=False)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("feedback", _("Feedback")),
            ("warning", _("Warning")),
            ("suspension", _("Suspension for some days")),
            ("removal", _("Removal from the space")),
        ],
        widget=forms.RadioSelect,
    )
    rule = forms.CharField(label=_("Ground rule cited"), max_length=200)
    reason = forms.CharField(
        label=_("Why (the member reads this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    days = forms.IntegerField(
        label=_("Days (suspension only)"), required=False, min_value=1, max_value=365
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Your appeal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say why you think the decision should change. You can appeal once."
        ),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("upheld", _("Uphold: the decision stands")),
            ("overturned", _("Overturn: withdraw the decision")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the member reads this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
