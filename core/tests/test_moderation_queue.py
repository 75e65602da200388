"""One moderation queue for every moderated kind (core.moderation): the admin's queue page and
the moderators' daily digest list pending profiles, events and funding opportunities alike."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from core.moderation import moderated_kinds
from directory.services.moderation import moderation_digest_send
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events.tests.factories import EventFactory
from funding.tests.factories import OpportunityFactory

QUEUE = "/en/admin/moderation/"


def _waiting(days: int) -> dict:
    return {
        "status": Status.PENDING,
        "published_at": None,
        "submitted_at": timezone.now() - dt.timedelta(days=days),
    }


@pytest.fixture
def waiting(db):
    return {
        "organisation": OrganisationFactory(name="Waiting Lab", spam_score=40, **_waiting(2)),
        "project": ProjectFactory(name="Waiting Project", **_waiting(1)),
        "event": EventFactory(title="Waiting Meetup", **_waiting(4)),
        "opportunity": OpportunityFactory(title="Waiting Grant", **_waiting(3)),
        "published": EventFactory(title="Already Out"),
    }


@pytest.fixture
def moderator(db):
    person = UserFactory(is_staff=True, email="moderator@example.org")
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


def test_every_moderated_kind_is_registered_in_order():
    labels = [str(kind.label) for kind in moderated_kinds()]
    assert labels == ["organisations", "projects", "claims", "events", "funding opportunities"]


def test_the_queue_lists_every_kind_waiting_longest_first(
    client, moderator, waiting, django_assert_max_num_queries
):
    client.force_login(moderator)
    with django_assert_max_num_queries(14):  # session, user, permissions, two per kind
        response = client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "4 items wait for review." in page
    for kind, item in waiting.items():
        title = getattr(item, "name", None) or item.title
        if kind == "published":
            assert title not in page
        else:
            assert title in page
            assert f"/{item.pk}/change/" in page
    assert page.index("Organisations: 1") < page.index("Projects: 1") < page.index("Events: 1")
    assert page.index("Events: 1") < page.index("Funding opportunities: 1")


def test_the_admin_index_links_the_queue(client, moderator, db):
    client.force_login(moderator)
    assert QUEUE in client.get("/en/admin/").content.decode()


def test_a_moderator_of_one_kind_sees_that_kind_alone(client, waiting, db):
    person = UserFactory(is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="change_event"))
    client.force_login(person)
    page = client.get(QUEUE).content.decode()
    assert "Waiting Meetup" in page
    assert "Waiting Lab" not in page
    assert "Waiting Grant" not in page


def test_staff_who_moderate_nothing_are_refused(client, db):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(QUEUE).status_code == 403


def test_visitors_are_sent_to_log_in(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_digest_mentions_pending_events_and_funding(
    moderator, waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation_digest_send() == 1
    message = mail.outbox[0]
    assert message.subject == "DSI Hub moderation: 4 waiting for review, 0 reports"
    body = message.body
    assert "Events: 1 waiting for review" in body
    assert "Funding opportunities: 1 waiting for review" in body
    assert "- Waiting Meetup: " in body
    assert f"/en/admin/events/event/{waiting['event'].pk}/change/" in body
    assert f"/en/admin/funding/opportunity/{waiting['opportunity'].pk}/change/" in body
    assert "The oldest has waited 4 days." in body
    assert "Waiting Lab (spam score 40)" in body


def test_the_admin_index_has_no_queue_link_for_staff_who_moderate_nothing(client, db):
    client.force_login(UserFactory(is_staff=True))
    assert QUEUE not in client.get("/en/admin/").content.decode()
