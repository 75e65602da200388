"""Synthetic, published events for demonstrations and benchmarks.

Spread like a real community calendar: mostly one-off evenings and days in the directory's
cities, some online, one in ten repeating (weekly or monthly), a third organised by an
organisation in the directory, over the past year and the next. Rows are written in bulk, with
their occurrences, search text and filter keys computed here rather than one event at a time.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import Status
from directory.demo_words import CITIES
from directory.models import Country
from directory.models import Organisation
from directory.models import SocialArea
from directory.models import Tag
from events.models import Attendance
from events.models import Event
from events.models import EventOccurrence
from events.occurrences import event_zone
from events.services import event_search_fields
from events.services import event_times
from events.services import events_changed
from events.services import occurrence_days

FORMATS = [
    "{topic} meetup",
    "Hack night: {topic}",
    "{city} civic tech day",
    "Workshop: {topic} for beginners",
    "{topic} in practice",
    "Open lab evening: {topic}",
    "{city} social innovation forum",
    "Community call: {topic}",
    "Summer school on {topic}",
    "Demo day: {topic}",
]
TOPICS = [
    "open data",
    "digital democracy",
    "participatory budgeting",
    "open hardware",
    "air quality sensors",
    "civic tech",
    "digital skills",
    "data for migration",
    "urban commons",
    "food tech",
    "care and health apps",
    "open source for NGOs",
    "platform cooperatives",
    "accessible web",
    "climate data",
]
ZONES = {
    "GB": "Europe/London",
    "PT": "Europe/Lisbon",
    "IE": "Europe/Dublin",
    "FI": "Europe/Helsinki",
    "GR": "Europe/Athens",
    "RO": "Europe/Bucharest",
    "BG": "Europe/Sofia",
    "EE": "Europe/Tallinn",
    "LV": "Europe/Riga",
    "LT": "Europe/Vilnius",
}
RULES = ["FREQ=WEEKLY;COUNT=6", "FREQ=MONTHLY;BYDAY=1TH;COUNT=8", "FREQ=WEEKLY;INTERVAL=2"]
BATCH = 2000


@dataclass
class SeedReport:
    events: int
    occurrences: int


def _event(rng: random.Random, n: int, *, now, countries, organisations) -> Event:
    city, code, latitude, longitude, _weight = rng.choice(CITIES)
    topic = rng.choice(TOPICS)
    title = rng.choice(FORMATS).format(topic=topic, city=city)
    title = title[0].upper() + title[1:]
    zone = ZONES.get(code, "Europe/Brussels")
    day = now + dt.timedelta(days=rng.randint(-365, 365))
    local = timezone.localtime(day, timezone.get_fixed_timezone(60)).replace(
        hour=rng.choice([9, 10, 14, 17, 18, 19]), minute=rng.choice([0, 0, 30]), second=0
    )
    hours = rng.choice([1, 2, 2, 3, 8])
    attendance = rng.choices(list(Attendance.values), weights=[6, 3, 1])[0]
    free = rng.random() < 0.7
    organiser = rng.choice(organisations) if organisations and rng.random() < 0.35 else None
    return Event(
        title=title,
        slug=f"{slugify(title)[:180]}-{n}",
        short_description=f"An event on {topic} in {city}, for anyone curious.",
        description=f"<p>Talks, demos and conversation about {topic}.</p>",
        starts_at=local,
        ends_at=local + dt.timedelta(hours=hours),
        time_zone=zone,
        recurrence=rng.choice(RULES) if rng.random() < 0.1 else "",
        attendance=attendance,
        venue="" if attendance == Attendance.ONLINE else f"{city} community hall",
        city="" if attendance == Attendance.ONLINE else city,
        country=None if attendance == Attendance.ONLINE else countries.get(code),
        latitude=None if attendance == Attendance.ONLINE else latitude,
        longitude=None if attendance == Attendance.ONLINE else longitude,
        link="https://example.org/events",
        is_free=free,
        price_note="" if free else rng.choice(["€10, students free", "€25", "€5 donation"]),
        organiser=organiser,
        organiser_name="" if organiser else f"{city} digital social innovation network",
        status=Status.PUBLISHED,
        published_at=now,
    )


@transaction.atomic
def events_seed_demo(*, count: int, seed: int | None = None, now=None) -> SeedReport:
    """Add `count` published events (and their occurrences), appending to what is there."""
    rng = random.Random(seed)
    now = now or timezone.now()
    countries = {country.code: country for country in Country.objects.all()}
    organisations = list(Organisation.objects.published().only("pk", "name", "status")[:500])
    areas = list(SocialArea.objects.all())
    tags = list(Tag.objects.order_by("pk")[:60])
    start = Event.objects.count()
    made = occurrences = 0
    while made < count:
        batch = [
            _event(rng, start + made + i, now=now, countries=countries, organisations=organisations)
            for i in range(min(BATCH, count - made))
        ]
        chosen = {}
        for event in batch:
            event_areas = rng.sample(areas, rng.randint(1, 2)) if areas else []
            event_tags = rng.sample(tags, rng.randint(0, 3)) if tags else []
            times = event_times(event, now=now)
            event.first_starts_at, event.last_ends_at = times[0][0], times[-1][1]
            for name, value in event_search_fields(
                event, social_areas=event_areas, tags=event_tags
            ).items():
                setattr(event, name, value)
            chosen[id(event)] = (event_areas, event_tags, times)
        Event.objects.bulk_create(batch)
        area_rows, tag_rows, occurrence_rows = [], [], []
        for event in batch:
            event_areas, event_tags, times = chosen[id(event)]
            area_rows += [
                Event.social_areas.through(event_id=event.pk, socialarea_id=area.pk)
                for area in event_areas
            ]
            tag_rows += [Event.tags.through(event_id=event.pk, tag_id=tag.pk) for tag in event_tags]
            zone = event_zone(event.time_zone)
            occurrence_rows += [
                EventOccurrence(
                    event_id=event.pk,
                    starts_at=begin,
                    ends_at=end,
                    **occurrence_days(begin, end, zone),
                )
                for begin, end in times
            ]
        Event.social_areas.through.objects.bulk_create(area_rows)
        Event.tags.through.objects.bulk_create(tag_rows)
        EventOccurrence.objects.bulk_create(occurrence_rows)
        made += len(batch)
        occurrences += len(occurrence_rows)
    if made:
        events_changed()
    return SeedReport(events=made, occurrences=occurrences)
