"""A person's data across the apps: the download holds all of it, and deleting the account
removes or anonymises all of it (accounts.services, the apps' receivers, core.personal_data)."""

import json

import pytest
import reversion
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.utils import timezone
from reversion.models import Revision
from reversion.models import Version

from accounts.models import User
from accounts.services import user_delete
from accounts.services import user_export_data
from accounts.tests.factories import UserFactory
from core.models import ModerationNotice
from core.models import OutgoingEmail
from core.models import Status
from directory.models import Claim
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Organisation
from directory.models import Project
from directory.models import Report
from directory.models import Role
from directory.services.claims import claim_create
from directory.services.members import invitation_create
from directory.services.members import join_request_create
from directory.services.moderation import report_create
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events import services as events
from events.models import Event
from events.tests.factories import EventFactory
from funding import services as funding
from funding.models import Opportunity
from funding.tests.factories import OpportunityFactory
from stories.models import Story
from stories.tests.factories import StoryFactory

NAME = "Ada Quillfeather"
EMAIL = "ada.quillfeather@example.org"


@pytest.fixture
def world(db):
    """A person with something of every kind the hub keeps about people, and others around."""
    person = UserFactory(name=NAME, email=EMAIL)
    other = UserFactory(name="Otto Keeper")
    w = {"person": person, "other": other}
    # Member of someone else's published organisation: its page names them.
    w["shared"] = shared = OrganisationFactory(name="Shared Works", owner=other)
    Membership.objects.create(user=person, role=Role.MEMBER, organisation=shared)
    # Their own: a published organisation and a draft project only they look after.
    w["own"] = own = OrganisationFactory(name="Ada Solo Lab", owner=person)
    w["draft"] = draft = ProjectFactory(name="Ada Draft Project", owner=person, status=Status.DRAFT)
    with reversion.create_revision():
        draft.save()
        reversion.set_user(person)
    # An invitation they sent, and one sent to them.
    w["sent"] = invitation_create(profile=own, user=person, email="friend@elsewhere.org")
    inviting = OrganisationFactory(name="Inviting Org", owner=other)
    w["received"] = invitation_create(profile=inviting, user=other, email=EMAIL.upper())
    # A request to join, a claim and a report, each with their words.
    joined = OrganisationFactory(name="Joinable Org", owner=other)
    w["join"] = join_request_create(profile=joined, user=person, message="I run its Lisbon hub")
    w["claimed"] = claimed = OrganisationFactory(name="Nobody's Org")
    w["claim"] = claim_create(profile=claimed, user=person, message="I founded it in 2015")
    w["report"] = report_create(
        profile=shared, reason="inaccurate", message="The address moved", reporter=person
    )
    # Events and funding opportunities they submitted: one published, the others waiting.
    w["event"] = event = EventFactory(title="Ada's Meetup", created_by=person)
    with reversion.create_revision():
        event.save()
        reversion.set_user(person)
        reversion.set_comment(f"Venue checked by {NAME} ({EMAIL})")
    with reversion.create_revision():  # an editor's change: the stored row still links to them
        event.save()
        reversion.set_user(other)
    w["pending_event"] = pending = EventFactory(
        title="Ada's Pending Meetup", created_by=person, status=Status.DRAFT
    )
    events.LIFECYCLE.submit(pending, user=person)
    w["opportunity"] = opportunity = OpportunityFactory(
        title="Ada's Draft Fund", created_by=person, status=Status.DRAFT
    )
    funding.LIFECYCLE.submit(opportunity, user=person)
    # A story they wrote for the editors.
    w["story"] = StoryFactory(title="Ada on open data", author=person, author_name="")
    # A message from them through the contact form; the invitation reached them already.
    EmailMessage(subject="Hello", body="A question", to=["team@hub.org"], reply_to=[EMAIL]).send()
    EmailMessage(subject="Unrelated", body="Not about them", to=["team@hub.org"]).send()
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT, sent_at=timezone.now())
    # An admin once changed their account: the admin's log names them.
    LogEntry.objects.log_actions(
        user_id=other.pk, queryset=[person], action_flag=CHANGE, change_message="Name"
    )
    return w


