"""The hub's pages in the states people meet them, for the accessibility sweep
(test_accessibility_browser.py): a hub with some of everything (`seed_hub`), and the pages each
kind of person sees in it (`visitor_pages`, `practitioner_pages`, `admin_pages`), each a `Visit`:
where it is, and what is done on it (a filter, a form sent back in error) before it is checked."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.models import EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import COMMUNITY_ADMINS
from accounts.roles import EDITORIAL_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Membership
from directory.models import Organisation
from directory.models import Role
from directory.models import SocialArea
from directory.services import claims as claim_services
from directory.services import members as member_services
from directory.services.profiles import profile_update
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events import services as event_services
from events.models import Event
from events.tests.factories import EventFactory
from events.tests.factories import event
from funding import services as funding_services
from funding.models import Opportunity
from funding.tests.factories import OpportunityFactory
from funding.tests.factories import opportunity
from newsletter import links as newsletter_links
from newsletter.models import Subscriber
from stories.models import Category
from stories.models import Kind
from stories.models import Resource
from stories.models import Story
from stories.services import resource_reindex
from stories.tests.factories import story


@dataclass(frozen=True)
class Visit:
    """A page in one state: its address, what is done on it before the check (`act`, given the
    Playwright page) and before the check at a phone's width (`on_phone`), the status it answers
    with, and, on the admin's change forms, the part of it that axe checks (`scope`, an axe
    context)."""

    path: str
    state: str = ""
    act: Callable | None = None
    on_phone: Callable | None = None
    status: int = 200
    scope: dict | None = None

    def __str__(self):
        return f"{self.path} ({self.state})" if self.state else self.path


def send(fields: dict | None = None, button: str = "main form button[type=submit]"):
    """Fill in `fields` (CSS selector: value) and send the form, as the browser's own checks of
    required fields would not let it go: what comes back is the server's answer."""

    def act(page):
        for selector, value in (fields or {}).items():
            page.locator(selector).fill(value)
        page.evaluate("document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })")
        with page.expect_navigation():
            page.locator(button).first.click()

    return act


def open_menu(page):
    """The header's menu, folded behind its button on a phone, opened."""
    page.locator("[data-menu-toggle]").click()


def wait_for(selector: str):
    """Wait for what a script draws (Swagger UI's operations)."""

    def act(page):
        page.locator(selector).first.wait_for()

    return act


# --- The hub -------------------------------------------------------------------------------------


