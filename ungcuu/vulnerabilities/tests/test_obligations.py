"""An import is the scan occurrence (CT18: every system, every 6 months) of each system it covers."""

import datetime

import pytest

from ungcuu.obligations.models import ObligationDefinition, Occurrence
from ungcuu.systems.services import register_system
from ungcuu.vulnerabilities import services
from ungcuu.vulnerabilities.tests.helpers import NESSUS_SAMPLE, OPENVAS_SAMPLE, import_report, sample

pytestmark = pytest.mark.django_db
CODE = "VULN_SCAN_THREAT_HUNT"


def test_importing_a_scan_marks_the_systems_scan_occurrence_done(coordinator, org_a, system_a):
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))

    occurrence = Occurrence.objects.get(definition__code=CODE, system=system_a)
    assert occurrence.status == Occurrence.Status.DONE
    assert occurrence.done_on == datetime.date(2026, 3, 14) and occurrence.done_by == coordinator
    assert occurrence.evidence == scan and occurrence.evidence_kind == "scan"
    assert occurrence.organization == system_a.operator
    assert Occurrence.objects.filter(definition__code=CODE).count() == 1  # the unmatched host owes nothing


def test_a_second_scan_in_the_same_period_adds_no_occurrence(coordinator, org_a, system_a):
    import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    import_report(coordinator, org_a, sample(NESSUS_SAMPLE))  # 14/06: same half-year
    assert Occurrence.objects.filter(definition__code=CODE, system=system_a).count() == 1


def test_assigning_a_host_records_the_occurrence_for_that_system(coordinator, org_a, manager):
    other = register_system(actor=manager, name="Alpha nginx", owner=org_a, operator=org_a, security_level=2)
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    assert not Occurrence.objects.filter(system=other).exists()

    services.assign_host(actor=manager, host=scan.hosts.get(ip="198.51.100.20"), system=other)

    occurrence = Occurrence.objects.get(definition__code=CODE, system=other)
    assert occurrence.status == Occurrence.Status.DONE and occurrence.evidence == scan


def test_an_obligation_that_refuses_scans_does_not_block_the_import(coordinator, org_a, system_a):
    ObligationDefinition.objects.filter(code=CODE).update(evidence_kinds=["file"])
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    assert scan.new_count == 4
    assert not Occurrence.objects.filter(system=system_a, status=Occurrence.Status.DONE).exists()
