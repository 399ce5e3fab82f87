"""The django-tasks-db worker, recovering tasks lost by dead workers first and naming itself host:pid."""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from ungcuu.core.stale_tasks import recover_stale_tasks, worker_id


class Command(DBWorkerCommand):
    help = "Run the background worker; at start-up, re-queue tasks a dead worker left RUNNING."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # An id naming this host and process lets the next recovery see that this worker died.
        parser.set_defaults(worker_id=worker_id())

    def handle(self, *args, **options):
        recovery = recover_stale_tasks()
        if recovery.requeued or recovery.failed:
            self.stdout.write(
                f"recovered {len(recovery.requeued)} task(s) lost by dead workers, "
                f"failed {len(recovery.failed)}"
            )
        super().handle(*args, **options)