def test_the_download_holds_everything_about_the_person(world, client):
    person = world["person"]
    client.force_login(person)
    data = json.loads(client.post("/en/account/data/").content)
    # What was there before stays.
    assert data["account"]["email"] == EMAIL
    assert data["profile"]["name"] == NAME

    memberships = {row["name"]: row for row in data["memberships"]}
    assert memberships["Shared Works"]["role"] == "member"
    assert memberships["Ada Solo Lab"]["role"] == "owner"
    assert memberships["Ada Draft Project"]["kind"] == "project"
    assert memberships["Shared Works"]["joined"]

    [sent] = data["invitations_sent"]
    assert (sent["name"], sent["email"], sent["state"]) == (
        "Ada Solo Lab",
        "friend@elsewhere.org",
        "pending",
    )
    assert sent["sent"]
    [received] = data["invitations_received"]
    assert (received["name"], received["invited_by"]) == ("Inviting Org", "Otto Keeper")
    [join] = data["join_requests"]
    assert (join["name"], join["message"], join["state"]) == (
        "Joinable Org",
        "I run its Lisbon hub",
        "pending",
    )
    assert join["sent"]
    [claim] = data["claims"]
    assert (claim["name"], claim["message"], claim["status"]) == (
        "Nobody's Org",
        "I founded it in 2015",
        "pending",
    )
    assert claim["submitted"]
    [report] = data["reports"]
    assert (report["name"], report["reason"], report["message"]) == (
        "Shared Works",
        "inaccurate",
        "The address moved",
    )
    assert report["reported"]

    submitted = {row["title"]: row for row in data["events"]}
    assert submitted["Ada's Meetup"]["status"] == "published"
    assert submitted["Ada's Meetup"]["address"].endswith(world["event"].get_absolute_url())
    assert submitted["Ada's Pending Meetup"]["status"] == "pending"
    assert submitted["Ada's Pending Meetup"]["address"] is None
    assert submitted["Ada's Pending Meetup"]["submitted"]
    [opportunity] = data["funding_opportunities"]
    assert (opportunity["title"], opportunity["status"]) == ("Ada's Draft Fund", "pending")

    [story] = data["stories"]
    assert (story["title"], story["status"]) == ("Ada on open data", "published")
    assert story["address"].endswith(world["story"].get_absolute_url())

    subjects = [email["subject"] for email in data["emails"]]
    assert "You are invited to join Inviting Org on the DSI Hub" in subjects
    assert "Hello" in subjects  # the one they wrote, answers going to them
    assert all(email["sent"] for email in data["emails"])
    # Mail to other people is not theirs to download.
    assert not any("friend@elsewhere.org" in email["to"] for email in data["emails"])


def test_the_download_leaves_out_addresses_they_have_not_confirmed(world):
    from allauth.account.models import EmailAddress

    stranger = UserFactory()
    EmailAddress.objects.create(user=stranger, email=EMAIL.upper(), verified=False)
    data = user_export_data(user=stranger)
    assert data["invitations_received"] == []
    assert data["emails"] == []


