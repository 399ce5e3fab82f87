"""Factories for registered systems; registration and dossier moves go through the services."""

import datetime

import factory
from factory.django import DjangoModelFactory

from ungcuu.organizations.models import Membership
from ungcuu.organizations.tests.factories import OrganizationFactory, member, registry_clerk
from ungcuu.systems import services
from ungcuu.systems.models import InformationSystem


class InformationSystemFactory(DjangoModelFactory):
    """A system registered through `register_system` (dossier 'proposed', REGISTERED event written)."""

    class Meta:
        model = InformationSystem

    name = factory.Sequence(lambda n: f"Hệ thống thử nghiệm số {n}")
    owner = factory.SubFactory(OrganizationFactory)
    operator = factory.SelfAttribute("owner")
    security_level = 2

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return services.register_system(actor=actor or registry_clerk(), **kwargs)


def appraised(system: InformationSystem, actor=None) -> InformationSystem:
    note = "Văn bản thẩm định số 12/BKHCN-CATTT" if system.security_level >= 4 else "Đồng ý cấp độ"
    return services.appraise_dossier(actor=actor or registry_clerk(), system=system, note=note)


def approver_for(system: InformationSystem):
    """Who the law lets approve this level (NĐ85 Art. 12): the specialised unit for levels 1-2, else a
    manager of the owner (who records the owner's, or for level 5 the Government's, decision)."""
    if system.security_level <= 2:
        return registry_clerk()
    return member(system.owner, Membership.Role.MANAGER)


def approved(system: InformationSystem, actor=None) -> InformationSystem:
    return services.approve_level(
        actor=actor or approver_for(system),
        system=appraised(system),
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2026, 1, 15),
    )
