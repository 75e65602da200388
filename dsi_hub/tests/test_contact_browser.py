"""The contact page in headless Chromium: it fits a phone and a desktop, and a message sent with
it reaches the admins (through the outgoing queue) after the thank-you page."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.tests.browser import new_page
from core.tests.browser import wait_for_mail

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_a_message_sent_from_the_contact_page_reaches_the_admins(browser, live_server, width):
    admin = UserFactory(email="admin@example.org", is_staff=True)
    admin.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    page = new_page(browser, viewport={"width": width, "height": 844})
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Contact us").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email address").fill("ada@example.org")
    page.get_by_label("Subject").fill(f"Hello at {width}")
    page.get_by_label("Message").fill("A question about the open data.")
    assert not page.locator("#id_fax_number").is_visible()
    page.get_by_role("button", name="Send the message").click()
    page.wait_for_url("**/en/contact/thanks/")
    assert page.locator("h1").inner_text() == "Thank you for your message"
    sent = wait_for_mail(lambda message: message.subject.endswith(f"Hello at {width}"))
    assert sent.to == ["admin@example.org"]
    assert sent.reply_to == ["ada@example.org"]
