"""Demo preparedness for the demo province: plans, drills over two years with their findings, training.

Runs inside `load_demo`'s transaction after the province and its incidents exist. Everything goes through
the services at the date it happened (core.clock.travel moves the clock), so versions, registry dates,
obligation occurrences and audit rows are what real use leaves behind. Deterministic from the seed.

Of the systems at level 3 and above, most have a plan in force, some one past its review date, some only
a draft and a few none; live-fire drills cover most of them each year, so the readiness page and the
obligations board show both green and late units.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.core.clock import travel
from ungcuu.demo import generator as names
from ungcuu.demo import preparedness_data as data
from ungcuu.demo.generator import REFERENCE_DATE
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization
from ungcuu.preparedness import services
from ungcuu.preparedness.models import Drill, FollowUpAction, ResponsePlan, Scenario, TrainingCourse
from ungcuu.systems.models import InformationSystem

REF = REFERENCE_DATE
DAY = datetime.timedelta(days=1)
PLAN_SHARES = ["current"] * 9 + ["revised"] * 3 + ["out_of_date"] * 4 + ["draft"] * 4 + ["none"] * 2
HELPERS = ("DOI-UCSC", "CA-TINH", "ISP-VNPT", "ISP-VIETTEL", "VENDOR-TRANGAN")


def build_demo(seed: int) -> str:
    """Create the demo's preparedness data; returns a one-line summary."""
    demo = PreparednessDemo(seed)
    demo.build()
    return summary()


def summary() -> str:
    plans, drills, actions = ResponsePlan.objects.all(), Drill.objects.held(), FollowUpAction.objects.all()
    return (
        f"Preparedness: {plans.count()} plans ({plans.current(REF).count()} in force, "
        f"{plans.out_of_date(REF).count()} past review, {plans.filter(status='draft').count()} draft), "
        f"{drills.count()} drills held ({drills.filter(kind='live_fire').count()} live-fire), "
        f"{actions.count()} follow-ups ({actions.open().count()} open), "
        f"{TrainingCourse.objects.count()} training courses."
    )


