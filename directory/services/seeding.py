"""A synthetic, published directory for demonstrations and benchmarks.

`directory_seed_demo()` makes organisations and projects spread like the original platform's
data: most in a few big cities (London, Paris, Amsterdam, Barcelona, Berlin...), a long tail of
smaller cities across Europe, vocabularies and free tags with a few common values and many rare
ones (a Zipf-like spread), descriptions with accented words, lead and partner links, and dates
over nine years. The table of cities holds aggregate weights only, not the real data.

It is built for volume: rows are generated in Python, their search text and filter keys are
computed with `profile_search_fields` from the rows generated alongside, and everything is written
with COPY (ids reserved from the tables' sequences first), so 100,000 organisations and 100,000
projects take minutes, not hours. Slugs never collide with existing ones: running it twice appends.
"""

import bisect
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import Status, default_licence
from directory.models import (
    Country,
    DSIFocus,
    Organisation,
    OrganisationSize,
    OrganisationType,
    Project,
    ProjectOrganisation,
    SocialArea,
    Technology,
)
from directory.search import profile_search_fields
from directory.services.profiles import RESERVED_SLUGS, tags_from_names
from directory.versions import directory_changed


def _words(text: str) -> list[str]:
    return text.split()


# --- Places ---------------------------------------------------------------------------------
# (city as shown, ISO country code, latitude, longitude, weight). Weights: how often a city came
# up in the 2017 directory, rounded; the long tail (weight 1-2) covers every EU country.
CITIES = [
    ("London", "GB", 51.507, -0.128, 136),
    ("Paris", "FR", 48.857, 2.352, 55),
    ("Amsterdam", "NL", 52.370, 4.895, 38),
    ("Barcelona", "ES", 41.385, 2.173, 35),
    ("Berlin", "DE", 52.520, 13.405, 26),
    ("Madrid", "ES", 40.417, -3.704, 21),
    ("Brussels", "BE", 50.850, 4.352, 19),
    ("Manchester", "GB", 53.481, -2.243, 19),
    ("Milan", "IT", 45.464, 9.190, 18),
    ("Rome", "IT", 41.903, 12.496, 17),
    ("Belfast", "GB", 54.597, -5.930, 13),
    ("Sheffield", "GB", 53.381, -1.470, 12),
    ("Lisbon", "PT", 38.722, -9.139, 9),
    ("Budapest", "HU", 47.498, 19.040, 9),
    ("Turin", "IT", 45.070, 7.687, 9),
    ("Athens", "GR", 37.984, 23.728, 8),
    ("Birmingham", "GB", 52.486, -1.890, 8),
    ("Oslo", "NO", 59.914, 10.752, 8),
    ("Vienna", "AT", 48.208, 16.374, 7),
    ("Helsinki", "FI", 60.170, 24.938, 7),
    ("Glasgow", "GB", 55.864, -4.252, 7),
    ("Istanbul", "TR", 41.008, 28.978, 7),
    ("Rotterdam", "NL", 51.924, 4.478, 6),
    ("Kraków", "PL", 50.065, 19.945, 6),
    ("Trento", "IT", 46.075, 11.121, 6),
    ("Edinburgh", "GB", 55.953, -3.189, 6),
    ("Brighton", "GB", 50.823, -0.137, 6),
    ("Utrecht", "NL", 52.091, 5.122, 6),
    ("Dublin", "IE", 53.350, -6.260, 5),
    ("Oxford", "GB", 51.752, -1.258, 5),
    ("Zürich", "CH", 47.377, 8.541, 4),
    ("Geneva", "CH", 46.204, 6.143, 4),
    ("Ghent", "BE", 51.054, 3.717, 4),
    ("Bucharest", "RO", 44.427, 26.103, 4),
    ("Bilbao", "ES", 43.263, -2.935, 4),
    ("Valencia", "ES", 39.470, -0.376, 4),
    ("Eindhoven", "NL", 51.441, 5.470, 4),
    ("Montpellier", "FR", 43.611, 3.877, 4),
    ("Catania", "IT", 37.507, 15.083, 4),
    ("Copenhagen", "DK", 55.676, 12.568, 4),
    ("Stockholm", "SE", 59.329, 18.069, 4),
    ("Warsaw", "PL", 52.230, 21.012, 4),
    ("Prague", "CZ", 50.076, 14.438, 4),
    ("Cambridge", "GB", 52.205, 0.122, 3),
    ("Newcastle upon Tyne", "GB", 54.978, -1.618, 3),
    ("Bristol", "GB", 51.454, -2.588, 3),
    ("Cardiff", "GB", 51.481, -3.179, 3),
    ("Sofia", "BG", 42.698, 23.322, 3),
    ("Espoo", "FI", 60.205, 24.652, 3),
    ("Cascais", "PT", 38.697, -9.421, 3),
    ("Porto", "PT", 41.158, -8.629, 3),
    ("Cáceres", "ES", 39.475, -6.372, 3),
    ("Stuttgart", "DE", 48.776, 9.183, 3),
    ("Frankfurt", "DE", 50.110, 8.682, 3),
    ("Hamburg", "DE", 53.551, 9.994, 3),
    ("München", "DE", 48.135, 11.582, 3),
    ("Köln", "DE", 50.938, 6.960, 3),
    ("Lyon", "FR", 45.764, 4.836, 3),
    ("Marseille", "FR", 43.297, 5.370, 3),
    ("Toulouse", "FR", 43.605, 1.444, 3),
    ("Nantes", "FR", 47.218, -1.554, 3),
    ("Montreuil", "FR", 48.864, 2.448, 3),
    ("Bologna", "IT", 44.494, 11.343, 3),
    ("Naples", "IT", 40.852, 14.268, 3),
    ("Florence", "IT", 43.770, 11.256, 3),
    ("Lund", "SE", 55.705, 13.191, 3),
    ("Thessaloniki", "GR", 40.640, 22.944, 3),
    ("Ljubljana", "SI", 46.056, 14.506, 3),
    ("Tallinn", "EE", 59.437, 24.754, 3),
    ("Luxembourg", "LU", 49.612, 6.130, 3),
    # The long tail.
    ("Graz", "AT", 47.071, 15.440, 2),
    ("Linz", "AT", 48.306, 14.286, 1),
    ("Salzburg", "AT", 47.810, 13.055, 1),
    ("Innsbruck", "AT", 47.269, 11.404, 1),
    ("Antwerp", "BE", 51.219, 4.402, 2),
    ("Leuven", "BE", 50.880, 4.700, 1),
    ("Liège", "BE", 50.633, 5.567, 1),
    ("Plovdiv", "BG", 42.135, 24.745, 1),
    ("Varna", "BG", 43.214, 27.915, 1),
    ("Zagreb", "HR", 45.815, 15.982, 2),
    ("Split", "HR", 43.508, 16.440, 1),
    ("Rijeka", "HR", 45.327, 14.442, 1),
    ("Nicosia", "CY", 35.186, 33.382, 1),
    ("Limassol", "CY", 34.707, 33.022, 1),
    ("Brno", "CZ", 49.195, 16.607, 2),
    ("Ostrava", "CZ", 49.820, 18.262, 1),
    ("Aarhus", "DK", 56.157, 10.211, 2),
    ("Odense", "DK", 55.403, 10.402, 1),
    ("Tartu", "EE", 58.378, 26.729, 1),
    ("Tampere", "FI", 61.498, 23.761, 1),
    ("Turku", "FI", 60.452, 22.267, 1),
    ("Oulu", "FI", 65.012, 25.465, 1),
    ("Bordeaux", "FR", 44.838, -0.579, 2),
    ("Lille", "FR", 50.629, 3.057, 2),
    ("Strasbourg", "FR", 48.573, 7.752, 2),
    ("Grenoble", "FR", 45.188, 5.724, 1),
    ("Rennes", "FR", 48.117, -1.678, 1),
    ("Besançon", "FR", 47.238, 6.024, 1),
    ("Nîmes", "FR", 43.837, 4.360, 1),
    ("Versailles", "FR", 48.801, 2.130, 1),
    ("Leipzig", "DE", 51.340, 12.375, 2),
    ("Dresden", "DE", 51.050, 13.738, 1),
    ("Düsseldorf", "DE", 51.228, 6.773, 1),
    ("Nürnberg", "DE", 49.452, 11.077, 1),
    ("Bremen", "DE", 53.079, 8.802, 1),
    ("Göttingen", "DE", 51.541, 9.916, 1),
    ("Patras", "GR", 38.246, 21.735, 1),
    ("Heraklion", "GR", 35.339, 25.144, 1),
    ("Debrecen", "HU", 47.532, 21.627, 1),
    ("Pécs", "HU", 46.073, 18.232, 1),
    ("Cork", "IE", 51.898, -8.476, 1),
    ("Galway", "IE", 53.271, -9.057, 1),
    ("Limerick", "IE", 52.664, -8.623, 1),
    ("Bari", "IT", 41.117, 16.872, 1),
    ("Palermo", "IT", 38.116, 13.361, 1),
    ("Genoa", "IT", 44.406, 8.946, 1),
    ("Venice", "IT", 45.441, 12.316, 1),
    ("Cagliari", "IT", 39.224, 9.122, 1),
    ("Forlì", "IT", 44.222, 12.041, 1),
    ("Rīga", "LV", 56.950, 24.105, 2),
    ("Liepāja", "LV", 56.511, 21.014, 1),
    ("Vilnius", "LT", 54.687, 25.280, 2),
    ("Kaunas", "LT", 54.898, 23.904, 1),
    ("Esch-sur-Alzette", "LU", 49.496, 5.981, 1),
    ("Valletta", "MT", 35.899, 14.514, 1),
    ("Sliema", "MT", 35.912, 14.504, 1),
    ("Groningen", "NL", 53.219, 6.567, 1),
    ("Nijmegen", "NL", 51.843, 5.852, 1),
    ("The Hague", "NL", 52.070, 4.300, 2),
    ("Gdańsk", "PL", 54.352, 18.646, 1),
    ("Wrocław", "PL", 51.108, 17.039, 1),
    ("Poznań", "PL", 52.406, 16.925, 1),
    ("Łódź", "PL", 51.759, 19.456, 1),
    ("Coimbra", "PT", 40.203, -8.410, 1),
    ("Braga", "PT", 41.545, -8.427, 1),
    ("São João da Madeira", "PT", 40.897, -8.490, 1),
    ("Cluj-Napoca", "RO", 46.771, 23.624, 1),
    ("Timișoara", "RO", 45.749, 21.208, 1),
    ("Iași", "RO", 47.159, 27.601, 1),
    ("Bratislava", "SK", 48.149, 17.107, 2),
    ("Košice", "SK", 48.716, 21.261, 1),
    ("Maribor", "SI", 46.554, 15.646, 1),
    ("Sevilla", "ES", 37.389, -5.985, 2),
    ("Málaga", "ES", 36.721, -4.421, 1),
    ("Zaragoza", "ES", 41.649, -0.889, 1),
    ("Córdoba", "ES", 37.888, -4.779, 1),
    ("Donostia", "ES", 43.318, -1.981, 1),
    ("Zamudio", "ES", 43.283, -2.867, 1),
    ("A Coruña", "ES", 43.362, -8.411, 1),
    ("Göteborg", "SE", 57.709, 11.975, 2),
    ("Malmö", "SE", 55.605, 13.004, 1),
    ("Uppsala", "SE", 59.859, 17.639, 1),
    ("Umeå", "SE", 63.826, 20.263, 1),
    ("Leeds", "GB", 53.801, -1.549, 2),
    ("Liverpool", "GB", 53.408, -2.992, 2),
    ("Milton Keynes", "GB", 52.041, -0.760, 1),
    ("Penryn", "GB", 50.169, -5.107, 1),
    ("Coventry", "GB", 52.407, -1.510, 1),
    ("Dundee", "GB", 56.462, -2.971, 1),
    ("Bergen", "NO", 60.391, 5.322, 1),
    ("Lausanne", "CH", 46.520, 6.634, 1),
    ("Basel", "CH", 47.560, 7.589, 1),
    ("Reykjavík", "IS", 64.146, -21.942, 1),
    ("Belgrade", "RS", 44.787, 20.457, 1),
    ("Tirana", "AL", 41.328, 19.819, 1),
    ("Chișinău", "MD", 47.011, 28.864, 1),
    ("Sarajevo", "BA", 43.856, 18.413, 1),
    ("Skopje", "MK", 41.998, 21.425, 1),
]

