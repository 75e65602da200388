"""Test data for events: the factory, builders (`event()` n days from now), and the samples
the app's API and download tests share with core's (core/tests/test_api.py, test_exports.py)."""

import datetime as dt

import factory
from django.utils import timezone

from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from events.models import Attendance
from events.models import Event
from events.services import event_reindex


class EventFactory(factory.django.DjangoModelFactory):
    """A published one-off event a week from now, two hours long, with its occurrence."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Civic tech meetup {n}")
    slug = factory.Sequence(lambda n: f"civic-tech-meetup-{n}")
    short_description = "An evening of short talks and open discussion."
    description = "<p>Talks, demos and people who build technology for social good.</p>"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(hours=2))
    city = "Barcelona"
    venue = "Fab Lab Barcelona"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            event_reindex(self)


def community_admin():
    """A community admin: staff, with the events' permissions through the role's group."""
    from django.contrib.auth.models import Group

    from accounts.roles import COMMUNITY_ADMINS
    from accounts.tests.factories import UserFactory

    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return admin


# --- Builders, and the sample content of the app's tests and of core's shared tests ----


def in_days(days, hour=17):
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def event(title, *, days=7, hours=2, areas=(), tags=(), **fields):
    starts_at = in_days(days)
    created = EventFactory(
        title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours), **fields
    )
    if areas or tags:
        created.social_areas.set(areas)
        created.tags.set(tags_from_names(tags))
        event_reindex(created)
    return created


def api_sample() -> dict:
    """Upcoming events with what the API shows of them, and a past one."""
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    return {
        "barcelona": event(
            "Barcelona meetup",
            days=3,
            country=spain,
            areas=[health],
            tags=["civic tech"],
            organiser=fablab,
            address="Pujades 102",
            latitude=41.39,
            longitude=2.19,
            link="https://meetup.example/bcn",
        ),
        "webinar": event(
            "Open data webinar",
            days=5,
            attendance=Attendance.ONLINE,
            city="",
            venue="",
            organiser_name="Open Knowledge",
        ),
        "paid": event(
            "Paid masterclass",
            days=9,
            is_free=False,
            price_note="30 € per person",
            country=france,
            city="Lyon",
        ),
        "old": event("Autumn summit", days=-30),
    }


def download_sample() -> dict:
    """Upcoming events with what the files show of them, a past one, and hidden ones."""
    spain = Country.objects.get(code="ES")
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    hidden_host = OrganisationFactory(name="Draft host", status=Status.DRAFT)
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        EventFactory(title=f"Hidden {status} event", status=status)
    return {
        "barcelona": event(
            "Barcelona meetup",
            days=3,
            country=spain,
            areas=[health, democracy],
            tags=["makers", "Civic tech"],
            organiser=fablab,
            address="Pujades 102",
            latitude=41.39,
            longitude=2.19,
            link="https://meetup.example/bcn",
            description='<p>Talks, "demos".</p>\n<p>Second line</p>',
        ),
        "webinar": event(
            "Open data webinar",
            days=5,
            attendance=Attendance.ONLINE,
            city="",
            venue="",
            organiser_name="Open Knowledge",
            is_free=False,
            price_note="=10 €",
        ),
        "hosted": event("Hosted by a draft", days=6, organiser=hidden_host),
        "old": event("Autumn summit", days=-30),
    }
