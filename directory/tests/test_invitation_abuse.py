"""Invitations are not a spam relay: an unreviewed profile invites only people who already have
an account, links in the names an invitation shows are not clickable, new accounts invite fewer
people a day, and moderators see who sends many."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Invitation
from directory.services import invitation_rules
from directory.services import members as services
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SPAM_NAME = "URGENT verify your account at https://evil.example/login"
QUEUE = "/en/admin/moderation/"


def old_account(**kwargs):
    return UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30), **kwargs)


def test_an_unpublished_profile_invites_only_people_with_an_account(
    client, django_capture_on_commit_callbacks
):
    owner = old_account()
    draft = OrganisationFactory(owner=owner, name=SPAM_NAME, status=Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(profile=draft, user=owner, email="victim@example.org")
    assert refused.value.message_dict["email"] == [
        "Until the profile is published, you can invite only people who already have an "
        "account on the hub."
    ]
    client.force_login(owner)
    members = f"/en/organisations/{draft.slug}/members/"
    response = client.post(
        members, {"action": "invite", "email": "victim@example.org", "role": "member"}
    )
    assert response.status_code == 400
    assert "Until the profile is published" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    # A colleague who has an account may be invited to the draft.
    UserFactory(email="colleague@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(profile=draft, user=owner, email="Colleague@example.org")
    assert [message.to for message in mail.outbox] == [["Colleague@example.org"]]


def test_links_in_names_are_not_clickable_in_the_invitation(django_capture_on_commit_callbacks):
    owner = old_account(name="Support team www.evil.example")
    organisation = OrganisationFactory(owner=owner, name=SPAM_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(profile=organisation, user=owner, email="victim@example.org")
    message = mail.outbox[0]
    for text in (message.subject, message.body):
        assert "evil.example" not in text
        assert "https://evil" not in text
        assert "evil[.]example" in text
    assert "Support team www[.]evil[.]example" in message.body
    # The hub's own links still work.
    assert "http://127.0.0.1:8000/en/accounts/signup/" in message.body


def test_new_accounts_send_fewer_invitations_a_day():
    newcomer = UserFactory()
    organisation = OrganisationFactory(owner=newcomer)
    for n in range(invitation_rules.NEW_ACCOUNT_INVITATIONS_PER_DAY):
        services.invitation_create(profile=organisation, user=newcomer, email=f"n{n}@example.org")
    with pytest.raises(services.RateLimited):
        services.invitation_create(profile=organisation, user=newcomer, email="more@example.org")
    settled = old_account()
    other = OrganisationFactory(owner=settled)
    for n in range(invitation_rules.NEW_ACCOUNT_INVITATIONS_PER_DAY + 1):
        services.invitation_create(profile=other, user=settled, email=f"s{n}@example.org")
    assert Invitation.objects.filter(invited_by=settled).count() == 6


def test_the_moderation_queue_shows_who_sends_many_invitations(client):
    busy = old_account(email="busy@example.org", name="Busy Inviter")
    quiet = old_account(email="quiet@example.org")
    organisation = OrganisationFactory(owner=busy)
    for n in range(12):
        services.invitation_create(profile=organisation, user=busy, email=f"b{n}@example.org")
    services.invitation_create(
        profile=OrganisationFactory(owner=quiet), user=quiet, email="q@example.org"
    )
    # Invitations older than a day are not counted.
    Invitation.objects.filter(email__in=["b0@example.org", "b1@example.org"]).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    assert "Invitations sent in the last 24 hours" in page
    row = page[page.index("busy@example.org") :][:400]
    assert ">10<" in row
    assert "quiet@example.org" not in page
    link = f"/en/admin/directory/invitation/?invited_by__id__exact={busy.pk}"
    assert link in page
    listed = client.get(link)
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == 12


def test_who_may_not_see_invitations_does_not_see_who_sends_them(client):
    busy = old_account(email="busy@example.org")
    organisation = OrganisationFactory(owner=busy)
    for n in range(invitation_rules.INVITATIONS_WATCHED):
        services.invitation_create(profile=organisation, user=busy, email=f"b{n}@example.org")
    events_moderator = UserFactory(is_staff=True)
    events_moderator.user_permissions.add(Permission.objects.get(codename="change_event"))
    client.force_login(events_moderator)
    page = client.get(QUEUE).content.decode()
    assert "Invitations sent in the last 24 hours" not in page
    assert "busy@example.org" not in page