def seed_hub() -> SimpleNamespace:
    """Content of every kind, and the people who see the account pages: a practitioner with
    profiles, drafts, an invitation and requests to answer; the owner of other profiles; an
    admin (community and editorial) with an item of every moderated kind waiting for review."""
    areas = list(SocialArea.objects.filter(cluster__isnull=False).order_by("pk")[:2])
    practitioner = UserFactory(
        email="pat@example.org", name="Pat Practitioner", bio="Maker.", avatar="avatars/pat.png"
    )
    other = UserFactory(email="olga@example.org", name="Olga Owner")
    joiner = UserFactory(email="jo@example.org", name="Jo Joiner")
    moderator = UserFactory(email="mod@example.org", name="Mo Moderator", is_staff=True)
    moderator.groups.add(*Group.objects.filter(name__in=[COMMUNITY_ADMINS, EDITORIAL_ADMINS]))

    organisation = OrganisationFactory(
        name="Open Data Lab", owner=practitioner, website="https://opendatalab.example/"
    )
    Organisation.objects.filter(pk=organisation.pk).update(
        logo="directory/logos/lab.png", header_image="directory/headers/lab.png"
    )
    project = ProjectFactory(
        name="Clinic Maps", owner=practitioner, vocabularies__social_areas=areas
    )
    project.links_to_organisations.create(organisation=organisation, role="lead")
    Membership.objects.create(user=joiner, project=project, role=Role.MEMBER)
    for number in range(6):
        # placed on the map (explore:map)
        OrganisationFactory(name=f"Fab Lab {number}", latitude=41.39 + number / 50, longitude=2.17)
        ProjectFactory(name=f"Sensor network {number}", vocabularies__social_areas=areas)
    others = OrganisationFactory(name="Civic Commons", owner=other)
    # a partner through Clinic Maps: the organisation's page shows its neighbourhood, drawn
    project.links_to_organisations.create(organisation=others, role="partner")
    unowned = OrganisationFactory(name="Atelier Numérique", website="https://atelier.example/")

    for number, days in enumerate((3, 10, 40)):
        event(f"Civic tech meetup {number}", days=days, areas=areas[:1], organiser=organisation)
        opportunity(f"Open code fund {number}", closes=days, areas=areas[:1])
    category = Category.objects.create(name="Interviews", slug="interviews")
    case_study = story(
        "How Clinic Maps reached every village",
        kind=Kind.CASE_STUDY,
        project=project,
        organisations=[organisation],
        areas=areas[:1],
        categories=[category],
        is_featured=True,
        featured_image_alt="A map of clinics",
    )
    Story.objects.filter(pk=case_study.pk).update(featured_image="stories/map.png")
    story("Open data week", categories=[category])
    story("Why commons matter", kind=Kind.BLOG, author=practitioner, author_name="")
    for number in range(2):
        resource = Resource.objects.create(
            title=f"Open data toolkit {number}",
            url=f"https://example.org/toolkit-{number}",
            publisher="Open Knowledge",
        )
        resource.social_areas.set(areas[:1])
        resource_reindex(resource)

    # An address waiting to be confirmed.
    unconfirmed = EmailAddress.objects.get(user=UserFactory(email="new.person@example.org"))
    unconfirmed.verified = False
    unconfirmed.save()
    # A newsletter subscriber who has not confirmed yet (the sweep confirms them with the button).
    subscriber = Subscriber.objects.create(
        email="reader@example.org",
        language="en",
        content_kinds=["events"],
        consent_text="I want the newsletter.",
        consent_at=timezone.now(),
    )
    subscriber.social_areas.set(areas[:1])
    return SimpleNamespace(
        subscriber=subscriber,
        practitioner=practitioner,
        moderator=moderator,
        organisation=organisation,
        project=project,
        area=areas[0],
        others=others,
        other_project=ProjectFactory(name="Repair Cafés", owner=other),
        unowned=unowned,
        unowned_project=ProjectFactory(name="Open Streets"),
        draft=OrganisationFactory(
            name="Draft Collective", owner=practitioner, status=Status.DRAFT, published_at=None
        ),
        draft_project=ProjectFactory(
            name="Draft Project", owner=practitioner, status=Status.DRAFT, published_at=None
        ),
        draft_event=EventFactory(
            title="Draft workshop", created_by=practitioner, status=Status.DRAFT, published_at=None
        ),
        draft_opportunity=OpportunityFactory(
            title="Draft fund", created_by=practitioner, status=Status.DRAFT, published_at=None
        ),
        # Someone asks to join the practitioner's organisation; they invited someone; they are
        # invited to another; someone claims a profile no one owns.
        join_request=member_services.join_request_create(
            profile=organisation, user=joiner, message="We worked together on the map."
        ),
        sent_invitation=member_services.invitation_create(
            profile=organisation, user=practitioner, email="new@example.org", role=Role.MEMBER
        ),
        invitation=member_services.invitation_create(
            profile=others, user=other, email=practitioner.email, role=Role.ADMIN
        ),
        claim=claim_services.claim_create(
            profile=unowned,
            user=joiner,
            message="I founded it.",
            evidence_email="jo@atelier.example",
        ),
        case_study=case_study,
        event=Event.objects.published().order_by("starts_at").first(),
        opportunity=Opportunity.objects.published().first(),
        confirm_key=EmailConfirmationHMAC(unconfirmed).key,
        reset_key=(user_pk_to_url_str(other), default_token_generator.make_token(other)),
        pending=seed_pending(),
    )


def seed_pending() -> dict:
    """One item of each moderated kind waiting for review, changed twice since it was made (so
    its history has versions to compare)."""
    author = UserFactory(email="author@example.org", name="Ada Author")
    pending = {}
    for kind, factory in (("organisation", OrganisationFactory), ("project", ProjectFactory)):
        profile = factory(
            name=f"Pending {kind}", owner=author, status=Status.PENDING, published_at=None
        )
        for text in ("Makers in the city.", "Makers and coders in the city."):
            profile_update(profile=profile, user=author, fields={"short_description": text})
        pending[kind] = profile
    for kind, factory, lifecycle in (
        ("event", EventFactory, event_services.LIFECYCLE),
        ("opportunity", OpportunityFactory, funding_services.LIFECYCLE),
    ):
        item = factory(
            title=f"Pending {kind}",
            created_by=author,
            status=Status.PENDING,
            published_at=None,
            submitted_at=timezone.now(),
        )
        for text in ("A first summary.", "A better summary."):
            lifecycle.update(item, user=author, fields={"short_description": text})
        pending[kind] = item
    return pending


