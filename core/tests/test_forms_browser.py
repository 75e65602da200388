"""In headless Chromium, forms sent back with errors (sign-up, log-in, profile, adding an
organisation, an event, a funding opportunity, a report): the focus is on the summary of the
errors, the title says there are errors, its links lead to the fields, and axe-core finds no
violation. A page with a notice, and the API docs, pass axe too."""

import re

import pytest
from django.db import connections
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.tests.browser import axe_violations
from core.tests.browser import describe_violations
from core.tests.browser import new_page
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()
    connections.close_all()  # the greenlet's own connection, so the database can be dropped


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email (required)", exact=True).fill(email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))


def assert_no_violations(page):
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def assert_error_state(page, first_field_label):
    """The summary has the focus, the title says so, and the first link leads to its field."""
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    # (Not wait_for_function: it evaluates a string, which the site's CSP refuses.)
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    assert_no_violations(page)
    summary.get_by_role("link").first.click()
    focused_label = page.evaluate(
        "document.activeElement.labels && document.activeElement.labels[0]"
        " ? document.activeElement.labels[0].textContent : ''"
    )
    assert first_field_label in focused_label


# (address, what to change before sending, the label of the first field in error)
ANONYMOUS_FORMS = {
    "sign-up": ("/en/accounts/signup/", {"Email (required)": "not an address"}, "Your name"),
    "log-in": ("/en/accounts/login/", {"Email (required)": "nobody@example.org"}, "Password"),
}


@pytest.mark.parametrize("form", ANONYMOUS_FORMS)
def test_account_forms_in_error(page, live_server, form):
    address, answers, first = ANONYMOUS_FORMS[form]
    page.goto(f"{live_server.url}{address}")
    assert_no_violations(page)
    for label, value in answers.items():
        page.get_by_label(label, exact=True).fill(value)
    page.locator("main form button[type=submit]").first.click()
    assert_error_state(page, first)


MEMBER_FORMS = {
    "profile": ("/en/account/profile/", {"#id_name": ""}, "Name"),
    "organisation": ("/en/organisations/new/", {}, "Name"),
    "event": ("/en/events/new/", {}, "Title"),
    "funding": ("/en/funding/new/", {}, "Title"),
}


@pytest.mark.parametrize("form", MEMBER_FORMS)
def test_member_forms_in_error(page, live_server, form):
    address, answers, first = MEMBER_FORMS[form]
    user = UserFactory(name="Fran Form")
    log_in(page, live_server, user.email)
    page.goto(f"{live_server.url}{address}")
    for selector, value in answers.items():
        page.locator(selector).fill(value)
    page.locator("main form button[type=submit]").first.click()
    assert_error_state(page, first)


def test_report_form_in_error(page, live_server):
    organisation = OrganisationFactory()
    page.goto(f"{live_server.url}/en/organisations/{organisation.slug}/report/")
    page.locator("main form button[type=submit]").click()
    page.locator("[data-error-summary]").wait_for()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.title().startswith("Error: ")
    assert_no_violations(page)


def test_a_page_with_a_notice_has_no_violations(page, live_server):
    user = UserFactory(name="Nora Notice")
    log_in(page, live_server, user.email)
    page.get_by_role("button", name="Save profile").click()
    page.locator(".messages").wait_for()
    assert page.locator('[role="status"] > ul.messages').count() == 1
    assert_no_violations(page)


def test_without_javascript_the_summary_is_the_first_thing_in_the_form(browser, live_server):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/accounts/login/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.title().startswith("Error: ")
        first = page.locator("main form > :not(input[type=hidden])").first
        assert first.get_attribute("data-error-summary") is not None
        page.locator("[data-error-summary] a").first.click()
        assert page.url.endswith("#id_login")
    finally:
        context.close()
        connections.close_all()


def test_the_api_docs_have_a_language_meet_wcag_and_link_the_schema(page, live_server):
    """Swagger UI's own markup would break two of axe's best practices (heading levels jump
    from its h1 to h3; its title sits outside its main landmark): js/api-docs.js fits both, and
    the page meets all of axe's rules, contrast included."""
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".swagger-ui .info").wait_for()
    page.locator(".opblock").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_no_violations(page)
    # An operation opened: its own headings follow on from its group's.
    page.locator(".opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()
    assert_no_violations(page)
    # Deep links would nest a link in each operation's button (axe: nested-interactive).
    assert page.locator(".opblock-summary-control a[href]").count() == 0
    yaml = page.get_by_role("link", name="YAML")
    assert yaml.get_attribute("href") == "/api/v1/schema/?format=yaml"
