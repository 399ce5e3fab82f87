"""Every document names bodies as they were on ITS OWN date (issue 19; DOMAIN.md §k): the specialised unit
was Sở Thông tin và Truyền thông until 28/02/2025, Sở Khoa học và Công nghệ from 01/03/2025."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from ungcuu.core.models import BodyName
from ungcuu.incidents import services as incident_services
from ungcuu.reports import documents
from ungcuu.reports.letterhead import bodies_for

pytestmark = pytest.mark.django_db

OLD, NEW = "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"
D = datetime.date


@pytest.fixture
def renamed(db):
    BodyName.objects.create(role="SPECIALISED_UNIT", name=OLD, valid_to=D(2025, 2, 28))
    BodyName.objects.create(role="SPECIALISED_UNIT", name=NEW, valid_from=D(2025, 3, 1))
    BodyName.objects.create(
        role="PROVINCE_PC", name="Ủy ban nhân dân tỉnh Ninh Bình (cũ)", valid_to=D(2025, 6, 30)
    )


def _reported_on(day: datetime.date, actor, organization):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    with time_machine.travel(at, tick=False):
        data = incident_services.ReportInput(
            channel="form",
            title="Thay đổi giao diện cổng",
            description="Trang chủ bị thay đổi",
            detected_at=at - datetime.timedelta(hours=1),
            reporter_name="Nguyễn Văn An",
            organization=organization,
        )
        return incident_services.submit_report(actor=actor, data=data).incident


def test_specialised_unit_is_named_as_it_was_on_the_documents_date_dk_k(renamed, specialised_unit):
    assert bodies_for(specialised_unit, D(2025, 2, 28))[1] == OLD
    assert bodies_for(specialised_unit, D(2025, 3, 1))[1] == NEW
    assert bodies_for(None, D(2025, 2, 28)) == ("Ủy ban nhân dân tỉnh Ninh Bình (cũ)", OLD)


def test_form03_of_an_incident_reported_before_the_merger_carries_the_old_names_dk_k(
    renamed, specialised_unit, org_a, manager, coordinator
):
    before = documents.form03_document(_reported_on(D(2025, 1, 10), manager, org_a))
    after = documents.form03_document(_reported_on(D(2025, 4, 10), manager, org_a))
    assert any(OLD in line for line in before.head.recipients)
    assert not any(NEW in line for line in before.head.recipients)
    assert any(NEW in line for line in after.head.recipients)


def test_a_document_issued_by_the_renamed_unit_prints_its_name_of_that_date_dk_k(
    renamed, specialised_unit, coordinator
):
    before = documents.form03_document(_reported_on(D(2025, 1, 10), coordinator, specialised_unit))
    after = documents.form03_document(_reported_on(D(2025, 4, 10), coordinator, specialised_unit))
    assert (before.head.issuer_name, after.head.issuer_name) == (OLD, NEW)
    assert before.figures.operator == OLD and after.figures.operator == NEW