# --- The pages, by who sees them ------------------------------------------------------------------


def visitor_pages(hub) -> list[Visit]:
    """What anyone sees, logged out: browsing, the account's entrance, the site's own pages."""
    month = (timezone.localdate() + dt.timedelta(days=3)).strftime("%Y-%m")
    organisation, project = hub.organisation.get_absolute_url(), hub.project.get_absolute_url()
    uid, key = hub.reset_key
    token = claim_services.verification_token(hub.claim)
    confirm = newsletter_links.confirm_token(hub.subscriber)
    manage = newsletter_links.manage_token(hub.subscriber)
    return [
        Visit("/en/", "with the menu open on a phone", on_phone=open_menu),
        Visit("/de/", "in German"),
        Visit("/en/search/?q=civic", "results of every kind"),
        Visit("/en/search/?q=zzzzqqq", "no results"),
        Visit("/en/organisations/"),
        Visit("/en/organisations/?page=2", "the second page"),
        Visit("/en/organisations/?q=lab&country=spain", "searched and filtered"),
        Visit("/de/organisations/?q=zzzzqqq", "no results, in German"),
        Visit("/en/organisations/?city=" + "x" * 101, "a filter refused", status=400),
        Visit(
            organisation,
            "with a logo, a project, a partner drawn and an event",
            act=wait_for("[data-profile-network][data-drawn]"),
        ),
        Visit(organisation + "report/"),
        Visit(organisation + "report/", "sent empty", act=send()),
        Visit("/en/projects/"),
        Visit(f"/en/projects/?area={hub.area.slug}&live=live", "filtered"),
        Visit(project, "with its lead organisation"),
        Visit(project + "report/"),
        Visit("/en/events/"),
        Visit("/en/events/?q=meetup&when=past", "searched, nothing in the past"),
        Visit(f"/en/events/calendar/?month={month}", "a month with events"),
        Visit(hub.event.get_absolute_url()),
        Visit(hub.event.get_absolute_url().replace("/en/", "/de/"), "in German"),
        Visit("/en/funding/"),
        Visit("/en/funding/?type=grant-funding&q=fund", "searched and filtered"),
        Visit(hub.opportunity.get_absolute_url()),
        Visit("/en/stories/"),
        Visit("/en/stories/?kind=case_study", "filtered"),
        Visit(hub.case_study.get_absolute_url(), "a case study with its image"),
        Visit("/en/stories/clusters/"),
        Visit(reverse("stories:cluster_detail", kwargs={"slug": hub.area.cluster.slug})),
        Visit("/en/stories/resources/"),
        Visit("/en/stories/resources/?q=toolkit", "searched"),
        Visit(reverse("accounts:profile", kwargs={"slug": hub.practitioner.slug})),
        Visit("/en/about/"),
        Visit("/en/terms/"),
        Visit("/en/privacy/"),
        Visit("/de/privacy/", "in German"),
        Visit("/en/cookies/"),
        Visit("/en/contact/"),
        Visit("/en/contact/", "sent empty", act=send()),
        Visit("/en/contact/thanks/"),
        Visit("/en/newsletter/"),
        Visit("/en/newsletter/", "sent empty", act=send()),
        Visit("/de/newsletter/", "in German"),
        Visit("/en/newsletter/thanks/"),
        Visit(f"/en/newsletter/confirm/{confirm}/", "asked to confirm"),
        Visit(f"/en/newsletter/confirm/{confirm}/", "the address confirmed", act=send()),
        Visit("/en/newsletter/confirm/broken/", "a broken link", status=400),
        Visit(f"/en/newsletter/preferences/{manage}/", "confirmed, with the unsubscribe button"),
        Visit(f"/en/newsletter/unsubscribe/{manage}/", "asked before unsubscribing"),
        Visit("/en/data/"),
        Visit("/en/explore/", "the statistics"),
        Visit("/en/explore/?kind=projects&country=spain&q=sensor", "filtered and searched"),
        Visit("/de/explore/", "in German"),
        Visit("/en/explore/?kind=everything", "a query refused", status=400),
        Visit("/en/explore/countries/es/", "a country with profiles, events and funding"),
        Visit("/en/explore/countries/fr/", "a country with nothing yet"),
        Visit("/en/explore/map/", "points drawn", act=wait_for(".map-point")),
        Visit("/en/explore/map/?country=spain&kinds=organisations&z=6", "filtered"),
        Visit("/en/explore/map/?z=99", "a view refused", status=400),
        Visit("/en/explore/network/", "drawn", act=wait_for("[data-network-canvas][data-drawn]")),
        Visit(
            "/en/explore/network/?show=organisations&country=spain",
            "organisations only, filtered",
            act=wait_for("[data-network-canvas][data-drawn]"),
        ),
        Visit("/en/explore/network/?select=people", "a query refused", status=400),
        # Embeds (core.embeds): the same pages, framed by other sites.
        Visit("/embed/en/organisations/?country=spain", "an embedded list"),
        Visit("/embed/de/projects/", "an embedded list in German"),
        Visit("/embed/en/organisations/?country=atlantis", "a filter refused", status=400),
        Visit("/embed" + organisation, "an embedded card"),
        Visit("/embed" + project, "an embedded project card"),
        Visit("/embed/en/explore/?country=spain", "the statistics embedded"),
        Visit("/embed/en/explore/countries/es/", "a country embedded"),
        Visit("/embed/en/explore/map/", "the map embedded", act=wait_for(".map-point")),
        Visit(
            "/embed/en/explore/network/",
            "the network embedded",
            act=wait_for("[data-network-canvas][data-drawn]"),
        ),
        Visit("/api/v1/docs/", act=wait_for(".opblock")),
        Visit("/en/no-such-page/", "the 404 page", status=404),
        Visit("/de/no-such-page/", "the 404 page in German", status=404),
        Visit("/en/accounts/login/"),
        Visit(
            "/en/accounts/login/",
            "a wrong password",
            act=send({"#id_login": hub.practitioner.email, "#id_password": "wrong"}),
        ),
        Visit("/de/accounts/login/", "in German"),
        Visit("/en/accounts/signup/"),
        Visit("/en/accounts/signup/", "sent with errors", act=send({"#id_email": "not one"})),
        Visit("/en/accounts/password/reset/"),
        Visit("/en/accounts/password/reset/", "sent empty", act=send()),
        Visit("/en/accounts/password/reset/done/"),
        Visit(f"/en/accounts/password/reset/key/{uid}-{key}/", "a valid link"),
        Visit(f"/en/accounts/password/reset/key/{uid}-bad-key/", "a broken link"),
        Visit("/en/accounts/password/reset/key/done/"),
        Visit("/en/accounts/confirm-email/"),
        Visit(f"/en/accounts/confirm-email/{hub.confirm_key}/"),
        Visit("/en/accounts/inactive/"),
        Visit(f"/en/claims/confirm/{token}/"),
    ]


