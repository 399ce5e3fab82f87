from django.apps import AppConfig
from django.conf import settings

from ungcuu.core import schedule


class FederationConfig(AppConfig):
    name = "ungcuu.federation"
    label = "federation"
    verbose_name = "Federation"

    def ready(self) -> None:
        # Retries that a deferring backend did not schedule, and messages whose task was lost (the web
        # process died between commit and enqueue): the outbox row is the truth, the task only a nudge.
        schedule.register(
            "federation: deliver the outbox",
            settings.FEDERATION_SWEEP_SECONDS,
            "ungcuu.federation.jobs.sweep",
        )
        # Form 05 on TT20's due dates (form05.py); hourly, like the obligations it fulfils.
        schedule.register(
            "federation: form 05 on its due dates", 3600, "ungcuu.federation.form05.send_due_form05"
        )
