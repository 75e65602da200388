"""The events' FilterSet: each filter, search, the upcoming/past window, months and bad values."""

import datetime as dt

import pytest
from django.utils import timezone

from core.filters import parse_month
from directory.models import Country
from directory.models import SocialArea
from events.filters import EventFilterSet
from events.filters import month_bounds
from events.models import Attendance
from events.models import Event
from events.tests.factories import EventFactory
from events.tests.factories import event
from events.tests.factories import in_days


def titles(data, **kwargs):
    filterset = EventFilterSet(data, queryset=Event.objects.published(), **kwargs)
    return [event.title for event in filterset.qs]


def errors(data):
    filterset = EventFilterSet(data, queryset=Event.objects.published())
    filterset.qs  # noqa: B018 - validates
    return {name: [str(error) for error in errors] for name, errors in filterset.errors.items()}


def happening(title, starts_at, ends_at):
    return EventFactory(title=title, starts_at=starts_at, ends_at=ends_at)


@pytest.fixture
def events(db):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    return {
        "barcelona": event("Barcelona meetup", days=3, country=spain, areas=[health]),
        "paris": event(
            "Paris hackathon",
            days=10,
            city="Paris",
            venue="",
            country=france,
            is_free=False,
            price_note="20 €",
        ),
        "webinar": event("Open data webinar", days=5, attendance=Attendance.ONLINE, city=""),
        "hybrid": event("Hybrid assembly", days=20, city="Malmö", attendance=Attendance.BOTH),
        "old": event("Last year's summit", days=-30),
        "older": event("Summit before that", days=-60),
    }


def test_upcoming_by_default_in_order_of_their_next_start(events):
    assert titles({}) == [
        "Barcelona meetup",
        "Open data webinar",
        "Paris hackathon",
        "Hybrid assembly",
    ]


def test_past_most_recent_first(events):
    assert titles({"when": "past"}) == ["Last year's summit", "Summit before that"]


def test_an_event_under_way_is_still_upcoming(db):
    EventFactory(title="Going on now", starts_at=in_days(-1), ends_at=in_days(1))
    assert titles({}) == ["Going on now"]
    assert titles({"when": "past"}) == []


def test_country(events):
    assert titles({"country": "france"}) == ["Paris hackathon"]
    assert titles({"country": "spain"}) == ["Barcelona meetup"]


def test_city_ignores_accents_and_case(events):
    assert titles({"city": "malmo"}) == ["Hybrid assembly"]
    assert titles({"city": "PARIS"}) == ["Paris hackathon"]


def test_attendance_counts_hybrid_events_as_both(events):
    assert titles({"attendance": "online"}) == ["Open data webinar", "Hybrid assembly"]
    assert "Open data webinar" not in titles({"attendance": "in_person"})
    assert "Hybrid assembly" in titles({"attendance": "in_person"})


def test_free_and_paid(events):
    assert titles({"free": "0"}) == ["Paris hackathon"]
    assert "Paris hackathon" not in titles({"free": "1"})
    assert len(titles({"free": "1"})) == 3


def test_social_area(events):
    assert titles({"area": "health-and-care"}) == ["Barcelona meetup"]
    assert titles({"area": "digital-democracy"}) == []


def test_search_ignores_accents_and_matches_word_beginnings(events):
    assert titles({"q": "HACKATH"}) == ["Paris hackathon"]
    assert titles({"q": "malmö"}) == ["Hybrid assembly"]
    assert titles({"q": "summit", "when": "past"}) == ["Last year's summit", "Summit before that"]
    assert titles({"q": "!!!"}) == []


def test_filters_combine(events):
    assert titles({"attendance": "in_person", "free": "1", "country": "spain"}) == [
        "Barcelona meetup"
    ]
    assert titles({"country": "france", "free": "1"}) == []


