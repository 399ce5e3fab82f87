from django.apps import AppConfig

from ungcuu.core import schedule


class ObligationsConfig(AppConfig):
    name = "ungcuu.obligations"
    label = "obligations"

    def ready(self) -> None:
        schedule.register(
            "obligations: occurrences, overdue, reminders", 3600, "ungcuu.obligations.engine.run_obligations"
        )
