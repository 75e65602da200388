"""The sitemap's sections: the site's main pages, then every published organisation and project.

Every page is listed once per language, each entry naming all its languages (hreflang) and an
x-default (the address without a language, which sends a visitor to theirs). Addresses are built
on the hub's address (core.hosts.site_url: SITE_URL, or in development the request's host).

Django's Sitemap builds its i18n pages from a list of every (item, language) pair, which would
load the whole directory for one page; ProfileSitemap pages through the database instead, a
page of profiles at a time, with only the columns it needs.
"""

import math
from urllib.parse import quote
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from core.hosts import site_url
from directory.models import Organisation
from directory.models import Project

# Profiles per sitemap page. Each is listed once per language (6 today), so a page holds about
# 3,000 <url> entries of ~1 KB: far below the protocol's 50,000 URLs and 50 MB.
PROFILES_PER_PAGE = 500
SLUG_PLACEHOLDER = "__slug__"


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _without_language(path: str) -> str:
    """The x-default address: the path without its language prefix (/en/about/ -> /about/)."""
    prefix = f"/{settings.LANGUAGE_CODE}/"
    return "/" + path.removeprefix(prefix) if path.startswith(prefix) else path


class HubSitemap(Sitemap):
    """Absolute addresses on the hub's address, one entry per language with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc

    def paths(self, item) -> dict[str, str]:
        """The item's path in each language."""
        raise NotImplementedError

    def lastmod(self, item):
        return None

    def page_items(self, page):
        return self.paginator.page(page).object_list

    def get_urls(self, page=1, site=None, protocol=None):
        """The page's entries, in the shape django.contrib.sitemaps' template reads."""
        base = f"{self.get_protocol()}://{self.get_domain()}"
        urls, lastmods = [], []
        for item in self.page_items(page):
            paths = self.paths(item)
            alternates = [
                {"location": base + path, "lang_code": language} for language, path in paths.items()
            ]
            if settings.LANGUAGE_CODE in paths:
                default = _without_language(paths[settings.LANGUAGE_CODE])
                alternates.append({"location": base + default, "lang_code": "x-default"})
            lastmod = self.lastmod(item)
            lastmods.append(lastmod)
            for path in paths.values():
                urls.append(
                    {
                        "item": item,
                        "location": base + path,
                        "lastmod": lastmod,
                        "changefreq": None,
                        "priority": "",
                        "alternates": alternates,
                    }
                )
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


class PagesSitemap(HubSitemap):
    """The main pages: home, about, the directory's lists, search and the data page."""

    url_names = [
        "home",
        "about",
        "directory:organisation_list",
        "directory:project_list",
        "search",
        "directory_pages:data",
    ]

    def items(self):
        return list(self.url_names)

    @property
    def paginator(self):
        return Paginator(self.items(), self.limit)

    def paths(self, item):
        paths = {}
        for language in _languages():
            with translation.override(language):
                paths[language] = reverse(item)
        return paths

    def summary(self) -> tuple[int, None]:
        """Pages in this section and its latest change (unknown for these pages)."""
        return self.paginator.num_pages, None


class ProfileSitemap(HubSitemap):
    """Every published profile of one kind, oldest first so pages keep their content."""

    model = None
    limit = PROFILES_PER_PAGE

    def items(self):
        return self.model.objects.published().order_by("pk").values_list("slug", "updated_at")

    @property
    def paginator(self):
        return Paginator(self.items(), self.limit)

    def lastmod(self, item):
        return item[1]

    def paths(self, item):
        slug = quote(item[0], safe="")
        return {
            language: pattern.replace(SLUG_PLACEHOLDER, slug)
            for language, pattern in self._patterns().items()
        }

    def _patterns(self) -> dict[str, str]:
        """The detail path in each language with a placeholder slug: reversed once per page,
        not once per entry."""
        if not hasattr(self, "_pattern_cache"):
            name = f"directory:{self.model._meta.model_name}_detail"
            self._pattern_cache = {}
            for language in _languages():
                with translation.override(language):
                    path = reverse(name, kwargs={"slug": SLUG_PLACEHOLDER})
                self._pattern_cache[language] = path
        return self._pattern_cache

    def summary(self) -> tuple[int, object]:
        """Pages in this section and its latest change, in one query."""
        totals = self.model.objects.published().aggregate(
            count=Count("pk"), latest=Max("updated_at")
        )
        return max(1, math.ceil(totals["count"] / self.limit)), totals["latest"]


class OrganisationSitemap(ProfileSitemap):
    model = Organisation


class ProjectSitemap(ProfileSitemap):
    model = Project


SITEMAPS = {
    "pages": PagesSitemap,
    "organisations": OrganisationSitemap,
    "projects": ProjectSitemap,
}
