from django.conf import settings
from django.urls import NoReverseMatch, reverse
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


def main_navigation(path: str) -> list[dict]:
    items = []
    for url_name, label in MAIN_NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": path.startswith(url)})
    return items


def site(request):
    """Values every page's layout needs."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "main_navigation": main_navigation(request.path),
    }
