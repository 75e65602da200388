"""Reports from visitors, spam signals on submissions, and the moderators' digest."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Organisation
from directory.models import Project
from directory.models import Report
from directory.services.moderation import moderation_digest_send
from directory.services.moderation import moderators
from directory.services.moderation import profile_assess_spam
from directory.services.moderation import report_create
from directory.services.moderation import report_resolve
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory


def report_url(profile):
    return reverse(f"directory:{profile.kind}_report", args=[profile.slug])


# --- The report form ----------------------------------------------------------------------------


def test_anyone_can_report_a_published_profile(client, db):
    organisation = OrganisationFactory(name="Dubious Org")
    page = client.get(report_url(organisation))
    assert page.status_code == 200
    assert "Report Dubious Org" in page.content.decode()
    response = client.post(
        report_url(organisation), {"reason": "spam", "message": "  Only casino links.  "}
    )
    assert response.status_code == 302
    assert response.url == organisation.get_absolute_url()
    report = Report.objects.get()
    assert report.organisation == organisation
    assert report.reason == Report.Reason.SPAM
    assert report.message == "Only casino links."
    assert report.reporter is None
    assert report.state == Report.State.OPEN
    followed = client.get(response.url)
    assert "Thank you: the moderators will look at Dubious Org." in followed.content.decode()


def test_a_logged_in_reporter_is_remembered(client, user):
    project = ProjectFactory()
    client.force_login(user)
    response = client.post(report_url(project), {"reason": "inaccurate"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.project, report.reporter) == (project, user)


def test_a_report_needs_a_known_reason(client, db):
    organisation = OrganisationFactory()
    response = client.post(report_url(organisation), {"reason": "boredom", "message": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    response = client.post(report_url(organisation), {"message": "x" * 2001, "reason": "other"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_bot_filling_the_honeypot_is_thanked_but_nothing_is_stored(client, db):
    organisation = OrganisationFactory()
    response = client.post(
        report_url(organisation), {"reason": "spam", "website_url": "http://spam.example"}
    )
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_reports_are_rate_limited_per_address(client, db):
    organisation = OrganisationFactory()
    statuses = [
        client.post(report_url(organisation), {"reason": "spam"}).status_code for _ in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    assert Report.objects.count() == 10
    response = client.post(report_url(organisation), {"reason": "spam"})
    assert response.status_code == 429
    assert "Please try again in an hour." in response.content.decode()
    # Someone else, from another address, is not held back.
    other = client.post(report_url(organisation), {"reason": "spam"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED])
def test_profiles_not_published_cannot_be_reported(client, db, status):
    organisation = OrganisationFactory(status=status)
    assert client.get(report_url(organisation)).status_code == 404
    assert client.post(report_url(organisation), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_unknown_profiles_cannot_be_reported(client, db):
    assert client.get("/en/organisations/nobody-here/report/").status_code == 404
    assert client.get("/en/projects/nobody-here/report/").status_code == 404


def test_the_report_page_takes_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    organisation = OrganisationFactory()
    with django_assert_num_queries(1):
        response = client.get(report_url(organisation))
    assert response.status_code == 200


def test_the_report_form_is_accessible(client, db):
    page = client.get(report_url(ProjectFactory())).content.decode()
    assert (
        '<legend>What is wrong with this profile? <span class="required">(required)</span></legend>'
    ) in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'aria-hidden="true"' in page  # the honeypot


# --- Report services ----------------------------------------------------------------------------


def test_report_create_refuses_profiles_not_published(db):
    draft = OrganisationFactory(status=Status.DRAFT)
    with pytest.raises(ValidationError):
        report_create(profile=draft, reason="spam")
    with pytest.raises(ValidationError):
        report_create(profile=OrganisationFactory(), reason="nonsense")


def test_report_resolve_closes_a_report_once(db, user):
    report = report_create(profile=OrganisationFactory(), reason="spam")
    assert report_resolve(report=report, moderator=user) is True
    assert report_resolve(report=report, moderator=user, state=Report.State.DISMISSED) is False
    report.refresh_from_db()
    assert report.state == Report.State.RESOLVED
    assert report.resolved_by == user
    with pytest.raises(ValidationError):
        report_resolve(report=report, moderator=user, state=Report.State.OPEN)


# --- Spam signals -------------------------------------------------------------------------------


def test_spam_signals_of_an_obvious_spammer(db):
    spammer = UserFactory()
    profile = Organisation(
        name="CHEAP CASINO BONUS",
        short_description="Best casino",
        description="Visit http://a.example http://b.example http://c.example www.d.example",
        website="http://casino.example",
    )
    score, signals = profile_assess_spam(profile=profile, user=spammer)
    assert score >= 80
    assert "4 links in the description" in signals
    assert "account less than a week old" in signals
    assert "name in capitals" in signals
    assert "website without https" in signals


def test_a_real_profile_scores_low(db):
    member = UserFactory(date_joined=timezone.now() - timezone.timedelta(days=400))
    profile = Organisation(
        name="Open Data Lab Gent",
        short_description="Open data for the city",
        description="We help the city of Gent publish open data and build tools with citizens.",
        website="https://odl.example",
    )
    assert profile_assess_spam(profile=profile, user=member) == (0, [])


def test_a_copy_of_a_published_name_and_a_busy_account_are_signals(db):
    OrganisationFactory(name="Fab Lab Barcelona")
    busy = UserFactory(date_joined=timezone.now() - timezone.timedelta(days=400))
    for n in range(4):
        ProjectFactory(name=f"Busy {n}", created_by=busy, status=Status.DRAFT)
    profile = OrganisationFactory(
        name="fab lab barcelona",
        slug="fab-lab-barcelona-2",
        status=Status.DRAFT,
        created_by=busy,
        website="https://fablab.example",
    )
    score, signals = profile_assess_spam(profile=profile, user=busy)
    assert "same name as a published profile" in signals
    assert "5 profiles from this account in a day" in signals
    assert score == 35


# --- The digest ---------------------------------------------------------------------------------


@pytest.fixture
def moderator_team(db):
    community = Group.objects.get(name=COMMUNITY_ADMINS)
    first = UserFactory(email="mod1@example.org", is_staff=True)
    first.groups.add(community)
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    gone = UserFactory(email="gone@example.org", is_active=False)
    gone.groups.add(community)
    UserFactory(email="member@example.org")
    return [first, root]


def test_moderators_are_active_community_admins_and_superusers(moderator_team):
    assert list(moderators()) == moderator_team


def test_no_digest_when_there_is_nothing_to_review(moderator_team):
    OrganisationFactory()
    Report.objects.create(
        organisation=OrganisationFactory(), reason="spam", state=Report.State.RESOLVED
    )
    assert moderation_digest_send() == 0
    assert not mail.outbox


def test_the_digest_summarises_the_queue(
    moderator_team, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example"
    old = OrganisationFactory(
        name="Old Waiting",
        status=Status.PENDING,
        submitted_at=timezone.now() - timezone.timedelta(days=3, hours=1),
        spam_score=10,
    )
    OrganisationFactory(
        name="Spammy Waiting", status=Status.PENDING, submitted_at=timezone.now(), spam_score=80
    )
    ProjectFactory(name="Project Waiting", status=Status.PENDING, submitted_at=timezone.now())
    Report.objects.create(organisation=OrganisationFactory(), reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation_digest_send() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "mod1@example.org",
        "root@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "DSI Hub moderation: 3 waiting for review, 1 reports"
    body = message.body
    assert "Organisations: 2 waiting for review" in body
    assert "Projects: 1 waiting for review" in body
    assert "The oldest has waited 3 days." in body
    assert body.index("Spammy Waiting (spam score 80)") < body.index("Old Waiting (spam score 10)")
    assert f"https://hub.example/en/admin/directory/organisation/{old.pk}/change/" in body
    assert "https://hub.example/en/admin/directory/organisation/?status__exact=pending" in body
    assert "1 open report from visitors." in body
    assert "https://hub.example/en/admin/directory/report/?state__exact=open" in body
    assert Project.objects.filter(status=Status.PENDING).count() == 1


def test_open_reports_alone_make_a_digest(moderator_team, django_capture_on_commit_callbacks):
    Report.objects.create(project=ProjectFactory(), reason="offensive")
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation_digest_send() == 2
    assert "Organisations: 0 waiting for review" in mail.outbox[0].body
