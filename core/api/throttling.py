"""The API's throttle, counting by the same client address as every other rate limit."""

from rest_framework.throttling import AnonRateThrottle

from core.ratelimit import client_ip


class ClientAddressAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, with the client told apart by core.ratelimit.client_ip (the
    proxy configuration), never by a raw X-Forwarded-For a client may write itself."""

    def get_ident(self, request):
        return client_ip(request)
