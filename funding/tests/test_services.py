"""Submitting and moderating funding opportunities."""

import datetime as dt

import pytest
import reversion
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Status
from directory.models import Country
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.services import LIFECYCLE
from funding.services import opportunities_version


@pytest.fixture
def moderator(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(is_staff=True)


def fields(**overrides):
    return {
        "funding_type": FundingType.objects.get(slug="non-financial-support"),
        "link": "https://example.org/apply",
        "funder_name": "Civic Fund",
        "closes_on": timezone.localdate() + dt.timedelta(days=20),
        "currency": "eur",
        "description": "<p>Mentoring <script>x()</script>for founders</p>",
        **overrides,
    }


def test_an_opportunity_goes_from_draft_to_published(
    user, moderator, django_capture_on_commit_callbacks
):
    startups = FundingTarget.objects.get(slug="startup")
    spain = Country.objects.get(code="ES")
    opportunity = LIFECYCLE.create(
        user=user,
        title="Mentoring for civic startups",
        fields=fields(),
        relations={"targets": [startups], "countries": [spain]},
    )
    assert opportunity.status == Status.DRAFT and opportunity.currency == "EUR"
    assert opportunity.description == "<p>Mentoring for founders</p>"
    assert {f"target:{startups.pk}", f"country:{spain.pk}"} <= set(opportunity.facet_keys)
    LIFECYCLE.submit(opportunity, user=user)
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.approve(opportunity, moderator=moderator)
    assert Opportunity.objects.published().open_on().get() == opportunity
    assert opportunities_version() != before
    assert "is now published" in mail.outbox[-1].subject
    assert len(reversion.models.Version.objects.get_for_object(opportunity)) == 3


def test_rejection_needs_a_reason_and_tells_the_author(
    user, moderator, django_capture_on_commit_callbacks
):
    opportunity = LIFECYCLE.create(user=user, title="Too good to be true", fields=fields())
    LIFECYCLE.submit(opportunity, user=user)
    with pytest.raises(ValidationError):
        LIFECYCLE.reject(opportunity, moderator=moderator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.reject(opportunity, moderator=moderator, reason="No link works.")
    assert opportunity.status == Status.REJECTED
    assert "No link works." in mail.outbox[-1].body


def test_only_the_author_or_staff_may_edit(user):
    from accounts.tests.factories import UserFactory

    opportunity = LIFECYCLE.create(user=user, title="Small grants", fields=fields())
    with pytest.raises(PermissionDenied):
        LIFECYCLE.update(opportunity, user=UserFactory(), fields={"title": "x"})


def test_closing_before_opening_is_refused(user):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        LIFECYCLE.create(
            user=user,
            title="Backwards",
            fields=fields(opens_on=today, closes_on=today - dt.timedelta(days=1)),
        )
    assert not Opportunity.objects.exists()
