from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ungcuu.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    """Search the trail by who, what, when and which object."""

    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditEvent.Action.choices]
    )
    target_type = forms.ModelChoiceField(
        label=_("Target type"),
        required=False,
        queryset=ContentType.objects.none(),
        empty_label=_("All target types"),
    )
    target = forms.CharField(label=_("Target"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = AuditEvent.objects.exclude(target_type=None).values("target_type")
        self.fields["target_type"].queryset = ContentType.objects.filter(pk__in=used).order_by("model")
        self.fields["target_type"].label_from_instance = lambda ct: gettext(
            str(ct.model_class()._meta.verbose_name)
        )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def apply(self, events: QuerySet) -> QuerySet:
        """The filtered trail; an invalid search shows nothing rather than a guess."""
        if not self.is_bound:
            return events
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["actor"]:
            events = events.filter(actor_name__icontains=data["actor"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["target_type"]:
            events = events.filter(target_type=data["target_type"])
        if data["target"]:
            events = events.filter(Q(target_label__icontains=data["target"]) | Q(target_id=data["target"]))
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
        return events