def practitioner_pages(hub) -> list[Visit]:
    """What a logged-in practitioner sees: their dashboard and profile, each step of the guided
    forms of their organisations and projects, members, invitations, requests to join, claims,
    and their events and funding opportunities."""
    organisation, project = hub.organisation.get_absolute_url(), hub.project.get_absolute_url()

    def edit(profile, step=""):
        return f"{profile.get_absolute_url()}edit/" + (f"{step}/" if step else "")

    def page(profile, name):
        return reverse(f"directory:{profile.kind}_{name}", kwargs={"slug": profile.slug})

    def submission(item, name):
        namespace = item._meta.app_label
        return reverse(f"{namespace}:{item._meta.model_name}_{name}", kwargs={"slug": item.slug})

    return [
        Visit("/en/dashboard/", "profiles, drafts, requests and an invitation", on_phone=open_menu),
        Visit("/de/dashboard/", "in German"),
        Visit("/en/account/profile/", "with an avatar"),
        Visit("/en/account/profile/", "saved: a notice", act=send()),
        Visit("/en/account/profile/", "sent with errors", act=send({"#id_name": ""})),
        Visit("/en/account/data/"),
        Visit("/en/account/delete/"),
        Visit("/en/account/delete/", "sent empty", act=send()),
        Visit("/en/accounts/email/"),
        Visit("/en/accounts/password/change/"),
        Visit("/en/accounts/password/change/", "sent empty", act=send()),
        Visit("/en/accounts/reauthenticate/"),
        Visit("/en/accounts/logout/"),
        Visit("/en/organisations/new/"),
        Visit("/en/organisations/new/", "sent empty", act=send()),
        Visit("/en/projects/new/"),
        Visit(edit(hub.draft), "the first step"),
        Visit(edit(hub.draft, "basics"), "sent with errors", act=send({"#id_name": ""})),
        *(Visit(edit(hub.draft, step)) for step in ("about", "place", "details")),
        Visit(edit(hub.organisation, "images"), "with a logo and a header image"),
        Visit(edit(hub.draft, "about").replace("/en/", "/de/"), "in German"),
        Visit(edit(hub.draft_project), "the first step"),
        *(
            Visit(edit(hub.draft_project, step))
            for step in ("about", "place", "topics", "dates", "organisations", "images")
        ),
        Visit(page(hub.draft, "preview")),
        Visit(page(hub.draft_project, "preview")),
        Visit(page(hub.draft, "submit")),
        Visit(page(hub.draft, "submit"), "sent without consent", act=send()),
        Visit(page(hub.draft_project, "submit"), "missing what a project needs"),
        Visit(page(hub.organisation, "archive")),
        Visit(page(hub.project, "archive")),
        Visit(organisation, "as its owner"),
        Visit(organisation + "members/", "a request to join and an invitation"),
        Visit(
            organisation + "members/",
            "an invitation sent with errors",
            act=send({"#id_email": "not an address"}, button="form:has(#id_email) button"),
        ),
        Visit(project + "members/"),
        Visit(hub.others.get_absolute_url() + "members/", "not a member: 403", status=403),
        Visit(reverse("directory:invitation_respond", kwargs={"pk": hub.invitation.pk})),
        Visit(page(hub.others, "join")),
        Visit(page(hub.others, "join"), "sent", act=send()),
        Visit(page(hub.other_project, "join")),
        Visit(page(hub.unowned, "claim")),
        Visit(page(hub.unowned, "claim"), "sent empty", act=send()),
        Visit(page(hub.unowned_project, "claim")),
        Visit("/en/events/new/"),
        Visit("/en/events/new/", "sent empty", act=send()),
        Visit("/en/events/mine/"),
        Visit(submission(hub.draft_event, "edit")),
        Visit(submission(hub.draft_event, "preview")),
        Visit("/en/funding/new/"),
        Visit("/de/funding/new/", "in German"),
        Visit("/en/funding/mine/"),
        Visit(submission(hub.draft_opportunity, "edit")),
        Visit(submission(hub.draft_opportunity, "preview")),
    ]


