from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from accounts import services
from core.cache import cache_available
from core.hosts import site_url
from core.models import absolute_url


@dataclass(frozen=True)
class HubSite:
    """What allauth's emails call the current site: the hub's name (never a host) and the
    host of its address (core.hosts.site_url), in place of Django's RequestSite."""

    name: str
    domain: str


def hub_site() -> HubSite:
    return HubSite(name=settings.SITE_NAME, domain=urlsplit(site_url()).netloc)


def on_hub_address(url: str, request) -> str:
    """A link allauth built on the request's host, moved onto the hub's address (the same in
    development, SITE_URL in production)."""
    parts = urlsplit(url)
    if request is None or parts.scheme not in ("http", "https"):
        return url
    if parts.netloc != request.get_host():
        return url
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return absolute_url(path + (f"#{parts.fragment}" if parts.fragment else ""))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Closed while Redis, which keeps the sign-up rate limits, cannot be reached: an outage
        must not open the gates to bots (log-in stays open, core.cache)."""
        return cache_available() and super().is_open_for_signup(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.user_complete_signup(
                user=user,
                name=form.cleaned_data.get("name", ""),
                accepted_terms=form.cleaned_data.get("accept_terms", False),
            )
        return user

    def get_login_redirect_url(self, request):
        return reverse("accounts:profile_edit")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails (sign-up confirmation, password reset, notices) greet with the hub's
        name and link to the hub's address; rendered now, while the request is known, and
        queued (core.mail)."""
        request = context.get("request") or getattr(self, "request", None)
        context = {
            **context,
            **{
                key: on_hub_address(value, request)
                for key, value in context.items()
                if key.endswith("_url") and isinstance(value, str)
            },
            "current_site": hub_site(),
            "site_name": settings.SITE_NAME,
            "site_url": site_url(),
        }
        super().send_mail(template_prefix, email, context)
