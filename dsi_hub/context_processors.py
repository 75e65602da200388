import functools

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The header's sections, in order. A section appears once its app provides the page.
MAIN_NAVIGATION = [
    ("directory:organisation_list", _("Organisations")),
    ("directory:project_list", _("Projects")),
    ("events:event_list", _("Events")),
    ("funding:opportunity_list", _("Funding")),
    ("stories:story_list", _("Stories")),
    ("about", _("About")),
]


@functools.cache
def _navigation_urls(language: str) -> tuple[tuple[str, object], ...]:
    """The sections whose pages exist, with their URLs in a language (URLs never change)."""
    items = []
    for url_name, label in MAIN_NAVIGATION:
        try:
            items.append((reverse(url_name), label))
        except NoReverseMatch:
            continue
    return tuple(items)


def main_navigation(path: str) -> list[dict]:
    return [
        {"url": url, "label": label, "current": path.startswith(url)}
        for url, label in _navigation_urls(get_language())
    ]


def site(request):
    """Values every page's layout needs."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "main_navigation": main_navigation(request.path),
    }
