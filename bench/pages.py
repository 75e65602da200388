"""The warm run's URLs: a rotating set of list pages (searches, filters, sorts, deep pages),
detail pages, the events' and funding's lists, and the same searches as API requests."""

import datetime as dt
import random
from urllib.parse import urlencode

DETAIL_SAMPLE = 100  # detail pages per kind


def _top(queryset, field: str, count: int, *, reverse: bool = False) -> list[str]:
    from django.db.models import Count

    order = "n" if reverse else "-n"
    rows = queryset.values(field).annotate(n=Count("*")).order_by(order, field)[:count]
    return [row[field] for row in rows if row[field]]


def pick_urls(rng: random.Random) -> tuple[list[str], list[str]]:
    """At least 50 list URLs and a sample of detail URLs, from what the database holds."""
    from directory.models import DSIFocus
    from directory.models import Organisation
    from directory.models import OrganisationSize
    from directory.models import OrganisationType
    from directory.models import Project
    from directory.models import SocialArea
    from directory.models import Technology

    orgs = Organisation.objects.published()
    projects = Project.objects.published()
    countries = _top(orgs, "country__slug", 3) or ["spain"]
    cities = _top(orgs, "city", 3) or ["Barcelona"]
    types = list(OrganisationType.objects.values_list("slug", flat=True)) or [""]
    sizes = list(OrganisationSize.objects.values_list("slug", flat=True)) or [""]
    areas = _top(Project.social_areas.through.objects, "socialarea__slug", 10) or list(
        SocialArea.objects.values_list("slug", flat=True)
    )
    techs = _top(Project.technologies.through.objects, "technology__slug", 18) or list(
        Technology.objects.values_list("slug", flat=True)
    )
    focus = list(DSIFocus.objects.values_list("slug", flat=True)) or [""]
    tags = _top(Project.tags.through.objects, "tag__slug", 3)
    rare_tags = _top(Project.tags.through.objects, "tag__slug", 2, reverse=True)
    networks = _top(Organisation.network_tags.through.objects, "tag__slug", 2)
    org_tags = _top(Organisation.tags.through.objects, "tag__slug", 2)
    first = lambda values, n=0: values[n % len(values)] if values else ""  # noqa: E731

    common = [
        {"q": "open"},
        {"q": "data"},
        {"q": "lab"},
        {"q": "community"},
        {"q": "open data"},
    ]
    rare = [{"q": "lichen"}, {"q": "numismatics"}, {"q": "tartu"}]
    accents = [{"q": "liberte"}, {"q": "zurich"}, {"q": "krakow"}]
    prefixes = [{"q": "citi"}, {"q": "edu"}]
    plain = [{}, {"sort": "name"}, {"sort": "newest"}, {"sort": "updated"}]
    deep = [{"page": 50}, {"page": 500, "sort": "name"}, {"q": "open", "page": 20}]
    shared_filters = [
        {"country": first(countries)},
        {"city": first(cities)},
        {"country": first(countries, 1), "sort": "newest"},
        {"q": "open", "country": first(countries)},
        {"q": "citi", "city": first(cities, 1)},
        {"q": "liberte", "sort": "relevance"},
    ]
    organisation_params = [
        *plain,
        *common,
        *rare,
        *accents,
        *prefixes,
        *deep,
        *shared_filters,
        {"type": first(types)},
        {"size": first(sizes)},
        {"tag": first(org_tags)},
        {"network": first(networks)},
        {"country": first(countries), "type": first(types), "size": first(sizes)},
        {"country": first(countries), "tag": first(org_tags), "sort": "name"},
        {"q": "data", "type": first(types, 2), "page": 2},
    ]
    project_params = [
        *plain,
        *common,
        *rare,
        *accents,
        *prefixes,
        *deep,
        *shared_filters,
        {"area": first(areas)},
        {"tech": first(techs, 5)},
        {"focus": first(focus)},
        {"live": "closed"},
        {"tag": first(tags)},
        {"tag": first(rare_tags)},
        {"network": first(networks)},
        {"country": first(countries), "area": first(areas), "tech": first(techs)},
        {"area": [first(areas), first(areas, 1)]},
        {"area": first(areas, 2), "tech": first(techs, 3), "focus": first(focus), "live": "live"},
        {"q": "data", "area": first(areas), "sort": "newest"},
        {"q": "open", "country": first(countries), "tech": first(techs), "page": 2},
    ]
    list_urls = [
        f"/en/{kind}/" + (f"?{urlencode(params, doseq=True)}" if params else "")
        for kind, all_params in (
            ("organisations", organisation_params),
            ("projects", project_params),
        )
        for params in all_params
    ]
    list_urls = list(dict.fromkeys(list_urls))
    detail_urls = [
        f"/en/organisations/{slug}/"
        for slug in orgs.order_by("?").values_list("slug", flat=True)[:DETAIL_SAMPLE]
    ] + [
        f"/en/projects/{slug}/"
        for slug in projects.order_by("?").values_list("slug", flat=True)[:DETAIL_SAMPLE]
    ]
    rng.shuffle(list_urls)
    rng.shuffle(detail_urls)
    return list_urls, detail_urls


