"""Practitioners add, edit, preview and submit events; the whole way to publication.

What the pages share with funding opportunities (who may use them, honeypot, rate limits,
submitting) is tested for both in core/tests/test_submission_views.py."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from reversion.models import Version

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from events.forms import CUSTOM
from events.forms import friendly_choice
from events.forms import friendly_rule
from events.models import Event
from events.models import EventOccurrence
from events.tests.factories import EventFactory
from events.tests.helpers import form_data
from events.tests.helpers import in_a_month

NEW = reverse("events:event_create")
MINE = reverse("events:event_mine")


@pytest.fixture
def author(db):
    return UserFactory(email="author@example.org", name="Ana Author")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def draft(author, **kwargs):
    return EventFactory(
        created_by=author, status=Status.DRAFT, published_at=None, title="My draft", **kwargs
    )


# --- The whole way: create, preview, submit, approve ---------------------------------------------


def test_from_the_form_to_publication(author_client, author, django_capture_on_commit_callbacks):
    page = author_client.get(NEW)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="fax_number"' in content
    assert '<option value="Europe/Brussels" selected>' in content

    health = SocialArea.objects.get(slug="health-and-care")
    portugal = Country.objects.get(code="PT")
    data = form_data(
        social_areas=[health.pk],
        country=portugal.pk,
        repeat="weekly",
        repeat_until=(in_a_month() + dt.timedelta(days=14)).isoformat(),
    )
    response = author_client.post(NEW, data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert response.url == reverse("events:event_preview", kwargs={"slug": event.slug})
    assert event.status == Status.DRAFT
    assert event.created_by == author
    assert event.slug == "open-data-breakfast"
    assert event.description == "<p>Bring a laptop.</p>"
    assert event.link == "https://example.org/breakfast"
    assert event.time_zone == "Europe/Lisbon"
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    assert event.starts_at == dt.datetime.combine(in_a_month(), dt.time(18), tzinfo=lisbon)
    assert event.ends_at - event.starts_at == dt.timedelta(hours=2, minutes=30)
    until = in_a_month() + dt.timedelta(days=14)
    assert event.recurrence == f"FREQ=WEEKLY;UNTIL={until:%Y%m%d}T235959"
    assert EventOccurrence.objects.filter(event=event).count() == 3
    assert list(event.social_areas.all()) == [health]
    assert sorted(tag.name for tag in event.tags.all()) == ["breakfast", "open data"]
    assert event.country == portugal
    assert f"country:{portugal.pk}" in event.facet_keys
    assert not Event.objects.published().exists()

    preview = author_client.get(response.url)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Open data breakfast" in text
    assert "Submit for review" in text
    assert reverse("events:event_edit", kwargs={"slug": event.slug}) in text
    assert "Every week" in text
    assert "Europe/Lisbon" in text
    assert "Bring a laptop." in text and "<script>" not in text

    submitted = author_client.post(reverse("events:event_submit", kwargs={"slug": event.slug}))
    assert submitted.status_code == 302 and submitted.url == MINE
    event.refresh_from_db()
    assert event.status == Status.PENDING and event.submitted_at is not None
    mine = author_client.get(MINE).content.decode()
    assert "Open data breakfast" in mine and "pending review" in mine

    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    author_client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        approved = author_client.post(reverse("admin:events_event_approve", args=[event.pk]))
    assert approved.status_code == 302
    assert list(Event.objects.published()) == [event]
    assert [message.to for message in mail.outbox] == [["author@example.org"]]
    comments = [version.revision.get_comment() for version in Version.objects.get_for_object(event)]
    assert comments == ["Approved", "Submitted for review", "Created"]


def test_organisers_offered_are_those_the_author_manages(author_client, author):
    mine = OrganisationFactory(name="My Lab", owner=author)
    OrganisationFactory(name="Someone Else's Lab")
    page = author_client.get(NEW).content.decode()
    assert "My Lab" in page and "Someone Else" not in page
    response = author_client.post(NEW, form_data(organiser=mine.pk, organiser_name=""))
    assert response.status_code == 302
    assert Event.objects.get().organiser == mine


def test_an_organisation_the_author_does_not_manage_is_refused(author_client):
    other = OrganisationFactory(name="Not Mine")
    response = author_client.post(NEW, form_data(organiser=other.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    # The draft keeps what was valid, never the organisation refused.
    assert Event.objects.get().organiser is None


# --- Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "17:00"}, "end_time", "The event cannot end before it starts."),
        (
            {"end_date": "2020-01-01"},
            "end_date",
            "The event cannot end before it starts.",
        ),
        (
            {"time_zone": "Mars/Olympus_Mons"},
            "time_zone",
            "“Mars/Olympus_Mons” is not a time zone we know, such as Europe/Madrid.",
        ),
        (
            {"repeat": CUSTOM, "recurrence": "FREQ=HOURLY"},
            "recurrence",
            "A recurrence rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.",
        ),
        (
            {"repeat": CUSTOM, "recurrence": "FREQ=WEEKLY;BYDAY=XX"},
            "recurrence",
            "BYDAY takes days such as MO, TU or 2TU",
        ),
        (
            {"repeat": CUSTOM, "recurrence": ""},
            "recurrence",
            "Please give the rule, or choose how it repeats above.",
        ),
        (
            {"recurrence": "FREQ=DAILY"},
            "recurrence",
            "Choose “Custom” above to use your own rule, or leave this empty.",
        ),
        (
            {"repeat_until": "2030-01-01"},
            "repeat_until",
            "Choose how the event repeats, or leave this empty.",
        ),
        (
            {"repeat": "weekly", "repeat_until": "2020-01-01"},
            "repeat_until",
            "The repeats cannot end before the event first happens.",
        ),
        ({"title": "  "}, "title", "This field is required."),
        ({"start_date": "31/31/2031"}, "start_date", "Enter a valid date."),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time."),
        ({"attendance": "teleport"}, "attendance", "Select a valid choice."),
        ({"link": "not a link at all"}, "link", "Enter a valid URL."),
    ],
)
def test_mistakes_are_shown_next_to_their_field(author_client, overrides, field, message):
    response = author_client.post(NEW, form_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    # The summary on top links to the field in error.
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    # A draft keeps what was valid (it needs only its title), never the field in error.
    assert Event.objects.exists() == (field != "title")


def test_new_accounts_may_put_only_a_couple_of_links_in_the_text(author_client):
    links = " ".join(f"https://example.org/{number}" for number in range(3))
    response = author_client.post(NEW, form_data(description=f"<p>{links}</p>"))
    assert response.status_code == 400
    assert "New accounts can include at most 2 links" in str(
        response.context["form"].errors["description"]
    )


def test_a_custom_rule_is_kept_in_its_canonical_spelling(author_client):
    response = author_client.post(
        NEW,
        form_data(
            repeat=CUSTOM,
            recurrence="rrule:freq=monthly; byday=1tu; count=4",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.recurrence == "FREQ=MONTHLY;BYDAY=1TU;COUNT=4"
    assert event.occurrences.count() == 4


def test_a_custom_rule_with_an_until_date(author_client):
    until = in_a_month() + dt.timedelta(days=3)
    response = author_client.post(
        NEW, form_data(repeat=CUSTOM, recurrence="FREQ=DAILY", repeat_until=until.isoformat())
    )
    assert response.status_code == 302
    assert Event.objects.get().occurrences.count() == 4


def test_friendly_rules_and_back():
    tuesday_the_30th = dt.date(2026, 6, 30)
    assert friendly_rule("monthly_weekday", tuesday_the_30th) == "FREQ=MONTHLY;BYDAY=-1TU"
    assert friendly_rule("monthly_weekday", dt.date(2026, 6, 9)) == "FREQ=MONTHLY;BYDAY=2TU"
    assert friendly_rule("fortnightly", tuesday_the_30th) == "FREQ=WEEKLY;INTERVAL=2"
    until = dt.date(2026, 12, 31)
    rule = friendly_rule("yearly", tuesday_the_30th, until)
    assert rule == "FREQ=YEARLY;UNTIL=20261231T235959"
    assert friendly_choice(rule, tuesday_the_30th) == ("yearly", until)
    assert friendly_choice("FREQ=MONTHLY;BYDAY=2TU", tuesday_the_30th) == (CUSTOM, None)
    assert friendly_choice("", tuesday_the_30th) == ("", None)


# --- Editing -------------------------------------------------------------------------------------


def test_the_edit_form_shows_times_in_the_event_s_zone_and_its_repeats(author_client, author):
    author_client.post(NEW, form_data(repeat="monthly_weekday", time_zone="America/New_York"))
    event = Event.objects.get()
    response = author_client.get(reverse("events:event_edit", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["start_time"].value().strftime("%H:%M") == "18:00"
    assert form["end_time"].value().strftime("%H:%M") == "20:30"
    assert form["time_zone"].value() == "America/New_York"
    assert form["repeat"].value() == "monthly_weekday"
    assert form["recurrence"].value() == ""
    assert sorted(form["tags_text"].value().split(", ")) == ["breakfast", "open data"]
    assert 'value="18:00"' in response.content.decode()


def test_editing_saves_through_the_service_with_history(author_client, author):
    event = draft(author)
    slug = event.slug
    response = author_client.post(
        reverse("events:event_edit", kwargs={"slug": event.slug}),
        form_data(title="Renamed breakfast", city="Porto"),
    )
    assert response.status_code == 302
    assert response.url == reverse("events:event_preview", kwargs={"slug": event.slug})
    event.refresh_from_db()
    assert event.title == "Renamed breakfast" and event.city == "Porto"
    assert event.slug == slug  # a link shared before still works
    comment = Version.objects.get_for_object(event).first().revision.get_comment()
    assert comment.startswith("Changed ") and "title" in comment and "city" in comment


def test_a_published_event_s_changes_go_live(author_client, author):
    event = EventFactory(created_by=author, title="Live one")
    response = author_client.post(
        reverse("events:event_edit", kwargs={"slug": event.slug}),
        form_data(title="Live one, new time"),
        follow=True,
    )
    assert "Your changes are saved and live." in response.content.decode()
    assert Event.objects.published().get().title == "Live one, new time"


# --- My events -----------------------------------------------------------------------------------


def test_my_events_lists_mine_only_with_their_status(
    author_client, author, django_assert_num_queries
):
    draft(author)
    EventFactory(created_by=author, title="My live event", country=Country.objects.first())
    pending = draft(author, slug="waiting")
    Event.objects.filter(pk=pending.pk).update(title="Waiting one", status=Status.PENDING)
    EventFactory(created_by=UserFactory(), title="Not mine")
    author_client.get(MINE)  # warm the session
    with django_assert_num_queries(4):
        response = author_client.get(MINE)
    page = response.content.decode()
    assert "My draft" in page and "My live event" in page and "Waiting one" in page
    assert "Not mine" not in page
    assert "Not yet submitted" in page
    assert len(response.context["rows"]) == 3


def test_my_events_when_there_are_none(author_client):
    response = author_client.get(MINE, {"page": "nonsense"})
    assert response.status_code == 200
    assert "You have not added any events yet." in response.content.decode()


# --- Drafts: whatever is valid is saved; when it happens is asked for at submission ------------


def event_url(name, event):
    return reverse(f"events:event_{name}", kwargs={"slug": event.slug})


def test_a_draft_need_not_say_when_yet(author_client, author):
    no_dates = {"start_date": "", "start_time": "", "end_time": "", "tags_text": "open data"}
    response = author_client.post(NEW, form_data(**no_dates))
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.status, event.starts_at, event.ends_at) == (Status.DRAFT, None, None)
    assert not EventOccurrence.objects.exists()
    assert [tag.name for tag in event.tags.all()] == ["open data"]
    for page in ("preview", "edit"):
        assert author_client.get(event_url(page, event)).status_code == 200
    assert author_client.get(MINE).status_code == 200
    response = author_client.post(event_url("submit", event))
    assert response.status_code == 400
    assert "Before submitting, please add when it happens." in response.content.decode()
    event.refresh_from_db()
    assert event.status == Status.DRAFT
    assert author_client.post(event_url("edit", event), form_data()).status_code == 302
    assert author_client.post(event_url("submit", event)).status_code == 302
    event.refresh_from_db()
    assert event.status == Status.PENDING and event.starts_at is not None


def test_a_draft_keeps_what_is_valid_and_what_was_typed(author_client, author):
    # A start without its time: the rest is saved, the form comes back as typed.
    response = author_client.post(
        NEW, form_data(start_time="", venue="Café Central", link="not a link")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"start_time", "link"}
    event = Event.objects.get()
    assert (event.venue, event.link, event.starts_at) == ("Café Central", "", None)
    page = response.content.decode()
    assert "We saved your draft, except the fields marked below" in page
    assert 'value="not a link"' in page
    # The form now posts to the draft's edit page, not to "add" again.
    assert f'action="{event_url("edit", event)}"' in page
    response = author_client.post(event_url("edit", event), form_data(venue="Café Central"))
    assert response.status_code == 302
    assert Event.objects.count() == 1


def test_a_published_event_still_needs_its_dates(author_client, author):
    event = EventFactory(created_by=author, title="Live event")
    response = author_client.post(
        event_url("edit", event), form_data(start_date="", start_time="", end_time="")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"start_date", "start_time", "end_time"}
    event.refresh_from_db()
    assert event.starts_at is not None
