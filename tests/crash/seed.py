"""Seed the crash-safety instance: a unit with a responder holding an API token, and the specialised unit.

Run as a script in the instance's environment; prints the token and the unit's id as JSON.
"""

import json

import django

django.setup()

from ungcuu.accounts.models import User  # noqa: E402
from ungcuu.accounts.tokens import create_token  # noqa: E402
from ungcuu.organizations.models import Kind, Membership, Organization  # noqa: E402

unit = Organization.objects.create(
    code="SO-CRASH", name="Sở Thử nghiệm", kind=Kind.OPERATOR, intake_email="unit@example.org"
)
Organization.objects.create(
    code="SO-KHCN", name="Sở KH&CN", kind=Kind.SPECIALISED_UNIT, intake_email="csirt@example.org"
)
user = User.objects.create_user(username="reporter", email="reporter@example.org", password=None)
Membership.objects.create(user=user, organization=unit, role=Membership.Role.RESPONDER)
_token, secret = create_token(actor=user, name="crash test")
print(json.dumps({"token": secret, "organization": unit.pk}))
