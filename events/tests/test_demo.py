"""Synthetic events for demonstrations and benchmarks."""

from django.core.management import call_command

from directory.demo import directory_seed_demo
from events.models import Event
from events.models import EventOccurrence


def test_seeded_events_are_published_indexed_and_some_repeat(db):
    directory_seed_demo(organisations=10, projects=5, seed=1)
    call_command("seed_events", events=120, seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115
    events = Event.objects.published()
    assert events.count() == 120
    assert events.upcoming().exists() and events.past().exists()
    assert events.exclude(recurrence="").exists()
    assert not events.filter(first_starts_at__isnull=True).exists()
    assert EventOccurrence.objects.count() > 120
    assert all(event.facet_keys for event in events)
    assert events.matching("meetup").exists() or events.matching("workshop").exists()
    assert Event.objects.filter(social_areas__isnull=False).distinct().count() == 120
