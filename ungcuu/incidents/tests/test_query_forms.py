"""Faster forms of the incident queries give the rows of the forms they replace (issue 18, SQLite at 100k).

Each test keeps the old definition here as the reference and compares rows on a seeded province: confidential
incidents and not, with and without handlers, late and met clocks, late, done and undated tasks, open and
closed, as the coordinator, the unit's people, an outsider and the national coordinator see them.
"""

import datetime
import ipaddress
import random
import re
from difflib import SequenceMatcher

import pytest
import time_machine
from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils import timezone, translation

from ungcuu.core import db as core_db
from ungcuu.core.schedule import SCHEDULE
from ungcuu.incidents import matching
from ungcuu.incidents.models import TERMINAL, Deadline, DeadlinePolicy, Incident, Status, Task
from ungcuu.incidents.queries import OPEN_STATUSES, incident_figures
from ungcuu.incidents.tests.factories import reported
from ungcuu.systems.models import InformationSystem

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _overdue_by_exists(incidents, now):
    """`IncidentQuerySet.overdue` before issue 18's SQLite pass: an EXISTS per incident."""
    late_clock = Exists(Deadline.objects.filter(incident=OuterRef("pk"), met_at__isnull=True, due_at__lt=now))
    late_task = Exists(Task.objects.filter(incident=OuterRef("pk"), done_at__isnull=True, due_at__lt=now))
    return incidents.exclude(status__in=TERMINAL).filter(Q(late_clock) | Q(late_task))


@pytest.fixture
def seeded(province, national):
    rng = random.Random(18)
    coord, responder, outsider = province["coord"], province["responder"], province["outsider"]
    reporters = [(province["manager"], province["unit"]), (outsider, province["other"])]
    incidents = []
    with time_machine.travel(START, tick=False):
        for n in range(16):
            actor, org = rng.choice(reporters)
            incident = reported(actor, org, f"Sự cố thử {n}", confidential=rng.random() < 0.4)
            for handler in rng.sample([coord, responder, outsider], rng.randint(0, 2)):
                Incident.handlers.through.objects.create(incident=incident, user=handler)
            incidents.append(incident)
    for incident in incidents:
        for clock in incident.deadlines.all():  # late, met, met late, or still running at the comparison
            clock.due_at = START + datetime.timedelta(hours=rng.choice([-5, 2, 30, 400]))
            clock.met_at = rng.choice([None, None, START + datetime.timedelta(hours=rng.choice([1, 50]))])
            clock.save(update_fields=["due_at", "met_at"])
        for _ in range(rng.randint(0, 2)):
            Task.objects.create(
                incident=incident,
                title="Cô lập máy chủ",
                due_at=rng.choice([None, START + datetime.timedelta(hours=rng.choice([3, 500]))]),
                done_at=rng.choice([None, START + datetime.timedelta(hours=1)]),
            )
        if rng.random() < 0.25:
            Incident.objects.filter(pk=incident.pk).update(status=rng.choice(sorted(TERMINAL)))
    people = [coord, province["manager"], responder, province["viewer"], outsider, national]
    return {"incidents": incidents, "people": people}


@pytest.mark.parametrize("hours", [1, 24, 100])
def test_overdue_gives_the_rows_of_the_exists_form(seeded, hours):
    now = START + datetime.timedelta(hours=hours)
    seen_confidential = seen_open = 0
    for person in seeded["people"]:
        for incidents in (
            Incident.objects.visible_to(person),
            Incident.objects.visible_to(person).in_qd05_scope().filter(status__in=OPEN_STATUSES),
        ):
            new = set(incidents.overdue(now).values_list("pk", flat=True))
            old = set(_overdue_by_exists(incidents, now).values_list("pk", flat=True))
            assert new == old, person.username
            assert incidents.overdue(now).count() == len(old)
            # The dashboard's ten oldest probe row by row on PostgreSQL (issue 18, fifth session).
            assert set(incidents.overdue(now, first_few=True).values_list("pk", flat=True)) == old
            seen_confidential += Incident.objects.filter(pk__in=old, confidential=True).count()
            seen_open += len(old)
    if hours == 100:  # the seed gives both kinds of overdue incident, so the comparison is not of empty sets
        assert seen_confidential and seen_open > seen_confidential


