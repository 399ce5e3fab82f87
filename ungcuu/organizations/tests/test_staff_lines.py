"""Form 01's staff annex, one line per person: who may change it (the unit's own responders and managers;
the coordinator reads), validation in Vietnamese, and the API under the same gate."""

import pytest
from django.urls import reverse

from ungcuu.organizations import services
from ungcuu.organizations.models import StaffLine

pytestmark = pytest.mark.django_db

LINES = "/api/v1/staff-lines/"


def line_data(**overrides) -> dict:
    data = {
        "family_name": "Nguyễn Thị Thu",
        "given_name": "Hà",
        "position": "Trưởng phòng An toàn thông tin",
        "school": "Học viện Kỹ thuật mật mã",
        "major": "An toàn thông tin",
        "training_field": StaffLine.TrainingField.SECURITY,
        "degree": StaffLine.Degree.UNIVERSITY,
        "graduation_year": 2012,
        "international_certificates": "CISSP, CEH",
        "domestic_certificates": "",
        "expert_groups": [StaffLine.ExpertGroup.SECURITY_MANAGEMENT, StaffLine.ExpertGroup.TESTING],
    }
    data.update(overrides)
    return data


@pytest.fixture
def line_a(org_a, responder):
    return services.add_staff_line(actor=responder, organization=org_a, **line_data())


def _state() -> list[dict]:
    return list(StaffLine.objects.order_by("pk").values())


def test_full_name_is_family_name_first(line_a):
    assert line_a.full_name == "Nguyễn Thị Thu Hà"
    assert line_a.certificates("international") == ["CISSP", "CEH"]


# --- pages -------------------------------------------------------------------------------------------


def test_responder_adds_a_line_from_the_page(client_for, responder, org_a):
    url = reverse("organizations:staff_line_add", args=[org_a.pk])
    form = line_data(expert_groups=["defence"], graduation_year="2016")
    response = client_for(responder).post(url, form)
    assert response.status_code == 302
    line = StaffLine.objects.get()
    assert (line.organization, line.full_name) == (org_a, "Nguyễn Thị Thu Hà")
    assert line.expert_groups == ["defence"]


def test_manager_edits_and_removes_a_line(client_for, manager, org_a, line_a):
    client = client_for(manager)
    edit = reverse("organizations:staff_line_edit", args=[org_a.pk, line_a.pk])
    assert client.post(edit, line_data(position="Phó Giám đốc", expert_groups=[])).status_code == 302
    line_a.refresh_from_db()
    assert (line_a.position, line_a.expert_groups) == ("Phó Giám đốc", [])
    remove = reverse("organizations:staff_line_remove", args=[org_a.pk, line_a.pk])
    assert client.post(remove).status_code == 302
    assert not StaffLine.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "Trường này là bắt buộc."),
        ("degree", "phd", "không phải là một trong các lựa chọn"),
        ("graduation_year", "2099", "Năm tốt nghiệp không thể ở tương lai."),
        ("expert_groups", "hacking", "không phải là một trong các lựa chọn"),
    ],
)
def test_bad_line_is_reshown_in_vietnamese_and_nothing_saved(
    client_for, responder, org_a, field, value, message
):
    url = reverse("organizations:staff_line_add", args=[org_a.pk])
    response = client_for(responder, language="vi").post(url, line_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StaffLine.objects.exists()


def test_coordinator_reads_the_annex_but_may_not_change_it(client_for, coordinator, org_a, line_a):
    client = client_for(coordinator)
    page = client.get(reverse("organizations:detail", args=[org_a.pk])).content.decode()
    assert "Nguyễn Thị Thu Hà" in page
    assert reverse("organizations:staff_line_add", args=[org_a.pk]) not in page
    before = _state()
    assert client.get(reverse("organizations:staff_line_add", args=[org_a.pk])).status_code == 403
    remove = reverse("organizations:staff_line_remove", args=[org_a.pk, line_a.pk])
    assert client.post(remove).status_code == 403
    assert _state() == before


def test_viewer_403_and_outsider_404(client_for, viewer, outsider, org_a, line_a):
    before = _state()
    edit = reverse("organizations:staff_line_edit", args=[org_a.pk, line_a.pk])
    assert client_for(viewer).post(edit, line_data(position="X")).status_code == 403
    assert client_for(outsider).post(edit, line_data(position="X")).status_code == 404
    add = reverse("organizations:staff_line_add", args=[org_a.pk])
    assert client_for(outsider).get(add).status_code == 404
    assert _state() == before


# --- API ---------------------------------------------------------------------------------------------


def test_api_creates_a_line_and_replays_an_idempotent_retry(api_for, responder, org_a):
    client = api_for(responder)
    body = line_data(organization=org_a.pk)
    first = client.post(LINES, body, format="json", HTTP_IDEMPOTENCY_KEY="annex-1")
    again = client.post(LINES, body, format="json", HTTP_IDEMPOTENCY_KEY="annex-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["full_name"] == "Nguyễn Thị Thu Hà"
    assert again.json()["id"] == first.json()["id"]
    assert StaffLine.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("degree", "phd"), ("expert_groups", ["hacking"]), ("graduation_year", 1800), ("given_name", "")],
)
def test_api_bad_value_is_400_and_nothing_written(api_for, responder, org_a, field, value):
    body = line_data(organization=org_a.pk, **{field: value})
    response = api_for(responder).post(LINES, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not StaffLine.objects.exists()


def test_api_gate(api_for, viewer, outsider, coordinator, org_a, line_a):
    before = _state()
    assert api_for(viewer).get(f"{LINES}{line_a.pk}/").status_code == 200
    assert api_for(viewer).patch(f"{LINES}{line_a.pk}/", {"position": "X"}, format="json").status_code == 403
    assert api_for(viewer).post(LINES, line_data(organization=org_a.pk), format="json").status_code == 403
    assert api_for(coordinator).delete(f"{LINES}{line_a.pk}/").status_code == 403
    assert api_for(outsider).get(f"{LINES}{line_a.pk}/").status_code == 404
    assert api_for(outsider).delete(f"{LINES}{line_a.pk}/").status_code == 404
    assert _state() == before


def test_api_read_token_cannot_write(api_for, manager, org_a):
    response = api_for(manager, scopes=["read"]).post(LINES, line_data(organization=org_a.pk), format="json")
    assert response.status_code == 403
    assert not StaffLine.objects.exists()
