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
