"""Pages made to be framed by other sites: `/embed/<lang>/<the page's own path>`.

An embeddable page mirrors a page of the site (`/embed/en/organisations/?country=spain` is the
list at `/en/organisations/?country=spain`, without the site's header and footer), so any
page's embed address is its own address under `/embed/` (`embed_path`). Views that have an
embed version wrap it with `embeddable`: the language comes from the path (an unknown one is a
404), framing is allowed from anywhere (`frame-ancestors *`, no X-Frame-Options) while every
other page still refuses it, and no cookie is ever set on an embed (it is shown on other
sites, to their visitors).
"""

import functools

from django.conf import settings
from django.http import Http404
from django.utils import translation

EMBED_PREFIX = "/embed"
# Replaces the site's frame-ancestors 'none' (settings.CONTENT_SECURITY_POLICY) on embeds only.
EMBED_POLICY = {"frame-ancestors": ["*"]}


def embeddable(view):
    """A view taking the embed's language (`lang`, from the URL) as its first argument."""

    @functools.wraps(view)
    def wrapped(request, lang, *args, **kwargs):
        if lang not in dict(settings.LANGUAGES):
            raise Http404
        request.embedded = True  # templates lay it out as an embed (base_template)
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # in its language
        response.xframe_options_exempt = True
        response._csp_replace = EMBED_POLICY  # read by django-csp's middleware
        response.embedded = True  # core.embeds.EmbedCookiesMiddleware: no cookies
        return response

    return wrapped


class EmbedCookiesMiddleware:
    """Drops every cookie from an embed's response, whatever set it on the way out (a session
    touched, a CSRF token used): placed before (above) the session, CSRF and messages
    middleware, so it sees the response after them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "embedded", False):
            response.cookies.clear()
        return response


def embed_path(path: str, query: str = "") -> str:
    """The embed address of the page at `path` (with its language prefix) and `query`."""
    address = f"{EMBED_PREFIX}{path}"
    return f"{address}?{query}" if query else address
