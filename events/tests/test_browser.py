"""In headless Chromium: a practitioner submits a weekly event, a community admin approves it,
a visitor finds it in the month calendar and downloads its .ics."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone
from icalendar import Calendar

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.browser import new_page
from core.tests.browser import wait_for_mail
from directory.models import Country
from events.models import Event

pytestmark = pytest.mark.browser
TITLE = "Repair café for civic tech"


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email (required)", exact=True).fill(email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))


def test_an_event_goes_from_submission_to_a_visitors_calendar(browser, live_server):
    try:
        _journey(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _journey(browser, live_server):
    from playwright.sync_api import expect

    first = (timezone.localdate() + dt.timedelta(days=40)).replace(day=10)
    author = UserFactory(email="organiser@example.org", name="Ona Organiser")
    moderator = UserFactory(is_staff=True, email="moderator@example.org")
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))

    # The practitioner adds a weekly event from the events page.
    page = new_page(browser)
    _log_in(page, live_server, author.email)
    page.goto(f"{live_server.url}/en/events/")
    page.get_by_role("link", name="Add an event").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Start date").fill(first.isoformat())
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("End time").fill("20:30")
    page.get_by_label("Time zone").select_option("Europe/Madrid")
    page.get_by_label("Repeats", exact=True).select_option("weekly")
    page.get_by_label("Repeats until").fill((first + dt.timedelta(days=21)).isoformat())
    page.get_by_label("City").fill("Barcelona")
    page.get_by_label("Country").select_option(label="Spain")
    page.get_by_label("Health and care").check()
    page.get_by_role("button", name="Save the draft and preview it").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.get_by_role("button", name="Submit for review").click()
    event = Event.objects.get(title=TITLE)
    assert event.status == Status.PENDING and event.country == Country.objects.get(code="ES")
    assert event.occurrences.count() == 4
    page.context.close()

    # Not public while pending.
    visitor = new_page(browser)
    response = visitor.goto(f"{live_server.url}{event.get_absolute_url()}")
    assert response.status == 404
    visitor.context.close()

    # A community admin approves it in the admin.
    admin = new_page(browser)
    _log_in(admin, live_server, moderator.email)
    admin.get_by_role("link", name="Administration").click()
    admin.locator("#content-main a[href$='/admin/events/event/']").first.click()
    row = admin.locator("#result_list tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("pending review")
    row.get_by_role("link", name=TITLE).click()
    admin.get_by_role("button", name="Approve and publish").click()
    expect(admin.locator(".messagelist")).to_contain_text("Approved and published")
    admin.context.close()
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED
    message = wait_for_mail(lambda m: m.to == [author.email] and TITLE in m.subject)
    assert "published" in message.subject

    # A visitor finds it in that month's calendar, on each of its four days.
    visitor = new_page(browser, accept_downloads=True)
    visitor.goto(f"{live_server.url}/en/events/")
    visitor.get_by_role("link", name="Month calendar").click()
    month = f"{first:%Y-%m}"
    visitor.goto(f"{live_server.url}/en/events/calendar/?month={month}&area=health-and-care")
    calendar = visitor.get_by_role("table")
    days_in_month = [first + dt.timedelta(days=7 * n) for n in range(4)]
    shown = sum(1 for day in days_in_month if day.month == first.month)
    expect(calendar.get_by_role("link", name=re.compile(TITLE))).to_have_count(shown)
    calendar.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Add to calendar (.ics)").click()
    assert download.value.suggested_filename == f"{event.slug}.ics"
    ics = Calendar.from_ical(open(download.value.path(), "rb").read())  # noqa: SIM115
    vevent = ics.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == TITLE
    assert vevent["DTSTART"].dt.tzinfo.key == "Europe/Madrid"
    assert vevent["DTSTART"].dt.replace(tzinfo=None) == dt.datetime.combine(first, dt.time(18, 30))
    assert vevent["RRULE"]["FREQ"] == ["WEEKLY"]
    visitor.context.close()