def _reported_late_by_exists(incidents, now):
    """`IncidentQuerySet.reported_late` before issue 18's SQLite pass: an EXISTS per incident."""
    late = Q(met_at__gt=F("due_at")) | Q(met_at__isnull=True, due_at__lt=now)
    clocks = Deadline.objects.filter(late, incident=OuterRef("pk"), code=DeadlinePolicy.Code.OPERATOR_REPORT)
    return incidents.filter(Exists(clocks))


@pytest.mark.parametrize("hours", [1, 24, 100])
def test_reported_late_gives_the_rows_of_the_exists_form(seeded, hours):
    now = START + datetime.timedelta(hours=hours)
    reports = Deadline.objects.filter(code=DeadlinePolicy.Code.OPERATOR_REPORT).order_by("pk")
    some = [clock.pk for n, clock in enumerate(reports) if n % 3 == 0]
    reports.filter(pk__in=some).update(met_at=F("due_at") + datetime.timedelta(hours=2))  # reported late
    found = 0
    for person in seeded["people"]:
        incidents = Incident.objects.visible_to(person).in_qd05_scope()
        new = set(incidents.reported_late(now).values_list("pk", flat=True))
        assert new == set(_reported_late_by_exists(incidents, now).values_list("pk", flat=True)), (
            person.username
        )
        listed = incidents.with_reported_late(now).filter(is_reported_late=True)
        assert set(listed.values_list("pk", flat=True)) == new
        found += len(new)
    assert found  # the seed has late operator reports to compare


def test_the_dashboard_counts_the_overdue_incidents_of_the_old_form(seeded):
    with time_machine.travel(START + datetime.timedelta(hours=100), tick=False):
        for person in seeded["people"]:
            open_ = Incident.objects.visible_to(person).in_qd05_scope().filter(status__in=OPEN_STATUSES)
            figures = incident_figures(person)
            assert figures["overdue_count"] == _overdue_by_exists(open_, timezone.now()).count()
            assert [i.pk for i in figures["overdue"]] == list(
                _overdue_by_exists(open_, timezone.now())
                .order_by("reported_at", "pk")
                .values_list("pk", flat=True)[:10]
            )


# --- the duplicate finder's text matching (incident page) -------------------------------------------------


def _names_in_before(text):
    """`matching.names_in` before the address pre-check: every token tried as an address."""
    hosts, ips = set(), set()
    for raw in re.split(r"[\s,;]+", text or ""):
        token = matching._token_host(raw)
        if not token:
            continue
        try:
            ips.add(ipaddress.ip_address(token.strip("[]")))
            continue
        except ValueError:
            pass
        try:
            ips.add(ipaddress.ip_address(raw.strip("()[]<>\"',;")))
            continue
        except ValueError:
            pass
        if matching._HOST.match(token) and not token.replace(".", "").isdigit():
            hosts.add(token.removeprefix("www."))
    return matching.Names(hosts=frozenset(hosts), ips=frozenset(ips))


TOKENS = [
    "203.0.113.10", "http://203.0.113.10/login", "[2001:db8::1]:443", "2001:db8::1", "fe80::1%eth0",
    "::ffff:192.0.2.1", "::", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "hoalu.example.vn",
    "0.0.0.0",  # noqa: S104
    "www.Alpha.example.vn.", "user@mail.example.vn", "host:8080", "deadbeef", "dead:beef", "cafe.babe",
    "Tấn", "công", "１.２.３.４", "1.2.3.4,", "(10.0.0.1)", "'192.168.1.1'", "abc:", "...", ":", "%", "a%b",
    "12:34", "2001:db8::g", "10.0.0.1%x", "example.vn/path?q=1", "https://[2001:db8::2]/", "0x1.2.3.4",
]  # fmt: skip


def test_names_in_finds_what_it_found_before_the_address_pre_check():
    rng = random.Random(18)
    for _ in range(200):
        text = " ".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 8)))
        assert matching.names_in(text) == _names_in_before(text), text
    found = matching.names_in(" ".join(TOKENS))
    assert ipaddress.ip_address("203.0.113.10") in found.ips and "hoalu.example.vn" in found.hosts


def test_title_similarity_is_the_ratio_it_was():
    titles = [
        "tan cong tu choi dich vu", "tan cong tu choi dich vu cong thong tin", "ma doc ma hoa du lieu",
        "thay doi giao dien", "thay doi giao dien trang chu", "", "a", "lo lot du lieu ca nhan",
    ]  # fmt: skip
    for a in titles:
        for b in titles:
            expected = SequenceMatcher(None, a, b).ratio() >= matching.TITLE_SIMILARITY
            assert matching._similar(a, b) == expected, (a, b)
    assert matching._similar(titles[3], titles[4]) and not matching._similar(titles[0], titles[2])


