import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import verify_session
from ungcuu.core import platform
from ungcuu.core.bodies import body_name
from ungcuu.organizations.models import Kind, Organization
from ungcuu.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FLAGS = [
    "--province=Hà Nam",
    "--specialised-unit-name=Công an tỉnh Hà Nam (PA05)",
    "--reference-prefix=hn",
    "--hotline=0226 3 113 113",
    "--intake-email=ungcuu@hanam.gov.vn",
    "--coordinator=dieuphoi,dieuphoi@hanam.gov.vn,Trần Thị Điều Phối",
    "--site-url=https://ungcuu.hanam.gov.vn",
    "--email-host=mail.hanam.gov.vn",
    "--no-input",
]


def test_an_empty_instance_becomes_a_province_a_coordinator_can_sign_in_to(tmp_path, client_for, capsys):
    env_file = tmp_path / "province.env"

    call_command("setup_province", *FLAGS, f"--env-file={env_file}")

    # The names, contact and mail are stored (they win over the env defaults at once); only the public
    # address, which the server needs before any page, goes to the env file.
    assert env_file.read_text(encoding="utf-8").splitlines()[1:] == ["SITE_URL=https://ungcuu.hanam.gov.vn"]
    now = platform.current()
    assert (now.province_name, now.reference_prefix, now.email_host) == ("Hà Nam", "HN", "mail.hanam.gov.vn")
    assert (now.intake_phone, now.intake_email) == ("0226 3 113 113", "ungcuu@hanam.gov.vn")
    assert body_name("SPECIALISED_UNIT") == "Công an tỉnh Hà Nam (PA05)"
    assert body_name("PROVINCE_PC") == "Ủy ban nhân dân tỉnh Hà Nam"
    unit = Organization.objects.get(kind=Kind.SPECIALISED_UNIT)
    assert (unit.intake_phone, unit.intake_email, unit.parent.kind) == (
        "0226 3 113 113",
        "ungcuu@hanam.gov.vn",
        Kind.PROVINCE_PC,
    )
    user = User.objects.get(username="dieuphoi")
    assert user.is_coordinator and user.get_full_name() == "Trần Thị Điều Phối"
    link = capsys.readouterr().out.split("dieuphoi: ")[1].split()[0]
    client = client_for()
    assert link.startswith("https://ungcuu.hanam.gov.vn/accounts/password/reset/")
    form = client.get(link.removeprefix("https://ungcuu.hanam.gov.vn"), follow=True)
    client.post(
        form.request["PATH_INFO"],
        {"new_password1": "Mat-khau-rat-dai-2026", "new_password2": "Mat-khau-rat-dai-2026"},
    )
    signed_in = client.post(
        reverse("accounts:login"), {"username": "dieuphoi", "password": "Mat-khau-rat-dai-2026"}, follow=True
    )
    # A coordinator's first sign-in leads to two-factor enrolment; nothing else opens before it.
    assert signed_in.request["PATH_INFO"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse("onboarding:import")).status_code == 302
    verify_session(client, user)  # as after scanning the QR code and typing the first code
    assert client.get(reverse("onboarding:import")).status_code == 200


def test_refuses_a_database_with_demo_data(tmp_path):
    OrganizationFactory()

    with pytest.raises(CommandError, match="already has organizations"):
        call_command("setup_province", *FLAGS, f"--env-file={tmp_path / 'p.env'}")

    assert not (tmp_path / "p.env").exists()


def test_prompts_for_what_the_flags_leave_out(tmp_path, monkeypatch):
    answers = iter(
        [
            "Hà Nam",
            "",
            "",
            "",
            "",
            "HN",
            "0226 3 113 113",
            "a@hanam.gov.vn",
            *[""] * 5,  # address and mail settings: left for later
            "dp",
            "dp@hanam.gov.vn",
            "Lê Văn Phối",
            "",
        ]
    )
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Mat-khau-rat-dai-2026")

    call_command("setup_province", f"--env-file={tmp_path / 'p.env'}")

    assert User.objects.get(username="dp").check_password("Mat-khau-rat-dai-2026")
    assert Organization.objects.get(kind=Kind.SPECIALISED_UNIT).name == "Sở Khoa học và Công nghệ"


def test_settings_read_the_written_file_and_the_environment_still_wins(tmp_path):
    import os
    import subprocess
    import sys

    env_file = tmp_path / "province.env"
    env_file.write_text("UNGCUU_PROVINCE_NAME=Hà Nam\nUNGCUU_REFERENCE_PREFIX=HN\n", encoding="utf-8")
    env = {**os.environ, "UNGCUU_PROVINCE_ENV_FILE": str(env_file), "UNGCUU_REFERENCE_PREFIX": "XX"}
    env.pop("UNGCUU_PROVINCE_NAME", None)
    code = (
        "from django.conf import settings; print(settings.PROVINCE_NAME, settings.INCIDENT_REFERENCE_PREFIX)"
    )

    out = subprocess.run(  # noqa: S603 our own interpreter and a fixed script
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ungcuu.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert out.strip() == "Hà Nam XX"
