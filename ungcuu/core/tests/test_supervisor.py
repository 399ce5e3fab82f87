"""`manage.py serve`'s supervisor with small dummy children: a death restarts that child only, with a
backoff that grows while it keeps dying; stopping ends every child, killing one that ignores SIGTERM."""

import sys
import time

from ungcuu.core.supervisor import Child, Supervisor, default_children

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
CRASHER = [sys.executable, "-c", "import sys; sys.exit(3)"]
IGNORE_SIGTERM = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
STUBBORN = [sys.executable, "-c", IGNORE_SIGTERM]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def wait_for_exit(child: Child) -> None:
    child.process.wait(timeout=10)


def test_a_dead_child_is_restarted_after_its_backoff_and_the_others_keep_running():
    clock = Clock()
    web, worker = Child("web", SLEEPER), Child("worker", CRASHER)
    supervisor = Supervisor([web, worker], backoff=(1, 5), clock=clock)
    supervisor.start()
    try:
        web_pid, first = web.process.pid, worker.process
        wait_for_exit(worker)
        supervisor.check()
        assert worker.restart_at == clock.now + 1 and worker.process is first  # waiting out the backoff
        clock.now += 1
        supervisor.check()

        assert worker.process is not first and web.process.pid == web_pid and web.process.poll() is None
        wait_for_exit(worker)
        supervisor.check()
        assert worker.restart_at == clock.now + 5  # died again at once: the longer wait
        clock.now += 100
        supervisor.check()
        clock.now += 100  # this run stayed up longer than stable_after: back to the first wait
        wait_for_exit(worker)
        supervisor.check()
        assert worker.restart_at == clock.now + 1
    finally:
        supervisor.stop()


def test_stop_ends_every_child_and_kills_one_that_ignores_sigterm():
    clock = Clock()
    polite, stubborn = Child("web", SLEEPER), Child("scheduler", STUBBORN)
    supervisor = Supervisor([polite, stubborn], stop_grace=1.0, clock=clock)
    supervisor.start()
    time.sleep(0.5)  # let the stubborn child install its handler

    supervisor.stop()

    assert polite.process.returncode == -15 and stubborn.process.returncode == -9
    stopped = [polite.process, stubborn.process]
    supervisor.check()
    clock.now += 100
    supervisor.check()
    assert [polite.process, stubborn.process] == stopped  # nothing comes back once stopping


def test_serve_runs_gunicorn_the_worker_and_the_scheduler(settings):
    settings.TASKS_BACKEND = "db"
    names = {child.name: " ".join(child.argv) for child in default_children("127.0.0.1", 8123)}

    assert "gunicorn ungcuu.wsgi:application --bind=127.0.0.1:8123" in names["web"]
    assert names["worker"].endswith("manage.py worker --interval 2")
    assert names["scheduler"].endswith("manage.py scheduler")


def test_web_workers_are_recycled_only_when_asked(settings):
    from ungcuu.core.supervisor import recycling, web_command

    settings.WEB_MAX_REQUESTS = 0
    assert not [arg for arg in web_command("127.0.0.1", 8000) if arg.startswith("--max-requests")]
    settings.WEB_MAX_REQUESTS = 2000
    assert recycling(2000) == ["--max-requests=2000", "--max-requests-jitter=200"]
    assert "--max-requests=2000" in web_command("127.0.0.1", 8000)
