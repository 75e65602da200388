"""The directory end to end in headless Chromium, as people click through it.

A new practitioner signs up, adds an organisation and a project linked to it (with the picker's
search as you type), submits both; a community admin approves them in the admin; a visitor finds
the project by an accent-less word and a filter, with the keyboard and without JavaScript too.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.browser import new_page
from core.tests.browser import rich_text_box
from core.tests.browser import wait_for_mail
from directory.models import Organisation
from directory.models import Project
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

ORGANISATION = "Atelier Numérique"
PROJECT = "Réseau Santé Ouverte"
OWNER_EMAIL = "camille@example.org"
OWNER_PASSWORD = "a long and unusual passphrase"

pytestmark = pytest.mark.browser


def test_a_profile_goes_from_sign_up_through_review_to_search(browser, live_server, settings):
    # The emailed links name the hub's address: here, the live server's.
    settings.SITE_URL = live_server.url
    try:
        _journey(browser, live_server)
    finally:
        # Playwright runs this test's code in a greenlet of its own, where the ORM opened a
        # connection of its own; close it so the test database can be dropped.
        connections.close_all()


def _journey(browser, live_server):
    from playwright.sync_api import expect

    # Already on the hub: a similar organisation, and another project about a "réseau".
    OrganisationFactory(name=f"{ORGANISATION} Paris", city="Paris")
    climate = SocialArea.objects.get(name="Food, environment and climate change")
    ProjectFactory(name="Réseau Climat Local", vocabularies__social_areas=[climate])

    owner_page = new_page(browser)
    _sign_up_and_log_in(owner_page, live_server)
    _add_organisation(owner_page, expect)
    _add_project(owner_page, expect)
    organisation = Organisation.objects.get(name=ORGANISATION)
    project = Project.objects.get(name=PROJECT)
    assert organisation.status == project.status == Status.PENDING
    assert dict(project.links_to_organisations.values_list("organisation_id", "role")) == {
        organisation.pk: "lead"
    }

    _not_public_while_pending(browser, live_server, expect, organisation, project)
    _community_admin_approves(browser, live_server, expect)
    organisation.refresh_from_db()
    project.refresh_from_db()
    assert organisation.status == project.status == Status.PUBLISHED
    for name in (ORGANISATION, PROJECT):
        message = wait_for_mail(
            lambda m, name=name: m.to == [OWNER_EMAIL] and m.subject.startswith(name)
        )
        assert "published" in message.subject

    _visitor_finds_the_project(browser, live_server, expect)
    _keyboard_reaches_search_and_filters(browser, live_server)
    _list_works_without_javascript(browser, live_server, expect)


def _sign_up_and_log_in(page, live_server):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Your name").fill("Camille Martin")
    page.get_by_label("Email (required)", exact=True).fill(OWNER_EMAIL)
    page.get_by_label("Password (required)", exact=True).fill(OWNER_PASSWORD)
    page.get_by_label("Password (again) (required)", exact=True).fill(OWNER_PASSWORD)
    page.get_by_label("I accept the terms of use").check()
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))

    message = wait_for_mail(lambda m: m.to == [OWNER_EMAIL])
    link = re.search(r"https?://\S+/en/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(re.compile(r"/en/accounts/login/$"))
    page.get_by_label("Email (required)", exact=True).fill(OWNER_EMAIL)
    page.get_by_label("Password (required)", exact=True).fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))


def _save_and_continue(page, step: str):
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(rf"/{step}/$"))


def _preview_and_submit(page, expect, name: str):
    """From the last step: the preview, then the licence, then the dashboard."""
    page.get_by_role("navigation", name="Steps").get_by_role(
        "link", name="Preview and submit"
    ).click()
    expect(page.get_by_text("Preview: not yet published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("region", name="Preview").get_by_role("link", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Submit {name} for review")
    page.get_by_label("I agree to publish this profile’s text under the licence").check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profiles")
    expect(page.get_by_role("status")).to_contain_text(f"{name} is now pending review")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
    expect(row.get_by_role("cell").first).to_have_text("pending review")


def _add_organisation(page, expect):
    page.get_by_role("link", name="My profiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profiles")
    page.get_by_role("link", name="Add an organisation").first.click()

    page.get_by_label(re.compile(r"^Name( \(required\))?$")).fill(ORGANISATION)
    page.get_by_label("Short description").fill("A workshop where neighbours learn digital skills.")
    page.get_by_label("City").fill("Lyon")
    page.get_by_role("button", name="Save and continue").click()
    # A published organisation has a similar name: the hub asks before making a second one.
    expect(page.get_by_role("heading", name="Is it one of these?")).to_be_visible()
    expect(page.get_by_role("link", name=f"{ORGANISATION} Paris", exact=True)).to_be_visible()
    page.get_by_role("button", name="None of these: create my organisation").click()
    page.wait_for_url(re.compile(r"/about/$"))

    # The description is typed in the rich-text editor (its editable area is named by the label).
    page.get_by_role("textbox", name="Description").fill(
        "Free evening classes on computers and phones."
    )
    _save_and_continue(page, "place")
    page.get_by_label("Country").select_option(label="France")
    expect(page.get_by_label("City")).to_have_value("Lyon")
    _save_and_continue(page, "details")
    page.get_by_label(re.compile(r"^Type( \(required\))?$")).select_option(
        label="Grassroots organisation or community network"
    )
    page.get_by_label("Tags").fill("digital skills, neighbourhood")
    _save_and_continue(page, "images")
    # Nothing to upload: straight on to the preview.
    _preview_and_submit(page, expect, ORGANISATION)


def _add_project(page, expect):
    page.get_by_role("link", name="Add a project").first.click()
    page.get_by_label(re.compile(r"^Name( \(required\))?$")).fill(PROJECT)
    page.get_by_label("Short description").fill("Open health data for the people of Lyon.")
    page.get_by_label("City").fill("Lyon")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/about/$"))

    rich_text_box(page, re.compile(r"^Description( \(required\))?$")).fill(
        "Neighbourhood health maps."
    )
    page.get_by_role("textbox", name="Social impact").fill("Fewer missed appointments.")
    _save_and_continue(page, "place")
    page.get_by_label("Countries").select_option(label="France")
    _save_and_continue(page, "topics")
    # A draft may be saved without a social area and a technology (issue 13): the tags typed
    # are kept, and the submit step asks for what is missing, with a link to this step.
    page.get_by_label("Other tags").fill("health data")
    _save_and_continue(page, "dates")
    page.get_by_role("link", name="Submit for review", exact=True).first.click()
    page.get_by_role("link", name="at least one social area").click()
    page.wait_for_url(re.compile(r"/topics/$"))
    expect(page.get_by_label("Other tags")).to_have_value("health data")
    page.get_by_label("Health and care", exact=True).check()
    page.get_by_label("Big data", exact=True).check()
    _save_and_continue(page, "dates")
    _save_and_continue(page, "organisations")

    # The picker: results appear as you type, without leaving the page.
    step_url = page.url
    expect(page.get_by_text("No organisation is linked to this project yet.")).to_be_visible()
    page.get_by_label("Find an organisation").press_sequentially("atel", delay=30)
    own = page.get_by_label(ORGANISATION, exact=True)
    expect(own).to_be_visible()
    expect(page.get_by_text("Organisations found: tick those to add, then save.")).to_be_visible()
    assert page.url == step_url
    own.check()
    page.get_by_label("Role of the organisations you add").select_option(label="lead organisation")
    _save_and_continue(page, "images")
    # Back on the step, the organisation is linked as the lead.
    page.get_by_role("navigation", name="Steps").get_by_role("link", name="Organisations").click()
    linked = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=ORGANISATION))
    expect(linked.get_by_role("combobox")).to_have_value("lead")
    _preview_and_submit(page, expect, PROJECT)
    expect(page.get_by_role("rowheader", name=ORGANISATION)).to_be_visible()


def _not_public_while_pending(browser, live_server, expect, organisation, project):
    page = new_page(browser)
    page.goto(f"{live_server.url}/en/organisations/?q=atelier")
    results = page.get_by_role("region", name=re.compile(r"results?$"))
    expect(results.get_by_role("link", name=f"{ORGANISATION} Paris")).to_be_visible()
    expect(results.get_by_role("link", name=ORGANISATION, exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}/en/projects/?q=reseau")
    expect(page.get_by_role("link", name=PROJECT)).to_have_count(0)
    for profile in (organisation, project):
        response = page.goto(live_server.url + profile.get_absolute_url())
        assert response.status == 404
    page.context.close()


def _community_admin_approves(browser, live_server, expect):
    moderator = UserFactory(is_staff=True, email="moderator@example.org", name="Mo Derator")
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    page = new_page(browser)
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email (required)", exact=True).fill(moderator.email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/account/profile/$"))
    page.get_by_role("link", name="Administration").click()

    # One by one: the organisation, from the top of the queue.
    page.get_by_role("link", name="Organisations", exact=True).first.click()
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(ORGANISATION)
    expect(first_row).to_contain_text("pending review")
    first_row.get_by_role("link", name=ORGANISATION, exact=True).click()
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Approved and published: {ORGANISATION}. The owner was emailed."
    )
    expect(page.get_by_role("button", name="Approve and publish")).to_have_count(0)

    # In bulk: the project, ticked in the list.
    page.get_by_role("link", name="Projects", exact=True).first.click()
    row = page.locator("#result_list tbody tr").filter(has_text=PROJECT)
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile(r"^Action")).select_option(
        label="Approve and publish the selected profiles"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Approved and published: {PROJECT}. The owner was emailed."
    )
    expect(row).to_contain_text("published")
    page.context.close()


def _results(page):
    return page.get_by_role("region", name=re.compile(r"results?$"))


def _search(page, words: str):
    form = page.get_by_role("search", name="Search projects")
    form.get_by_label("Search", exact=True).fill(words)
    form.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(rf"[?&]q={words}"))


def _visitor_finds_the_project(browser, live_server, expect):
    page = new_page(browser)
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    _search(page, "reseau")
    results = _results(page)
    expect(results.get_by_role("heading", level=2)).to_have_text("2 results")
    expect(results.get_by_role("link", name=PROJECT)).to_be_visible()
    expect(results.get_by_role("link", name="Réseau Climat Local")).to_be_visible()

    page.get_by_role("complementary", name="Filter").get_by_role(
        "link", name="Health and care"
    ).click()
    page.wait_for_url(re.compile(r"area="))
    expect(results.get_by_role("heading", level=2)).to_have_text("1 result")
    expect(results.get_by_role("link", name="Réseau Climat Local")).to_have_count(0)
    expect(page.get_by_text("Filtered by:")).to_be_visible()

    results.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)
    behind = page.get_by_role("region", name="Organisations behind it")
    expect(behind).to_contain_text("lead organisation")
    behind.get_by_role("link", name=ORGANISATION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(
        page.get_by_role("region", name="Projects").get_by_role("link", name=PROJECT)
    ).to_be_visible()
    page.context.close()


def _keyboard_reaches_search_and_filters(browser, live_server):
    page = new_page(browser)
    page.goto(f"{live_server.url}/en/projects/")
    first_facet_link = "document.querySelector('aside.facets a')"
    reached = set()
    for _press in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            reached.add("search")
        if page.evaluate(f"document.activeElement === {first_facet_link}"):
            reached.add("facet")
            break
    assert reached == {"search", "facet"}
    # Enter on the focused facet link follows it.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?.+="))
    page.context.close()


def _list_works_without_javascript(browser, live_server, expect):
    page = new_page(browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/en/projects/")
    _search(page, "reseau")
    results = _results(page)
    expect(results.get_by_role("link", name=PROJECT)).to_be_visible()
    page.get_by_role("complementary", name="Filter").get_by_role(
        "link", name="Health and care"
    ).click()
    page.wait_for_url(re.compile(r"area="))
    expect(results.get_by_role("heading", level=2)).to_have_text("1 result")
    expect(results.get_by_role("link", name=PROJECT)).to_be_visible()
    page.context.close()
