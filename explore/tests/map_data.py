"""A small directory spread over Europe for the map's tests: organisations and projects at
seeded random places in a few countries, with types, social areas and live or closed projects,
some without coordinates, one unpublished."""

import random

from core.models import Status
from directory.models import Country
from directory.models import OrganisationType
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

# (ISO code, city, latitude, longitude) the rows scatter around.
PLACES = [
    ("ES", "Barcelona", 41.39, 2.17),
    ("ES", "Madrid", 40.42, -3.70),
    ("FR", "Paris", 48.86, 2.35),
    ("DE", "Berlin", 52.52, 13.40),
    ("IT", "Milano", 45.46, 9.19),
]
WORDS = ["open", "civic", "health", "data", "commons"]


def spread(count: int = 60, seed: int = 16) -> dict:
    rng = random.Random(seed)
    countries = {code: Country.objects.get(code=code) for code in {p[0] for p in PLACES}}
    types = list(OrganisationType.objects.all()[:3])
    areas = list(SocialArea.objects.all()[:3])
    rows = {"organisations": [], "projects": []}
    for number in range(count):
        code, city, lat, lng = rng.choice(PLACES)
        spot = {"latitude": lat + rng.uniform(-1.5, 1.5), "longitude": lng + rng.uniform(-1.5, 1.5)}
        if number % 13 == 0:
            spot = {"latitude": None, "longitude": None}
        word = rng.choice(WORDS)
        rows["organisations"].append(
            OrganisationFactory(
                name=f"{word.title()} organisation {number}",
                city=city,
                country=countries[code],
                organisation_type=rng.choice(types),
                status=Status.DRAFT if number == 7 else Status.PUBLISHED,
                **spot,
            )
        )
        rows["projects"].append(
            ProjectFactory(
                name=f"{word.title()} project {number}",
                city=city,
                live=rng.random() < 0.5,
                vocabularies__social_areas=[rng.choice(areas)],
                vocabularies__countries=[countries[code]],
                **spot,
            )
        )
    return rows
