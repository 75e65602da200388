"""What crawlers read first: robots.txt and the sitemap (an index, then a page per section)."""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.http import Http404
from django.http import HttpResponse
from django.http import HttpResponseNotFound
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.hosts import site_url
from directory.sitemaps import SITEMAPS
from directory.versions import directory_cache
from directory.versions import directory_cached

# Sitemap pages are kept this long, or until published content changes (the directory's version).
SITEMAP_CACHE_SECONDS = 15 * 60
CACHED_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")

# Pages for signed-in people and their forms: nothing there for a search engine. Each is
# (URL name, arguments, whether to close the whole folder it is in), reversed in every language;
# in a profile's pages "*" (RFC 9309) stands for its slug.
PRIVATE_PAGES = [
    ("admin:index", {}, False),
    ("account_login", {}, True),  # every allauth page: /<lang>/accounts/
    ("accounts:profile_edit", {}, True),  # the account's own pages: /<lang>/account/
    ("directory:dashboard", {}, False),
    ("directory:organisation_lookup", {}, False),
    ("directory:invitation_respond", {"pk": 1}, True),
    ("directory:organisation_create", {}, False),
    ("directory:project_create", {}, False),
]
PROFILE_ACTIONS = ["edit", "preview", "submit", "archive", "members", "join", "report"]
LANGUAGE_FREE_PATHS = ["/healthz", "/readyz"]
# The lists' filters combine without end (each facet value links to one more filter): a page
# with one or two filters (and its page number) may be crawled, a combination of three or
# more may not.
FILTER_COMBINATIONS = "/*?*&*&"


def _folder(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[0] + "/"


def _disallowed_paths() -> list[str]:
    paths = list(LANGUAGE_FREE_PATHS)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name, kwargs, folder in PRIVATE_PAGES:
                path = reverse(name, kwargs=kwargs)
                paths.append(_folder(path) if folder else path)
            for kind in ("organisation", "project"):
                for action in PROFILE_ACTIONS:
                    path = reverse(f"directory:{kind}_{action}", kwargs={"slug": "slug"})
                    paths.append(path.replace("/slug/", "/*/", 1))
    return list(dict.fromkeys(paths))


@require_safe
@cache_control(public=True, max_age=60 * 60)
def robots_txt(request):
    """The public site is open to crawlers; admin, account and editing pages are not."""
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in [*_disallowed_paths(), FILTER_COMBINATIONS]]
    lines += ["", f"Sitemap: {site_url()}{reverse('discovery:sitemap')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _versioned(key: str, build) -> HttpResponse:
    """A sitemap page from the cache while the directory's version holds, else built afresh.
    The version and the page come in one round trip: a warm page runs no query."""
    version, entry = directory_cached(key)
    if entry is None:
        response = build()
        if response.status_code != 200:
            return response
        response.render()
        headers = {name: response[name] for name in CACHED_HEADERS if name in response}
        entry = directory_cache(
            key,
            {"content": response.content, "headers": headers},
            version=version,
            timeout=SITEMAP_CACHE_SECONDS,
        )
    return HttpResponse(entry["content"], headers=entry["headers"])


@require_safe
def sitemap_index(request):
    """The sitemap index: every page of every section, with the section's latest change."""

    @x_robots_tag
    def build(request):
        entries = []
        for section, sitemap_class in SITEMAPS.items():
            pages, latest = sitemap_class().summary()
            path = reverse("discovery:sitemap_section", kwargs={"section": section})
            location = site_url() + path
            entries.append({"location": location, "last_mod": latest})
            entries += [
                {"location": f"{location}?p={page}", "last_mod": latest}
                for page in range(2, pages + 1)
            ]
        return TemplateResponse(
            request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
        )

    return _versioned(f"discovery:sitemap:index:{site_url()}", lambda: build(request))


@require_safe
def sitemap_section(request, section: str):
    """One page of a section (?p=2 for the second). An unknown section or page is a 404."""
    page = request.GET.get("p", "1")
    if section not in SITEMAPS:
        return _not_found(_("There is no sitemap section “%(section)s”.") % {"section": section})
    if not (page.isascii() and page.isdigit() and len(page) <= 6 and int(page) >= 1):
        return _not_found(_("A sitemap page number is a whole number from 1 upwards."))

    def build():
        try:
            return sitemap(request, sitemaps=SITEMAPS, section=section)
        except Http404:
            return _not_found(_("This sitemap section has no page %(page)s.") % {"page": int(page)})

    return _versioned(f"discovery:sitemap:{section}:{int(page)}:{site_url()}", build)


def _not_found(message: str) -> HttpResponse:
    return HttpResponseNotFound(message + "\n", content_type="text/plain; charset=utf-8")