def test_an_incident_page_lists_the_same_duplicates(province, client_for):
    coord = province["coord"]
    first = reported(province["manager"], province["unit"], "Tấn công từ chối dịch vụ cổng thông tin",
                     description="Lưu lượng lạ từ 203.0.113.10 tới alpha.example.vn")  # fmt: skip
    reported(province["manager"], province["unit"], "Tấn công từ chối dịch vụ cổng thông tin Alpha")
    reported(province["outsider"], province["other"], "Lộ lọt dữ liệu", description="nguồn 203.0.113.10")
    reported(province["manager"], province["unit"], "Mã độc mã hoá dữ liệu")
    duplicates = matching.duplicate_candidates(coord, first, [])
    reasons = {d.incident.title: d.reasons for d in duplicates}
    assert set(reasons) == {"Tấn công từ chối dịch vụ cổng thông tin Alpha", "Lộ lọt dữ liệu"}
    assert any("203.0.113.10" in r for r in reasons["Lộ lọt dữ liệu"])
    assert client_for(coord).get(f"/incidents/{first.pk}/").status_code == 200


def _duplicates_before(user, incident, systems):
    """`matching.duplicate_candidates` before the incident page's pass: every column of up to 300
    incidents, their systems and reports, every text parsed, a SequenceMatcher built for every title."""
    system_ids = {s.pk for s in systems} | ({incident.system_id} if incident.system_id else set())
    names = matching.names_in(matching.report_text(incident))
    title = matching._title_key(incident.title)
    nearby = (
        Incident.objects.visible_to(user)
        .exclude(pk=incident.pk)
        .exclude(status__in=TERMINAL)
        .filter(
            reported_at__gte=incident.reported_at - matching.DUPLICATE_WINDOW,
            reported_at__lte=incident.reported_at + matching.DUPLICATE_WINDOW,
        )
        .select_related("system")
        .prefetch_related("reports")
        .order_by("-reported_at")[: matching.MAX_COMPARED]
    )
    found = []
    for other in nearby:
        reasons = []
        if other.system is not None and other.system_id in system_ids:
            reasons.append(f"same system: {other.system.name}")
        theirs = matching.names_in(matching.report_text(other))
        shared = sorted(names.hosts & theirs.hosts) + sorted(str(i) for i in names.ips & theirs.ips)
        if shared:
            reasons.append(f"names the same {', '.join(shared)}")
        if title and SequenceMatcher(None, title, matching._title_key(other.title)).ratio() >= 0.75:
            reasons.append("similar title")
        if reasons:
            found.append((other.pk, other.reference, other.title, other.status, other.reported_at, reasons))
    return found


DUPLICATE_TITLES = [
    "Tấn công từ chối dịch vụ cổng thông tin", "Tan cong tu choi dich vu cong thong tin Alpha",
    "Mã độc mã hoá dữ liệu", "Ma doc ma hoa du lieu may chu", "Thay đổi giao diện trang chủ",
    "Lộ lọt dữ liệu cá nhân", "Public report: cổng dịch vụ công", "Public report: Cổng dịch vụ công phường",
]  # fmt: skip
DUPLICATE_TEXTS = [
    "Không rõ", "Lưu lượng lạ từ 203.0.113.10", "truy cập alpha.example.vn/login",
    "máy 2001:db8::1 và beta.example.vn", "Không rõ nguồn", "http://www.Alpha.example.vn/ 203.0.113.10",
    "nguồn [2001:DB8:0::1]:443",
]  # fmt: skip


