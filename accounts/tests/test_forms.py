"""The account forms as browsers and assistive technology see them: autocomplete tokens on the
fields about the person (WCAG 1.3.5), a honeypot hidden in place, and allauth's pages (log in,
sign up, password, email) drawn with the hub's form partial and buttons."""

import re

import pytest

from accounts.tests.factories import UserFactory


def attributes_of(html: str, name: str) -> str:
    """The opening tag of the field named `name`."""
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def test_sign_up_fields_have_autocomplete_tokens(client, db):
    html = client.get("/en/accounts/signup/").content.decode()
    assert 'autocomplete="name"' in attributes_of(html, "name")
    assert 'autocomplete="email"' in attributes_of(html, "email")
    assert 'autocomplete="new-password"' in attributes_of(html, "password1")
    assert 'autocomplete="new-password"' in attributes_of(html, "password2")


def test_profile_fields_about_the_person_have_autocomplete_tokens(client, db):
    client.force_login(UserFactory())
    html = client.get("/en/account/profile/").content.decode()
    for name, token in {
        "name": "name",
        "job_title": "organization-title",
        "city": "address-level2",
        "country": "country-name",
    }.items():
        assert f'autocomplete="{token}"' in attributes_of(html, name), name


def test_the_email_confirming_a_deletion_has_its_token(client, db):
    client.force_login(UserFactory())
    html = client.get("/en/account/delete/").content.decode()
    assert 'autocomplete="email"' in attributes_of(html, "confirm_email")


def test_the_sign_up_honeypot_is_hidden_in_place_not_pushed_off_the_page(client, db):
    html = client.get("/en/accounts/signup/").content.decode()
    honeypot = attributes_of(html, "phone_number")
    assert "style=" not in honeypot and "99999" not in html
    assert 'tabindex="-1"' in honeypot and 'aria-hidden="true"' in honeypot
    hidden = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html)
    assert hidden and 'name="phone_number"' in hidden.group(1)


def buttons(html: str) -> list[str]:
    main = html[html.index("<main") : html.index("</main>")]
    return re.findall(r"<button[^>]*>", main)


@pytest.mark.parametrize(
    "address",
    ["/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/"],
)
def test_allauth_pages_use_the_hubs_buttons_and_fields(client, db, address):
    html = client.get(address).content.decode()
    found = buttons(html)
    assert found and all('class="button' in button for button in found), found
    assert 'class="account-form"' in html
    assert '<div class="field' in html  # partials/form_fields.html, not allauth's <p>
    assert "(required)" in html


@pytest.mark.parametrize(
    "address", ["/en/accounts/email/", "/en/accounts/password/change/", "/en/accounts/logout/"]
)
def test_account_management_pages_use_the_hubs_buttons(client, db, address):
    client.force_login(UserFactory())
    html = client.get(address).content.decode()
    found = buttons(html)
    assert found and all('class="button' in button for button in found), found
