from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "ungcuu.preparedness"
    label = "preparedness"