# Django's own widgets on the admin's change forms fail axe (Django 5.2): they are left out of its
# check there, and the rest of the page (the hub's moderation buttons and links, fieldsets, labels
# and help texts, the admin's header and navigation) is checked.
DJANGO_WIDGETS = {
    "exclude": [
        # autocomplete_fields: select2's combobox has no accessible name (it does not take the
        # hidden <select>'s label) and its search box has no label (aria-input-field-name, label).
        [".select2-container"],
        # filter_horizontal: SelectFilter2.js puts aria-label on a <span> with no role
        # (aria-prohibited-attr).
        [".selector"],
        # Tabular inlines: the object column's header is empty, and each cell's field is named
        # only by its column's header, not a label (empty-table-header, label, select-name).
        [".inline-group .tabular"],
        # Dates and times (AdminSplitDateTime): the field's name is its fieldset's legend, and
        # the date and time inputs have no label, only the words "Date:" and "Time:" (label).
        [".datetime"],
    ]
}


def admin_pages(hub) -> list[Visit]:
    """The hub's own admin pages, as a community and editorial admin: the index and the
    moderation queue, and for each moderated kind its change form, preview, history, comparison
    of versions and page asking why it is rejected; claims and requests to join; resources."""
    visits = [Visit("/en/admin/"), Visit("/en/admin/moderation/")]
    claim = hub.claim
    items = [*hub.pending.values(), claim]
    for item in items:
        name = f"admin:{item._meta.app_label}_{item._meta.model_name}"
        visits += [
            Visit(reverse(f"{name}_change", args=[item.pk]), scope=DJANGO_WIDGETS),
            Visit(reverse(f"{name}_preview", args=[item.pk])),
            Visit(reverse(f"{name}_history", args=[item.pk])),
            Visit(reverse(f"{name}_reject") + f"?ids={item.pk}"),
        ]
        if item is not claim:
            visits.append(Visit(reverse(f"{name}_compare", args=[item.pk])))
    reject = reverse("admin:events_event_reject") + f"?ids={hub.pending['event'].pk}"
    return [
        *visits,
        Visit(reject, "sent without a reason", act=send(button="#content-main [type=submit]")),
        Visit(reverse("admin:directory_joinrequest_change", args=[hub.join_request.pk])),
        Visit(reverse("admin:stories_resource_changelist")),
        Visit(reverse("admin:stories_resource_import")),
    ]