def _at(day: datetime.date, hour: int = 9):
    """Move the clock to `day` for the services called inside."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return travel(moment)


class PreparednessDemo:
    """Plans, drills and courses for the demo province, from one seeded random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed + 5)
        self.coordinator = User.objects.get(username="dieuphoi")
        self.orgs = {o.code: o for o in Organization.objects.all()}
        library = Scenario.objects.filter(organization__isnull=True).order_by("pk")
        self.library = {s.category: s for s in library}
        high = InformationSystem.objects.filter(security_level__gte=3, is_active=True)
        self.systems = list(high.select_related("operator", "owner").order_by("pk"))
        managers = Membership.objects.filter(role=Membership.Role.MANAGER, user__platform_role="")
        self.managers = {m.organization_id: m.user for m in managers.select_related("user").order_by("pk")}

    def actor_for(self, org: Organization):
        """The unit's own manager where the demo has a login for one, else the coordinator."""
        return self.managers.get(org.pk, self.coordinator)

    def build(self) -> None:
        self.build_plans()
        self.build_drills()
        self.build_courses()
        # Two years of history are not e-mailed again when `make run` starts the worker.
        pending = Notification.objects.filter(event__startswith="drill_", state__in=["pending", "failed"])
        pending.update(state="sent", sent_at=timezone.now())

    def days_before(self, low: int, high: int) -> datetime.date:
        return REF - datetime.timedelta(days=self.rng.randint(low, high))

    def person(self) -> str:
        middle, given = self.rng.choice(
            [(names.MALE_MIDDLE, names.MALE_GIVEN), (names.FEMALE_MIDDLE, names.FEMALE_GIVEN)]
        )
        return f"{self.rng.choice(names.SURNAMES)} {self.rng.choice(middle)} {self.rng.choice(given)}"

    # --- plans ---------------------------------------------------------------------------------------

    def build_plans(self) -> None:
        his = self.own_scenario()
        for index, system in enumerate(self.systems):
            kind = "current" if index < 2 else self.rng.choice(PLAN_SHARES)
            extra = [his] if his and "HIS" in system.name else []
            getattr(self, f"plan_{kind}")(system, extra)
        self.unit_wide_plans()

    def unit_wide_plans(self) -> None:
        """Half the units with level 1-2 systems keep one plan for all of them (communes, schools…)."""
        small = InformationSystem.objects.filter(is_active=True, security_level__lt=3)
        operators = Organization.objects.filter(pk__in=small.values("operator")).order_by("pk")
        scenarios = [self.library[c] for c in data.UNIT_SCENARIOS if c in self.library]
        for org in operators:
            if self.rng.random() > 0.5:
                continue
            drafted = self.days_before(30, 300)
            with _at(drafted):
                plan = services.create_plan(
                    actor=self.actor_for(org),
                    organization=org,
                    title=f"Phương án ứng cứu sự cố an toàn thông tin mạng của {org.name} năm {drafted.year}",
                    drafted_on=drafted,
                    scope=f"Các hệ thống thông tin do {org.name} quản lý, vận hành.",
                    severity_criteria=data.SEVERITY_CRITERIA,
                    roles=data.ROLES,
                    scenarios=scenarios,
                    external_contacts=data.EXTERNAL.format(province=settings.PROVINCE_NAME),
                    budget_estimate=self.rng.choice([10, 20, 30, 50]) * 1_000_000,
                )
            if self.rng.random() < 0.8:
                self.approve(plan, min(drafted + self.rng.randint(5, 25) * DAY, REF))

    def own_scenario(self) -> Scenario | None:
        """A unit's own scenario: the health department's ransomware response for its hospital system."""
        org = self.orgs.get("SO-YTE")
        if org is None:
            return None
        title, description, steps = data.HIS_SCENARIO
        rows = [{"stage": s, "owner_role": r, "due_offset_hours": h, "title": t} for s, r, h, t in steps]
        with _at(REF - 400 * DAY):
            return services.create_scenario(
                actor=self.actor_for(org),
                organization=org,
                category="ATTACK.ENCRYPTION",
                title=title,
                description=description,
                steps=rows,
            )

    def plan_content(self, system: InformationSystem, extra: list) -> dict:
        codes = data.PLAN_SCENARIOS.get(system.system_type) or data.PLAN_SCENARIOS[data.Type.OTHER]
        people = FocalPoint.objects.filter(organization=system.operator, is_active=True).order_by("pk")[:2]
        resources = self.rng.sample(data.RESOURCES, k=self.rng.randint(2, 5))
        return {
            "title": f"Phương án ứng cứu sự cố an toàn thông tin mạng {system.name}",
            "systems": [system],
            "scenarios": [self.library[c] for c in codes if c in self.library] + extra,
            "people": list(people),
            "scope": f"{system.name} do {system.operator} vận hành, cấp độ {system.security_level}: "
            "hạ tầng máy chủ, đường truyền và dữ liệu của hệ thống.",
            "severity_criteria": data.SEVERITY_CRITERIA,
            "roles": data.ROLES,
            "resources": [{"kind": k, "name": n, "quantity": q, "note": note} for k, n, q, note in resources],
            "budget_estimate": self.rng.choice([50, 80, 120, 150, 200, 350, 500]) * 1_000_000,
            "external_contacts": data.EXTERNAL.format(province=settings.PROVINCE_NAME),
        }

    def draft(self, system: InformationSystem, extra: list, drafted_on: datetime.date) -> ResponsePlan:
        operator = system.operator
        with _at(drafted_on):
            return services.create_plan(
                actor=self.actor_for(operator),
                organization=operator,
                drafted_on=drafted_on,
                **self.plan_content(system, extra),
            )

    def approve(self, plan: ResponsePlan, on: datetime.date) -> ResponsePlan:
        org = plan.organization
        # The title in full ("Giám đốc Sở Y tế"), never the abbreviation ("Giám đốc Sở YT").
        head = f"Giám đốc {org.name}" if org.code.startswith("SO-") else f"Thủ trưởng {org.name}"
        with _at(on, 15):
            return services.approve_plan(
                actor=self.actor_for(org),
                plan=plan,
                approved_on=on,
                approved_by_name=self.person(),
                approved_by_title=head,
                decision_number=f"{self.rng.randint(100, 999)}/QĐ-{org.code.replace('-', '')[:8]}",
            )

    def plan_current(self, system, extra) -> None:
        drafted = self.days_before(60, 330)
        self.approve(self.draft(system, extra, drafted), drafted + self.rng.randint(7, 40) * DAY)

    def plan_out_of_date(self, system, extra) -> None:
        drafted = self.days_before(430, 650)
        self.approve(self.draft(system, extra, drafted), drafted + self.rng.randint(7, 30) * DAY)

    def plan_revised(self, system, extra) -> None:
        """An old edition, then a revision approved this year: the old one is superseded."""
        old = self.draft(system, extra, self.days_before(600, 700))
        old = self.approve(old, old.drafted_on + 20 * DAY)
        revised_on = self.days_before(90, 300)
        actor = self.actor_for(system.operator)
        with _at(revised_on):
            revision = services.revise_plan(actor=actor, plan=old)
            title = f"{old.title} (cập nhật năm {revised_on.year})"
            services.update_plan(
                actor=actor, plan=revision, title=title, budget_estimate=old.budget_estimate + 30_000_000
            )
        self.approve(revision, revised_on + 14 * DAY)

    def plan_draft(self, system, extra) -> None:
        self.draft(system, extra, self.days_before(5, 90))

    def plan_none(self, system, extra) -> None:
        """Some systems still have no plan: the readiness page shows the gap."""

    # --- drills --------------------------------------------------------------------------------------

    def build_drills(self) -> None:
        by_operator: dict[Organization, list[InformationSystem]] = defaultdict(list)
        for system in self.systems:
            by_operator[system.operator].append(system)
        for year, scenario in ((REF.year - 1, "ATTACK.ENCRYPTION"), (REF.year, "ATTACK.DOS")):
            self.provincial_drill(year, scenario)
            for operator, systems in sorted(by_operator.items(), key=lambda pair: pair[0].pk):
                if self.rng.random() < 0.4:
                    self.unit_drill(year, operator, systems)
        for number, (scenario, topic) in enumerate(data.TABLETOPS):
            self.tabletop(number, scenario, topic)
        self.upcoming()

    def hold(self, organizer: Organization, day: datetime.date, participants=(), **drill) -> Drill:
        """A drill recorded as held the day after (planned-then-held would e-mail the participants)."""
        with _at(min(day + DAY, REF)):
            held = services.create_drill(
                actor=self.actor_for(organizer),
                organization=organizer,
                scheduled_on=day,
                participants=list(participants),
                objectives=data.OBJECTIVES,
                held=True,
                held_on=day,
                summary=data.DRILL_SUMMARY,
                **drill,
            )
        self.findings(held, [organizer, *participants])
        return held

    def provincial_drill(self, year: int, scenario: str) -> None:
        day = datetime.date(year, 10 if year < REF.year else 9, self.rng.randint(10, 25))
        chosen = self.rng.sample(self.systems, k=min(5, len(self.systems)))
        helpers = [self.orgs[code] for code in HELPERS if code in self.orgs]
        operators = sorted({s.operator for s in chosen}, key=lambda o: o.pk)
        self.hold(
            self.orgs["SO-KHCN"],
            day,
            [*helpers, *operators],
            kind=Drill.Kind.LIVE_FIRE,
            systems=chosen,
            scenario=self.library.get(scenario),
            title=f"Diễn tập thực chiến an toàn thông tin mạng tỉnh {settings.PROVINCE_NAME} năm {year}",
        )

    def unit_drill(self, year: int, operator: Organization, systems: list) -> None:
        first = datetime.date(year, 3, 1)
        last = REF if year == REF.year else datetime.date(year, 12, 20)
        day = first + self.rng.randint(0, (last - first).days - 10) * DAY
        scenario = self.library.get(self.rng.choice(data.UNIT_DRILL_SCENARIOS))
        topic = scenario.title.replace("Kịch bản ứng cứu ", "") if scenario else ""
        self.hold(
            operator,
            day,
            [self.orgs["DOI-UCSC"]],
            kind=Drill.Kind.LIVE_FIRE,
            systems=systems,
            scenario=scenario,
            title=f"Diễn tập thực chiến {topic} — {operator.short_name or operator.name} {year}",
        )

    def tabletop(self, number: int, scenario: str, topic: str) -> None:
        day = REF - (60 + number * 130 + self.rng.randint(0, 40)) * DAY
        organizer = self.orgs["SO-KHCN" if number % 2 == 0 else "DOI-UCSC"]
        units = [o for o in self.orgs.values() if o.kind == Kind.OPERATOR and o.code.startswith("SO-")]
        participants = self.rng.sample(sorted(units, key=lambda o: o.pk), k=min(4, len(units)))
        self.hold(
            organizer,
            day,
            participants,
            kind=Drill.Kind.TABLETOP,
            scenario=self.library.get(scenario),
            title=f"Diễn tập trên bàn (tabletop): {topic}",
        )

    def upcoming(self) -> None:
        """Two drills planned after the reference date, and one called off."""
        unit = self.orgs["SO-KHCN"]
        isps = [self.orgs[c] for c in ("ISP-VNPT", "ISP-VIETTEL", "ISP-FPT", "DOI-UCSC") if c in self.orgs]
        with _at(REF):
            services.create_drill(
                actor=self.coordinator,
                organization=unit,
                kind=Drill.Kind.TABLETOP,
                title="Diễn tập trên bàn: phối hợp với nhà mạng chặn lọc tấn công DDoS",
                scheduled_on=REF + 40 * DAY,
                scenario=self.library.get("ATTACK.DOS"),
                participants=isps,
            )
            his = [s for s in self.systems if "HIS" in s.name]
            if his:
                services.create_drill(
                    actor=self.actor_for(his[0].operator),
                    organization=his[0].operator,
                    kind=Drill.Kind.LIVE_FIRE,
                    title="Diễn tập thực chiến khôi phục HIS sau tấn công mã hóa dữ liệu",
                    scheduled_on=REF + 75 * DAY,
                    systems=his,
                )
        with _at(REF - 200 * DAY):
            called_off = services.create_drill(
                actor=self.coordinator,
                organization=unit,
                kind=Drill.Kind.TABLETOP,
                title="Diễn tập trên bàn: ứng cứu sự cố hệ thống thư điện tử công vụ",
                scheduled_on=REF - 170 * DAY,
            )
            reason = "Trùng lịch kỳ họp HĐND tỉnh; dời sang năm sau."
            services.cancel_drill(actor=self.coordinator, drill=called_off, reason=reason)

    def findings(self, drill: Drill, owners: list[Organization]) -> None:
        """Up to three findings, each with an action; older ones mostly closed, recent ones open."""
        held_on = drill.held_on
        assert held_on is not None  # only held drills have findings
        actor = self.actor_for(drill.organization)
        candidates = [o for o in owners if o.kind != Kind.ISP] or [drill.organization]
        for title, severity, action in self.rng.sample(data.FINDINGS, k=self.rng.choice([0, 1, 1, 2, 2, 3])):
            due = held_on + self.rng.choice([30, 45, 60, 90]) * DAY
            follow_up = {"description": action, "owner": self.rng.choice(candidates), "due_on": due}
            with _at(min(held_on + 2 * DAY, REF)):
                finding = services.add_finding(
                    actor=actor, drill=drill, title=title, severity=severity, follow_ups=[follow_up]
                )
            if due < REF - 20 * DAY and self.rng.random() < 0.8:
                done = max(min(due - self.rng.randint(0, 20) * DAY, REF), held_on)
                with _at(REF):
                    services.close_follow_up(
                        actor=self.coordinator,
                        action=finding.actions.get(),
                        done_on=done,
                        note=data.CLOSING_NOTE,
                    )

    # --- training ------------------------------------------------------------------------------------

    def build_courses(self) -> None:
        # The awareness course reaches departments, communes and their schools and clinics.
        operators = sorted(
            (o for o in self.orgs.values() if o.kind in (Kind.OPERATOR, Kind.COMMUNE)), key=lambda o: o.pk
        )
        for year in (REF.year - 1, REF.year):
            awareness, team = data.COURSES
            units = self.rng.sample(operators, k=min(16, len(operators)))
            self.course(awareness, year, datetime.date(year, 5, 12), 2, [(u, 2) for u in units])
            self.course(
                team,
                year,
                datetime.date(year, 8, 18),
                5,
                [(self.orgs["DOI-UCSC"], 5), (self.orgs["SO-KHCN"], 2)],
            )
        if "SO-YTE" in self.orgs:
            title, provider, topic = data.HOSPITAL_COURSE
            course = (title, "SO-YTE", provider, topic)
            self.course(course, REF.year, datetime.date(REF.year, 6, 9), 1, [(self.orgs["SO-YTE"], 6)])

    def course(self, course: tuple, year: int, starts_on: datetime.date, days: int, attendance: list) -> None:
        title, organizer_code, provider, topic = course
        organizer = self.orgs[organizer_code]
        ends_on = starts_on + (days - 1) * DAY
        attendees = [row for org, count in attendance for row in self.people(org, count)]
        # A unit records its own course; the provincial ones are the specialised unit's.
        actor = self.actor_for(organizer) if organizer.kind == Kind.OPERATOR else self.coordinator
        with _at(ends_on + DAY):
            services.record_course(
                actor=actor,
                organization=organizer,
                title=title.format(year=year),
                provider=provider,
                topic=topic,
                starts_on=starts_on,
                ends_on=ends_on,
                hours=days * 8,
                location=f"Hội trường {organizer.short_name or organizer.name}",
                attendees=attendees,
            )

    def people(self, org: Organization, count: int) -> list[dict]:
        """The unit's focal points first (the same people come back each year), then new names."""
        focal = FocalPoint.objects.filter(organization=org, is_active=True).order_by("pk")[:count]
        rows = [{"organization": org, "full_name": fp.full_name, "title": fp.title} for fp in focal]
        while len(rows) < count:
            rows.append(
                {"organization": org, "full_name": self.person(), "title": self.rng.choice(data.POSTS)}
            )
        return rows