# --- Words ------------------------------------------------------------------------------------
ADJECTIVES = _words(
    "Open Civic Green Digital Smart Social Shared Common Local Urban Rural Circular Fair Free "
    "Public Inclusive Collaborative Participatory Creative Caring Resilient Sustainable Bright "
    "Connected Distributed Decentralised Transparent Playful Curious Brave Kind Young Wise Bold "
    "New Future Better Good Wild Clear Solid Agile Lively Quiet Sunny Northern Southern Coastal"
)
NOUNS = _words(
    "Data Commons Code Maps Streets Neighbours Citizens Makers Ideas Futures Voices Seeds "
    "Bridges Roots Waves Sparks Circles Threads Gardens Rivers Cities Villages Schools Tools "
    "Skills Stories Signals Sensors Hands Minds Hearts Paths Doors Windows Lights Bees Trees "
    "Fields Harbours Kitchens Libraries Markets Workshops Networks Machines Pixels Atlases"
)
ORG_KINDS = _words(
    "Lab Foundation Collective Cooperative Network Institute Studio Hub Association Alliance "
    "Trust Centre Agency Factory Works Society Initiative Partnership Academy Observatory"
)
PROJECT_KINDS = _words(
    "Map Platform App Toolkit Project Programme Pilot Challenge Academy Observatory Network "
    "Festival Index Atlas Commons Lab Campaign Game Exchange Fund"
)
# Organisations named in their own language, some with accents.
LOCAL_PREFIXES = [
    "Associação",
    "Fundación",
    "Fundació",
    "Stiftung",
    "Coopérative",
    "Associazione",
    "Stichting",
    "Fundacja",
    "Verein",
    "Société",
    "Cooperativa",
    "Genossenschaft",
    "Asociación",
    "Città",
]
LOCAL_NOUNS = [
    "Liberté",
    "Solidarité",
    "Égalité",
    "Ciutat Oberta",
    "Dades Obertes",
    "Città Aperta",
    "Bürgerdaten",
    "Zukunftsküche",
    "Participação",
    "Cidadania Ativa",
    "Ciudadanía Digital",
    "Economía Común",
    "Innovación Social",
    "Nová Města",
    "Wolność",
    "Ökologie",
    "Mobilité Douce",
    "Educació",
    "Società Civile",
    "Démocratie Ouverte",
]
SYLLABLE_HEADS = _words(
    "civi citi data eco agri medi edu geo socio demo co open maker fab green care bio hack "
    "vox nova terra aqua urba"
)
SYLLABLE_TAILS = _words(
    "lab ly hub net ify io sense map zen works loop grid wise mind scope base nest forge "
    "spark ia ix um ora tek"
)
VERBS = _words(
    "map connect share repair grow teach measure open improve support protect build fund "
    "translate visualise document redesign reuse monitor explore"
)
OBJECTS = [
    "public spaces",
    "local food systems",
    "air quality",
    "neighbourhood services",
    "open data",
    "care networks",
    "digital skills",
    "public budgets",
    "community energy",
    "housing rights",
    "second-hand goods",
    "cultural heritage",
    "water quality",
    "green roofs",
    "city council decisions",
    "school gardens",
    "mental health support",
    "job opportunities",
    "accessible routes",
    "citizen science",
]
TECH_PHRASES = [
    "open-source software",
    "low-cost sensors",
    "mobile apps",
    "3D printing",
    "a shared online map",
    "machine learning",
    "open hardware",
    "community mesh networks",
    "participatory budgeting tools",
    "peer-to-peer platforms",
]
# Words and places with accents, so accent-insensitive search can be measured.
ACCENTED = [
    "Liberté",
    "Égalité",
    "Solidarité",
    "Zürich",
    "Kraków",
    "São Paulo",
    "Málaga",
    "Łódź",
    "Göteborg",
    "Citoyenneté",
    "Participação",
    "Ciudadanía",
    "Università",
    "Genossenschaft für Bürgerenergie",
    "Ökologie",
    "Mobilité",
    "Gdańsk",
    "Café",
    "Coöperatie",
    "Fête de la Science",
]
# Topical words, some common and many rare (drawn with a Zipf-like spread).
TOPIC_WORDS = _words(
    "community climate education health refugees housing mobility energy democracy culture "
    "employment ageing loneliness literacy inclusion accessibility transparency biodiversity "
    "recycling cycling agroecology permaculture beekeeping hydroponics composting upcycling "
    "foraging seagrass wetlands lichen moorland pollinators hedgerows allotments woodworking "
    "weaving pottery bookbinding letterpress calligraphy origami puppetry busking karaoke "
    "dyslexia autism dementia tinnitus braille sign-language wheelchairs prosthetics "
    "telemedicine midwifery vaccination nutrition veganism fermentation sourdough cheesemaking "
    "viticulture fisheries aquaponics glaciers avalanches wildfires droughts floods tsunamis "
    "cartography toponymy genealogy archaeology numismatics philately astronomy meteorology "
    "seismology ornithology entomology mycology botany herbaria lighthouses canals tramways "
    "funiculars ferries cobblestones bollards crosswalks roundabouts kiosks laundrettes "
    "hackerspaces repaircafes fablabs makerspaces coworking cohousing timebanking "
    "crowdfunding microcredit cooperatives mutualism zines podcasts radio samizdat"
)
TAG_NAMES = (
    [
        "social innovation",
        "open data",
        "education",
        "community",
        "tech for good",
        "civic tech",
        "digital social innovation",
        "makers",
        "fablab",
        "democracy",
        "inclusion",
        "crowdsourcing",
        "open knowledge",
        "social enterprise",
        "citizen science",
        "circular economy",
        "smart cities",
        "participation",
        "open source",
        "sustainability",
    ]
    + [f"{a.lower()} {n.lower()}" for a, n in zip(ADJECTIVES, NOUNS, strict=False)]
    + [f"{n.lower()} {k.lower()}" for n, k in itertools.product(NOUNS[:12], ORG_KINDS[:10])]
    + TOPIC_WORDS[:100]
)
NETWORK_NAMES = [
    "FabLab network",
    "Code for Europe",
    "Open Knowledge Network",
    "Hackerspaces",
    "Repair Café",
    "Transition Towns",
    "Living Labs (ENoLL)",
    "Ashoka",
    "Impact Hub",
    "Creative Commons",
    "Wikimedia",
    "Mozilla",
    "OpenStreetMap",
    "Nesta partners",
    "Waag",
    "Smart Citizen",
    "Decidim",
    "Civic Tech Europe",
    "Social Innovation Exchange",
    "Makesense",
    "Ouishare",
    "Red de Ciudades por el Clima",
    "Réseau Français des Fablabs",
    "Netzwerk Bürgerbeteiligung",
    "Rete Italiana Maker",
    "Comunità Aperte",
    "Platform Cooperativism",
    "Community Land Trusts",
    "Food Assembly",
    "Energy Cooperatives Europe",
]
WHO_WE_HELP = [
    "young people",
    "older people",
    "refugees",
    "migrants",
    "people with disabilities",
    "unemployed people",
    "women",
    "children",
    "students",
    "teachers",
    "families",
    "carers",
    "patients",
    "local residents",
    "farmers",
    "artists",
    "researchers",
    "public servants",
    "small businesses",
    "homeless people",
    "LGBTQ+ people",
    "rural communities",
    "low-income households",
    "volunteers",
    "journalists",
]
STREETS = [
    "High Street",
    "Rue de la République",
    "Carrer de Sants",
    "Hauptstraße",
    "Via Roma",
    "Calle Mayor",
    "Rua Augusta",
    "Keizersgracht",
    "Ulica Długa",
    "Odos Ermou",
    "Station Road",
    "Market Square",
]

