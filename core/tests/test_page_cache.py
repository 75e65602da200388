"""Whole pages cached for anonymous visitors (core.page_cache)."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test import RequestFactory

from core.page_cache import cache_for_visitors
from directory.services.profiles import profile_update
from directory.tests.factories import OrganisationFactory


class Versioned:
    """A stand-in for a content version and its cache (the real one is Redis, tested below)."""

    def __init__(self):
        self.version, self.entries, self.renders = 1, {}, 0

    def cached(self, key):
        entry = self.entries.get(key)
        return self.version, entry if entry and entry["version"] == self.version else None

    def store(self, key, entry, *, version, timeout):
        self.entries[key] = {**entry, "version": version}


def decorated(pages: Versioned, body, params=("page",)):
    @cache_for_visitors(pages.cached, pages.store, params=params)
    def view(request):
        pages.renders += 1
        return body(request)

    return view


def request(path="/en/x/", **kwargs):
    made = RequestFactory().get(path, **kwargs)
    made.session = SessionStore()
    made._messages = FallbackStorage(made)
    return made


def test_a_page_is_rendered_once_per_address_and_version(settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    pages = Versioned()
    view = decorated(pages, lambda r: HttpResponse(f"page {pages.renders}", headers={"X-A": "1"}))
    first = view(request())
    again = view(request())
    assert first.content == again.content == b"page 1" and pages.renders == 1
    assert again["X-A"] == "1" and again["Vary"] == first["Vary"] == "Cookie"
    view(request("/en/x/?page=2"))
    view(request(HTTP_HOST="other.example"))
    assert pages.renders == 3
    pages.version += 1
    assert view(request()).content == b"page 4"


@pytest.mark.parametrize(
    "personal",
    [
        lambda r: HttpResponse(get_token(r)),
        lambda r: HttpResponse(r.session.__setitem__("seen", True)),
        lambda r: HttpResponse(messages.info(r, "Hello")),
        lambda r: (response := HttpResponse("x")).set_cookie("a", "b") or response,
        lambda r: HttpResponse("x", headers={"Cache-Control": "private"}),
        lambda r: HttpResponse("x", status=404),
    ],
    ids=["csrf token", "session", "message", "cookie", "private", "not found"],
)
def test_a_page_that_left_something_personal_is_not_stored(personal):
    pages = Versioned()
    view = decorated(pages, personal)
    view(request())
    view(request())
    assert pages.renders == 2 and not pages.entries


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_visitors_with_a_session_or_a_message_get_their_own_page(cookie):
    pages = Versioned()
    view = decorated(pages, lambda r: HttpResponse("x"))
    view(request())
    plain = request()
    plain.COOKIES[cookie] = "something"
    view(plain)
    assert pages.renders == 2


def test_only_the_views_own_parameters_are_cached():
    """Made-up or tracking parameters would each take a place in the cache."""
    pages = Versioned()
    view = decorated(pages, lambda r: HttpResponse("x"))
    for path in ("/en/x/?utm_source=a", "/en/x/?utm_source=a", "/en/x/?page=2&x=1"):
        view(request(path))
    assert pages.renders == 3 and not pages.entries


def test_two_spellings_of_a_query_are_two_pages():
    """A query sent as raw bytes and one escaped: the address Django rebuilds for both is the
    same, yet each page was rendered from its own query."""
    pages = Versioned()
    view = decorated(pages, lambda r: HttpResponse(r.GET.get("page", "")), params=("page",))
    raw = request("/en/x/")
    raw.META["QUERY_STRING"] = "page=%C3%83%C2%A9"
    view(raw)
    other = request("/en/x/")
    other.META["QUERY_STRING"] = "page=\xc3\xa9"
    view(other)
    assert pages.renders == 2


def test_a_new_release_renders_pages_anew(monkeypatch):
    pages = Versioned()
    view = decorated(pages, lambda r: HttpResponse("x"))
    view(request())
    monkeypatch.setattr("core.page_cache.release_id", lambda: "next")
    view(request())
    assert pages.renders == 2


def test_posts_are_never_cached():
    pages = Versioned()
    view = decorated(pages, lambda r: HttpResponse("x"))
    view(RequestFactory().post("/en/x/"))
    assert not pages.entries


# --- With the directory's pages, Redis and the directory's version ------------------------------


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Liberté Numérique")


@pytest.mark.parametrize(
    "path",
    [
        "/en/organisations/",
        "/en/organisations/?q=libre&sort=name&page=1",
        "/en/organisations/{slug}/",
    ],
)
def test_a_visitors_second_visit_is_served_whole(organisation, path, django_assert_num_queries):
    url = path.format(slug=organisation.slug)
    first = Client().get(url)
    assert first.context is not None  # rendered
    with django_assert_num_queries(0):
        again = Client().get(url)
    assert again.context is None  # not rendered: the whole page came from the cache
    assert again.content == first.content and again["Vary"] == first["Vary"] == "Cookie"
    assert again["Content-Language"] == "en" and again["X-Frame-Options"] == "DENY"


def test_the_cached_page_follows_edits_at_once(
    organisation, user, django_capture_on_commit_callbacks
):
    from directory.models import Membership
    from directory.models import Role

    Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    url = organisation.get_absolute_url()
    assert "Liberté Numérique" in Client().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=organisation, user=user, fields={"name": "Liberté Libre"})
    assert "Liberté Libre" in Client().get(url).content.decode()


def test_someone_logged_in_never_gets_nor_leaves_the_visitors_page(organisation, user):
    url = organisation.get_absolute_url()
    member = Client()
    member.force_login(user)
    assert "Log out" in member.get(url).content.decode()
    visitor = Client().get(url).content.decode()
    assert "Log out" not in visitor and "Log in" in visitor
    assert "Log out" in member.get(url).content.decode()


def test_a_message_waiting_is_shown_not_the_cached_page(organisation, user):
    """Logging out leaves a visitor with a message: their next page shows it."""
    url = organisation.get_absolute_url()
    Client().get(url)  # cached
    person = Client()
    person.force_login(user)
    person.post("/en/accounts/logout/")
    html = person.get(url).content.decode()
    assert "You have signed out." in html
    assert "You have signed out." not in Client().get(url).content.decode()


def test_head_is_answered_from_the_cache_too(organisation, django_assert_num_queries):
    url = organisation.get_absolute_url()
    Client().get(url)
    with django_assert_num_queries(0):
        response = Client().head(url)
    assert response.status_code == 200 and response["Vary"] == "Cookie"


def test_a_detail_page_with_a_query_string_is_rendered_not_kept(organisation):
    url = organisation.get_absolute_url() + "?utm_source=newsletter"
    assert Client().get(url).context is not None
    assert Client().get(url).context is not None
