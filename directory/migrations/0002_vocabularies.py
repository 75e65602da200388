"""The controlled vocabularies of the original platform (shared/docs/taxonomy.md), translated.

Countries come from ISO 3166-1 as pycountry keeps it, named in each interface language from
pycountry's own translation catalogues. The data lives here, frozen, as a migration's should.
"""

import gettext

from django.db import migrations
from django.utils.text import slugify

LANGUAGES = ["en", "de", "fr", "it", "es", "ca"]

# Each value: English name, then de, fr, it, es, ca.
ORGANISATION_TYPES = [
    (
        "Social enterprise, charity, foundation or other non-profit",
        "Sozialunternehmen, Wohltätigkeitsorganisation, Stiftung oder andere gemeinnützige Organisation",
        "Entreprise sociale, association caritative, fondation ou autre organisation à but non lucratif",
        "Impresa sociale, ente di beneficenza, fondazione o altra organizzazione non profit",
        "Empresa social, organización benéfica, fundación u otra entidad sin ánimo de lucro",
        "Empresa social, entitat benèfica, fundació o altra entitat sense ànim de lucre",
    ),
    (
        "For-profit business",
        "Gewinnorientiertes Unternehmen",
        "Entreprise à but lucratif",
        "Impresa a scopo di lucro",
        "Empresa con ánimo de lucro",
        "Empresa amb ànim de lucre",
    ),
    (
        "Academia/Research organisation",
        "Hochschule/Forschungseinrichtung",
        "Université/Organisme de recherche",
        "Università/Ente di ricerca",
        "Universidad/Centro de investigación",
        "Universitat/Centre de recerca",
    ),
    (
        "Grassroots organisation or community network",
        "Basisorganisation oder Gemeinschaftsnetzwerk",
        "Organisation de terrain ou réseau communautaire",
        "Organizzazione di base o rete comunitaria",
        "Organización de base o red comunitaria",
        "Organització de base o xarxa comunitària",
    ),
    (
        "Government/public sector",
        "Regierung/öffentlicher Sektor",
        "Gouvernement/secteur public",
        "Governo/settore pubblico",
        "Gobierno/sector público",
        "Govern/sector públic",
    ),
]

ORGANISATION_SIZES = [
    (
        f"{size} people",
        f"{size} Personen",
        f"{size} personnes",
        f"{size} persone",
        f"{size} personas",
        f"{size} persones",
    )
    for size in ["0-5", "6-10", "11-25", "26-50", "51-100", "101-500", "501-1000"]
] + [
    (
        "over 1000 people",
        "über 1000 Personen",
        "plus de 1000 personnes",
        "oltre 1000 persone",
        "más de 1000 personas",
        "més de 1000 persones",
    )
]

# Social areas, in the 2018 order, with their 2017 names as aliases.
SOCIAL_AREAS = [
    (
        (
            "Health and care",
            "Gesundheit und Pflege",
            "Santé et soins",
            "Salute e assistenza",
            "Salud y cuidados",
            "Salut i cures",
        ),
        ["Health and wellbeing"],
    ),
    (
        (
            "Skills and learning",
            "Kompetenzen und Lernen",
            "Compétences et apprentissage",
            "Competenze e apprendimento",
            "Habilidades y aprendizaje",
            "Competències i aprenentatge",
        ),
        ["Education and skills"],
    ),
    (
        (
            "Food, environment and climate change",
            "Ernährung, Umwelt und Klimawandel",
            "Alimentation, environnement et changement climatique",
            "Cibo, ambiente e cambiamento climatico",
            "Alimentación, medio ambiente y cambio climático",
            "Alimentació, medi ambient i canvi climàtic",
        ),
        ["Energy and environment"],
    ),
    (
        (
            "Migration and integration",
            "Migration und Integration",
            "Migration et intégration",
            "Migrazione e integrazione",
            "Migración e integración",
            "Migració i integració",
        ),
        [],
    ),
    (
        (
            "Digital democracy",
            "Digitale Demokratie",
            "Démocratie numérique",
            "Democrazia digitale",
            "Democracia digital",
            "Democràcia digital",
        ),
        ["Participation and democracy"],
    ),
    (
        (
            "Cities and urban development",
            "Städte und Stadtentwicklung",
            "Villes et développement urbain",
            "Città e sviluppo urbano",
            "Ciudades y desarrollo urbano",
            "Ciutats i desenvolupament urbà",
        ),
        ["Neighbourhood regeneration"],
    ),
    (
        (
            "Work and employment",
            "Arbeit und Beschäftigung",
            "Travail et emploi",
            "Lavoro e occupazione",
            "Trabajo y empleo",
            "Treball i ocupació",
        ),
        [],
    ),
    (
        (
            "Culture and arts",
            "Kultur und Kunst",
            "Culture et arts",
            "Cultura e arti",
            "Cultura y artes",
            "Cultura i arts",
        ),
        [],
    ),
    (("Science", "Wissenschaft", "Science", "Scienza", "Ciencia", "Ciència"), []),
    (
        (
            "Finance and economy",
            "Finanzen und Wirtschaft",
            "Finance et économie",
            "Finanza ed economia",
            "Finanzas y economía",
            "Finances i economia",
        ),
        [],
    ),
]

