"""Input shape for the subscription pages; the rules (who, which URL) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ungcuu.webhooks.models import Event


class SubscriptionForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))
    name = forms.CharField(label=_("Name"), max_length=120)
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Your server's address that receives signed POST requests (https)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organizations=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        if organizations is not None and len(organizations) == 1:
            field.initial = organizations[0]  # the usual case: a manager of one unit
        if editing:
            del self.fields["organization"]  # a subscription stays with the organisation it was made for
        else:
            del self.fields["is_active"]
