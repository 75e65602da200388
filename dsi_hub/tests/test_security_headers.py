"""Every answer of the hub, whatever its kind, carries the Content-Security-Policy and the
Permissions-Policy of dsi_hub/settings.py; that the site works under them is
test_security_headers_browser.py's."""

import pytest
from django.test import Client

from directory.tests.factories import OrganisationFactory


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (piece.strip() for piece in policy.split(";"))
        if part
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, status",
    [
        ("/en/", 200),
        ("/en/organisations/", 200),
        ("/en/organisations/?country=nowhere", 400),
        ("/en/no-such-page/", 404),
        ("/en/accounts/login/", 200),
        ("/en/admin/", 302),
        ("/api/v1/organisations/", 200),
        ("/api/v1/organisations/no-such-slug/", 404),
        ("/api/v1/docs/", 200),
        ("/data/organisations.csv", 200),
        ("/sitemap.xml", 200),
        ("/healthz", 200),
        ("/en/organisations/?q=" + "x" * 9000, 414),
    ],
)
def test_every_kind_of_answer_is_under_both_policies(path, status):
    OrganisationFactory()
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == status
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    features = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in features


def test_a_body_refused_unread_is_under_both_policies(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    response = client.post(
        "/en/accounts/login/", data=b"x" * 2000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert directives(response)["script-src"] == "'self'"
    assert "camera=()" in response["Permissions-Policy"]
