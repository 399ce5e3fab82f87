"""Serve the web app, the background worker and the scheduler together (what `make run` starts)."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and the django-tasks-db worker side by side until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        manage = [sys.executable, "manage.py"]
        children = [
            subprocess.Popen([*manage, "runserver", "--noreload", f"{host}:{port}"]),
            subprocess.Popen([*manage, "worker", "--interval", "2"]),
            subprocess.Popen([*manage, "scheduler"]),
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Ứng Cứu: http://{host}:{port}/  (web + worker + scheduler; Ctrl-C stops them all)"
            )
        )
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("stopped")
