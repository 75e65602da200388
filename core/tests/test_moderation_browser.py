"""Moderating from a preview in headless Chromium, on a phone's width: the reason is typed and
sent with the keyboard, and what changed is shown marked."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.browser import new_page
from core.tests.browser import wait_for_mail
from events import services as event_services
from events.tests.factories import EventFactory

pytestmark = pytest.mark.browser


def test_a_moderator_rejects_from_the_preview_at_390_px(browser, live_server):
    try:
        _reject_from_the_preview(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _reject_from_the_preview(browser, live_server):
    from playwright.sync_api import expect

    moderator = UserFactory(email="mod@example.org", is_staff=True)
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    author = UserFactory(email="author@example.org")
    event = EventFactory(
        title="Old meetup title", created_by=author, status=Status.DRAFT, published_at=None
    )
    event_services.LIFECYCLE.update(event, user=author, fields={"title": "Civic meetup"})
    event.status, event.submitted_at = Status.PENDING, timezone.now()
    event.save()

    page = new_page(browser, viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email (required)", exact=True).fill(moderator.email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))

    page.goto(f"{live_server.url}/en/admin/events/event/{event.pk}/preview/")
    region = page.get_by_role("region", name="Preview")
    expect(region.get_by_role("button", name="Approve and publish")).to_be_visible()
    reason = region.get_by_label("Reason, for the author")
    expect(reason).to_be_visible()
    # Nothing pushes the page sideways on a phone.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    reason.focus()
    page.keyboard.type("Please add the venue's address.")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Reject and email the reason"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/en/admin/events/event/{event.pk}/change/$"))
    expect(page.get_by_text("Rejected: Civic meetup.")).to_be_visible()
    event.refresh_from_db()
    assert event.status == Status.REJECTED
    message = wait_for_mail(lambda m: m.to == ["author@example.org"])
    assert "Please add the venue's address." in message.body

    # What the rejection changed, from the history: the reason marked as added.
    page.goto(f"{live_server.url}/en/admin/events/event/{event.pk}/history/")
    page.get_by_role("link", name="Compare two versions").click()
    changed = page.locator(".version-diff")
    expect(changed.locator("ins", has_text="Please add the venue's address.")).to_be_visible()
    expect(changed).to_contain_text("rejected")
