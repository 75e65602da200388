"""The words and places the demo directory is made of (directory.demo): city weights are
aggregates of the original platform's spread, not its data."""

import itertools


def words(text: str) -> list[str]:
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
