"""The newsletter in headless Chromium: subscribe from the footer, confirm from the email,
change interests through the signed link, unsubscribe."""

import re

import pytest

from core.tests.browser import new_page
from core.tests.browser import wait_for_mail
from newsletter.models import Subscriber
from newsletter.models import SubscriberStatus

pytestmark = pytest.mark.browser


def test_subscribe_from_the_footer_confirm_change_interests_and_unsubscribe(browser, live_server):
    page = new_page(browser, viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/en/")
    page.locator("footer").get_by_role("link", name="Newsletter").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("Your email address").fill("reader@example.org")
    page.get_by_role("group", name="Kinds of content").get_by_label("Events").check()
    page.get_by_label("I want to receive the DSI Hub newsletter").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/en/newsletter/thanks/")
    assert page.locator("h1").inner_text() == "Check your inbox"

    sent = wait_for_mail(lambda message: message.to == ["reader@example.org"])
    [link] = re.findall(r"https?://\S+/confirm/\S+", sent.body)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirm my subscription").click()
    page.get_by_role("heading", name="You are subscribed").wait_for()
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED

    page.get_by_role("link", name="Change your language and interests").click()
    page.get_by_role("group", name="Kinds of content").get_by_label("Funding").check()
    page.get_by_label("Language of the emails").select_option("es")
    page.get_by_role("button", name="Save the preferences").click()
    page.get_by_text("Your preferences are saved.").wait_for()
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "es"
    assert subscriber.content_kinds == ["events", "funding"]

    page.get_by_role("button", name="Unsubscribe from the newsletter").click()
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED
