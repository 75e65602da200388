"""In headless Chromium: a practitioner adds a funding opportunity, a community admin approves
it, a visitor finds it by type and by who may apply, reads its page (and its JSON-LD), and a
closed opportunity shows only among the closed ones."""

import datetime as dt
import json
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
from core.tests.browser import rich_text_box
from core.tests.browser import wait_for_mail
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from funding.models import FundingType
from funding.models import Opportunity
from funding.tests.factories import OpportunityFactory

pytestmark = pytest.mark.browser
TITLE = "Open Neighbourhood Tech Fund"
FUNDER = "Fundació Tecnologia Oberta"
CLOSED = "Civic Startups Fund 2025"
STARTUP = "Startup"
NON_PROFIT = "Social enterprise, charity or other non-profit"
DAYS_LEFT = 5


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email (required)", exact=True).fill(email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))


def _landmarks_and_labels(page, expect, form=None):
    """One <main>, one h1, and (in `form`) an accessible name on every control."""
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    if form is None:
        return
    controls = form.locator("input:not([type=hidden]), select, textarea, button")
    assert controls.count() > 0
    for index in range(controls.count()):
        expect(controls.nth(index)).to_have_accessible_name(re.compile(r"\S"))


def test_an_opportunity_goes_from_submission_to_a_visitors_filtered_list(
    browser,
    live_server,
):
    try:
        _journey(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _journey(browser, live_server):
    from playwright.sync_api import expect

    today = timezone.localdate()
    author = UserFactory(email="grants@example.org", name="Gina Grants")
    OrganisationFactory(name=FUNDER, owner=author)
    moderator = UserFactory(is_staff=True, email="moderator@example.org")
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    # Already on the hub: a closed grant for startups, an open grant for others only, and an
    # open investment for startups.
    closed = OpportunityFactory(
        title=CLOSED,
        slug="civic-startups-fund-2025",
        opens_on=today - dt.timedelta(days=60),
        closes_on=today - dt.timedelta(days=1),
    )
    others = OpportunityFactory(title="Research Commons Grant", slug="research-commons-grant")
    investment = OpportunityFactory(
        title="Seed Capital for Civic Startups",
        slug="seed-capital-for-civic-startups",
        funding_type=FundingType.objects.get(slug="investment-social-investment"),
    )
    _set_targets(closed, [STARTUP])
    _set_targets(others, ["Research organisation"])
    _set_targets(investment, [STARTUP])

    # The practitioner adds an opportunity, starting from the funding page.
    page = new_page(browser)
    _log_in(page, live_server, author.email)
    page.goto(f"{live_server.url}/en/funding/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding open now")
    page.get_by_role("link", name="Add a funding opportunity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a funding opportunity")
    _landmarks_and_labels(page, expect)
    closes = today + dt.timedelta(days=DAYS_LEFT)
    _fill_the_form(page, today, closes)
    page.get_by_role("button", name="Save the draft and preview it").click()

    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("Only you see this page")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("£5,000 to £50,000")).to_be_visible()
    expect(page.get_by_text(f"Closes in {DAYS_LEFT} days").first).to_be_visible()
    preview.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My funding opportunities")
    expect(page.get_by_text(f"Thank you: {TITLE} is now waiting for review")).to_be_visible()
    page.context.close()

    opportunity = Opportunity.objects.get(title=TITLE)
    assert opportunity.status == Status.PENDING
    assert (opportunity.currency, opportunity.amount_min, opportunity.amount_max) == (
        "GBP",
        5000,
        50000,
    )
    assert (opportunity.opens_on, opportunity.closes_on) == (today, closes)
    assert opportunity.funder.name == FUNDER and opportunity.funder_name == ""
    assert opportunity.created_by == author
    assert set(opportunity.targets.values_list("name", flat=True)) == {STARTUP, NON_PROFIT}
    assert set(opportunity.countries.values_list("code", flat=True)) == {"ES", "PT"}

    # Not public while pending, nor on the list (whose page is now cached for visitors).
    visitor = new_page(browser)
    response = visitor.goto(f"{live_server.url}{opportunity.get_absolute_url()}")
    assert response.status == 404
    visitor.goto(f"{live_server.url}/en/")
    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Funding").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Funding open now")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)

    # A community admin approves it in the admin; the author is emailed.
    admin = new_page(browser)
    _log_in(admin, live_server, moderator.email)
    admin.get_by_role("link", name="Administration").click()
    admin.locator("#content-main a[href$='/admin/funding/opportunity/']").first.click()
    row = admin.locator("#result_list tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("pending review")
    row.get_by_role("link", name=TITLE).click()
    admin.get_by_role("button", name="Approve and publish").click()
    expect(admin.locator(".messagelist")).to_contain_text(
        f"Approved and published: {TITLE}. The author was emailed."
    )
    admin.context.close()
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED
    message = wait_for_mail(lambda m: m.to == [author.email] and TITLE in m.subject)
    assert "published" in message.subject

    _visitor_filters_and_reads(visitor, live_server, expect, opportunity, closes)


def _set_targets(opportunity, names):
    from funding.models import FundingTarget
    from funding.services import opportunity_reindex

    opportunity.targets.set(FundingTarget.objects.filter(name__in=names))
    opportunity_reindex(opportunity)


def _fill_the_form(page, today, closes):
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Short description").fill(
        "Grants for neighbourhood groups building open technology together."
    )
    rich_text_box(page, re.compile(r"^Description( \(required\))?$")).fill(
        "Up to £50,000 for open tools made with and for a neighbourhood."
    )
    page.get_by_label(re.compile(r"^Type( \((required|needed to submit)\))?$")).select_option(
        label="Grant funding"
    )
    page.get_by_label(STARTUP, exact=True).check()
    page.get_by_label(NON_PROFIT, exact=True).check()
    page.get_by_label("Countries").select_option(label=["Spain", "Portugal"])
    page.get_by_label(SocialArea.objects.get(slug="health-and-care").name, exact=True).check()
    page.get_by_label("Smallest amount").fill("5000")
    page.get_by_label("Largest amount").fill("50000")
    page.get_by_label("Currency").select_option("GBP")
    page.get_by_label("Opens").fill(today.isoformat())
    page.get_by_label("Closes").fill(closes.isoformat())
    page.get_by_label(re.compile(r"^Link( \((required|needed to submit)\))?$")).fill(
        "https://example.org/neighbourhood-fund"
    )
    page.get_by_label("Funder: one of your organisations").select_option(label=FUNDER)


