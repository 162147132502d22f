from django import forms
from django.utils.translation import gettext_lazy as _


class SummaryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    text = forms.CharField(
        label=_("Summary (edit the transcript down: members will read this)"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=3000,
    )
