"""Factories for registered systems; registration and dossier moves go through the services."""

import datetime

import factory
from factory.django import DjangoModelFactory

from ungcuu.organizations.tests.factories import OrganizationFactory, registry_clerk
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
    return services.appraise_dossier(actor=actor or registry_clerk(), system=system, note="Đồng ý cấp độ")


def approved(system: InformationSystem, actor=None) -> InformationSystem:
    actor = actor or registry_clerk()
    return services.approve_level(
        actor=actor,
        system=appraised(system, actor),
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2026, 1, 15),
    )