def test_deleting_the_account_removes_or_anonymises_everything(
    world, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    person, other = world["person"], world["other"]
    shared_url = world["shared"].get_absolute_url()
    assert NAME in client.get(shared_url).content.decode()
    with django_assert_num_queries(0):  # the page is now served from the cache
        assert NAME in client.get(shared_url).content.decode()
    published_event = world["event"]

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=person)

    assert not User.objects.filter(pk=person.pk).exists()
    # The cached page no longer names them, at once.
    assert NAME not in client.get(shared_url).content.decode()
    # Other members' profiles stay as they were.
    shared = Organisation.objects.get(pk=world["shared"].pk)
    assert [m.user for m in shared.memberships.all()] == [other]
    # Their published organisation stays public, with nobody looking after it (claimable).
    own = Organisation.objects.get(pk=world["own"].pk)
    assert own.status == Status.PUBLISHED
    assert not own.memberships.exists()
    # Their draft goes, with its history.
    assert not Project.objects.filter(pk=world["draft"].pk).exists()
    assert not Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=str(world["draft"].pk)
    ).exists()
    # Invitations: none with their address; the ones they sent no longer name them.
    assert not Invitation.objects.filter(email__iexact=EMAIL).exists()
    assert Invitation.objects.get(pk=world["sent"].pk).invited_by is None
    # Requests to join and claims go; the moderators' notice naming the claimant too.
    assert not JoinRequest.objects.exists()
    assert not Claim.objects.exists()
    assert not ModerationNotice.objects.filter(title__icontains=NAME).exists()
    # The report stays for moderators, without its reporter.
    assert Report.objects.get(pk=world["report"].pk).reporter is None
    # Published submissions stay without their author; waiting ones go.
    published_event.refresh_from_db()
    assert published_event.created_by is None
    assert not Event.objects.filter(pk=world["pending_event"].pk).exists()
    assert not Opportunity.objects.filter(pk=world["opportunity"].pk).exists()
    # Stories stay, without their link to them.
    assert Story.objects.get(pk=world["story"].pk).author is None
    # History no longer names them: not as the author, not in notes, not in the stored rows.
    for revision in Revision.objects.all():
        assert NAME not in revision.comment and EMAIL not in revision.comment
    assert Revision.objects.filter(comment__startswith="Venue checked by a deleted account")
    versions = Version.objects.get_for_object(published_event)
    assert [version.revision.user for version in versions] == [other, None]
    for version in versions:
        fields = json.loads(version.serialized_data)[0]["fields"]
        assert fields["created_by"] is None
    assert not LogEntry.objects.filter(object_repr__icontains=EMAIL).exists()
    # No copy of email to, from or about them is kept.
    for email in OutgoingEmail.objects.all():
        text = json.dumps(email.message).lower()
        assert EMAIL not in text and NAME.lower() not in text, email.message
    assert OutgoingEmail.objects.exists()  # mail that never involved them stays


def test_reverting_a_version_that_named_them_shows_a_deleted_account(
    world, admin_client, django_capture_on_commit_callbacks
):
    event = world["event"]
    event.description = f"<p>Hosted by {NAME}.</p>"
    with reversion.create_revision():
        event.save()
        reversion.set_user(world["person"])
    version = Version.objects.get_for_object(event).first()

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=world["person"])

    url = f"/en/admin/events/event/{event.pk}/history/{version.pk}/"
    page = admin_client.get(url).content.decode()
    assert NAME not in page
    assert "a deleted account" in page
    history = admin_client.get(f"/en/admin/events/event/{event.pk}/history/")
    assert history.status_code == 200
    assert NAME not in history.content.decode()


def test_names_in_full_length_fields_are_replaced_within_their_length(
    world, admin_client, django_capture_on_commit_callbacks
):
    """The placeholder is longer than many names: a title or a log line that was full
    stays within its column, so deleting the account and reverting both work."""
    event = world["event"]
    event.title = f"Meetup with {NAME} ".ljust(200, "x")
    with reversion.create_revision():
        event.save()
        reversion.set_user(world["other"])
    version = Version.objects.get_for_object(event).first()
    LogEntry.objects.log_actions(
        user_id=world["other"].pk, queryset=[event], action_flag=CHANGE, change_message="Title"
    )
    assert len(LogEntry.objects.latest("pk").object_repr) == 200

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=world["person"])

    assert not LogEntry.objects.filter(object_repr__contains=NAME).exists()
    url = f"/en/admin/events/event/{event.pk}/history/{version.pk}/"
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert NAME not in page and "Meetup with a deleted account" in page


def test_an_editors_note_naming_them_keeps_its_editor(world, django_capture_on_commit_callbacks):
    event = world["event"]
    with reversion.create_revision():
        event.save()
        reversion.set_user(world["other"])
        reversion.set_comment(f"Asked {NAME} about the venue")
    note = Revision.objects.latest("pk")

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=world["person"])

    note.refresh_from_db()
    assert note.comment == "Asked a deleted account about the venue"
    assert note.user == world["other"]
