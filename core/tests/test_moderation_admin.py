"""The moderation admin every kind of submitted content shares (core.moderation_admin:
ModerationAdminMixin, SubmissionAdminMixin), tested once for each app that uses it: the preview,
the change form's moderation buttons, approve and reject (one or many, with a reason emailed to
the authors), who may moderate, and the history. What differs (the queue, its filters, the forms)
is tested in the apps."""

from dataclasses import dataclass

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.admin_forms import admin_form_data
from events import services as event_services
from events.tests.factories import EventFactory
from events.tests.helpers import admin_form_data as event_form_data
from funding import services as funding_services
from funding.tests.factories import OpportunityFactory


@dataclass(frozen=True)
class App:
    """What these tests need to know of one app's admin."""

    factory: type
    admin_name: str  # the admin's URL names: admin:<app_label>_<model_name>_<page>
    plural: str  # the model's verbose name in plural, as the messages say it
    version: object  # the public caches' version: moves on when the content changes
    update: object  # the service: update(obj, user=..., fields=...)
    submit: object  # the service: submit(obj, user=...)
    form_data: object  # the change form's POST data from its GET response

    @property
    def model(self):
        return self.factory._meta.model

    @property
    def changelist(self) -> str:
        return self.url("changelist")

    def url(self, name: str, *args) -> str:
        return reverse(f"admin:{self.admin_name}_{name}", args=args)

    def pending(self, title="Waiting for review", author=None, **kwargs):
        return self.factory(
            title=title,
            created_by=author or UserFactory(),
            status=Status.PENDING,
            published_at=None,
            submitted_at=timezone.now(),
            **kwargs,
        )


EVENTS = App(
    factory=EventFactory,
    admin_name="events_event",
    plural="events",
    version=event_services.events_version,
    update=event_services.LIFECYCLE.update,
    submit=event_services.LIFECYCLE.submit,
    # Its times are split into date and time in the event's own zone.
    form_data=event_form_data,
)
FUNDING = App(
    factory=OpportunityFactory,
    admin_name="funding_opportunity",
    plural="funding opportunities",
    version=funding_services.opportunities_version,
    update=funding_services.LIFECYCLE.update,
    submit=funding_services.LIFECYCLE.submit,
    form_data=admin_form_data,
)


@pytest.fixture(params=[EVENTS, FUNDING], ids=["events", "funding"])
def app(request):
    return request.param


@pytest.fixture
def moderator(db):
    person = UserFactory(is_staff=True, email="moderator@example.org")
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


# --- Preview ------------------------------------------------------------------------------------


