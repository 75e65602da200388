"""Events in the admin: the queue, preview, approve and reject, editors' events, history."""

import datetime as dt
import zoneinfo

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from directory.models import Status
from directory.tests.test_admin import admin_form_data as profile_form_data
from events.models import Attendance, Event, EventOccurrence
from events.services import event_submit, event_update, events_version
from events.tests.factories import EventFactory

CHANGELIST = reverse("admin:events_event_changelist")
ADD = reverse("admin:events_event_add")


def url(name, *args):
    return reverse(f"admin:events_event_{name}", args=args)


@pytest.fixture
def moderator(db):
    person = UserFactory(is_staff=True, email="moderator@example.org")
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


def admin_form_data(response) -> dict:
    """The change form's POST data, with its times split into date and time in the event's
    own zone, as the form shows them."""
    data = profile_form_data(response)
    form = response.context["adminform"].form
    zone = zoneinfo.ZoneInfo(form["time_zone"].value())
    for name in ("starts_at", "ends_at"):
        data.pop(name, None)
        local = timezone.localtime(form.initial[name], zone)
        data[f"{name}_0"] = local.date().isoformat()
        data[f"{name}_1"] = local.strftime("%H:%M:%S")
    return data


def pending(title="Waiting event", author=None, **kwargs):
    author = author or UserFactory()
    return EventFactory(
        title=title,
        created_by=author,
        status=Status.PENDING,
        published_at=None,
        submitted_at=timezone.now(),
        **kwargs,
    )


# --- The queue ----------------------------------------------------------------------------------


def test_the_queue_shows_pending_events_first(admin_client):
    EventFactory(title="Already public")
    waiting = pending(author=UserFactory(email="author@example.org"), city="Gent")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list)[0] == waiting
    page = response.content.decode()
    assert "author@example.org" in page and "Gent" in page and "pending review" in page
    assert "(Europe/Brussels)" in page  # the first occurrence, in the event's time zone


def test_the_queue_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    for number in range(25):
        pending(title=f"Pending {number}")
        EventFactory(title=f"Published {number}")
    admin_client.get(CHANGELIST)  # warm the session and content types
    with django_assert_num_queries(9):
        response = admin_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 50


def test_filters_and_search(admin_client):
    online = EventFactory(title="Webinar", attendance=Attendance.ONLINE, city="")
    paid = EventFactory(title="Conference", is_free=False, city="Wien")
    by_name = EventFactory(title="Meetup", organiser_name="Code for Europe", city="Riga")
    waiting = pending()
    for params, expected in [
        ({"status__exact": "pending"}, [waiting]),
        ({"attendance__exact": "online"}, [online]),
        ({"is_free__exact": "0"}, [paid]),
        ({"q": "wien"}, [paid]),
        ({"q": "code for"}, [by_name]),
        ({"q": "webinar"}, [online]),
    ]:
        response = admin_client.get(CHANGELIST, params)
        assert list(response.context["cl"].result_list) == expected, params


# --- Preview ------------------------------------------------------------------------------------