def test_month_keeps_events_with_an_occurrence_overlapping_it_in_utc(db):
    month = parse_month("2031-03")
    start, end = month_bounds(month)
    assert (start, end) == (
        dt.datetime(2031, 3, 1, tzinfo=dt.UTC),
        dt.datetime(2031, 4, 1, tzinfo=dt.UTC),
    )
    happening("Across the start", start - dt.timedelta(hours=3), start + dt.timedelta(hours=1))
    happening("Inside", start + dt.timedelta(days=10), start + dt.timedelta(days=10, hours=2))
    happening("Ends before", start - dt.timedelta(hours=5), start - dt.timedelta(hours=1))
    EventFactory(title="Starts at the end", starts_at=end, ends_at=end + dt.timedelta(hours=2))
    assert titles({"month": "2031-03"}) == ["Across the start", "Inside"]
    assert titles({"month": "2031-02"}) == ["Ends before", "Across the start"]


def test_month_shows_the_occurrence_in_that_month(db, user):
    from core.models import Status
    from events.services import LIFECYCLE

    month = (timezone.now() + dt.timedelta(days=100)).date().replace(day=1)
    start = dt.datetime.combine(month, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(days=7)
    LIFECYCLE.create(
        user=user,
        title="Weekly lab",
        fields={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=1),
            "recurrence": "FREQ=WEEKLY;COUNT=4",
            "time_zone": "UTC",
        },
        status=Status.PUBLISHED,
    )
    filterset = EventFilterSet({"month": f"{month:%Y-%m}"}, queryset=Event.objects.published())
    [shown] = filterset.qs
    assert shown.shown_starts_at == start + dt.timedelta(days=7)
    filterset = EventFilterSet({}, queryset=Event.objects.published())
    assert filterset.qs.get().shown_starts_at == start


def test_past_with_a_month(events):
    month = (timezone.now() - dt.timedelta(days=30)).strftime("%Y-%m")
    assert "Last year's summit" in titles({"when": "past", "month": month})
    assert "Last year's summit" not in titles({"month": month})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"month": "2027-13"}, "month", "is not a month we can show"),
        ({"month": "March"}, "month", "YYYY-MM"),
        ({"month": "1492-10"}, "month", "1970 to 2100"),
        ({"area": "underwater-basket-weaving"}, "area", "is not a social area we know"),
        ({"country": "atlantis"}, "country", "is not a country we know"),
        ({"attendance": "telepathy"}, "attendance", "“online” or “in_person”"),
        ({"free": "yes"}, "free", "1 (free) or 0 (paid)"),
        ({"when": "soon"}, "when", "“upcoming” or “past”"),
        ({"q": "x" * 201}, "q", "at most 200 characters"),
        ({"city": "x" * 101}, "city", "at most 100 characters"),
    ],
)
def test_bad_values_are_reported_and_not_applied(events, data, field, message):
    found = errors(data)
    assert list(found) == [field]
    assert message in found[field][0]
    assert len(titles(data)) == 4  # the rest of the query still applies: all upcoming


def test_calendar_uses_the_filters_without_the_window(events):
    filterset = EventFilterSet({"country": "spain"}, queryset=Event.objects.published())
    filterset.qs  # noqa: B018
    assert [e.title for e in filterset.filtered] == ["Barcelona meetup"]
    filterset = EventFilterSet({"when": "past"}, queryset=Event.objects.published())
    filterset.qs  # noqa: B018
    assert filterset.filtered.count() == 6


def test_the_month_is_the_events_own(db, client):
    """7:00 on 1 March in Tokyo is 22:00 on 28 February in UTC: it is a March event."""
    import datetime as dt

    from accounts.tests.factories import UserFactory
    from core.models import Status
    from events.services import LIFECYCLE

    year = timezone.localdate().year + 1
    starts = dt.datetime(year, 3, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    LIFECYCLE.create(
        user=UserFactory(),
        title="Tokyo civic tech morning",
        fields={
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2),
            "time_zone": "Asia/Tokyo",
        },
        status=Status.PUBLISHED,
    )
    march = client.get("/en/events/", {"month": f"{year}-03"}).content.decode()
    february = client.get("/en/events/", {"month": f"{year}-02"}).content.decode()
    assert "Tokyo civic tech morning" in march
    assert "Tokyo civic tech morning" not in february
