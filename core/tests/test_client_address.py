"""The client's address that every rate limit counts by (core.ratelimit.client_ip): the socket's
peer, or behind trusted proxies the address the outermost one saw, never what a client writes
in X-Forwarded-For."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from core.ratelimit import client_ip

API = "/api/v1/technologies/"
SIGNUP_URL = "/en/accounts/signup/"


@pytest.fixture
def three_a_minute(monkeypatch, db):
    """The API's anonymous throttle at 3 requests a minute, counted from nothing."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    cache.clear()


def address(forwarded=None, remote="10.0.0.1") -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_a_proxy_only_the_socket_s_peer_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address() == "10.0.0.1"
    assert address("203.0.113.9") == "10.0.0.1"
    assert address("203.0.113.9, 198.51.100.1") == "10.0.0.1"


def test_behind_proxies_the_address_the_outermost_trusted_one_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it received from; whatever is left of it the client wrote.
    assert address("203.0.113.9") == "203.0.113.9"
    assert address("6.6.6.6, 203.0.113.9") == "203.0.113.9"
    assert address("6.6.6.6,203.0.113.9 ") == "203.0.113.9"
    assert address("2001:db8::1") == "2001:db8::"
    settings.TRUSTED_PROXY_COUNT = 2
    # A CDN in front of the hub's own proxy: the CDN appended the client, the proxy the CDN.
    assert address("6.6.6.6, 203.0.113.9, 192.0.2.50") == "203.0.113.9"


def test_a_request_that_bypassed_the_proxies_or_garbage_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert address("203.0.113.9") == "10.0.0.1"
    assert address() == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert address("6.6.6.6, not-an-address") == "10.0.0.1"
    assert address("") == "10.0.0.1"
    assert address(remote="") == "unknown"


def test_an_ipv6_client_counts_as_its_64_network(settings):
    # One machine holds a whole /64: hopping between its addresses must not reset a limit.
    settings.TRUSTED_PROXY_COUNT = 0
    assert address(remote="2001:db8:1:2:aaaa::1") == address(remote="2001:db8:1:2:bbbb::9")
    assert address(remote="2001:db8:1:2::1") == "2001:db8:1:2::"
    assert address(remote="2001:db8:1:3::1") == "2001:db8:1:3::"
    assert address(remote="192.0.2.1") == "192.0.2.1"


def test_a_forged_x_forwarded_for_does_not_reset_the_api_throttle(client, three_a_minute):
    statuses = [
        client.get(API, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_proxy_the_api_throttles_each_client_apart(client, settings, three_a_minute):
    settings.TRUSTED_PROXY_COUNT = 1

    def get(forwarded):
        return client.get(API, HTTP_X_FORWARDED_FOR=forwarded).status_code

    # One client forging addresses to the left of the one the proxy wrote is one client.
    assert [get(f"6.6.6.{n}, 203.0.113.1") for n in range(4)] == [200, 200, 200, 429]
    # Another client, behind the same proxy (the same REMOTE_ADDR), has its own allowance.
    assert get("203.0.113.2") == 200


def test_allauth_s_limits_count_by_the_same_address(client, settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()

    def signup(n, forwarded):
        data = {
            "email": f"p{n}@example.org",
            "password1": "analytical engine 1843",
            "password2": "analytical engine 1843",
            "name": f"Person {n}",
            "accept_terms": "on",
        }
        response = client.post(SIGNUP_URL, data, HTTP_X_FORWARDED_FOR=forwarded)
        client.logout()
        return response.status_code

    # Sign-ups: 10 an hour per address.
    assert [signup(n, f"6.6.6.{n}, 203.0.113.1") for n in range(11)] == [302] * 10 + [429]
    assert signup(11, "203.0.113.2") == 302
