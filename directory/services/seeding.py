"""Writes to the directory."""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory.models import (
    Country,
    Organisation,
    OrganisationSize,
    OrganisationType,
    Project,
    SocialArea,
    Status,
    Technology,
)

# Cities where the original directory was densest, with their countries.
DEMO_CITIES = [
    ("London", "GB"),
    ("Barcelona", "ES"),
    ("Berlin", "DE"),
    ("Amsterdam", "NL"),
    ("Milan", "IT"),
    ("Paris", "FR"),
    ("Madrid", "ES"),
    ("Warsaw", "PL"),
    ("Lisbon", "PT"),
    ("Athens", "GR"),
    ("Helsinki", "FI"),
    ("Vienna", "AT"),
    ("Brussels", "BE"),
    ("Copenhagen", "DK"),
    ("Dublin", "IE"),
    ("Tallinn", "EE"),
    ("Ljubljana", "SI"),
]
DEMO_WORDS = [
    "Open",
    "Civic",
    "Commons",
    "Data",
    "Maker",
    "Green",
    "Care",
    "Neighbour",
    "Code",
    "Citizen",
    "Fab",
    "Lab",
    "Collective",
    "Network",
    "Hub",
    "Circle",
    "Bridge",
    "Future",
]


@transaction.atomic
def directory_seed_demo(*, organisations: int, projects: int, seed: int = 2017) -> None:
    """A synthetic, published directory for demonstration (the full seeder comes with search)."""
    rng = random.Random(seed)
    countries = {
        country.code: country
        for country in Country.objects.filter(code__in={code for _, code in DEMO_CITIES})
    }
    types = list(OrganisationType.objects.all())
    sizes = list(OrganisationSize.objects.all())
    areas = list(SocialArea.objects.all())
    technologies = list(Technology.objects.all())
    now = timezone.now()
    created = []
    for number in range(organisations):
        city, code = rng.choice(DEMO_CITIES)
        name = f"{rng.choice(DEMO_WORDS)} {rng.choice(DEMO_WORDS)} {city} {number + 1}"
        created.append(
            Organisation(
                name=name,
                slug=slugify(name),
                short_description=f"A {rng.choice(areas).name.lower()} initiative in {city}.",
                city=city,
                country=countries.get(code),
                organisation_type=rng.choice(types),
                organisation_size=rng.choice(sizes),
                status=Status.PUBLISHED,
                published_at=now - timezone.timedelta(days=rng.randint(0, 900)),
            )
        )
    organisation_rows = Organisation.objects.bulk_create(created)
    for number in range(projects):
        city, code = rng.choice(DEMO_CITIES)
        area = rng.choice(areas)
        name = f"{rng.choice(DEMO_WORDS)} {area.name.split(',')[0]} {number + 1}"
        project = Project.objects.create(
            name=name,
            slug=slugify(name),
            short_description=f"Open technology for {area.name.lower()} in {city}.",
            city=city,
            status=Status.PUBLISHED,
            published_at=now - timezone.timedelta(days=rng.randint(0, 900)),
        )
        project.countries.set([countries[code]] if code in countries else [])
        project.social_areas.set([area])
        project.technologies.set(rng.sample(technologies, 2))
        if organisation_rows:
            project.organisations.set(rng.sample(organisation_rows, 1))
