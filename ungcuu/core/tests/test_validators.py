"""What people mistype is refused with a message next to the field: a phone "abc", a due date in the past,
a date in 2099."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from ungcuu.core import validators

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "phone",
    ["0912 345 678", "+84 229 3871 234", "(0229) 3.871.234", "0229 3871 234 / 0912 345 678", "1900-1234", ""],
)
def test_phone_numbers_as_people_write_them_pass(phone):
    assert validators.validate_phone(phone) == phone.strip()


@pytest.mark.parametrize("phone", ["abc", "0912abc678", "123", "0912 345 678 999 888 77", "ext. 12", "/"])
def test_a_phone_that_is_not_a_number_is_refused(phone):
    with pytest.raises(ValidationError):
        validators.validate_phone(phone)


def test_check_phones_names_each_bad_field():
    with pytest.raises(ValidationError) as caught:
        validators.check_phones(
            {"phone": "abc", "fax": "0229 3871 234", "mobile": "12"}, ["phone", "fax", "mobile"]
        )
    assert set(caught.value.message_dict) == {"phone", "mobile"}


@settings(derandomize=True, max_examples=60)
@given(st.text(max_size=40))
def test_phone_check_raises_only_its_documented_error(text):
    try:
        validators.validate_phone(text)
    except ValidationError as exc:
        assert exc.code == "phone"


def test_a_due_date_in_the_past_is_refused_and_now_is_not():
    with pytest.raises(ValidationError) as caught:
        validators.check_not_past(NOW - datetime.timedelta(days=1), "due_at", now=NOW)
    assert "due_at" in caught.value.message_dict
    validators.check_not_past(NOW - datetime.timedelta(minutes=1), "due_at", now=NOW)  # clock skew
    validators.check_not_past(NOW.date(), "due_on", now=NOW)  # today is still open
    validators.check_not_past(None, "due_on", now=NOW)


def test_a_date_in_2099_or_1999_is_refused_for_something_that_happened():
    for when in (datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC), datetime.date(1999, 12, 31)):
        with pytest.raises(ValidationError):
            validators.check_not_future(when, "scanned_at", now=NOW)
    validators.check_not_future(NOW, "scanned_at", now=NOW)
    validators.check_not_future(NOW.date(), "scanned_on", now=NOW)
