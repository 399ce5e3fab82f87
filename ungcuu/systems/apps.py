from django.apps import AppConfig


class SystemsConfig(AppConfig):
    name = "ungcuu.systems"
    label = "systems"