@translation.override("en")
def test_the_duplicate_finder_finds_what_it_found_before(province, national):
    """Same incidents, same order, same reasons: titles close and not, texts naming hosts and addresses or
    nothing, with and without a system, confidential incidents, open and closed, for each kind of reader."""
    rng = random.Random(18)
    reporters = [(province["manager"], province["unit"]), (province["outsider"], province["other"])]
    incidents = []
    for _ in range(24):
        actor, org = rng.choice(reporters)
        extra = {"system": province["portal"]} if org == province["unit"] and rng.random() < 0.3 else {}
        incident = reported(
            actor, org, rng.choice(DUPLICATE_TITLES), description=rng.choice(DUPLICATE_TEXTS),
            confidential=rng.random() < 0.3, **extra,
        )  # fmt: skip
        if rng.random() < 0.2:
            Incident.objects.filter(pk=incident.pk).update(status=rng.choice(sorted(TERMINAL)))
        incidents.append(incident)
    people = [province["coord"], province["manager"], province["responder"], province["outsider"], national]
    compared = named = 0
    for person in people:
        for incident in incidents[::3]:
            new = [
                (d.incident.pk, d.incident.reference, d.incident.title, d.incident.status,
                 d.incident.reported_at, d.reasons)
                for d in matching.duplicate_candidates(person, incident, [province["portal"]])
            ]  # fmt: skip
            assert new == _duplicates_before(person, incident, [province["portal"]]), person.username
            compared += len(new)
            named += sum(1 for row in new for reason in row[-1] if reason.startswith("names the same"))
    assert compared and named  # the seed gives duplicates, some through a shared name


def test_title_similarity_is_the_ratio_on_random_titles():
    rng = random.Random(18)
    words = ["tan", "cong", "tu", "choi", "dich", "vu", "ma", "doc", "du", "lieu", "a", "", "cổng"]
    for _ in range(2000):
        a = " ".join(rng.choice(words) for _ in range(rng.randint(0, 7)))
        b = " ".join(rng.choice(words) for _ in range(rng.randint(0, 7)))
        expected = SequenceMatcher(None, a, b).ratio() >= matching.TITLE_SIMILARITY
        assert matching._similar(a, b) == expected, (a, b)


# --- the planner's statistics on SQLite ------------------------------------------------------------------


def test_the_scheduler_refreshes_sqlites_statistics(province):
    assert "ungcuu.core.db.analyze" in {job.function for job in SCHEDULE}
    from django.db import connection

    reported(province["manager"], province["unit"], "Sự cố để có thống kê")
    ran = core_db.analyze()
    assert ran == (connection.vendor == "sqlite")
    if ran:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'incidents_incident'")
            assert cursor.fetchone()[0] > 0


