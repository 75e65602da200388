from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import lockout
from accounts import services
from core.cache import CacheUnavailable
from core.cache import cache_available
from core.hosts import site_url
from core.models import absolute_url
from core.ratelimit import client_ip


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


# Emails anyone can have sent to any address, held back by allauth's counters in Redis
# (ACCOUNT_RATE_LIMITS): refused with the 503 page while Redis cannot count them, so that an
# outage opens no gate to flooding someone's inbox.
COUNTED_MAILS = {
    "account/email/password_reset_key",
    "account/email/unknown_account",
    "account/email/account_already_exists",
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_locked": _(
            "This account is locked after too many failed log-ins. If it is yours, follow the "
            "link we have emailed you to choose a new password, or try again in an hour."
        ),
    }

    def is_open_for_signup(self, request):
        """While Redis, which keeps the sign-up rate limits, cannot be reached, sign-up answers
        the 503 page (back in a minute): an outage must not open the gates to bots (log-in
        stays open, core.cache)."""
        if not cache_available():
            raise CacheUnavailable("the sign-up rate limits cannot be counted")
        return super().is_open_for_signup(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.user_complete_signup(
                user=user,
                name=form.cleaned_data.get("name", ""),
                accepted_terms=form.cleaned_data.get("accept_terms", False),
            )
        return user

    def get_client_ip(self, request) -> str:
        """allauth's rate limits (log-in, sign-up, password reset) count by the same address as
        every other limit of the hub (core.ratelimit.client_ip, from TRUSTED_PROXY_COUNT)."""
        return client_ip(request)

    # --- Failed log-ins (accounts.lockout) -------------------------------------------------------

    def _get_login_attempts_cache_key(self, request, **credentials):
        """allauth counts failed log-ins per address and per this key: with the address in the
        key, a stranger's failures refuse the stranger, never the owner from elsewhere."""
        return (
            f"{client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"
        )

    def pre_authenticate(self, request, **credentials):
        if lockout.login_locked(credentials.get("email", "")):
            raise self.validation_error("account_locked")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        email = credentials.get("email", "")
        if lockout.login_failure_record(email):
            self.send_login_locked_mail(request, email)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a password reset (allauth calls this for each of the person's addresses)."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        lockout.login_unlock(credentials.get("email", ""))

    def send_login_locked_mail(self, request, email: str) -> None:
        """Tell the owner of a locked account, with a link that unlocks it by setting a new
        password (nobody is emailed for an address without an account)."""
        for user in filter_users_by_email(email, is_active=True, prefer_verified=True):
            token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
            key = f"{user_pk_to_url_str(user)}-{token}"
            context = {
                "user": user,
                "request": request,
                "failures": lockout.LOCK_AFTER_FAILURES,
                "password_reset_url": self.get_reset_password_from_key_url(key),
            }
            self.send_mail("account/email/login_locked", user.email, context)

    def get_login_redirect_url(self, request):
        return reverse("accounts:profile_edit")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails (sign-up confirmation, password reset, notices) greet with the hub's
        name and link to the hub's address; rendered now, while the request is known, and
        queued (core.mail). Those anyone can ask for wait while Redis is away (COUNTED_MAILS)."""
        if template_prefix in COUNTED_MAILS and not cache_available():
            raise CacheUnavailable("the rate limits of account emails cannot be counted")
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
