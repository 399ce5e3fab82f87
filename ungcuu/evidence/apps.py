from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "ungcuu.evidence"
    label = "evidence"
