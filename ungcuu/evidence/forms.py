"""Input shape for the upload and custody forms; the rules themselves live in services."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ungcuu.evidence import services
from ungcuu.evidence.models import CustodyEntry, Evidence

BLANK = [("", "---------")]


class EvidenceUploadForm(forms.Form):
    # Empty files pass here so that the service gives the one "empty" message (UI and API alike).
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + Evidence.Kind.choices)
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=BLANK + Evidence.Classification.choices,
        help_text=_("Required. State-secret material is never accepted: this system is on the Internet."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    password_hint = forms.CharField(
        label=_("Archive password or hint"),
        required=False,
        max_length=200,
        help_text=_("Malware samples: the archive password (e.g. “infected”) or how to obtain it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.allowed_extensions()
        self.fields["file"].help_text = _("Allowed: %(ext)s. At most %(max)s.") % {
            "ext": ", ".join(allowed),
            "max": filesizeformat(services.max_bytes()),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in allowed)


class CustodyNoteForm(forms.Form):
    # A plain remark is the usual entry, so it is what an entry without an action becomes.
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(a.value, a.label) for a in services.HAND_ACTIONS],
        initial=CustodyEntry.Action.NOTE,
        required=False,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_action(self) -> str:
        return self.cleaned_data["action"] or CustodyEntry.Action.NOTE