def test_preview_shows_a_pending_event(admin_client):
    waiting = pending(title="Not public yet", description="<p>All about it</p>")
    response = admin_client.get(url("preview", waiting.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not public yet" in page and "All about it" in page
    assert url("change", waiting.pk) in page
    assert "Submit for review" not in page


def test_people_without_admin_access_cannot_preview(client, user):
    waiting = pending(title="Hidden")
    client.force_login(user)
    response = client.get(url("preview", waiting.pk))
    assert response.status_code == 302
    assert "Hidden" not in response.content.decode()


def test_the_change_form_has_the_moderation_buttons(admin_client):
    waiting = pending()
    page = admin_client.get(url("change", waiting.pk)).content.decode()
    assert url("approve", waiting.pk) in page
    assert url("preview", waiting.pk) in page
    assert f"{url('reject')}?ids={waiting.pk}" in page


# --- Approve and reject ---------------------------------------------------------------------------


def test_approve_one_from_its_change_form(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    waiting = pending(title="Approve me", author=UserFactory(email="author@example.org"))
    before = events_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("approve", waiting.pk), follow=True)
    assert response.redirect_chain[0][0] == url("change", waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED and waiting.published_at is not None
    assert list(Event.objects.published()) == [waiting]
    assert events_version() > before
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert "Approve me" in mail.outbox[0].subject
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Approved and published: Approve me. The author was emailed."]
    version = Version.objects.get_for_object(waiting).first()
    assert version.revision.user == moderator
    assert version.revision.get_comment() == "Approved"


def test_approve_needs_a_post(admin_client):
    waiting = pending()
    assert admin_client.get(url("approve", waiting.pk)).status_code == 405
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


def test_approve_several_at_once(admin_client, django_capture_on_commit_callbacks):
    first, second = pending(title="First"), pending(title="Second")
    live = EventFactory(title="Live already")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "approve_selected", "_selected_action": [first.pk, second.pk, live.pk]},
            follow=True,
        )
    assert Event.objects.published().count() == 3
    assert len(mail.outbox) == 2
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [
        ("success", "Approved and published: First, Second. The authors were emailed."),
        ("warning", "Not waiting for review, so left unchanged: Live already."),
    ]


def test_reject_several_asks_for_a_reason(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    first = pending(title="First", author=UserFactory(email="first@example.org"))
    second = pending(title="Second", author=UserFactory(email="second@example.org"))
    response = admin_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert "These 2 events will be rejected" in page.content.decode()

    refused = admin_client.post(url("reject"), {"ids": [first.pk, second.pk], "reason": "   "})
    assert refused.status_code == 400
    assert "Please give the author a reason." in refused.content.decode()
    assert set(Event.objects.values_list("status", flat=True)) == {Status.PENDING}

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(
            url("reject"),
            {"ids": [first.pk, second.pk], "reason": "Please say where it happens."},
            follow=True,
        )
    assert done.redirect_chain[0][0] == CHANGELIST
    assert set(Event.objects.values_list("status", flat=True)) == {Status.REJECTED}
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert all("Please say where it happens." in m.body for m in mail.outbox)
    assert [str(m) for m in done.context["messages"]] == [
        "Rejected: First, Second. The authors were emailed the reason."
    ]
    first.refresh_from_db()
    assert first.rejection_reason == "Please say where it happens."
    version = Version.objects.get_for_object(first).first()
    assert version.revision.user == moderator
    assert version.revision.get_comment() == "Rejected: Please say where it happens."


def test_reject_one_from_its_change_form(admin_client, django_capture_on_commit_callbacks):
    waiting = pending(author=UserFactory(email="author@example.org"))
    reject_url = f"{url('reject')}?ids={waiting.pk}"
    assert admin_client.get(reject_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("reject"), {"ids": [waiting.pk], "reason": "Spam."})
    assert response.url == url("change", waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == Status.REJECTED
    assert mail.outbox[0].to == ["author@example.org"]
    assert "Spam." in mail.outbox[0].body


def test_rejecting_events_not_pending_changes_nothing(admin_client):
    live = EventFactory()
    response = admin_client.post(
        url("reject"), {"ids": [live.pk, "nonsense"], "reason": "No."}, follow=True
    )
    live.refresh_from_db()
    assert live.status == Status.PUBLISHED
    assert [str(m) for m in response.context["messages"]] == [
        "None of the selected events is waiting for review: nothing changed."
    ]


def test_staff_without_permissions_cannot_moderate(client, db):
    client.force_login(UserFactory(is_staff=True))
    waiting = pending()
    assert client.post(url("approve", waiting.pk)).status_code == 403
    assert client.get(f"{url('reject')}?ids={waiting.pk}").status_code == 403
    assert client.get(url("preview", waiting.pk)).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


# --- Editors adding and changing events ----------------------------------------------------------


def add_data(**overrides) -> dict:
    day = timezone.localdate() + dt.timedelta(days=20)
    return {
        "title": "Editors' pick",
        "slug": "",
        "short_description": "",
        "description": "<p>Chosen by us.</p>",
        "starts_at_0": day.isoformat(),
        "starts_at_1": "18:00",
        "ends_at_0": day.isoformat(),
        "ends_at_1": "21:00",
        "time_zone": "America/New_York",
        "recurrence": "FREQ=WEEKLY;COUNT=3",
        "attendance": "both",
        "venue": "",
        "address": "",
        "city": "New York",
        "link": "",
        "is_free": "on",
        "price_note": "",
        "organiser_name": "DSI Hub",
        "status": Status.PUBLISHED,
        **overrides,
    }


def test_an_editor_adds_a_published_event(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    before = events_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, add_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert events_version() > before
    event = Event.objects.get()
    assert event.slug == "editors-pick"
    assert event.created_by == moderator
    assert event.published_at is not None
    # Times are typed in the event's own time zone.
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert timezone.localtime(event.starts_at, new_york).hour == 18
    assert EventOccurrence.objects.filter(event=event).count() == 3
    assert "attendance:online" in event.facet_keys
    assert list(Event.objects.published().upcoming().matching("editors")) == [event]
    assert Version.objects.get_for_object(event).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recurrence": "FREQ=SOMETIMES"}, "recurrence"),
        ({"time_zone": "Nowhere/Town"}, "time_zone"),
        ({"slug": "new"}, "slug"),
        ({"ends_at_1": "17:00"}, None),
    ],
)
def test_the_admin_form_refuses_bad_values(admin_client, overrides, field):
    response = admin_client.post(ADD, add_data(**overrides))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert (field in form.errors) if field else form.non_field_errors()
    assert not Event.objects.exists()


def test_the_change_form_shows_times_in_the_event_s_zone(admin_client):
    start = dt.datetime(2031, 3, 4, 19, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Helsinki"))
    event = EventFactory(
        starts_at=start, ends_at=start + dt.timedelta(hours=1), time_zone="Europe/Helsinki"
    )
    response = admin_client.get(url("change", event.pk))
    assert response.status_code == 200
    assert 'value="19:30:00"' in response.content.decode()


def test_an_admin_edit_reindexes_and_is_kept_in_history(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Plain title", time_zone="Asia/Tokyo")
    starts_at = event.starts_at
    data = admin_form_data(admin_client.get(url("change", event.pk)))
    data["title"] = "Taller de fabricación"
    data["recurrence"] = "FREQ=DAILY;COUNT=2"
    before = events_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("change", event.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert events_version() > before
    assert list(Event.objects.matching("fabricacion")) == [event]
    assert EventOccurrence.objects.filter(event=event).count() == 2
    event.refresh_from_db()
    assert event.starts_at == starts_at  # read and written back in the event's own zone
    version = Version.objects.get_for_object(event).first()
    assert version.revision.user == moderator
    assert "Title" in version.revision.get_comment()


def test_history_lists_who_did_what_and_revert_restores(admin_client, moderator):
    author = UserFactory(email="author@example.org")
    event = EventFactory(created_by=author, title="First title", status=Status.DRAFT)
    with reversion.create_revision():
        event.save()
        reversion.set_comment("Imported")
    event_update(event=event, user=author, fields={"title": "Second title"})
    event_submit(event=event, user=author)
    admin_client.post(url("approve", event.pk))
    page = admin_client.get(url("history", event.pk)).content.decode()
    assert "author@example.org" in page and "moderator@example.org" in page
    assert page.index("Approved") < page.index("Submitted for review")
    assert page.index("Submitted for review") < page.index("Changed title")

    first = Version.objects.get_for_object(event).last()
    revision_url = url("revision", event.pk, first.pk)
    form = admin_client.get(revision_url)
    assert form.status_code == 200
    response = admin_client.post(revision_url, admin_form_data(form))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "First title"
    assert list(Event.objects.matching("first")) == [event]
    assert list(Event.objects.matching("second")) == []


@pytest.mark.parametrize("action", ["preview", "approve"])
def test_an_id_that_is_not_one_is_a_404_not_a_500(admin_client, action):
    url = f"/en/admin/events/event/abc/{action}/"
    response = admin_client.post(url) if action == "approve" else admin_client.get(url)
    assert response.status_code == 404
