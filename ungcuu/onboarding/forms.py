"""Input validation for the import pages (shape only)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ungcuu.onboarding.services import Mode
from ungcuu.organizations.models import Membership


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook or CSV file"),
        help_text=_("An Excel workbook (.xlsx) in the template's layout, or one sheet saved as CSV UTF-8."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s; split it.")
                % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        return upload


class ImportApplyForm(forms.Form):
    mode = forms.ChoiceField(choices=[(Mode.ALL, Mode.ALL.label), (Mode.VALID_ONLY, Mode.VALID_ONLY.label)])
    token = forms.CharField(max_length=64)


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in their organization"),
        choices=Membership.Role.choices,
        initial=Membership.Role.RESPONDER,
    )