SEED_YEARS = 9
COPY_BATCH = 5000


@dataclass
class SeedReport:
    """What a seeding run wrote, and how long it took."""

    organisations: int = 0
    projects: int = 0
    tags: int = 0
    links: int = 0
    seconds: float = 0.0
    steps: dict = field(default_factory=dict)


class _Picker:
    """Weighted random choice from a fixed list, in O(log n) per draw."""

    def __init__(self, rng: random.Random, items: list, weights: list[float]):
        self.rng = rng
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def one(self):
        return self.items[bisect.bisect(self.cumulative, self.rng.random() * self.total)]

    def some(self, count: int) -> list:
        """Up to `count` distinct items."""
        chosen = []
        for _ in range(count * 3):
            item = self.one()
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == count:
                    break
        return chosen


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


class _Named:
    """A vocabulary row or tag as search indexing reads it (pk and name), resolved once."""

    __slots__ = ("pk", "name")

    def __init__(self, row):
        self.pk, self.name = row.pk, str(row)

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, _Named) and other.pk == self.pk

    def __hash__(self):
        return hash(self.pk)


def _named(rows) -> list[_Named]:
    return [_Named(row) for row in rows]


class _Row:
    """What profile_search_fields reads from a profile, without a model instance."""

    __slots__ = (
        "kind",
        "name",
        "short_description",
        "description",
        "city",
        "country",
        "address",
        "organisation_type_id",
        "organisation_size_id",
        "social_impact",
        "live",
    )

    def __init__(self, kind: str, **values):
        self.kind = kind
        self.country = None
        self.address = ""
        self.organisation_type_id = None
        self.organisation_size_id = None
        self.social_impact = ""
        self.live = True
        for name, value in values.items():
            setattr(self, name, value)


