"""Indicators on advisories and incidents: one row per value, and "seen before" within each gate."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ungcuu.advisories import services
from ungcuu.advisories.indicators import add_indicator, remove_indicator, seen_before
from ungcuu.advisories.models import Advisory, AdvisoryEvent, Indicator
from ungcuu.incidents.models import TimelineEvent
from ungcuu.incidents.tests.factories import reported

pytestmark = pytest.mark.django_db

C2 = "hxxp://c2.evil-example[.]com/gate.php"
C2_CANONICAL = "http://c2.evil-example.com/gate.php"


def test_same_indicator_in_another_spelling_is_one_row(advisory, coordinator, incident_a, manager):
    first = add_indicator(actor=coordinator, value=C2, advisory=advisory)
    second = add_indicator(actor=manager, value="HTTP://C2.EVIL-EXAMPLE.COM./gate.php", incident=incident_a)
    again = add_indicator(actor=manager, value=C2_CANONICAL, incident=incident_a)

    assert first.created and not second.created and second.indicator == first.indicator
    assert first.indicator.value == C2_CANONICAL and first.indicator.kind == Indicator.Kind.URL
    assert again.attached is False and Indicator.objects.count() == 1
    assert advisory.events.filter(kind=AdvisoryEvent.Kind.INDICATOR_ADDED).count() == 1
    assert (
        incident_a.timeline.filter(
            kind=TimelineEvent.Kind.NOTE, data__indicator_id=first.indicator.pk
        ).count()
        == 1
    )


def test_seen_before_across_an_incident_and_an_advisory(advisory, coordinator, incident_a, manager, org_a):
    add_indicator(actor=coordinator, value="198.51.100.7", advisory=advisory)
    add_indicator(actor=manager, value="198.51.100.7", incident=incident_a)
    later = reported(manager, org_a, "Sự cố Alpha thứ hai")

    result = add_indicator(actor=manager, value="198.51.100[.]7", incident=later)

    assert result.seen_before.incidents == [incident_a]
    assert result.seen_before.advisories == [advisory]


def test_seen_before_respects_tenancy(advisory, coordinator, incident_a, incident_b, manager, outsider):
    add_indicator(actor=coordinator, value="evil-example.com", advisory=advisory)
    add_indicator(actor=manager, value="evil-example.com", incident=incident_a)

    result = add_indicator(actor=outsider, value="EVIL-EXAMPLE.COM", incident=incident_b)

    assert not result.seen_before  # org A's incident and the AMBER advisory to org A stay hidden
    assert seen_before(coordinator, result.indicator).incidents == [incident_b, incident_a]
    Advisory.objects.filter(pk=advisory.pk).update(tlp=Advisory.Tlp.GREEN)  # shared network-wide
    assert seen_before(outsider, result.indicator, incident=incident_b).advisories == [advisory]


def test_a_confidential_incident_is_not_revealed_by_its_indicators(org_a, manager, responder, incident_a):
    secret = reported(manager, org_a, "Sự cố Alpha mật", confidential=True)
    add_indicator(actor=manager, value="d41d8cd98f00b204e9800998ecf8427e", incident=secret)

    result = add_indicator(actor=responder, value="D41D8CD98F00B204E9800998ECF8427E", incident=incident_a)

    assert result.seen_before.incidents == []
    assert result.created  # issue 10 leak 4: "not created" told the responder the secret one had it
    assert seen_before(manager, result.indicator, incident=incident_a).incidents == [secret]


def test_who_may_attach(advisory, incident_a, viewer, outsider, manager, responder):
    for user, kwargs in ((viewer, {"incident": incident_a}), (outsider, {"incident": incident_a})):
        with pytest.raises(PermissionDenied):
            add_indicator(actor=user, value="198.51.100.7", **kwargs)
    with pytest.raises(PermissionDenied):
        add_indicator(actor=manager, value="198.51.100.7", advisory=advisory)  # the coordinator's text
    assert add_indicator(actor=responder, value="198.51.100.7", incident=incident_a).attached
    assert not Indicator.objects.exclude(value="198.51.100.7").exists()


def test_an_invalid_value_is_refused_with_a_message(incident_a, manager, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as caught:
        add_indicator(actor=manager, kind="ipv4", value="203.0.113.300", incident=incident_a)
    assert "not a valid IPv4 address" in caught.value.message_dict["value"][0]
    with pytest.raises(ValidationError):
        add_indicator(actor=manager, value="198.51.100.7")  # attached to nothing
    assert not Indicator.objects.exists()


def test_indicators_pasted_on_creation_are_attached(coordinator, tomcat_a):
    advisory = services.create_advisory(
        actor=coordinator,
        title="Chiến dịch lừa đảo",
        summary="S",
        recommended_actions="A",
        deadline=services.timezone.now() + services.datetime.timedelta(days=3),
        indicators=[
            "login-dichvucong[.]example",
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        ],
    )
    assert sorted(advisory.indicators.values_list("kind", flat=True)) == ["domain", "sha256"]


def test_remove_detaches_but_keeps_the_row(advisory, coordinator, incident_a, manager):
    indicator = add_indicator(actor=coordinator, value="198.51.100.9", advisory=advisory).indicator
    add_indicator(actor=manager, value="198.51.100.9", incident=incident_a)

    remove_indicator(actor=coordinator, indicator=indicator, advisory=advisory)
    remove_indicator(actor=manager, indicator=indicator, incident=incident_a)

    assert not advisory.indicators.exists() and not incident_a.indicators.exists()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert advisory.events.filter(kind=AdvisoryEvent.Kind.INDICATOR_REMOVED).count() == 1
