"""schema.org JSON-LD for organisation and project pages, for search engines and linked data.

Built from what the detail page has already loaded (no query of its own) and rendered once into
the page's cached entry. Only what the page itself shows publicly goes in: no members, emails,
review state or moderation data.
"""

from html import unescape

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core.jsonld import SCHEMA_ORG
from core.jsonld import geo_coordinates
from core.models import absolute_url
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation

LEAD = ProjectOrganisation.Role.LEAD
DESCRIPTION_CHARS = 300

# Organisation types (by slug, see directory/migrations/0002_vocabularies.py) -> schema.org type.
# Every one is a subtype of Organization; a type not listed here stays a plain Organization.
# A grassroots organisation or community network is non-governmental and not for profit: NGO.
ORGANISATION_TYPES = {
    "social-enterprise-charity-foundation-or-other-non-profit": "NGO",
    "grassroots-organisation-or-community-network": "NGO",
    "academiaresearch-organisation": "ResearchOrganization",
    "governmentpublic-sector": "GovernmentOrganization",
}


def _identifier(profile) -> str:
    """One @id per profile whatever the page's language: its page in the default language."""
    return f"{profile.get_permanent_url()}#{profile.kind}"


def _reference(profile) -> dict:
    """A linked profile: its @id, name and page, enough to join the graph up. Its type is the
    general one (its own page says whether it is an NGO): the link rows don't load the type."""
    return {
        "@type": "Project" if isinstance(profile, Project) else "Organization",
        "@id": _identifier(profile),
        "name": profile.name,
        "url": absolute_url(profile.get_absolute_url()),
    }


def _linked(links, side: str) -> tuple[list[dict], list[dict]]:
    """The profiles on one side ("project" or "organisation") of these ProjectOrganisation
    rows, as references: where the organisation leads the project, and the others."""
    leads = [_reference(getattr(link, side)) for link in links if link.role == LEAD]
    others = [_reference(getattr(link, side)) for link in links if link.role != LEAD]
    return leads, others


def _schema_type(profile) -> str:
    if isinstance(profile, Project):
        return "Project"
    if profile.organisation_type_id is None:
        return "Organization"
    return ORGANISATION_TYPES.get(profile.organisation_type.slug, "Organization")


def _description(profile) -> str:
    if profile.short_description:
        return profile.short_description
    text = " ".join(unescape(strip_tags(profile.description)).split())
    return Truncator(text).chars(DESCRIPTION_CHARS)


def _image_url(field) -> str:
    return absolute_url(field.url) if field else ""


def _same_as(profile) -> list[str]:
    """The profile's own website and social pages: other addresses of the same thing."""
    urls = [profile.website, *profile.links]
    return list(dict.fromkeys(url for url in urls if url.startswith(("http://", "https://"))))


def _keywords(*groups) -> list[str]:
    return list(dict.fromkeys(str(item) for group in groups for item in group))


def _place(profile, address: dict | None) -> dict | None:
    """Where the profile is: its address and, when known, its coordinates."""
    place = {"@type": "Place"}
    if address:
        place["address"] = address
    if geo := geo_coordinates(profile):
        place["geo"] = geo
    return place if len(place) > 1 else None


def _postal_address(*, street: str = "", city: str = "", country=None) -> dict | None:
    address = {"@type": "PostalAddress"}
    if street:
        address["streetAddress"] = street
    if city:
        address["addressLocality"] = city
    if country is not None:
        address["addressCountry"] = country.code
    return address if len(address) > 1 else None


def _web_page(profile, url: str) -> dict:
    """The page about the profile. Its text's licence belongs here: schema.org gives `license`
    to creative works (the page), not to the organisation or project it describes."""
    page = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "inLanguage": translation.get_language() or settings.LANGUAGE_CODE,
        "dateModified": profile.updated_at.isoformat(),
    }
    if profile.published_at:
        page["datePublished"] = profile.published_at.isoformat()
    if profile.licence_url:
        page["license"] = profile.licence_url
    return page


def _common(profile) -> dict:
    data = {
        "@context": SCHEMA_ORG,
        "@type": _schema_type(profile),
        "@id": _identifier(profile),
        "url": absolute_url(profile.get_absolute_url()),
        "name": profile.name,
    }
    if description := _description(profile):
        data["description"] = description
    if logo := _image_url(profile.logo):
        data["logo"] = logo
    if image := _image_url(profile.header_image) or logo:
        data["image"] = image
    if same_as := _same_as(profile):
        data["sameAs"] = same_as
    return data


def _with_known(profile, **properties) -> dict:
    """The profile's common properties, those of `properties` that are known (schema.org
    leaves out what is not: empty values are dropped), then the page about it."""
    data = _common(profile)
    data.update((name, value) for name, value in properties.items() if value)
    data["mainEntityOfPage"] = _web_page(profile, data["url"])
    return data


def _iso_date(day) -> str | None:
    return day.isoformat() if day else None


def organisation_jsonld(organisation: Organisation, *, project_links) -> dict:
    """An Organization (or NGO, ...) from the detail page's organisation and its published
    project links (ProjectOrganisation rows with their project loaded)."""
    address = _postal_address(
        street=organisation.address, city=organisation.city, country=organisation.country
    )
    # The inverses of what a project says about its organisations (see project_jsonld).
    led, joined = _linked(project_links, "project")
    return _with_known(
        organisation,
        address=address,
        location=_place(organisation, address),
        foundingDate=_iso_date(organisation.start_date),
        keywords=_keywords(organisation.tags.all(), organisation.network_tags.all()),
        subOrganization=led,
        memberOf=joined,
    )


def project_jsonld(project: Project, *, organisation_links) -> dict:
    """A Project from the detail page's project and its published organisation links
    (ProjectOrganisation rows with their organisation loaded)."""
    countries = list(project.countries.all())
    # A project may work in several countries; its city's country is only certain with one.
    address = _postal_address(
        city=project.city, country=countries[0] if len(countries) == 1 else None
    )
    # schema.org describes Project as an Organization "typically collaborative" and points to
    # parentOrganization/subOrganization for its structure: the lead organisation is the one
    # the project belongs to (parentOrganization); partners take part in it, which is what
    # `member` means for an Organization whose members are organisations. `funder`/`sponsor`
    # would claim money we do not know about.
    leads, partners = _linked(organisation_links, "organisation")
    return _with_known(
        project,
        location=_place(project, address),
        areaServed=[
            {"@type": "Country", "name": country.name, "identifier": country.code}
            for country in countries
        ],
        foundingDate=_iso_date(project.start_date),
        dissolutionDate=_iso_date(project.end_date),
        keywords=_keywords(
            project.social_areas.all(),
            project.technologies.all(),
            project.focus.all(),
            project.who_we_help.all(),
            project.tags.all(),
            project.network_tags.all(),
        ),
        parentOrganization=leads,
        member=partners,
    )
