from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FlagReason

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
    locked = forms.BooleanField(label=_("Closed to new posts"), required=False)
    pinned = forms.BooleanField(
        label=_("Pinned (welcomes, summaries, resources)"), required=False
    )
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode: seconds between one member's posts (0 for none)"),
        min_value=0,
        max_value=24 * 60 * 60,
    )
