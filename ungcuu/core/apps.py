from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ungcuu.core"
    label = "core"

    def ready(self) -> None:
        # The empty choice of every select says "— Chọn —" in Vietnamese, not Django's untranslated
        # "- Select an option -" (Django 6 reads this constant when a field is built and asks apps to set
        # it in ready()). Lazy, so each page shows it in that request's language.
        fields.BLANK_CHOICE_LABEL = _("— Choose —")
        # The per-process copies of intake's configuration learn of every change (issue 18).
        from ungcuu.core import config_cache

        config_cache.connect()
