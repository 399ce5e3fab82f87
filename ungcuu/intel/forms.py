from django import forms
from django.utils.translation import gettext_lazy

from ungcuu.intel.models import Format


class ImportForm(forms.Form):
    """Shape only: which format, and the file (the service reads and judges it)."""

    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=Format.choices, initial=Format.STIX)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A STIX 2.1 bundle (.json) or a MISP event (.json)."),
    )
