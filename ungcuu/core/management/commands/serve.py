"""Serve the web app (gunicorn), the background worker and the scheduler together (what `make run` starts)."""

import logging

from django.core.management.base import BaseCommand

from ungcuu.core.supervisor import Supervisor, default_children


class Command(BaseCommand):
    help = (
        "Run gunicorn, the tasks worker and the scheduler; a child that dies is restarted, "
        "Ctrl-C or SIGTERM stops them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        # The supervisor's own lines (start, death, restart) go to stderr whatever LOG_LEVEL says.
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s] [supervisor] %(message)s"))
        log = logging.getLogger("ungcuu.supervisor")
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
        self.stdout.write(
            self.style.SUCCESS(
                f"Ứng Cứu: http://{host}:{port}/  (gunicorn + worker + scheduler; Ctrl-C stops them all)"
            )
        )
        self.stdout.flush()
        Supervisor(default_children(host, port)).run()
        self.stdout.write("stopped")
