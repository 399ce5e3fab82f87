"""Grow the demo province to N incidents, deterministically from a seed (issue 18's data generator).

    .venv/bin/python manage.py load_demo                        # the province the incidents belong to
    .venv/bin/python bench/grow.py --incidents 100000 --seed 18  # grow it (adds what is missing)

Each generated incident comes with what a worked incident leaves behind: one or two reports, its timeline
(about 17 rows: the report, every status move, notes, progress reports, notifications), one or two handlers,
its clocks, a coordination request for one in eight, and two notifications. Status moves also set the
incident's own `acknowledged_at` / `contained_at` / `closed_at` as the transition service does.

Rows are built in Python and written with COPY on PostgreSQL (psycopg 3 `cursor.copy`), as tuples through
the driver's `executemany` on SQLite. The incidents are cut into chunks of BATCH; chunk k draws from its own
`random.Random(f"{seed}:{k}")` and writes its rows with ids from its own block of each table (BLOCK rows per
incident, so blocks never overlap; the ids have gaps), in one transaction. The same seed therefore gives
the same rows whatever the number of `--jobs`: on PostgreSQL the chunks are built and copied by that many
processes at once (each with its own connection: the server's COPY and index upkeep is half the work, so one
process left a core idle); SQLite has one writer, so it grows in one process. The sequences are moved past
the ids afterwards. Generated references start with `G` so they never meet the counter's.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH = 20_000
# Most rows a generated incident can have per table (ids are allocated in blocks of BATCH x this per chunk):
# timeline at most 1 + 9 status moves + 4 per worked step + 1; two reports, handlers, notifications.
BLOCK = {"incidents": 1, "reports": 2, "timeline": 48, "handlers": 2, "deadlines": 4, "requests": 1,
         "notifications": 2}  # fmt: skip
END = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)  # fixed, so a seed always gives the same rows
YEARS = 5

TITLES = [
    "Tấn công từ chối dịch vụ vào {}",
    "Mã độc mã hóa dữ liệu trên {}",
    "Thay đổi giao diện trái phép {}",
    "Lừa đảo giả mạo {}",
    "Dò quét cổng dịch vụ {}",
    "Lộ lọt thông tin đăng nhập {}",
    "Mất kết nối hệ thống {}",
    "Phát hiện tài khoản lạ trên {}",
]
NOTES = [
    "Đã cô lập máy chủ bị ảnh hưởng",
    "Đang thu thập nhật ký truy cập",
    "Đã báo cáo lãnh đạo đơn vị",
    "Đã đổi mật khẩu tài khoản quản trị",
    "Chờ nhà cung cấp hỗ trợ",
]
NORMAL = [
    "first_actions",
    "option_chosen",
    "coordinating",
    "contained",
    "eradicated",
    "restored",
    "evaluated",
]
SERIOUS = ["team_convened", "direction", "info_release", "containment", "root_cause", "evaluation"]
CONTAINED = {"contained", "eradicated", "restored", "evaluated", "containment", "root_cause", "evaluation"}
REQUEST_KINDS = ["isp_takedown", "isp_block", "isp_preserve_logs", "police_referral", "vendor_support",
                 "national_escalation", "other"]  # fmt: skip
REQUEST_STATES = ["completed", "completed", "answered", "sent", "acknowledged", "declined", "cancelled"]


class Writer:
    """Rows for one table: a dict of column values per row over the model's defaults; COPY or bulk_create."""

    def __init__(self, model, start_id: int | None, limit: int | None = None):
        from django.db.models import JSONField

        self.model = model
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.json = {f.attname for f in fields if isinstance(f, JSONField)}
        blank = model()
        self.defaults = [getattr(blank, a) for a in self.attnames]
        self.rows: list[dict] = []
        self.next_id = start_id
        self.limit = limit  # the first id past this writer's block
        self.written = 0

    def add(self, **values) -> int | None:
        if self.next_id is not None and "id" not in values:
            values["id"] = self.next_id
            self.next_id += 1
            if self.limit is not None and self.next_id > self.limit:
                raise RuntimeError(f"{self.model.__name__}: more rows than its id block holds (BLOCK)")
        self.rows.append(values)
        return values.get("id")

    def flush(self, connection) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(self.model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            pairs = list(zip(self.attnames, self.defaults, strict=True))
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in self.rows:
                    copy.write_row(
                        [
                            json.dumps(row.get(a, d), ensure_ascii=False) if a in self.json else row.get(a, d)
                            for a, d in pairs
                        ]
                    )
        else:
            self._insert_many(connection)
        self.written += len(self.rows)
        self.rows = []

    def _insert_many(self, connection) -> None:
        """Plain tuples through the driver's `executemany`, one prepared INSERT (no model instances: building
        and validating ~25 of them per incident was the SQLite path's whole cost, 35 incidents/s)."""
        from django.db.models import DateTimeField

        fields = self.model._meta.concrete_fields
        dates = {f.attname for f in fields if isinstance(f, DateTimeField)}
        adapt = connection.ops.adapt_datetimefield_value  # aware -> the naive UTC text Django stores
        convert = [
            (lambda v: json.dumps(v, ensure_ascii=False))
            if a in self.json
            else (lambda v: None if v is None else adapt(v))
            if a in dates
            else None
            for a in self.attnames
        ]
        pairs = list(zip(self.attnames, self.defaults, convert, strict=True))
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join("?" * len(self.columns))
        rows = (tuple(c(row.get(a, d)) if c else row.get(a, d) for a, d, c in pairs) for row in self.rows)
        connection.ensure_connection()
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from the model)
        connection.connection.executemany(sql, rows)


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class Cast:
    """Who and what the generated incidents name, read from the demo province."""

    def __init__(self):
        from ungcuu.accounts.models import User
        from ungcuu.organizations.models import Kind, Membership, Organization
        from ungcuu.systems.models import InformationSystem

        self.systems = list(
            InformationSystem.objects.filter(operator__isnull=False)
            .order_by("pk")
            .values_list("pk", "name", "operator_id", "owner_id")
        )
        if not self.systems:
            raise SystemExit("No system to attach incidents to: run `manage.py load_demo` first.")
        self.coordinators = list(
            User.objects.filter(platform_role="coordinator").order_by("pk").values_list("pk", flat=True)
        )
        self.any_user = self.coordinators or list(
            User.objects.order_by("pk").values_list("pk", flat=True)[:1]
        )
        self.members: dict[int, list[int]] = {}
        for user_id, org_id in Membership.objects.order_by("pk").values_list("user_id", "organization_id"):
            self.members.setdefault(org_id, []).append(user_id)
        unit = Organization.objects.filter(kind=Kind.SPECIALISED_UNIT).order_by("pk").first()
        self.unit = unit.pk if unit else self.systems[0][2]
        self.helpers = list(
            Organization.objects.filter(
                kind__in=[Kind.ISP, Kind.POLICE, Kind.VENDOR, Kind.NATIONAL_COORDINATOR]
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        ) or [self.unit]


MODELS = {}


def _models() -> dict:
    from ungcuu.coordination.models import CoordinationRequest
    from ungcuu.incidents.models import Deadline, Incident, IncidentReport, TimelineEvent
    from ungcuu.notifications.models import Notification

    if not MODELS:
        MODELS.update(
            incidents=Incident,
            reports=IncidentReport,
            timeline=TimelineEvent,
            handlers=Incident.handlers.through,
            deadlines=Deadline,
            requests=CoordinationRequest,
            notifications=Notification,
        )
    return MODELS


def grow(target: int, seed: int, out=sys.stdout, jobs: int | None = None) -> dict[str, int]:
    """Add incidents until the database holds `target`; returns rows written per table."""
    from django.db import connection, connections

    from ungcuu.core import taxonomy

    models = _models()
    have = models["incidents"].objects.count()
    missing = target - have
    if missing <= 0:
        print(f"already {have} incidents", file=out)
        return {}
    if connection.vendor != "postgresql":
        jobs = 1  # one writer at a time on SQLite: more processes would only wait for its lock
    jobs = max(1, jobs or os.cpu_count() or 1)
    plan = Plan(
        missing=missing,
        first={name: next_id(model) for name, model in models.items()},
        seed=seed,
        cast=Cast(),
        categories=sorted(taxonomy.incident_categories()),
    )
    chunks = range((missing + BATCH - 1) // BATCH)
    written = dict.fromkeys(models, 0)
    started = time.monotonic()
    done = 0

    def tally(counts):
        nonlocal done
        for name, count in counts.items():
            written[name] += count
        done += counts["incidents"]
        rate = done / (time.monotonic() - started)
        print(f"  {done:>9} incidents, {rate:,.0f}/s", file=out, flush=True)

    with loading(connection):
        if jobs == 1:
            for k in chunks:
                tally(plan.write_chunk(k))
        else:
            import multiprocessing

            connections.close_all()  # each process opens its own connection
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for counts in pool.imap_unordered(plan.write_chunk, chunks):
                    tally(counts)
    finish(connection)
    elapsed = time.monotonic() - started
    print(
        f"grew {have} -> {target} incidents in {elapsed:.0f} s ({missing / elapsed:,.0f} incidents/s, "
        f"{connection.vendor}, {jobs} job(s), load average {load_average()}): {written}",
        file=out,
    )
    return written


class Plan:
    """What every chunk shares; `write_chunk(k)` builds and writes chunk k (in this process or a worker)."""

    def __init__(self, *, missing, first, seed, cast, categories):
        self.missing, self.first, self.seed = missing, first, seed
        self.cast, self.categories = cast, categories

    def write_chunk(self, k: int) -> dict[str, int]:
        from django.db import connection, transaction

        lo, hi = k * BATCH, min(self.missing, (k + 1) * BATCH)
        writers = {}
        for name, model in _models().items():
            start = self.first[name] + k * BATCH * BLOCK[name]
            writers[name] = Writer(model, start, start + BATCH * BLOCK[name])
        rng = random.Random(f"{self.seed}:{k}")
        _generate(range(lo, hi), self.missing, self.first["incidents"], self.seed, rng, self.cast,
                  self.categories, writers)  # fmt: skip
        with transaction.atomic():
            for w in writers.values():  # parents first (the order above), so foreign keys hold
                w.flush(connection)
        return {name: w.written for name, w in writers.items()}


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


@contextlib.contextmanager
def loading(connection):
    """SQLite settings for a bulk load, this connection only, put back afterwards: WAL, no fsync per commit
    (a crash mid-grow loses the grow, which is run again; the settings' NORMAL is back for the server),
    a 256 MB page cache and temporary b-trees in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for pragma in ("journal_mode=WAL", "synchronous=OFF", "cache_size=-262144", "temp_store=MEMORY"):
            cursor.execute(f"PRAGMA {pragma}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for pragma in ("synchronous=NORMAL", "cache_size=-20000", "temp_store=DEFAULT"):
                cursor.execute(f"PRAGMA {pragma}")


def _generate(numbers, missing, first, seed, rng, cast, categories, writers) -> None:
    """The rows of incidents `numbers` (0 .. missing-1, spread over YEARS up to END) into `writers`."""
    from ungcuu.core.text import fold

    folded_titles = {t: fold(t) for t in TITLES}
    folded_systems = {s[1]: fold(s[1]) for s in cast.systems}
    span = YEARS * 365 * 86400
    H = datetime.timedelta(hours=1)
    for n in numbers:
        pk = first + n
        system_id, system_name, operator_id, owner_id = cast.systems[rng.randrange(len(cast.systems))]
        reported = END - datetime.timedelta(seconds=span * (missing - n) / missing + rng.randrange(3600))
        age = END - reported
        template = TITLES[rng.randrange(len(TITLES))]
        title = template.format(system_name)
        description = f"Phát hiện lúc {reported:%H:%M}; {NOTES[rng.randrange(len(NOTES))]}."
        reference = f"G{seed}-{pk:08d}"
        serious = rng.random() < 0.08
        confidential = rng.random() < 0.03
        steps = SERIOUS if serious else NORMAL
        # Old incidents are worked to the end; recent ones stop somewhere on the way.
        if age > datetime.timedelta(days=60) and rng.random() < 0.99:
            path = ["acknowledged", "classified", *steps, "closed"]
        else:
            path = ["acknowledged", "classified", *steps, "closed"][: rng.randrange(0, len(steps) + 3)]
        if rng.random() < 0.02:
            path = ["acknowledged", "rejected"]
        status = path[-1] if path else "logged"
        members = cast.members.get(operator_id) or cast.any_user
        reporter = members[rng.randrange(len(members))]
        coordinator = cast.coordinators[rng.randrange(len(cast.coordinators))] if cast.coordinators else None

        tl = writers["timeline"]
        tl.add(
            incident_id=pk,
            kind="reported",
            message=title,
            data={"channel": "form"},
            actor_id=reporter,
            at=reported,
        )
        at, stamps = reported, {}
        for i, to in enumerate(path):
            at = at + H * rng.randrange(1, 30)
            frm = path[i - 1] if i else "logged"
            tl.add(
                incident_id=pk,
                kind="status",
                message="",
                data={"from": frm, "to": to},
                actor_id=coordinator,
                at=at,
            )
            stamps.setdefault(to, at)
            if to in CONTAINED:
                stamps.setdefault("contained", at)
            if to in ("first_actions", "team_convened", "coordinating", "containment"):
                for _ in range(2):
                    at = at + H * rng.randrange(1, 6)
                    tl.add(
                        incident_id=pk,
                        kind="note",
                        message=NOTES[rng.randrange(len(NOTES))],
                        data={},
                        actor_id=reporter,
                        at=at,
                    )
                at = at + H
                tl.add(
                    incident_id=pk,
                    kind="progress",
                    message="Báo cáo tiến độ",
                    data={},
                    actor_id=reporter,
                    at=at,
                )
                tl.add(
                    incident_id=pk, kind="notification", message="Đã thông báo", data={}, actor_id=None, at=at
                )
        ack, contained, closed = stamps.get("acknowledged"), stamps.get("contained"), stamps.get("closed")
        writers["incidents"].add(
            id=pk,
            reference=reference,
            title=title,
            description=description,
            status=status,
            category=categories[rng.randrange(len(categories))],
            severity="SERIOUS" if serious else "NORMAL",
            severity_reasons=[],
            harms=[],
            system_id=system_id,
            operator_id=operator_id,
            owner_id=owner_id,
            detected_at=reported - H * rng.randrange(1, 48),
            reported_at=reported,
            acknowledged_at=ack,
            classified_at=stamps.get("classified"),
            contained_at=contained,
            closed_at=closed,
            confidential=confidential,
            search_text=" ".join(
                (
                    reference.lower(),
                    folded_titles[template].replace("{}", folded_systems[system_name]),
                    fold(description),
                )
            ),
            created_at=reported,
            updated_at=at,
        )
        for r in range(1 + (rng.random() < 0.2)):
            writers["reports"].add(
                incident_id=pk,
                channel="form",
                organization_id=operator_id,
                submitted_by_id=reporter,
                reporter_name=f"Cán bộ {reporter}",
                data={},
                received_at=reported + H * r,
            )
        handlers = {members[rng.randrange(len(members))] for _ in range(1 + (rng.random() < 0.3))}
        for user_id in sorted(handlers):
            writers["handlers"].add(incident_id=pk, user_id=user_id)
        for code, hours, met in (
            ("OPERATOR_REPORT", 120, reported),
            ("INTAKE_ACK", 2, ack),
            ("INTAKE_CLASSIFY", 24, stamps.get("classified")),
            ("CLOSE", 24 * 30, closed),
        ):
            writers["deadlines"].add(incident_id=pk, code=code, due_at=reported + H * hours, met_at=met)
        if rng.random() < 0.125:
            state = REQUEST_STATES[rng.randrange(len(REQUEST_STATES))]
            sent = reported + H * 3
            answered = (
                sent + H * rng.randrange(1, 72) if state in ("answered", "completed", "declined") else None
            )
            writers["requests"].add(
                incident_id=pk,
                reference=f"{reference}-YC1",
                issuer_id=cast.unit,
                issued_by_id=coordinator or reporter,
                recipient_id=cast.helpers[rng.randrange(len(cast.helpers))],
                kind=REQUEST_KINDS[rng.randrange(len(REQUEST_KINDS))],
                required_actions="Chặn địa chỉ nguồn tấn công",
                targets=[],
                deadline=sent + H * 24,
                status=state,
                answered_at=answered,
                answer="Đã thực hiện" if answered else "",
                created_at=sent,
                updated_at=answered or sent,
            )
        for event, user_id in (("report_received", coordinator or reporter), ("classified", reporter)):
            writers["notifications"].add(
                channel="inapp",
                recipient_user_id=user_id,
                recipient_key=f"user:{user_id}",
                subject=f"{reference}: {title}"[:300],
                body=title,
                link=f"/incidents/{pk}/",
                incident_id=pk,
                event=event,
                state="sent",
                sent_at=reported,
                read_at=reported + H if rng.random() < 0.8 else None,
                created_at=reported,
            )


def finish(connection) -> None:
    """Move the sequences past the ids written here, and refresh the planner's statistics."""
    if connection.vendor != "postgresql":
        # SQLite plans the gate's EXISTS probes well only with statistics: without them it probed the
        # reports by submitter instead of by incident (statistics page 53 s -> 0.9 s of SQL at 20,000).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    from django.apps import apps
    from django.core.management.color import no_style

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in
              ("incidents", "coordination", "notifications")]  # fmt: skip
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        cursor.execute("ANALYZE")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, required=True, help="total incidents wanted")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--jobs", type=int, default=None, help="processes on PostgreSQL (default: the cores)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
    import django

    django.setup()
    grow(args.incidents, args.seed, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
