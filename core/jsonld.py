"""schema.org JSON-LD, as every app's pages embed it."""

import json

SCHEMA_ORG = "https://schema.org"

# Inside <script>, "</script>" or "<!--" in a value must not end or change the script: the
# same escapes as django.utils.html.json_script, still valid JSON for any parser.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script_text(data: dict) -> str:
    """The JSON text to put between <script type="application/ld+json"> and </script>."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def geo_coordinates(item) -> dict | None:
    """The GeoCoordinates of something with a latitude and a longitude, when both are known."""
    if item.latitude is None or item.longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": item.latitude, "longitude": item.longitude}


def organization(name: str, url: str) -> dict:
    """An Organization known by its name, and by its address when there is one."""
    found = {"@type": "Organization", "name": name}
    if url:
        found["url"] = url
    return found
