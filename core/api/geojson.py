"""`?format=geojson` on the API's lists of things with a place (organisations, projects,
events): the page's results as a GeoJSON FeatureCollection (RFC 7946).

The list is made, filtered, paged and cached exactly as its JSON (the renderer only rewrites
the answer), so a parameter that is wrong gets the same 400, in JSON, whatever the format
(`GeoJSONListMixin.finalize_response`). Each result with coordinates is a Point feature,
[longitude, latitude], whose id is the result's and whose properties are the rest of the
result with its `kind`; results without coordinates are left out. The pagination stays in the
collection's `properties` (a foreign member, which RFC 7946 allows), beside how many of this
page's results were left out: `count` (every result, with coordinates or not), `next` and
`previous` (the neighbouring pages, in GeoJSON too), `without_coordinates`. One item
(`/api/v1/organisations/<slug>/?format=geojson`) is one Feature, with a null geometry when it
has no coordinates.
"""

from rest_framework.renderers import JSONRenderer

from core.geojson import MEDIA_TYPE
from core.geojson import has_coordinates

FORMAT = "geojson"
FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": (
        "json (the default) or geojson: the page's results with coordinates as a GeoJSON "
        "FeatureCollection (RFC 7946), the pagination in its properties."
    ),
    "schema": {"type": "string", "enum": ["json", FORMAT]},
}
LATITUDE, LONGITUDE = "latitude", "longitude"


def api_feature(kind: str, item: dict) -> dict:
    latitude, longitude = item.get(LATITUDE), item.get(LONGITUDE)
    properties = {key: value for key, value in item.items() if key not in (LATITUDE, LONGITUDE)}
    return {
        "type": "Feature",
        "id": item.get("id"),
        "geometry": (
            {"type": "Point", "coordinates": [longitude, latitude]}
            if has_coordinates(latitude, longitude)
            else None
        ),
        "properties": {"kind": kind, **properties},
    }


def feature_collection(kind: str, page: dict) -> dict:
    """A page of the API's list (count, next, previous, results) as a FeatureCollection."""
    results = page["results"]
    features = [
        api_feature(kind, item)
        for item in results
        if has_coordinates(item.get(LATITUDE), item.get(LONGITUDE))
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "kind": kind,
            "count": page.get("count"),
            "next": page.get("next"),
            "previous": page.get("previous"),
            "without_coordinates": len(results) - len(features),
        },
    }


class GeoJSONRenderer(JSONRenderer):
    media_type = MEDIA_TYPE
    format = FORMAT

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        kind = view.model._meta.model_name if view is not None else ""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            data = feature_collection(kind, data)
        elif isinstance(data, dict) and LATITUDE in data:
            data = api_feature(kind, data)
        return super().render(data, accepted_media_type, renderer_context)


class GeoJSONListMixin:
    """A viewset whose lists and items may also be had as GeoJSON; its errors stay JSON."""

    def get_renderers(self):
        return [*super().get_renderers(), GeoJSONRenderer()]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(
            getattr(response, "accepted_renderer", None), GeoJSONRenderer
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


# --- The schema --------------------------------------------------------------------------------

POINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {
            "type": "array",
            "description": (
                "[longitude, latitude] in decimal degrees (WGS 84), as RFC 7946 orders them."
            ),
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
        },
    },
}


def feature_schema(item: str) -> dict:
    """A Feature made of an item whose schema component is named `item`."""
    return {
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "geometry": {**POINT, "nullable": True},
            "properties": {
                "type": "object",
                "description": (
                    f"The fields of {item} (see its schema) but latitude and longitude, which "
                    "are the geometry's, and kind: organisation, project or event."
                ),
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}},
                "additionalProperties": True,
            },
        },
    }


def collection_schema(item: str) -> dict:
    return {
        "type": "object",
        "description": (
            "The page's results that have coordinates, as GeoJSON (RFC 7946); the pagination "
            "is in the collection's properties."
        ),
        "required": ["type", "features", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": feature_schema(item)},
            "properties": {
                "type": "object",
                "required": ["kind", "count", "next", "previous", "without_coordinates"],
                "properties": {
                    "kind": {"type": "string"},
                    "count": {
                        "type": "integer",
                        "description": "Every result, on all pages, with coordinates or not.",
                    },
                    "next": {"type": "string", "format": "uri", "nullable": True},
                    "previous": {"type": "string", "format": "uri", "nullable": True},
                    "without_coordinates": {
                        "type": "integer",
                        "description": "This page's results left out for want of coordinates.",
                    },
                },
            },
        },
    }


def geojson_content(item: str, *, many: bool) -> dict:
    """The GeoJSON content of a 2xx answer in the schema: a FeatureCollection of `item`s (a
    list) or a Feature of one (an item), `item` being the name of the item's component."""
    return {"schema": collection_schema(item) if many else feature_schema(item)}
