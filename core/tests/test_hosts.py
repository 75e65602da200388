"""core.hosts: the address absolute links are built on."""

from django.http import HttpResponse
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from core.hosts import DEVELOPMENT_SITE_URL
from core.hosts import RequestHostMiddleware
from core.hosts import site_url
from core.models import absolute_url


def _through_middleware(view, **headers):
    request = RequestFactory().get("/en/", **headers)
    return RequestHostMiddleware(view)(request)


def test_site_url_is_always_used_when_set(settings):
    settings.SITE_URL = "https://hub.example.org"
    seen = []
    _through_middleware(
        lambda request: seen.append(absolute_url("/en/")) or HttpResponse(),
        HTTP_HOST="localhost:8101",
    )
    assert seen == ["https://hub.example.org/en/"]
    assert site_url() == "https://hub.example.org"


def test_without_site_url_links_name_the_requests_host(settings):
    settings.SITE_URL = ""
    seen = []
    _through_middleware(
        lambda request: seen.append(absolute_url("/en/about/")) or HttpResponse(),
        HTTP_HOST="localhost:8101",
    )
    assert seen == ["http://localhost:8101/en/about/"]
    # Outside a request (a task, a command): the development address.
    assert site_url() == DEVELOPMENT_SITE_URL == "http://localhost:8000"


def test_a_streamed_body_is_made_knowing_the_requests_host(settings):
    """Downloads build their rows while the server sends them, after the middleware returned."""
    settings.SITE_URL = ""

    def rows():
        yield absolute_url("/a/")
        yield absolute_url("/b/")

    response = _through_middleware(
        lambda request: StreamingHttpResponse(rows()), HTTP_HOST="127.0.0.1:8101"
    )
    assert site_url() == DEVELOPMENT_SITE_URL
    assert (
        b"".join(response.streaming_content) == b"http://127.0.0.1:8101/a/http://127.0.0.1:8101/b/"
    )
