import pytest

from ungcuu.accounts.forms import ProfileForm
from ungcuu.accounts.models import User
from ungcuu.core.names import full_name, split_full_name


def test_full_name_puts_the_family_name_first():
    assert full_name("Tạ Quang", "Huy") == "Tạ Quang Huy"
    assert full_name("", "Huy") == "Huy"
    assert full_name(" Tạ Quang ", "") == "Tạ Quang"


def test_split_full_name_reads_vietnamese_order():
    assert split_full_name("  Tạ  Quang Huy ") == ("Tạ Quang", "Huy")
    assert split_full_name("Huy") == ("", "Huy")


@pytest.mark.django_db
def test_user_name_is_family_first_everywhere():
    user = User.objects.create(username="huy", last_name="Tạ Quang", first_name="Huy")
    assert user.full_name == user.get_full_name() == str(user) == "Tạ Quang Huy"
    assert str(User(username="svc")) == "svc"


def test_profile_form_asks_family_name_first():
    assert list(ProfileForm().fields)[:2] == ["last_name", "first_name"]