TECHNOLOGIES = [
    (
        (
            "Social networks and social media",
            "Soziale Netzwerke und soziale Medien",
            "Réseaux sociaux et médias sociaux",
            "Social network e social media",
            "Redes sociales y medios sociales",
            "Xarxes socials i mitjans socials",
        ),
        [],
    ),
    (
        (
            "Crowdsourcing, crowdmapping and crowdfunding",
            "Crowdsourcing, Crowdmapping und Crowdfunding",
            "Crowdsourcing, cartographie participative et financement participatif",
            "Crowdsourcing, crowdmapping e crowdfunding",
            "Crowdsourcing, mapeo colaborativo y micromecenazgo",
            "Crowdsourcing, mapatge col·laboratiu i micromecenatge",
        ),
        [],
    ),
    (
        (
            "Open data",
            "Offene Daten",
            "Données ouvertes",
            "Open data",
            "Datos abiertos",
            "Dades obertes",
        ),
        [],
    ),
    (
        (
            "Mobile and web apps",
            "Mobile Apps und Web-Apps",
            "Applications mobiles et web",
            "App mobili e web",
            "Aplicaciones móviles y web",
            "Aplicacions mòbils i web",
        ),
        [],
    ),
    (
        (
            "Open-source technologies",
            "Open-Source-Technologien",
            "Technologies open source",
            "Tecnologie open source",
            "Tecnologías de código abierto",
            "Tecnologies de codi obert",
        ),
        ["Open source technologies"],
    ),
    (
        (
            "Peer-to-peer networks",
            "Peer-to-Peer-Netzwerke",
            "Réseaux pair-à-pair",
            "Reti peer-to-peer",
            "Redes entre pares",
            "Xarxes entre iguals",
        ),
        ["Peer to peer networks"],
    ),
    (
        (
            "Online learning and MOOCs",
            "Online-Lernen und MOOCs",
            "Apprentissage en ligne et MOOC",
            "Apprendimento online e MOOC",
            "Aprendizaje en línea y MOOC",
            "Aprenentatge en línia i MOOC",
        ),
        [],
    ),
    (
        (
            "Online marketplaces and noticeboards",
            "Online-Marktplätze und Schwarze Bretter",
            "Places de marché et panneaux d'affichage en ligne",
            "Mercati e bacheche online",
            "Mercados y tablones de anuncios en línea",
            "Mercats i taulers d'anuncis en línia",
        ),
        [],
    ),
    (("Big data", "Big Data", "Mégadonnées", "Big data", "Macrodatos", "Macrodades"), []),
    (
        (
            "Sensors and internet of things",
            "Sensoren und Internet der Dinge",
            "Capteurs et internet des objets",
            "Sensori e internet delle cose",
            "Sensores e internet de las cosas",
            "Sensors i internet de les coses",
        ),
        [],
    ),
    (
        (
            "Geotagging, GPS and GIS",
            "Geotagging, GPS und GIS",
            "Géolocalisation, GPS et SIG",
            "Geotagging, GPS e GIS",
            "Geoetiquetado, GPS y SIG",
            "Geoetiquetatge, GPS i SIG",
        ),
        [],
    ),
    (
        (
            "Digital fabrication and 3D-printing",
            "Digitale Fertigung und 3D-Druck",
            "Fabrication numérique et impression 3D",
            "Fabbricazione digitale e stampa 3D",
            "Fabricación digital e impresión 3D",
            "Fabricació digital i impressió 3D",
        ),
        ["Digital fabrication and 3D printing"],
    ),
    (
        (
            "Wearables and personal monitoring",
            "Wearables und persönliches Monitoring",
            "Objets connectés portables et suivi personnel",
            "Dispositivi indossabili e monitoraggio personale",
            "Dispositivos ponibles y monitorización personal",
            "Dispositius portables i monitoratge personal",
        ),
        [],
    ),
    (
        (
            "AI and machine learning",
            "KI und maschinelles Lernen",
            "IA et apprentissage automatique",
            "IA e apprendimento automatico",
            "IA y aprendizaje automático",
            "IA i aprenentatge automàtic",
        ),
        ["Artificial intelligence and machine learning"],
    ),
    (
        (
            "Digital democracy tools",
            "Werkzeuge für digitale Demokratie",
            "Outils de démocratie numérique",
            "Strumenti di democrazia digitale",
            "Herramientas de democracia digital",
            "Eines de democràcia digital",
        ),
        [],
    ),
    (
        (
            "Blockchain and distributed networks",
            "Blockchain und verteilte Netzwerke",
            "Blockchain et réseaux distribués",
            "Blockchain e reti distribuite",
            "Blockchain y redes distribuidas",
            "Cadena de blocs i xarxes distribuïdes",
        ),
        [],
    ),
    (("Robotics", "Robotik", "Robotique", "Robotica", "Robótica", "Robòtica"), []),
    (
        ("VR and AR", "VR und AR", "RV et RA", "Realtà virtuale e aumentata", "RV y RA", "RV i RA"),
        ["Virtual reality and augmented reality"],
    ),
]

