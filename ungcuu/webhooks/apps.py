from django.apps import AppConfig
from django.conf import settings

from ungcuu.core import schedule


class WebhooksConfig(AppConfig):
    name = "ungcuu.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Retries that a backend without deferred runs (or a dead worker) left waiting.
        schedule.register(
            "webhooks: deliver what is due",
            settings.WEBHOOK_SWEEP_SECONDS,
            "ungcuu.webhooks.delivery.retry_due",
        )
