"""The words and places the demo directory is made of (directory.demo): city weights are
aggregates of the original platform's spread, not its data."""

import csv
import itertools
from pathlib import Path


def words(text: str) -> list[str]:
    return text.split()


# --- Places ---------------------------------------------------------------------------------
# (city as shown, ISO country code, latitude, longitude, weight), from demo_cities.csv. Weights:
# how often a city came up in the 2017 directory, rounded; the long tail (weight 1-2) covers
# every EU country.
CITIES = [
    (
        row["city"],
        row["country"],
        float(row["latitude"]),
        float(row["longitude"]),
        int(row["weight"]),
    )
    for row in csv.DictReader((Path(__file__).parent / "demo_cities.csv").open(encoding="utf-8"))
]


# --- Words ------------------------------------------------------------------------------------
ADJECTIVES = words(
    "Open Civic Green Digital Smart Social Shared Common Local Urban Rural Circular Fair Free "
    "Public Inclusive Collaborative Participatory Creative Caring Resilient Sustainable Bright "
    "Connected Distributed Decentralised Transparent Playful Curious Brave Kind Young Wise Bold "
    "New Future Better Good Wild Clear Solid Agile Lively Quiet Sunny Northern Southern Coastal"
)


NOUNS = words(
    "Data Commons Code Maps Streets Neighbours Citizens Makers Ideas Futures Voices Seeds "
    "Bridges Roots Waves Sparks Circles Threads Gardens Rivers Cities Villages Schools Tools "
    "Skills Stories Signals Sensors Hands Minds Hearts Paths Doors Windows Lights Bees Trees "
    "Fields Harbours Kitchens Libraries Markets Workshops Networks Machines Pixels Atlases"
)


ORG_KINDS = words(
    "Lab Foundation Collective Cooperative Network Institute Studio Hub Association Alliance "
    "Trust Centre Agency Factory Works Society Initiative Partnership Academy Observatory"
)


PROJECT_KINDS = words(
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


SYLLABLE_HEADS = words(
    "civi citi data eco agri medi edu geo socio demo co open maker fab green care bio hack "
    "vox nova terra aqua urba"
)


SYLLABLE_TAILS = words(
    "lab ly hub net ify io sense map zen works loop grid wise mind scope base nest forge "
    "spark ia ix um ora tek"
)


VERBS = words(
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
TOPIC_WORDS = words(
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
