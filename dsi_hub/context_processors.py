import contextlib
import functools
from urllib.parse import unquote

from django.conf import settings
from django.urls import NoReverseMatch
from django.urls import Resolver404
from django.urls import resolve
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

# The header's sections, in order. A section appears once its app provides the page.
MAIN_NAVIGATION = [
    ("directory:organisation_list", _("Organisations")),
    ("directory:project_list", _("Projects")),
    ("events:event_list", _("Events")),
    ("funding:opportunity_list", _("Funding")),
    ("stories:story_list", _("Stories")),
    ("stories:cluster_list", _("Clusters")),
    ("stories:resource_list", _("Resources")),
    ("explore:overview", _("Explore")),
    ("about", _("About")),
]


@functools.cache
def _navigation_urls(language: str) -> tuple[tuple[str, object], ...]:
    """The sections with their URLs in a language (URLs never change)."""
    return tuple((reverse(url_name), label) for url_name, label in MAIN_NAVIGATION)


def main_navigation(path: str) -> list[dict]:
    """The sections, the one holding `path` marked current: the longest that starts it, so that
    the clusters (/stories/clusters/) are current there, not the stories too."""
    sections = _navigation_urls(get_language())
    current = max((url for url, _label in sections if path.startswith(url)), key=len, default=None)
    return [{"url": url, "label": label, "current": url == current} for url, label in sections]


@functools.lru_cache(maxsize=4096)
def _translated_paths(path: str, current: str) -> dict[str, str]:
    """`path` (no query string) of a page in `current` as the same page in each language that
    has it, as translate_url finds it but resolving the path once for all of them (URLs never
    change; a page's query string, which varies most, is not part of the key)."""
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return {}
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    paths = {}
    for code, _name in settings.LANGUAGES:
        if code != current:
            with override(code), contextlib.suppress(NoReverseMatch):
                paths[code] = reverse(name, args=match.args, kwargs=match.kwargs)
    return paths


def language_links(request) -> list[dict]:
    """This page in each of the site's languages. The language is in the address, so plain
    links switch it: no form, no token, and a page is the same for every visitor (see
    core.page_cache). Where the address names no page (a 404), the prefix is swapped."""
    current = get_language()
    # One leading slash: "//host/..." (or "/\\host/...") would be read as another site's address.
    path = "/" + request.get_full_path().lstrip("/\\")
    path, mark, query = path.partition("?")
    prefix = f"/{current}/"
    translated = _translated_paths(path, current)
    links = []
    for code, _name in settings.LANGUAGES:
        url = translated.get(code, path)
        if url == path and code != current:
            url = f"/{code}/" + path[len(prefix) :] if path.startswith(prefix) else f"/{code}/"
        url += mark + query
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return links


def site(request):
    """Values every page's layout needs (the language links only when a page shows them)."""
    navigation = main_navigation(request.path)
    return {
        "SITE_NAME": settings.SITE_NAME,
        # Who runs the hub: the privacy page's data controller, on the contact page too.
        "OPERATOR": {
            "name": settings.OPERATOR_NAME,
            "email": settings.OPERATOR_EMAIL,
            "address": settings.OPERATOR_ADDRESS,
        },
        "main_navigation": navigation,
        # What the header's kept copy depends on (templates/partials/header.html).
        "main_section": next((item["url"] for item in navigation if item["current"]), "none"),
        # An embed (core.embeds) is laid out without the site's header and footer.
        "embedded": getattr(request, "embedded", False),
        "base_template": "embed/base.html" if getattr(request, "embedded", False) else "base.html",
        "language_links": functools.partial(language_links, request),
    }
