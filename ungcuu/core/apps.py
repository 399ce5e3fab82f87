from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ungcuu.core"
    label = "core"
