"""Claiming an imported profile end to end in headless Chromium: a visitor claims it (logging in
on the way), confirms their address at its domain, a community admin approves it from the
moderation queue, and the claimant owns it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.tests.browser import new_page
from core.tests.browser import wait_for_mail
from directory.models import Claim
from directory.models import Membership
from directory.models import Role
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser

NAME = "Atelier Numérique"
ADDRESS = "camille@atelier-numerique.org"


def test_an_imported_profile_is_claimed_verified_and_approved(browser, live_server):
    try:
        _journey(browser, live_server)
    finally:
        connections.close_all()


def _label(text: str):
    """A field's label, with or without the "(required)" mark and colon."""
    return re.compile(rf"^{re.escape(text)}( \(required\))?:?$")


def _log_in(page, email):
    page.get_by_label(_label("Email")).fill(email)
    page.get_by_label(_label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _journey(browser, live_server):
    from playwright.sync_api import expect

    profile = OrganisationFactory(
        name=NAME, slug="atelier-numerique", website="https://www.atelier-numerique.org/"
    )
    claimant = UserFactory(name="Camille Martin", email="camille@example.org")

    # A visitor on a phone: the profile offers claiming; logging in brings them back.
    page = new_page(browser, viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{profile.get_absolute_url()}")
    page.get_by_role("link", name="This is ours: claim it").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    _log_in(page, claimant.email)
    page.wait_for_url(re.compile(r"/organisations/atelier-numerique/claim/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {NAME}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Without a reason, the form says so and keeps what was typed.
    page.get_by_label(_label("Your role there")).fill("Co-founder")
    page.get_by_role("button", name="Send my claim").click()
    expect(page.locator(".field-invalid")).to_contain_text("This field is required")
    expect(page.get_by_label(_label("Your role there"))).to_have_value("Co-founder")
    page.get_by_label(_label("Why is this profile yours?")).fill("I started it with two friends.")
    page.get_by_label(_label("Your address at the organisation")).fill(ADDRESS)
    page.get_by_role("button", name="Send my claim").click()
    page.wait_for_url(re.compile(r"/en/dashboard/$"))
    expect(page.get_by_role("status")).to_contain_text("We have emailed")
    mine = page.get_by_role("region", name="Your requests and claims")
    expect(mine).to_contain_text(f"You claimed {NAME}.")
    expect(mine).to_contain_text("Waiting for review")

    # The address at the website's domain gets a link; opening it asks to confirm.
    message = wait_for_mail(lambda m: m.to == [ADDRESS])
    link = re.search(r"https?://\S+/claims/confirm/\S+/", message.body).group(0)
    page.goto(live_server.url + link[link.index("/en/") :])
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/organisations/atelier-numerique/$"))
    expect(page.get_by_role("status")).to_contain_text("is verified")
    assert Claim.objects.get().is_verified

    # A community admin finds it in the moderation queue and approves it.
    moderator = UserFactory(is_staff=True, email="moderator@example.org")
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    admin = new_page(browser)
    admin.goto(f"{live_server.url}/en/accounts/login/?next=/en/admin/moderation/")
    _log_in(admin, moderator.email)
    admin.wait_for_url(re.compile(r"/en/admin/moderation/$"))
    expect(admin.get_by_role("heading", name="Claims: 1")).to_be_visible()
    admin.get_by_role("link", name=f"{NAME} – Camille Martin", exact=True).click()
    expect(admin.get_by_text("I started it with two friends.")).to_be_visible()
    admin.get_by_role("button", name="Approve: make them the owner").click()
    expect(admin.locator(".messagelist")).to_contain_text("is the owner now")

    owner = Membership.objects.get(organisation=profile)
    assert (owner.user, owner.role) == (claimant, Role.OWNER)
    approved = wait_for_mail(lambda m: m.to == [claimant.email])
    assert approved.subject == f"You now look after {NAME} on the DSI Hub"

    # The claimant's page now offers the members page, not claiming.
    page.goto(f"{live_server.url}{profile.get_absolute_url()}")
    expect(page.get_by_role("link", name="Members")).to_be_visible()
    expect(page.get_by_role("link", name="This is ours: claim it")).to_have_count(0)
    page.goto(f"{live_server.url}/en/dashboard/")
    expect(page.get_by_role("rowheader", name=re.compile(NAME))).to_be_visible()
