import datetime as dt

import factory
from django.utils import timezone

from core.models import Status
from events.models import Event


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
            from events.services import event_reindex

            event_reindex(self)


def community_admin():
    """A community admin: staff, with the events' permissions through the role's group."""
    from django.contrib.auth.models import Group

    from accounts.roles import COMMUNITY_ADMINS
    from accounts.tests.factories import UserFactory

    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return admin