def test_preview_shows_a_pending_one(app, admin_client):
    waiting = app.pending(title="Not public yet", description="<p>All about it</p>")
    response = admin_client.get(app.url("preview", waiting.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not public yet" in page and "All about it" in page
    assert app.url("change", waiting.pk) in page
    assert "Submit for review" not in page


def test_people_without_admin_access_cannot_preview(app, client, user):
    waiting = app.pending(title="Hidden")
    client.force_login(user)
    response = client.get(app.url("preview", waiting.pk))
    assert response.status_code == 302
    assert "Hidden" not in response.content.decode()


def test_the_change_form_has_the_moderation_buttons(app, admin_client):
    waiting = app.pending()
    page = admin_client.get(app.url("change", waiting.pk)).content.decode()
    assert app.url("approve", waiting.pk) in page
    assert app.url("preview", waiting.pk) in page
    assert f"{app.url('reject')}?ids={waiting.pk}" in page


# --- Approve and reject ---------------------------------------------------------------------------


def test_approve_one_from_its_change_form(
    app, admin_client, moderator, django_capture_on_commit_callbacks
):
    waiting = app.pending(title="Approve me", author=UserFactory(email="author@example.org"))
    before = app.version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(app.url("approve", waiting.pk), follow=True)
    assert response.redirect_chain[0][0] == app.url("change", waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED and waiting.published_at is not None
    assert list(app.model.objects.published()) == [waiting]
    assert app.version() > before
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert "Approve me" in mail.outbox[0].subject
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Approved and published: Approve me. The author was emailed."]
    version = Version.objects.get_for_object(waiting).first()
    assert version.revision.user == moderator
    assert version.revision.get_comment() == "Approved"


def test_approve_needs_a_post(app, admin_client):
    waiting = app.pending()
    assert admin_client.get(app.url("approve", waiting.pk)).status_code == 405
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


def test_approve_several_at_once(app, admin_client, django_capture_on_commit_callbacks):
    first, second = app.pending(title="First"), app.pending(title="Second")
    live = app.factory(title="Live already")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            app.changelist,
            {"action": "approve_selected", "_selected_action": [first.pk, second.pk, live.pk]},
            follow=True,
        )
    assert app.model.objects.published().count() == 3
    assert len(mail.outbox) == 2
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [
        ("success", "Approved and published: First, Second. The authors were emailed."),
        ("warning", "Not waiting for review, so left unchanged: Live already."),
    ]


def test_reject_several_asks_for_a_reason(
    app, admin_client, moderator, django_capture_on_commit_callbacks
):
    first = app.pending(title="First", author=UserFactory(email="first@example.org"))
    second = app.pending(title="Second", author=UserFactory(email="second@example.org"))
    response = admin_client.post(
        app.changelist, {"action": "reject_selected", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert f"These 2 {app.plural} will be rejected" in page.content.decode()

    reject = app.url("reject")
    refused = admin_client.post(reject, {"ids": [first.pk, second.pk], "reason": "   "})
    assert refused.status_code == 400
    assert "Please give the author a reason." in refused.content.decode()
    assert set(app.model.objects.values_list("status", flat=True)) == {Status.PENDING}

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(
            reject,
            {"ids": [first.pk, second.pk], "reason": "Please add the missing details."},
            follow=True,
        )
    assert done.redirect_chain[0][0] == app.changelist
    assert set(app.model.objects.values_list("status", flat=True)) == {Status.REJECTED}
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert all("Please add the missing details." in m.body for m in mail.outbox)
    assert [str(m) for m in done.context["messages"]] == [
        "Rejected: First, Second. The authors were emailed the reason."
    ]
    first.refresh_from_db()
    assert first.rejection_reason == "Please add the missing details."
    version = Version.objects.get_for_object(first).first()
    assert version.revision.user == moderator
    assert version.revision.get_comment() == "Rejected: Please add the missing details."


def test_reject_one_from_its_change_form(app, admin_client, django_capture_on_commit_callbacks):
    waiting = app.pending(author=UserFactory(email="author@example.org"))
    reject_url = f"{app.url('reject')}?ids={waiting.pk}"
    assert admin_client.get(reject_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(app.url("reject"), {"ids": [waiting.pk], "reason": "Spam."})
    assert response.url == app.url("change", waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == Status.REJECTED
    assert mail.outbox[0].to == ["author@example.org"]
    assert "Spam." in mail.outbox[0].body


def test_rejecting_ones_not_pending_changes_nothing(app, admin_client):
    live = app.factory()
    response = admin_client.post(
        app.url("reject"), {"ids": [live.pk, "nonsense"], "reason": "No."}, follow=True
    )
    live.refresh_from_db()
    assert live.status == Status.PUBLISHED
    assert [str(m) for m in response.context["messages"]] == [
        f"None of the selected {app.plural} is waiting for review: nothing changed."
    ]


def test_staff_without_permissions_cannot_moderate(app, client, db):
    client.force_login(UserFactory(is_staff=True))
    waiting = app.pending()
    assert client.post(app.url("approve", waiting.pk)).status_code == 403
    assert client.get(f"{app.url('reject')}?ids={waiting.pk}").status_code == 403
    assert client.get(app.url("preview", waiting.pk)).status_code == 403
    assert client.get(app.changelist).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


# --- History ------------------------------------------------------------------------------------


def test_history_lists_who_did_what_and_revert_restores(app, admin_client, moderator):
    author = UserFactory(email="author@example.org")
    obj = app.factory(created_by=author, title="First title", status=Status.DRAFT)
    with reversion.create_revision():
        obj.save()
        reversion.set_comment("Imported")
    app.update(obj, user=author, fields={"title": "Second title"})
    app.submit(obj, user=author)
    admin_client.post(app.url("approve", obj.pk))
    page = admin_client.get(app.url("history", obj.pk)).content.decode()
    assert "author@example.org" in page and "moderator@example.org" in page
    assert page.index("Approved") < page.index("Submitted for review")
    assert page.index("Submitted for review") < page.index("Changed title")

    first = Version.objects.get_for_object(obj).last()
    revision_url = app.url("revision", obj.pk, first.pk)
    form = admin_client.get(revision_url)
    assert form.status_code == 200
    response = admin_client.post(revision_url, app.form_data(form))
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.title == "First title"
    assert list(app.model.objects.matching("first")) == [obj]
    assert list(app.model.objects.matching("second")) == []