class _Slugs:
    """Readable slugs that collide with no existing one ("open-lab", "open-lab-2")."""

    def __init__(self, model):
        self.kind = model._meta.model_name
        self.taken = set(model.objects.values_list("slug", flat=True)) | RESERVED_SLUGS
        self.next_number = defaultdict(lambda: 2)

    def new(self, name: str) -> str:
        base = (slugify(name) or self.kind)[:200].strip("-")
        slug = base
        while slug in self.taken:
            slug = f"{base}-{self.next_number[base]}"
            self.next_number[base] += 1
        self.taken.add(slug)
        return slug


class _Generator:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.cities = _Picker(rng, CITIES, [city[4] for city in CITIES])
        self.countries = {country.code: _Named(country) for country in Country.objects.all()}
        codes = sorted({c[1] for c in CITIES} & set(self.countries))
        self.country_picker = _Picker(
            rng,
            [self.countries[code] for code in codes],
            [sum(c[4] for c in CITIES if c[1] == code) for code in codes],
        )
        # Real data: mostly non-profits and small teams.
        types = list(OrganisationType.objects.all())
        self.types = _Picker(rng, types, ([45, 20, 15, 12, 8] + [5] * len(types))[: len(types)])
        sizes = list(OrganisationSize.objects.all())
        self.sizes = _Picker(rng, sizes, _zipf(len(sizes), 0.8))
        areas = _named(SocialArea.objects.all())
        self.areas = _Picker(rng, areas, _zipf(len(areas), 0.6))
        technologies = _named(Technology.objects.all())
        self.technologies = _Picker(rng, technologies, _zipf(len(technologies), 0.7))
        focus = _named(DSIFocus.objects.all())
        self.focus = _Picker(rng, focus, _zipf(len(focus), 0.5))
        tags = _named(tags_from_names(TAG_NAMES))
        self.tags = _Picker(rng, tags, _zipf(len(tags), 1.05))
        networks = _named(tags_from_names(NETWORK_NAMES))
        self.networks = _Picker(rng, networks, _zipf(len(networks)))
        who = _named(tags_from_names(WHO_WE_HELP))
        self.who = _Picker(rng, who, _zipf(len(who), 0.8))
        self.topics = _Picker(rng, TOPIC_WORDS, _zipf(len(TOPIC_WORDS), 1.1))
        self.tag_count = len({tag.pk for tag in (*tags, *networks, *who)})
        self.licence = default_licence()
        self.span = timedelta(days=365 * SEED_YEARS).total_seconds()

    # -- pieces
    def place(self):
        city, code, latitude, longitude, _ = self.cities.one()
        rng = self.rng
        return (
            city,
            self.countries.get(code),
            round(latitude + rng.gauss(0, 0.03), 6),
            round(longitude + rng.gauss(0, 0.04), 6),
        )

    def coined(self) -> str:
        rng = self.rng
        return (rng.choice(SYLLABLE_HEADS) + rng.choice(SYLLABLE_TAILS)).capitalize()

    def organisation_name(self, city: str) -> str:
        rng = self.rng
        pattern = rng.random()
        if pattern < 0.35:
            return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(ORG_KINDS)}"
        if pattern < 0.6:
            return f"{rng.choice(NOUNS)} {rng.choice(ORG_KINDS)} {city}"
        if pattern < 0.75:
            return f"{rng.choice(LOCAL_PREFIXES)} {rng.choice(LOCAL_NOUNS)}"
        if pattern < 0.9:
            return f"{self.coined()} {rng.choice(ORG_KINDS)}"
        return f"{self.coined()} {city}"

    def project_name(self, city: str) -> str:
        rng = self.rng
        pattern = rng.random()
        if pattern < 0.3:
            return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(PROJECT_KINDS)}"
        if pattern < 0.5:
            return f"{self.coined()}"
        if pattern < 0.65:
            return f"{city} {rng.choice(NOUNS)} {rng.choice(PROJECT_KINDS)}"
        if pattern < 0.8:
            return f"{rng.choice(NOUNS)} for {self.who.one().name.title()}"
        if pattern < 0.9:
            return f"{rng.choice(LOCAL_NOUNS)} {rng.choice(PROJECT_KINDS)}"
        return f"{self.coined()}: {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"

    def sentence(self, name: str, city: str, country: str) -> str:
        rng = self.rng
        pattern = rng.randrange(8)
        if pattern == 0:
            return f"{name} is based in {city}, {country}."
        if pattern == 1:
            return (
                f"We work with {self.who.one().name} to {rng.choice(VERBS)} "
                f"{rng.choice(OBJECTS)} through {rng.choice(TECH_PHRASES)}."
            )
        if pattern == 2:
            return (
                f"Founded in {rng.randint(1995, 2024)}, we bring together "
                f"{self.who.one().name} and {self.who.one().name} around {self.topics.one()}."
            )
        if pattern == 3:
            return (
                f"Our {rng.choice(PROJECT_KINDS).lower()} uses {rng.choice(TECH_PHRASES)} "
                f"to {rng.choice(VERBS)} {rng.choice(OBJECTS)} and {self.topics.one()}."
            )
        if pattern == 4:
            return (
                f"Partners in {rng.choice(ACCENTED)} and {rng.choice(ACCENTED)} help us "
                f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}."
            )
        if pattern == 5:
            return (
                f"Since {rng.randint(2008, 2024)} more than {rng.randint(2, 900) * 10} people "
                f"have joined our workshops on {self.topics.one()} and {self.topics.one()}."
            )
        if pattern == 6:
            return (
                f"Everything we make is {rng.choice(ADJECTIVES).lower()}, "
                f"{rng.choice(ADJECTIVES).lower()} and shared under an open licence."
            )
        return (
            f"The {rng.choice(NOUNS).lower()} we {rng.choice(VERBS)} become "
            f"{rng.choice(OBJECTS)} for {self.who.one().name} in {city}."
        )

    def description(self, name: str, city: str, country: str) -> tuple[str, str]:
        """A one-line summary and 40-120 words of rich text in a few paragraphs."""
        rng = self.rng
        target = rng.randint(40, 120)
        sentences, words = [], 0
        while words < target:
            sentence = self.sentence(name, city or "Europe", country or "Europe")
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        cut = max(1, len(sentences) // 2)
        paragraphs = [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
        html = "".join(f"<p>{text}</p>" for text in paragraphs if text)
        return sentences[0][:300], html

    def moment(self) -> tuple[datetime, datetime, datetime]:
        """created, published and updated, over the last nine years."""
        rng = self.rng
        created = self.now - timedelta(seconds=rng.random() * self.span)
        published = min(self.now, created + timedelta(hours=rng.random() * 240))
        updated = published + (self.now - published) * (rng.random() ** 3)
        return created, published, updated

    def some_date(self, first_year: int, last: date) -> date:
        start = date(first_year, 1, 1)
        return start + timedelta(days=self.rng.randrange(max(1, (last - start).days)))

    def count(self, weights: list[int]) -> int:
        return self.rng.choices(range(len(weights)), weights=weights)[0]


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.generated and not f.primary_key]


def _reserve_ids(model, count: int) -> list[int]:
    """Ids from the table's own sequence, so rows can be linked before they are written."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(table: str, columns: list[str], rows) -> int:
    written = 0
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written


def _profile_defaults() -> dict:
    return {
        "links": [],
        "logo": "",
        "header_image": "",
        "status": Status.PUBLISHED.value,
        "rejection_reason": "",
        "spam_score": 0,
        "spam_signals": json.dumps([]),
        "created_by_id": None,
        "legacy_id": None,
    }


def _write_profiles(model, rows: list[dict], relations: dict[str, list[tuple]]) -> None:
    columns = ["id", *_columns(model)]
    missing = set(columns) - set(rows[0]) if rows else set()
    if missing:
        raise RuntimeError(f"The seeder does not fill {sorted(missing)} of {model.__name__}.")
    _copy(model._meta.db_table, columns, ([row[c] for c in columns] for row in rows))
    for relation, pairs in relations.items():
        through = getattr(model, relation).through
        source, target = (f.column for f in through._meta.concrete_fields if f.is_relation)
        _copy(through._meta.db_table, [source, target], pairs)


def _organisations(gen: _Generator, count: int, log) -> tuple[list[int], dict]:
    rng = gen.rng
    ids = _reserve_ids(Organisation, count)
    slugs = _Slugs(Organisation)
    rows, by_country = [], defaultdict(list)
    relations = {"tags": [], "network_tags": []}
    defaults = _profile_defaults()
    today = gen.now.date()
    for number, pk in enumerate(ids, 1):
        city, country, latitude, longitude = gen.place()
        if rng.random() < 0.03:  # some profiles give no place at all
            city, country, latitude, longitude = "", None, None, None
        name = gen.organisation_name(city or rng.choice(CITIES)[0])
        slug = slugs.new(name)
        short, description = gen.description(name, city, country.name if country else "")
        created, published, updated = gen.moment()
        tags = gen.tags.some(gen.count([20, 25, 20, 15, 10, 6, 4]))
        networks = gen.networks.some(gen.count([70, 22, 8]))
        row = _Row(
            "organisation",
            name=name,
            short_description=short,
            description=description,
            city=city,
            country=country,
            address=f"{rng.randint(1, 250)} {rng.choice(STREETS)}",
            organisation_type_id=gen.types.one().pk,
            organisation_size_id=gen.sizes.one().pk if rng.random() < 0.9 else None,
        )
        search = profile_search_fields(row, tags={"tags": tags, "network_tags": networks})
        rows.append(
            {
                **defaults,
                "id": pk,
                "name": name,
                "slug": slug,
                "website": f"https://{slug}.example.org/",
                "short_description": short,
                "description": description,
                "city": city,
                "latitude": latitude,
                "longitude": longitude,
                "licence": gen.licence,
                "created_at": created,
                "updated_at": updated,
                "submitted_at": created,
                "published_at": published,
                "country_id": country.pk if country else None,
                "address": row.address,
                "organisation_type_id": row.organisation_type_id,
                "organisation_size_id": row.organisation_size_id,
                "start_date": gen.some_date(1980, today) if rng.random() < 0.7 else None,
                **search,
            }
        )
        relations["tags"].extend((pk, tag.pk) for tag in tags)
        relations["network_tags"].extend((pk, tag.pk) for tag in networks)
        by_country[country.pk if country else None].append(pk)
        if number % COPY_BATCH == 0 or number == count:
            _write_profiles(Organisation, rows, relations)
            rows, relations = [], {"tags": [], "network_tags": []}
            log(f"  organisations: {number:,}/{count:,}")
    return ids, by_country


def _projects(gen: _Generator, count: int, organisations: tuple, log) -> int:
    rng = gen.rng
    org_ids, orgs_by_country = organisations
    ids = _reserve_ids(Project, count)
    slugs = _Slugs(Project)
    rows, links, linked = [], [], 0
    names = ("countries", "social_areas", "technologies", "focus", "who_we_help", "tags")
    relations = {name: [] for name in (*names, "network_tags")}
    defaults = _profile_defaults()
    today = gen.now.date()
    for number, pk in enumerate(ids, 1):
        city, country, latitude, longitude = gen.place()
        if rng.random() < 0.05:
            city, latitude, longitude = "", None, None
        countries = [country] if country else []
        for extra in gen.country_picker.some(gen.count([80, 12, 5, 3])):
            if extra not in countries:
                countries.append(extra)
        name = gen.project_name(city or "Europe")
        slug = slugs.new(name)
        short, description = gen.description(name, city, country.name if country else "")
        created, published, updated = gen.moment()
        start = gen.some_date(2005, today) if rng.random() < 0.85 else None
        live = rng.random() < 0.75
        end = None
        if not live and start is not None:
            end = min(today, start + timedelta(days=rng.randint(90, 6 * 365)))
        related = {
            "countries": countries,
            "social_areas": gen.areas.some(rng.randint(1, 3)),
            "technologies": gen.technologies.some(rng.randint(1, 4)),
            "focus": gen.focus.some(gen.count([25, 45, 22, 8])),
            "who_we_help": gen.who.some(gen.count([30, 35, 25, 10])),
            "tags": gen.tags.some(gen.count([25, 25, 20, 15, 10, 5])),
            "network_tags": gen.networks.some(gen.count([75, 20, 5])),
        }
        social_impact = gen.sentence(name, city or "Europe", country.name if country else "")
        row = _Row(
            "project",
            name=name,
            short_description=short,
            description=description,
            city=city,
            social_impact=social_impact,
            live=live,
        )
        search = profile_search_fields(row, tags=related)
        rows.append(
            {
                **defaults,
                "id": pk,
                "name": name,
                "slug": slug,
                "website": f"https://{slug}.example.org/" if rng.random() < 0.8 else "",
                "short_description": short,
                "description": description,
                "city": city,
                "latitude": latitude,
                "longitude": longitude,
                "licence": gen.licence,
                "created_at": created,
                "updated_at": updated,
                "submitted_at": created,
                "published_at": published,
                "social_impact": f"<p>{social_impact}</p>",
                "live": live,
                "start_date": start,
                "end_date": end,
                **search,
            }
        )
        for relation, values in related.items():
            relations[relation].extend((pk, value.pk) for value in values)
        if org_ids:
            nearby = orgs_by_country.get(country.pk if country else None) or org_ids
            partners = [rng.choice(nearby if rng.random() < 0.7 else org_ids)]
            partners += [rng.choice(org_ids) for _ in range(gen.count([45, 30, 15, 10]))]
            for position, organisation in enumerate(dict.fromkeys(partners)):
                if position == 0 and rng.random() < 0.1:
                    continue  # a few projects have partners but no lead
                role = ProjectOrganisation.Role.LEAD if position == 0 else "partner"
                links.append((pk, organisation, str(role)))
        if number % COPY_BATCH == 0 or number == count:
            _write_profiles(Project, rows, relations)
            table = ProjectOrganisation._meta.db_table
            linked += _copy(table, ["project_id", "organisation_id", "role"], links)
            rows, links = [], []
            relations = {name: [] for name in relations}
            log(f"  projects: {number:,}/{count:,}")
    return linked


@transaction.atomic
def directory_seed_demo(
    *,
    organisations: int,
    projects: int,
    seed: int | None = None,
    log: Callable[[str], None] | None = None,
) -> SeedReport:
    """Add a synthetic, published directory: `organisations` and `projects` new profiles.

    The same seed gives the same names and spread (slugs still dodge existing ones). Projects
    link to the organisations made in the same run, or to existing published ones.
    """
    log = log or (lambda message: None)
    report = SeedReport()
    started = time.monotonic()
    gen = _Generator(random.Random(seed), timezone.now())
    report.tags = gen.tag_count
    report.steps["vocabularies"] = time.monotonic() - started

    step = time.monotonic()
    org_ids, by_country = _organisations(gen, organisations, log)
    report.organisations = len(org_ids)
    report.steps["organisations"] = time.monotonic() - step

    if not org_ids:  # link new projects to organisations already published
        by_country = defaultdict(list)
        for pk, country in Organisation.objects.published().values_list("pk", "country_id"):
            by_country[country].append(pk)
        org_ids = [pk for pks in by_country.values() for pk in pks]
    step = time.monotonic()
    report.links = _projects(gen, projects, (org_ids, by_country), log)
    report.projects = projects
    report.steps["projects"] = time.monotonic() - step

    directory_changed()
    report.seconds = time.monotonic() - started
    return report