DSI_FOCUS = [
    (
        (
            "Open hardware",
            "Offene Hardware",
            "Matériel libre",
            "Hardware aperto",
            "Hardware abierto",
            "Maquinari obert",
        ),
        (
            "Making things with open hardware to tackle social challenges",
            "Mit offener Hardware Dinge herstellen, um gesellschaftliche Herausforderungen anzugehen",
            "Fabriquer avec du matériel libre pour relever des défis sociaux",
            "Realizzare oggetti con hardware aperto per affrontare le sfide sociali",
            "Fabricar con hardware abierto para afrontar retos sociales",
            "Fabricar amb maquinari obert per afrontar reptes socials",
        ),
    ),
    (
        (
            "Open networks",
            "Offene Netzwerke",
            "Réseaux ouverts",
            "Reti aperte",
            "Redes abiertas",
            "Xarxes obertes",
        ),
        (
            "Growing networks and infrastructure through technology from the bottom up",
            "Netzwerke und Infrastruktur mit Technologie von unten aufbauen",
            "Développer des réseaux et des infrastructures par la technologie, à partir de la base",
            "Far crescere reti e infrastrutture con la tecnologia, dal basso",
            "Hacer crecer redes e infraestructuras con tecnología, desde abajo",
            "Fer créixer xarxes i infraestructures amb tecnologia, des de baix",
        ),
    ),
    (
        (
            "Open data",
            "Offene Daten",
            "Données ouvertes",
            "Open data",
            "Datos abiertos",
            "Dades obertes",
        ),
        (
            "Capturing, sharing, analysing and using open data",
            "Offene Daten erfassen, teilen, analysieren und nutzen",
            "Collecter, partager, analyser et utiliser des données ouvertes",
            "Raccogliere, condividere, analizzare e usare dati aperti",
            "Recoger, compartir, analizar y usar datos abiertos",
            "Recollir, compartir, analitzar i utilitzar dades obertes",
        ),
    ),
    (
        (
            "Open knowledge",
            "Offenes Wissen",
            "Savoir ouvert",
            "Conoscenza aperta",
            "Conocimiento abierto",
            "Coneixement obert",
        ),
        (
            "Harnessing the power and assets of the crowd",
            "Die Kraft und die Ressourcen vieler Menschen nutzen",
            "Mobiliser la force et les ressources de la foule",
            "Sfruttare la forza e le risorse della collettività",
            "Aprovechar la fuerza y los recursos de la multitud",
            "Aprofitar la força i els recursos de la multitud",
        ),
    ),
]


def _translated(field, names):
    return {f"{field}_{language}": name for language, name in zip(LANGUAGES, names, strict=True)}


def _load(model, rows):
    for order, (names, extra) in enumerate(rows, start=1):
        model.objects.update_or_create(
            slug=slugify(names[0]),
            defaults={"name": names[0], "order": order, **_translated("name", names), **extra},
        )


def load_countries(Country):
    import pycountry

    catalogues = {
        language: gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        for language in LANGUAGES
    }
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        names = {
            f"name_{language}": catalogue.gettext(name) if language != "en" else name
            for language, catalogue in catalogues.items()
        }
        Country.objects.update_or_create(
            code=country.alpha_2,
            defaults={"name": name, "slug": slugify(name), **names},
        )


def load(apps, schema_editor):
    load_countries(apps.get_model("directory", "Country"))
    _load(apps.get_model("directory", "OrganisationType"), [(n, {}) for n in ORGANISATION_TYPES])
    _load(apps.get_model("directory", "OrganisationSize"), [(n, {}) for n in ORGANISATION_SIZES])
    _load(
        apps.get_model("directory", "SocialArea"),
        [(names, {"aliases": aliases}) for names, aliases in SOCIAL_AREAS],
    )
    _load(
        apps.get_model("directory", "Technology"),
        [(names, {"aliases": aliases}) for names, aliases in TECHNOLOGIES],
    )
    _load(
        apps.get_model("directory", "DSIFocus"),
        [
            (names, {"description": descriptions[0], **_translated("description", descriptions)})
            for names, descriptions in DSI_FOCUS
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
