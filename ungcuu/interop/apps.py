from django.apps import AppConfig
from django.conf import settings

from ungcuu.core import schedule


class InteropConfig(AppConfig):
    name = "ungcuu.interop"
    label = "interop"
    verbose_name = "Interoperability"

    def ready(self) -> None:
        # The job itself does nothing while no mailbox is configured (MAIL_INTAKE_HOST empty).
        schedule.register(
            "mail: read the intake mailbox",
            settings.MAIL_INTAKE_POLL_SECONDS,
            "ungcuu.interop.jobs.enqueue_mailbox_poll",
        )
