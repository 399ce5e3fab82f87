from django.apps import AppConfig


class AdvisoriesConfig(AppConfig):
    name = "ungcuu.advisories"
    label = "advisories"