def test_services_are_untouched_by_the_query_forms(province):
    # The overdue list is read by the team and incident pages too: a late task makes its incident overdue.
    incident = reported(province["manager"], province["unit"], "Sự cố có việc trễ")
    Task.objects.create(
        incident=incident, title="Cô lập", due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    Deadline.objects.filter(incident=incident).update(met_at=timezone.now())
    assert list(Incident.objects.overdue().values_list("pk", flat=True)) == [incident.pk]
    Task.objects.filter(incident=incident).update(done_at=timezone.now())
    assert not Incident.objects.overdue().exists()
    Incident.objects.filter(pk=incident.pk).update(status=Status.CLOSED)
    assert not Incident.objects.overdue().exists()


def test_the_reported_late_tile_counts_the_open_incidents_of_the_old_definition(seeded):
    """The dashboard's tile counts the open incidents reported late (issue 18, fifth session), by the old
    definition restricted to the open statuses; the late closed ones it counted before are left out."""
    reports = Deadline.objects.filter(code=DeadlinePolicy.Code.OPERATOR_REPORT).order_by("pk")
    some = [clock.pk for n, clock in enumerate(reports) if n % 4 != 1]  # late; one in four on time
    reports.filter(pk__in=some).update(met_at=F("due_at") + datetime.timedelta(hours=2))
    closed = [i.pk for i in seeded["incidents"][:6]]  # ended, and reported late
    Incident.objects.filter(pk__in=closed).update(status=Status.CLOSED)
    reports.filter(incident__in=closed).update(met_at=F("due_at") + datetime.timedelta(hours=2))
    left_out = counted = 0
    with time_machine.travel(START + datetime.timedelta(hours=100), tick=False):
        for person in seeded["people"]:
            old = _reported_late_by_exists(
                Incident.objects.visible_to(person).in_qd05_scope(), timezone.now()
            )
            figures = incident_figures(person)
            assert figures["reported_late_count"] == old.filter(status__in=OPEN_STATUSES).count()
            counted += figures["reported_late_count"]
            left_out += old.exclude(status__in=OPEN_STATUSES).count()
    assert counted and left_out  # the seed has late open incidents to count and late ended ones to leave out


def test_the_qd05_scope_gives_the_rows_of_the_join_form(seeded, province):
    """`in_qd05_scope` excludes the outside systems' ids instead of joining the systems (issue 18, fifth
    session): same rows as the join form, for incidents without a system, on an inside system and on BQP and
    BCA systems, confidential or not, as each person sees them."""

    def system(name, outside):
        return InformationSystem.objects.create(
            name=name,
            owner=province["unit"],
            operator=province["unit"],
            security_level=3,
            outside_qd05=outside,
        )

    inside, bqp, bca = (
        province["portal"],
        system("Hệ thống quân sự", "BQP"),
        system("Hệ thống công an", "BCA"),
    )
    for n, incident in enumerate(seeded["incidents"]):
        Incident.objects.filter(pk=incident.pk).update(system=[None, inside, bqp, bca][n % 4])
    outside = 0
    for person in seeded["people"]:
        visible = Incident.objects.visible_to(person)
        old = set(visible.exclude(system__outside_qd05__gt="").values_list("pk", flat=True))
        assert set(visible.in_qd05_scope().values_list("pk", flat=True)) == old, person.username
        assert visible.in_qd05_scope().filter(status__in=OPEN_STATUSES).count() == len(
            old & set(visible.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
        )
        outside += visible.count() - len(old)
    assert outside  # the seed puts visible incidents on the outside systems


# --- SQLite's own indexes ----------------------------------------------------------------------------------


def test_sqlites_own_indexes_exist_after_migrate_and_come_back(province):
    from django.db import connection

    from ungcuu.incidents import sqlite_indexes

    if connection.vendor != "sqlite":
        assert sqlite_indexes.ensure(connection) == []  # PostgreSQL chooses its own
        return

    def present():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            return {row[0] for row in cursor.fetchall()}

    assert set(sqlite_indexes.INDEXES) <= present()  # made by the post-migrate step
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX incident_sqlite_severity_status")  # as a table rebuild would
    assert sqlite_indexes.ensure(connection) == ["incident_sqlite_severity_status"]
    assert set(sqlite_indexes.INDEXES) <= present() and sqlite_indexes.ensure(connection) == []


def _list_marks_before(rows, now):
    """`presenters.list_page` before: running clocks and open tasks asked of the database by their NULLs."""
    prefetch_related_objects(
        rows,
        Prefetch("deadlines", queryset=Deadline.objects.filter(met_at__isnull=True), to_attr="old_running"),
        Prefetch("tasks", queryset=Task.objects.filter(done_at__isnull=True), to_attr="old_open"),
    )
    return {
        i.pk: (
            min((d.due_at for d in i.old_running), default=None) if i.is_open else None,
            i.is_open
            and (
                any(d.due_at < now for d in i.old_running)
                or any(t.due_at is not None and t.due_at < now for t in i.old_open)
            ),
        )
        for i in rows
    }


@pytest.mark.parametrize("hours", [1, 24, 100])
def test_the_list_marks_late_and_next_clocks_as_before(seeded, hours):
    from django.core.paginator import Paginator

    from ungcuu.incidents.presenters import list_page

    late = 0
    with time_machine.travel(START + datetime.timedelta(hours=hours), tick=False):
        for person in seeded["people"]:
            incidents = Incident.objects.visible_to(person).for_list().order_by("-reported_at", "-pk")
            page = list_page(Paginator(incidents, 25).get_page(1))
            new = {i.pk: (i.next_deadline, i.is_late) for i in page.object_list}
            assert new == _list_marks_before(list(incidents), timezone.now()), person.username
            late += sum(1 for _, is_late in new.values() if is_late)
    if hours == 100:
        assert late  # the seed has late rows to compare


# --- the gate asked once per row and reader ---------------------------------------------------------------


def test_a_row_read_through_the_gate_is_not_asked_again_for_its_reader_only(
    province, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ungcuu.organizations.access import can_see, get_visible_or_404

    incident = reported(province["manager"], province["unit"], "Sự cố mật", confidential=True)
    Incident.handlers.through.objects.create(incident=incident, user=province["manager"])
    read = get_visible_or_404(Incident.objects.all(), province["manager"], pk=incident.pk)
    with django_assert_num_queries(0):
        assert can_see(province["manager"], read)
    # Other readers are asked: a confidential incident with a handler is hidden from the coordinator too.
    assert not can_see(province["coord"], read) and not can_see(province["outsider"], read)
    fresh = Incident.objects.get(pk=incident.pk)  # a row not read through the gate is asked
    with CaptureQueriesContext(connection) as asked:
        assert can_see(province["manager"], fresh)
    assert len(asked) >= 1
