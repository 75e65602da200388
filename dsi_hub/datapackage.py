"""The Frictionless Data Package (datapackage.json) describing every download of the hub."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.exports import CSV_DIALECT
from core.exports import EXPORTS
from core.exports import LEGACY_SOURCE_URL
from core.exports import LIST_SEPARATOR
from core.exports import legacy_licence
from core.exports import site_licence
from core.hosts import site_url


def _geojson_resource(export, site: str) -> dict:
    """The GeoJSON file of a download with a place (core.geojson)."""
    properties = ", ".join(["kind", *(name for name, _column in export.geo)])
    return {
        "name": f"{export.plural}-geojson",
        "title": str(export.title),
        "description": str(export.description)
        + " "
        + str(
            _(
                "A GeoJSON FeatureCollection (RFC 7946): one Point feature per row that has "
                "coordinates ([longitude, latitude], WGS 84), its id the row's id, with the "
                "properties %(properties)s. Rows without coordinates are left out; the "
                "collection's own properties give the number of features and of rows left "
                "out (without_coordinates)."
            )
            % {"properties": properties}
        ),
        "profile": "data-resource",
        "path": site + reverse(f"data:{export.plural}_geojson"),
        "format": "geojson",
        "mediatype": "application/geo+json",
        "encoding": "utf-8",
    }


def datapackage_descriptor() -> dict:
    """A Frictionless Data Package (v1) describing every download, with the CSVs' schemas
    generated from the column definitions (so they always match the files' headers)."""
    site = site_url()
    licences = [site_licence()]
    if legacy_licence()["name"] != licences[0]["name"]:
        licences.append(legacy_licence())
    resources = []
    for export in EXPORTS.values():
        resources.append(
            {
                "name": f"{export.plural}-csv",
                "title": str(export.title),
                "description": str(export.description)
                + " "
                + str(
                    _("Several values in one cell are separated by “%(separator)s”.")
                    % {"separator": LIST_SEPARATOR}
                ),
                "profile": "tabular-data-resource",
                "path": site + reverse(f"data:{export.plural}_csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": CSV_DIALECT,
                "schema": export.schema(),
            }
        )
        resources.append(
            {
                "name": f"{export.plural}-json",
                "title": str(export.title),
                "description": str(export.description)
                + " "
                + str(
                    _(
                        "A JSON array of objects with the same fields as the CSV file; lists "
                        "are JSON arrays and missing values null."
                    )
                ),
                "profile": "data-resource",
                "path": site + reverse(f"data:{export.plural}_json"),
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            }
        )
        if "geojson" in export.file_formats:
            resources.append(_geojson_resource(export, site))
    return {
        "profile": "data-package",
        "name": "dsi-hub-directory",
        "title": str(
            _("%(site)s: directory of digital social innovation") % {"site": settings.SITE_NAME}
        ),
        "description": str(
            _(
                "The published organisations, projects, events, stories and funding "
                "opportunities of the %(site)s, the directory of digital social innovation in "
                "Europe that continues digitalsocial.eu. Each row carries its own licence."
            )
            % {"site": settings.SITE_NAME}
        ),
        "homepage": site + reverse("directory_pages:data"),
        "keywords": ["digital social innovation", "civic tech", "tech for good", "Europe"],
        "licenses": licences,
        "sources": [
            {
                "title": str(_("Contributors to the %(site)s") % {"site": settings.SITE_NAME}),
                "path": site + "/",
            },
            {
                "title": str(_("digitalsocial.eu (DSI4EU) open-data export, 2017")),
                "path": LEGACY_SOURCE_URL,
            },
        ],
        "resources": resources,
    }
