"""The moderation admin every kind of submitted content shares (core.moderation_admin:
ModerationAdminMixin, SubmissionAdminMixin), tested once for each app that uses it: the preview,
the change form's moderation buttons, approve and reject (one or many, with a reason emailed to
the authors), who may moderate, and the history. What differs (the queue, its filters, the forms)
is tested in the apps."""

from dataclasses import dataclass

import pytest
import reversion
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
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


# --- Approve and reject from the preview ---------------------------------------------------------


def csrf_client(client, moderator):
    """A client that, like a browser, must send the CSRF token of the page it posts from."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    return strict


def csrf_token(page: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_the_preview_of_a_pending_one_approves_it(
    app, client, moderator, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    waiting = app.pending(title="Approve from preview", author=UserFactory(email="a@example.org"))
    browser = csrf_client(client, moderator)
    # session, user, permissions, the item with its details, the author's…
    with django_assert_max_num_queries(8):
        response = browser.get(app.url("preview", waiting.pk))
    page = response.content.decode()
    assert f'action="{app.url("approve", waiting.pk)}"' in page
    assert f'action="{app.url("reject")}"' in page
    assert f'name="ids" value="{waiting.pk}"' in page
    assert 'name="reason"' in page and "required" in page
    assert app.url("compare", waiting.pk) in page
    # Without the page's CSRF token nothing happens.
    assert browser.post(app.url("approve", waiting.pk)).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post(
            app.url("approve", waiting.pk), {"csrfmiddlewaretoken": csrf_token(page)}
        )
    assert done.url == app.url("change", waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    # Published: nothing left to approve in its preview.
    page = browser.get(app.url("preview", waiting.pk)).content.decode()
    assert app.url("approve", waiting.pk) not in page


def test_the_preview_of_a_pending_one_rejects_it_with_a_reason(
    app, client, moderator, django_capture_on_commit_callbacks
):
    waiting = app.pending(title="Reject from preview", author=UserFactory(email="a@example.org"))
    browser = csrf_client(client, moderator)
    token = csrf_token(browser.get(app.url("preview", waiting.pk)).content.decode())
    refused = browser.post(
        app.url("reject"), {"csrfmiddlewaretoken": token, "ids": waiting.pk, "reason": "  "}
    )
    assert refused.status_code == 400
    assert "Please give the author a reason." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post(
            app.url("reject"),
            {"csrfmiddlewaretoken": token, "ids": waiting.pk, "reason": "Add the dates."},
        )
    assert done.url == app.url("change", waiting.pk)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.rejection_reason) == (Status.REJECTED, "Add the dates.")
    assert "Add the dates." in mail.outbox[0].body


def test_viewers_who_may_not_change_see_no_moderation_buttons(app, client, db):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(
            codename=f"view_{app.model._meta.model_name}",
            content_type__app_label=app.model._meta.app_label,
        )
    )
    client.force_login(viewer)
    waiting = app.pending()
    page = client.get(app.url("preview", waiting.pk)).content.decode()
    assert app.url("approve", waiting.pk) not in page
    assert 'name="reason"' not in page


# --- What changed between two versions ----------------------------------------------------------


def edited(app):
    author = UserFactory()
    obj = app.factory(
        created_by=author,
        title="Old title",
        description="<p>The first words stay.</p>",
        status=Status.DRAFT,
    )
    with reversion.create_revision():
        obj.save()
        reversion.set_comment("Created")
    app.update(
        obj,
        user=author,
        fields={
            "title": "New title",
            "description": '<p>The first words changed <script>alert("x")</script></p>',
        },
    )
    return obj


def test_the_history_links_what_each_version_changed(
    app, admin_client, django_assert_max_num_queries
):
    obj = edited(app)
    app.submit(obj, user=obj.created_by)
    # session, user, permissions, the versions with their authors, the item, the log's count
    with django_assert_max_num_queries(7):
        response = admin_client.get(app.url("history", obj.pk))
    page = response.content.decode()
    versions = list(Version.objects.get_for_object(obj).order_by("-pk"))
    compare = app.url("compare", obj.pk)
    assert f"{compare}?from={versions[1].pk}&amp;to={versions[0].pk}" in page
    assert f"{compare}?from={versions[2].pk}&amp;to={versions[1].pk}" in page
    assert "Compare two versions" in page
    # Reverting still works from the same list.
    assert app.url("revision", obj.pk, versions[2].pk) in page


def test_compare_shows_what_changed_field_by_field(
    app, admin_client, django_assert_max_num_queries
):
    obj = edited(app)
    versions = list(Version.objects.get_for_object(obj).order_by("pk"))
    url = f"{app.url('compare', obj.pk)}?from={versions[0].pk}&to={versions[1].pk}"
    # session, user, permissions, the item, its versions (+ one per related model that changed)
    with django_assert_max_num_queries(6):
        response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>Old</del><ins>New</ins> title" in page
    # Markup is shown as written, escaped, never rendered (the script was cleaned on saving).
    assert "&lt;p&gt;The first words <del>stay.</del><ins>changed </ins>&lt;/p&gt;" in page
    assert "<script>" not in page
    # By default: the latest version against the one before.
    assert admin_client.get(app.url("compare", obj.pk)).content.decode().count("<ins>") >= 2
    # Chosen the other way round: still from the earlier to the later.
    swapped = f"{app.url('compare', obj.pk)}?from={versions[1].pk}&to={versions[0].pk}"
    assert "<del>Old</del><ins>New</ins> title" in admin_client.get(swapped).content.decode()


def test_compare_refuses_versions_of_something_else(app, admin_client):
    obj, other = edited(app), edited(app)
    theirs = Version.objects.get_for_object(other).first()
    mine = Version.objects.get_for_object(obj).first()
    for query in (f"?from={theirs.pk}&to={mine.pk}", "?from=x&to=", "?to=1"):
        response = admin_client.get(app.url("compare", obj.pk) + query)
        assert response.status_code == 400
        assert "Please choose two versions of this item" in response.content.decode()
    assert admin_client.get(app.url("compare", "nonsense")).status_code == 404


def test_compare_needs_admin_access(app, client, user):
    obj = edited(app)
    client.force_login(user)
    assert client.get(app.url("compare", obj.pk)).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get(app.url("compare", obj.pk)).status_code == 403
