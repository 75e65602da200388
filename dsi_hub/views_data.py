"""Open data: bulk downloads of the published directory, their datapackage.json and the data page.

The downloads take the same query parameters as the lists, through the same FilterSets, and are
streamed: the header goes out at once, then the rows as the database hands them over.
"""

from django.conf import settings
from django.http import HttpResponse
from django.http import JsonResponse
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.download_files import DownloadFileResponse
from core.download_files import kept_file
from core.download_files import teed
from core.exports import BOOLEAN
from core.exports import DATE
from core.exports import DATETIME
from core.exports import EXPORTS
from core.exports import FORMATS
from core.exports import INTEGER
from core.exports import LIST_SEPARATOR
from core.exports import NUMBER
from core.exports import STRING
from core.exports import download_filename
from core.exports import legacy_licence
from core.exports import site_licence
from core.exports import stream
from core.hosts import site_url
from core.models import Licence
from dsi_hub.datapackage import datapackage_descriptor

FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "geojson": "GeoJSON"}
# Downloads may be a few minutes old: a proxy may keep them that long.
DOWNLOAD_MAX_AGE = 5 * 60
API_DOCS_PATH = "/api/v1/docs/"
DATA_PATH = "/data/"


def _bad_request(errors, file_format: str) -> HttpResponse:
    """A 400 naming each parameter that is wrong and why (JSON for .json and .geojson, plain
    text for .csv)."""
    messages = {name: [str(error) for error in found] for name, found in errors.items()}
    if file_format in ("json", "geojson"):
        return JsonResponse(messages, status=400, json_dumps_params={"ensure_ascii": False})
    lines = [
        _("The download was refused: these query parameters are not valid."),
        *(f"{name}: {message}" for name, found in messages.items() for message in found),
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


@require_safe
def download(request, plural: str, file_format: str):
    """Published organisations, projects, events, stories or funding opportunities as CSV or
    JSON, filtered like the lists; browsers and proxies may keep them a few minutes."""
    export = EXPORTS[plural]
    max_age = export.max_age(DOWNLOAD_MAX_AGE) if export.max_age else DOWNLOAD_MAX_AGE
    response = _download(request, export, file_format)
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def _download(request, export, file_format: str):
    file_type = FORMATS[file_format]
    filename = download_filename(export, file_type, timezone.localdate())
    # The whole download, unfiltered: sent from the file kept since the last change, if any
    # (not for a download that follows the clock, such as upcoming events: see Export.kept).
    # Its name is read before the rows' query is made, never after: what the rows show of the
    # clock (stories whose moment has come) is then at least as new as the name says.
    whole = export.kept and not request.GET
    kept, is_kept = kept_file(export, file_type) if whole else (None, False)
    if is_kept:
        try:
            handle = kept.open("rb")
        except OSError:  # removed meanwhile by a newer one: made again below
            kept = None
        else:
            return DownloadFileResponse(
                handle, as_attachment=True, filename=filename, content_type=file_type.content_type
            )
    filterset = export.filterset_class(request.GET, queryset=export.model.objects.published())
    queryset = filterset.qs  # validates, filters, orders
    if filterset.errors:
        return _bad_request(filterset.errors, file_format)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    # HEAD: the same headers (no length: the file's is not known in advance), and no query.
    if request.method == "GET":
        body = stream(export, file_type, queryset)
        if kept is not None:
            body = teed(body, kept)
    else:
        body = iter(())
    return StreamingHttpResponse(body, content_type=file_type.content_type, headers=headers)


@require_safe
@cache_control(public=True, max_age=60 * 60)
def datapackage(request):
    """The Frictionless Data Package describing the downloads (in English, like their values)."""
    with translation.override(settings.LANGUAGE_CODE):
        descriptor = datapackage_descriptor()
    return JsonResponse(descriptor, json_dumps_params={"indent": 2, "ensure_ascii": False})


LICENCE_SUMMARIES = {
    Licence.CC_BY_4: gettext_lazy(
        "You may share and adapt them for any purpose, even commercially, if you credit the source."
    ),
    Licence.CC_BY_SA_4: gettext_lazy(
        "You may share and adapt them for any purpose, even commercially, if you credit the "
        "source and share what you make from them under the same licence."
    ),
    Licence.CC_BY_NC_SA_4: gettext_lazy(
        "You may share and adapt them if you credit the source, not for commercial purposes, "
        "and share what you make from them under the same licence."
    ),
    Licence.CC0: gettext_lazy(
        "They are in the public domain: you may use them without conditions, though a credit "
        "is welcome."
    ),
}


def _summarised(licence: dict) -> dict:
    return {**licence, "summary": LICENCE_SUMMARIES[licence["name"]]}


TYPE_LABELS = {
    STRING: gettext_lazy("text"),
    INTEGER: gettext_lazy("whole number"),
    NUMBER: gettext_lazy("number"),
    BOOLEAN: gettext_lazy("true or false"),
    DATE: gettext_lazy("date"),
    DATETIME: gettext_lazy("date and time"),
}
LIST_LABELS = {
    STRING: gettext_lazy("list of texts"),
    INTEGER: gettext_lazy("list of whole numbers"),
}

# The query parameters of the lists, which the downloads take too.
ALL, BOTH, ORGANISATIONS_ONLY, PROJECTS_ONLY, EVENTS_ONLY = (
    gettext_lazy("organisations, projects and events"),
    gettext_lazy("organisations and projects"),
    gettext_lazy("organisations"),
    gettext_lazy("projects"),
    gettext_lazy("events"),
)
FUNDING_ONLY = gettext_lazy("funding opportunities")
STORIES_ONLY = gettext_lazy("stories")
EVERY_DOWNLOAD = gettext_lazy("every download")
WITH_AREAS = gettext_lazy("organisations, projects, events, stories and funding opportunities")
# Organisations are found through their published projects (directory.search).
THROUGH_PROJECTS = gettext_lazy("Organisations: through their published projects.")
PARAMETERS = [
    ("q", EVERY_DOWNLOAD, gettext_lazy("Words to find in names, descriptions, tags and places.")),
    (
        "country",
        ALL,
        format_lazy(
            "{} {}",
            gettext_lazy("A country, by its name in addresses (spain, united-kingdom...)."),
            gettext_lazy("Projects that name none: the countries of their organisations."),
        ),
    ),
    ("city", ALL, gettext_lazy("A city or town, ignoring case and accents.")),
    ("tag", BOTH, gettext_lazy("A free tag, by its name in addresses.")),
    ("network", BOTH, gettext_lazy("A network, by its name in addresses.")),
    ("type", ORGANISATIONS_ONLY, gettext_lazy("A type of organisation, by its name in addresses.")),
    ("size", ORGANISATIONS_ONLY, gettext_lazy("A size of organisation, by its name in addresses.")),
    (
        "area",
        WITH_AREAS,
        format_lazy(
            "{} {}",
            gettext_lazy("An area of social impact, by its name in addresses."),
            THROUGH_PROJECTS,
        ),
    ),
    (
        "tech",
        BOTH,
        format_lazy(
            "{} {}", gettext_lazy("A technology, by its name in addresses."), THROUGH_PROJECTS
        ),
    ),
    (
        "focus",
        BOTH,
        format_lazy(
            "{} {}", gettext_lazy("A DSI focus, by its name in addresses."), THROUGH_PROJECTS
        ),
    ),
    (
        "live",
        PROJECTS_ONLY,
        gettext_lazy("live for running projects, closed for those that ended."),
    ),
    (
        "when",
        EVENTS_ONLY,
        gettext_lazy(
            "upcoming (the default) for events that are not over yet, soonest first; past for "
            "those that are, latest first."
        ),
    ),
    ("month", EVENTS_ONLY, gettext_lazy("Events that take place in a month, written YYYY-MM.")),
    (
        "attendance",
        EVENTS_ONLY,
        gettext_lazy("online or in_person (events in both ways match either)."),
    ),
    ("free", EVENTS_ONLY, gettext_lazy("1 for free events, 0 for paid ones.")),
    ("kind", STORIES_ONLY, gettext_lazy("news, blog (blog posts) or case_study (case studies).")),
    ("category", STORIES_ONLY, gettext_lazy("A category of stories, by its name in addresses.")),
    (
        "status",
        FUNDING_ONLY,
        gettext_lazy(
            "open (the default) for opportunities open today, closing soonest first; upcoming "
            "for those opening later; closed for closed ones, latest first."
        ),
    ),
    ("target", FUNDING_ONLY, gettext_lazy("Who may apply, by its name in addresses (startup...).")),
    ("closes", FUNDING_ONLY, gettext_lazy("Opportunities that close in a month, written YYYY-MM.")),
    (
        "amount",
        FUNDING_ONLY,
        gettext_lazy("An amount the opportunity's range covers, as a number (20000)."),
    ),
    (
        "sort",
        BOTH,
        gettext_lazy(
            "The order of the rows: name (the default), newest, updated, or relevance (the "
            "default with q)."
        ),
    ),
]
EXAMPLES = [
    (
        gettext_lazy("Projects in Spain working on health and care, as CSV"),
        "projects",
        "csv",
        [("country", "spain"), ("area", "health-and-care")],
    ),
    (
        gettext_lazy("Organisations matching “fab lab”, newest first, as JSON"),
        "organisations",
        "json",
        [("q", "fab lab"), ("sort", "newest")],
    ),
    (
        gettext_lazy("Running projects that use both open data and sensors, as JSON"),
        "projects",
        "json",
        [("tech", "open-data"), ("tech", "sensors-and-internet-of-things"), ("live", "live")],
    ),
    (
        gettext_lazy("Organisations in Spain or Portugal, as points for a map (GeoJSON)"),
        "organisations",
        "geojson",
        [("country", "spain"), ("country", "portugal")],
    ),
]


def _columns(export) -> list[dict]:
    return [
        {
            "name": column.name,
            "type": (LIST_LABELS if column.many else TYPE_LABELS)[column.type],
            "description": column.description,
            "since_2017": column.since_2017,
        }
        for column in export.columns
    ]


def _fields_caption(plural: str, count: int) -> str:
    if plural == "organisations":
        text = ngettext(
            "The %(count)s field of the organisations files",
            "The %(count)s fields of the organisations files",
            count,
        )
    elif plural == "projects":
        text = ngettext(
            "The %(count)s field of the projects files",
            "The %(count)s fields of the projects files",
            count,
        )
    elif plural == "funding":
        text = ngettext(
            "The %(count)s field of the funding files",
            "The %(count)s fields of the funding files",
            count,
        )
    elif plural == "stories":
        text = ngettext(
            "The %(count)s field of the stories files",
            "The %(count)s fields of the stories files",
            count,
        )
    else:
        text = ngettext(
            "The %(count)s field of the events files",
            "The %(count)s fields of the events files",
            count,
        )
    return text % {"count": count}


@require_safe
def data_page(request):
    """What the downloads hold, how to filter them, their licences and how to cite them."""
    downloads = [
        {
            "title": export.title,
            "columns": _columns(export),
            "caption": _fields_caption(export.plural, len(export.columns)),
            "links": [
                (FORMAT_LABELS[file_format], reverse(f"data:{export.plural}_{file_format}"))
                for file_format in export.file_formats
            ],
            "plural": export.plural,
        }
        for export in EXPORTS.values()
    ]
    examples = [
        (description, reverse(f"data:{plural}_{file_format}") + "?" + urlencode(query))
        for description, plural, file_format, query in EXAMPLES
    ]
    context = {
        "downloads": downloads,
        "parameters": PARAMETERS,
        "examples": examples,
        "separator": LIST_SEPARATOR,
        "site_licence": _summarised(site_licence()),
        "legacy_licence": _summarised(legacy_licence()),
        "datapackage_url": reverse("data:datapackage"),
        "api_docs_url": API_DOCS_PATH,
        # The address without a language, which sends each reader to the page in theirs.
        "cite_url": site_url() + DATA_PATH,
        "today": timezone.localdate(),
    }
    return render(request, "directory/data_page.html", context)