def pick_calendar_urls() -> dict[str, list[str]]:
    """List URLs of the events and the funding opportunities: plain, searched, filtered,
    past or closed, by month, deep pages; and the month calendar."""
    from django.utils import timezone

    from directory.models import SocialArea
    from events.models import Event
    from funding.models import FundingTarget
    from funding.models import FundingType

    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    next_month = f"{(today.replace(day=1) + dt.timedelta(days=32)):%Y-%m}"
    areas = list(SocialArea.objects.values_list("slug", flat=True)[:3]) or ["health-and-care"]
    countries = _top(Event.objects.published(), "country__slug", 2) or ["spain"]
    cities = _top(Event.objects.published(), "city", 2) or ["Barcelona"]
    types = list(FundingType.objects.values_list("slug", flat=True)[:3]) or [""]
    targets = list(FundingTarget.objects.values_list("slug", flat=True)[:2]) or [""]
    event_params = [
        {},
        {"when": "past"},
        {"page": 5},
        {"when": "past", "page": 40},
        {"q": "meetup"},
        {"q": "open data"},
        {"q": "lichen"},
        {"month": month},
        {"month": next_month, "area": areas[0]},
        {"country": countries[0]},
        {"city": cities[0]},
        {"attendance": "online"},
        {"free": "1", "area": areas[1 % len(areas)]},
        {"q": "workshop", "country": countries[-1], "when": "past"},
    ]
    funding_params = [
        {},
        {"status": "closed"},
        {"status": "upcoming"},
        {"page": 3},
        {"q": "fund"},
        {"q": "climate"},
        {"type": types[0]},
        {"target": targets},
        {"country": countries[0]},
        {"amount": 20000},
        {"closes": next_month},
        {"area": areas[0], "type": types[-1]},
        {"q": "grant", "status": "closed", "page": 2},
    ]
    calendar_params = [{}, {"month": next_month}, {"month": month, "area": areas[0]}]

    def urls(path, all_params):
        return [f"{path}?{urlencode(p, doseq=True)}" if p else path for p in all_params]

    return {
        "events": urls("/en/events/", event_params) + urls("/en/events/calendar/", calendar_params),
        "funding": urls("/en/funding/", funding_params),
    }


API_NAMES = {"q": "search", "sort": "ordering"}
API_ORDERINGS = {"name": "name", "newest": "-published", "updated": "-updated"}


def api_urls(list_urls: list[str]) -> list[str]:
    """The list pages' searches and filters as API requests (?q= is ?search=, and so on)."""
    from urllib.parse import parse_qsl
    from urllib.parse import urlsplit

    urls = []
    for url in list_urls:
        parts = urlsplit(url)
        kind = parts.path.strip("/").split("/")[-1]
        params = []
        for name, value in parse_qsl(parts.query):
            if name == "sort":
                value = API_ORDERINGS.get(value, value)
            params.append((API_NAMES.get(name, name), value))
        urls.append(f"/api/v1/{kind}/" + (f"?{urlencode(params)}" if params else ""))
    return list(dict.fromkeys(urls))