def _visitor_filters_and_reads(page, live_server, expect, opportunity, closes):
    # The visitor, still on the list, looks again: the approval shows at once.
    page.reload()
    results = page.get_by_role("region", name=re.compile(r"open opportunit"))
    expect(results.get_by_role("heading", level=2)).to_have_text("3 open opportunities")
    expect(results.get_by_role("link", name=CLOSED)).to_have_count(0)
    form = page.get_by_role("search", name="Find funding")
    _landmarks_and_labels(page, expect, form)

    # By type, then also by who may apply.
    form.get_by_label("Type of funding").select_option(label="Grant funding")
    form.get_by_role("button", name="Show funding").click()
    page.wait_for_url(re.compile(r"[?&]type=grant-funding"))
    expect(results.get_by_role("heading", level=2)).to_have_text("2 open opportunities")
    expect(results.get_by_role("link", name="Seed Capital for Civic Startups")).to_have_count(0)
    form.get_by_role("group", name="Who may apply").get_by_label(STARTUP, exact=True).check()
    form.get_by_role("button", name="Show funding").click()
    page.wait_for_url(re.compile(r"[?&]target=startup"))
    expect(results.get_by_role("heading", level=2)).to_have_text("1 open opportunity")
    card = results.get_by_role("listitem").filter(has=page.get_by_role("link", name=TITLE))
    expect(card.get_by_text(f"Closes in {DAYS_LEFT} days")).to_be_visible()
    expect(card).to_contain_text(f"From {FUNDER}")
    expect(card).to_contain_text("£5,000 to £50,000")
    expect(card).to_contain_text("Portugal, Spain")
    expect(form.get_by_label("Type of funding")).to_have_value("grant-funding")
    expect(form.get_by_label(STARTUP, exact=True)).to_be_checked()

    # The opportunity's page, with its JSON-LD.
    card.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(rf"/en/funding/{opportunity.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    _landmarks_and_labels(page, expect)
    expect(page.get_by_text("Open for applications.")).to_be_visible()
    facts = page.get_by_role("complementary", name="Facts")
    expect(facts.get_by_role("link", name=FUNDER)).to_be_visible()
    expect(facts).to_contain_text("£5,000 to £50,000")
    scripts = page.locator('script[type="application/ld+json"]')
    expect(scripts).to_have_count(1)
    data = json.loads(scripts.text_content())
    assert data["@type"] == "MonetaryGrant"
    assert data["name"] == TITLE
    assert data["url"].endswith(opportunity.get_absolute_url())
    assert data["funder"]["name"] == FUNDER
    assert data["amount"] == {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "minValue": 5000,
        "maxValue": 50000,
        "validFrom": opportunity.opens_on.isoformat(),
        "validThrough": closes.isoformat(),
    }

    # The closed opportunity is only among the closed ones, with the same filters.
    page.go_back()
    page.wait_for_url(re.compile(r"[?&]target=startup"))
    expect(results.get_by_role("link", name=CLOSED)).to_have_count(0)
    page.get_by_role("navigation", name="Which opportunities").get_by_role(
        "link", name="Closed"
    ).click()
    page.wait_for_url(re.compile(r"[?&]status=closed"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Closed funding opportunities")
    closed_results = page.get_by_role("region", name=re.compile(r"closed opportunit"))
    expect(closed_results.get_by_role("heading", level=2)).to_have_text("1 closed opportunity")
    closed_card = closed_results.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=CLOSED)
    )
    expect(closed_card).to_contain_text("Closed")
    expect(closed_card.locator(".funding-badge")).to_have_count(0)
    expect(closed_results.get_by_role("link", name=TITLE)).to_have_count(0)
    # And through the form's own "Show" choice, without filters.
    page.goto(f"{live_server.url}/en/funding/")
    form.get_by_label("Show").select_option(label="Closed")
    form.get_by_role("button", name="Show funding").click()
    page.wait_for_url(re.compile(r"[?&]status=closed"))
    expect(closed_results.get_by_role("link", name=CLOSED)).to_be_visible()
    page.get_by_role("navigation", name="Which opportunities").get_by_role(
        "link", name="Open now"
    ).click()
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=CLOSED)).to_have_count(0)
    page.context.close()
