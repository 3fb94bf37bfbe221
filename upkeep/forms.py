from django import forms
from django.utils.translation import gettext_lazy as _

from upkeep.models import REPORT_MAX_LENGTH, ProblemReport


class ProblemReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is wrong?"), choices=ProblemReport.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What should it say? (optional)"),
        max_length=REPORT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REPORT_MAX_LENGTH}),
        help_text=_(
            "At most 500 characters. Do not write your name, phone number or any personal "
            "details: this report is anonymous."
        ),
    )
    # A honeypot: hidden from people (and from screen readers), filled by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class CloseReportForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("How was it handled?"), choices=ProblemReport.Resolution.choices
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)
