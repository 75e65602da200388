"""Events in the admin: the queue, editors' events, and a 404 for an id that is not one. The
moderation shared with funding (preview, approve and reject, history) is tested in
core/tests/test_moderation_admin.py."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from events.models import Attendance
from events.models import Event
from events.models import EventOccurrence
from events.services import events_version
from events.tests.factories import EventFactory
from events.tests.helpers import admin_form_data

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


# Preview, approve and reject, who may moderate, and the history are the moderation admin's,
# tested for events and funding alike in core/tests/test_moderation_admin.py.


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


@pytest.mark.parametrize("action", ["preview", "approve"])
def test_an_id_that_is_not_one_is_a_404_not_a_500(admin_client, action):
    url = f"/en/admin/events/event/abc/{action}/"
    response = admin_client.post(url) if action == "approve" else admin_client.get(url)
    assert response.status_code == 404
