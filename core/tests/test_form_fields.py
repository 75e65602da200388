"""The shared form partials (partials/form_fields.html, error_summary.html, field_errors.html),
the notices (partials/messages.html) and the page title, on the forms of every app that uses
them: each error under one id its field names, "required" in the labels, a summary of the errors
on top, and a title that says there are errors."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from directory.tests.factories import OrganisationFactory
from events.tests.helpers import form_data as event_form_data
from funding.tests.helpers import form_data as funding_form_data


class Elements(HTMLParser):
    """Every element of a page with its attributes, in order, and the page's title."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def ids(self) -> list[str]:
        return [attrs["id"] for _tag, attrs in self.elements if attrs.get("id")]

    def with_attribute(self, name: str) -> list[tuple[str, dict]]:
        return [(tag, attrs) for tag, attrs in self.elements if name in attrs]


def log_in(client):
    user = UserFactory()
    client.force_login(user)
    return user


# Forms sent with mistakes: (name, address, answers (made when the test runs), whether one must
# be logged in, the fields in error).
FORMS_IN_ERROR = [
    (
        "sign-up",
        "/en/accounts/signup/",
        lambda: {"email": "not an address"},
        False,
        ["name", "email"],
    ),
    ("log-in", "/en/accounts/login/", lambda: {"login": "", "password": ""}, False, ["login"]),
    ("profile", "/en/account/profile/", lambda: {"name": ""}, True, ["name"]),
    ("profile-create", "/en/organisations/new/", lambda: {"name": ""}, True, ["name"]),
    (
        "event",
        "/en/events/new/",
        lambda: event_form_data(title="", start_time="", attendance=""),
        True,
        ["title", "start_time", "attendance"],
    ),
    (
        "funding",
        "/en/funding/new/",
        lambda: funding_form_data(title="", link="not a link"),
        True,
        ["title", "link"],
    ),
]


@pytest.fixture
def sent_in_error(client, db, request):
    name, address, answers, logged_in, fields = request.param
    if logged_in:
        log_in(client)
    response = client.post(address, answers())
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode(), fields


@pytest.mark.parametrize(
    "sent_in_error", FORMS_IN_ERROR, ids=[form[0] for form in FORMS_IN_ERROR], indirect=True
)
def test_each_error_has_one_id_and_its_field_names_it(sent_in_error):
    html, fields = sent_in_error
    page = Elements(html)
    ids = page.ids()
    assert sorted(ids) == sorted(set(ids)), "an id is repeated"
    for _tag, attrs in page.with_attribute("aria-describedby"):
        for target in attrs["aria-describedby"].split():
            assert target in ids, f"aria-describedby names {target}, which is not on the page"
    for field in fields:
        controls = [attrs for _tag, attrs in page.elements if attrs.get("id") == f"id_{field}"]
        group = [
            attrs
            for tag, attrs in page.elements
            if tag == "fieldset" and f"id_{field}_error" in attrs.get("aria-describedby", "")
        ]
        if controls:
            assert f"id_{field}_error" in controls[0].get("aria-describedby", "").split()
            assert controls[0].get("aria-invalid") == "true"
        else:
            assert group, f"nothing names the errors of {field}"


@pytest.mark.parametrize(
    "sent_in_error", FORMS_IN_ERROR, ids=[form[0] for form in FORMS_IN_ERROR], indirect=True
)
def test_a_form_in_error_starts_with_a_summary_linking_to_its_fields(sent_in_error):
    html, fields = sent_in_error
    page = Elements(html)
    summaries = [attrs for _tag, attrs in page.with_attribute("data-error-summary")]
    assert len(summaries) == 1
    assert summaries[0].get("tabindex") == "-1"
    assert '<script src="/static/js/error-summary.js" defer></script>' in html
    # The summary comes before the fields, and links to each field in error.
    assert html.index("data-error-summary") < html.index(f'id="id_{fields[0]}')
    links = [attrs["href"] for tag, attrs in page.elements if tag == "a" and "href" in attrs]
    ids = page.ids()
    for field in fields:
        target = next(link for link in links if link.startswith(f"#id_{field}"))
        assert target[1:] in ids


@pytest.mark.parametrize(
    "sent_in_error", FORMS_IN_ERROR, ids=[form[0] for form in FORMS_IN_ERROR], indirect=True
)
def test_the_title_says_there_are_errors(sent_in_error):
    html, _fields = sent_in_error
    assert " ".join(Elements(html).title.split()).startswith("Error: ")


def test_the_title_of_a_form_without_errors_says_nothing_of_errors(client, db):
    log_in(client)
    for address in ("/en/account/profile/", "/en/events/new/", "/en/organisations/new/"):
        title = Elements(client.get(address).content.decode()).title
        assert "Error" not in title, address


def labels(html: str) -> dict[str, str]:
    """The text of each label (and legend), by the id of the field it names."""

    class Labels(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self._for, self._text = {}, None, []

        def handle_starttag(self, tag, attrs):
            if tag == "label" and dict(attrs).get("for"):
                self._for, self._text = dict(attrs)["for"], []

        def handle_endtag(self, tag):
            if tag == "label" and self._for:
                self.found[self._for] = " ".join("".join(self._text).split())
                self._for = None

        def handle_data(self, data):
            if self._for:
                self._text.append(data)

    parser = Labels()
    parser.feed(html)
    return parser.found


def test_required_fields_say_so_in_their_labels(client, db):
    log_in(client)
    create = labels(client.get(reverse("directory:organisation_create")).content.decode())
    assert create["id_name"].endswith("(required)")
    event = labels(client.get("/en/events/new/").content.decode())
    for field in ("title", "time_zone"):
        assert event[f"id_{field}"].endswith("(required)"), field
    # A draft may leave them out; they are marked as needed to submit it (core.forms).
    for field in ("start_date", "start_time", "end_time"):
        assert event[f"id_{field}"].endswith("(needed to submit)"), field
    for field in ("end_date", "venue", "price_note"):
        assert "(required)" not in event[f"id_{field}"], field
    profile = labels(client.get("/en/account/profile/").content.decode())
    assert profile["id_name"].endswith("(required)")
    assert "(required)" not in profile["id_job_title"]
    client.logout()
    signup = labels(client.get("/en/accounts/signup/").content.decode())
    for field in ("name", "email", "password1", "password2", "accept_terms"):
        assert signup[f"id_{field}"].endswith("(required)"), field


def test_notices_are_announced_from_a_wrapper_not_from_the_list(client, db):
    log_in(client)
    response = client.post("/en/account/profile/", {"name": "Ada"}, follow=True)
    html = response.content.decode()
    page = Elements(html)
    lists = [
        attrs
        for tag, attrs in page.elements
        if tag == "ul" and "messages" in attrs.get("class", "")
    ]
    assert lists and "role" not in lists[0]
    assert '<div class="container" role="status">\n  <ul class="messages">' in html


def test_the_report_form_has_one_id_per_error(client, db):
    organisation = OrganisationFactory()
    html = client.post(
        reverse("directory:organisation_report", kwargs={"slug": organisation.slug}),
        {"reason": "not a reason"},
    ).content.decode()
    ids = Elements(html).ids()
    assert sorted(ids) == sorted(set(ids))
    assert "data-error-summary" in html
