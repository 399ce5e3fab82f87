"""Factories for users, organizations and focal points.

Rows that carry history (focal points) are created through the service, so every test sees the same
staff-change rows a real user would leave behind (Zulip: state through real actions).
"""

import factory
from factory.django import DjangoModelFactory, Password

from ungcuu.accounts.models import User
from ungcuu.organizations import services
from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization

PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    password = Password(PASSWORD)


def registry_clerk() -> User:
    """The coordinator factories act as when a test does not name an actor."""
    user, _ = User.objects.get_or_create(
        username="factory-coordinator", defaults={"platform_role": User.PlatformRole.COORDINATOR}
    )
    return user


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG-{n:03d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm số {n}")
    kind = Kind.OPERATOR


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.VIEWER


class FocalPointFactory(DjangoModelFactory):
    """A contact added through `add_focal_point`, so its ADDED staff-change row exists too."""

    class Meta:
        model = FocalPoint

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Sequence(lambda n: f"Trần Thị Liên Lạc {n}")
    title = "Chuyên viên"
    mobile = "0912 345 678"
    email = factory.Sequence(lambda n: f"daumoi{n}@example.gov.vn")

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return services.add_focal_point(actor=actor or registry_clerk(), **kwargs)


def member(organization: Organization, role: str, **user_fields) -> User:
    """A new user holding `role` in `organization`."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user
