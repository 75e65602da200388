"""The sections of results on the site search and the home page, one kind each (organisations,
events, funding...): declared here in tables, built into Sections by the views and rendered by
templates/partials/results_section.html, so that every section is written once."""

from dataclasses import dataclass
from dataclasses import field
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


@dataclass(frozen=True)
class Section:
    """One kind's results (templates/partials/results_section.html): a heading (its `title`,
    with how many match when `count` is given), the cards of `items` rendered by the `cards`
    template (which takes `items`), the `empty` line when there are none, and `links` (url,
    text) to the rest: in an inline list when `link_list`, else each in a paragraph.
    The title, the empty line and the links' texts are put out unescaped, as {% translate %}
    puts them: only the catalogue's texts (and numbers), never what a user wrote."""

    id: str
    title: str
    items: object
    cards: str
    empty: str
    count: int | None = None
    css_class: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    link_list: bool = False


@dataclass(frozen=True)
class SearchKind:
    """A kind the site search finds: the keys of its count and its first results in the
    search's results, and its section's id, class, title, cards template and empty line. The
    directory's kinds stand side by side; `link_list` puts the links in an inline list."""

    count: str
    items: str
    id: str
    css_class: str
    title: str
    cards: str
    empty: str
    side_by_side: bool = False
    link_list: bool = False


SEARCH_KINDS = [
    SearchKind(
        "organisation_count",
        "organisations",
        "organisation-results",
        "",
        _("Organisations"),
        "partials/profile_cards.html",
        _("No organisations match your search."),
        side_by_side=True,
    ),
    SearchKind(
        "project_count",
        "projects",
        "project-results",
        "",
        _("Projects"),
        "partials/profile_cards.html",
        _("No projects match your search."),
        side_by_side=True,
    ),
    SearchKind(
        "event_count",
        "events",
        "event-results",
        "event-results",
        _("Events"),
        "events/partials/event_cards.html",
        _("No events match your search."),
        link_list=True,
    ),
    SearchKind(
        "opportunity_count",
        "opportunities",
        "funding-results",
        "funding-results",
        _("Funding opportunities"),
        "funding/partials/opportunity_cards.html",
        _("No funding opportunities match your search."),
        link_list=True,
    ),
    SearchKind(
        "story_count",
        "stories",
        "story-results",
        "story-results",
        _("Stories"),
        "dsi_hub/search_story_cards.html",
        _("No stories match your search."),
    ),
    SearchKind(
        "resource_count",
        "resources",
        "resource-results",
        "resource-results",
        _("Resources"),
        "dsi_hub/search_resource_cards.html",
        _("No resources match your search."),
    ),
]


@dataclass(frozen=True)
class SearchLink:
    """A link from the search section `section` (its id) to the rest on the kind's own list
    (`url`, a URL name, with `filters`), shown when the count under the results' key `count`
    is more than none, or with `beyond_shown`, more than the section shows. Its `text` takes
    the number as %(count)s or, when plural, as %(counter)s (as {% blocktranslate count %})."""

    section: str
    count: str
    url: str
    filters: str
    text: str
    beyond_shown: bool = False


SEARCH_LINKS = [
    SearchLink(
        "organisation-results",
        "organisation_count",
        "directory:organisation_list",
        "",
        _("All %(count)s organisations, with filters"),
        beyond_shown=True,
    ),
    SearchLink(
        "project-results",
        "project_count",
        "directory:project_list",
        "",
        _("All %(count)s projects, with filters"),
        beyond_shown=True,
    ),
    SearchLink(
        "event-results",
        "upcoming_event_count",
        "events:event_list",
        "",
        ngettext_lazy(
            "All %(counter)s matching upcoming event",
            "All %(counter)s matching upcoming events",
            "counter",
        ),
    ),
    SearchLink(
        "event-results",
        "past_event_count",
        "events:event_list",
        "&when=past",
        ngettext_lazy(
            "All %(counter)s matching past event",
            "All %(counter)s matching past events",
            "counter",
        ),
    ),
    SearchLink(
        "funding-results",
        "open_opportunity_count",
        "funding:opportunity_list",
        "",
        ngettext_lazy(
            "All %(counter)s matching open opportunity",
            "All %(counter)s matching open opportunities",
            "counter",
        ),
    ),
    SearchLink(
        "funding-results",
        "upcoming_opportunity_count",
        "funding:opportunity_list",
        "&status=upcoming",
        ngettext_lazy(
            "All %(counter)s matching opportunity opening later",
            "All %(counter)s matching opportunities opening later",
            "counter",
        ),
    ),
    SearchLink(
        "funding-results",
        "closed_opportunity_count",
        "funding:opportunity_list",
        "&status=closed",
        ngettext_lazy(
            "All %(counter)s matching closed opportunity",
            "All %(counter)s matching closed opportunities",
            "counter",
        ),
    ),
    SearchLink(
        "story-results",
        "story_count",
        "stories:story_list",
        "",
        ngettext_lazy(
            "All %(counter)s matching story, with filters",
            "All %(counter)s matching stories, with filters",
            "counter",
        ),
    ),
    SearchLink(
        "resource-results",
        "resource_count",
        "stories:resource_list",
        "",
        ngettext_lazy(
            "All %(counter)s matching resource, with filters",
            "All %(counter)s matching resources, with filters",
            "counter",
        ),
    ),
]


def counted(text, number: int) -> str:
    """`text` (translated) with `number` put in, as {% blocktranslate %} puts it: as %(count)s,
    or as %(counter)s, which also picks the plural form."""
    return text % {"count": number, "counter": number}


def search_sections(results: dict) -> dict:
    """The site search's sections (dsi_hub.views.search), from its `results`: the directory's
    two, side by side (`profile_sections`), and then the others (`sections`)."""
    query = quote(results["query"], safe="/")
    sections = {"profile_sections": [], "sections": []}
    for kind in SEARCH_KINDS:
        items = results[kind.items]
        links = [
            (
                f"{reverse(link.url)}?q={query}{link.filters}",
                counted(link.text, results[link.count]),
            )
            for link in SEARCH_LINKS
            if link.section == kind.id
            and results[link.count] > (len(items) if link.beyond_shown else 0)
        ]
        section = Section(
            id=kind.id,
            css_class=kind.css_class,
            title=kind.title,
            count=results[kind.count],
            items=items,
            cards=kind.cards,
            empty=kind.empty,
            links=links,
            link_list=kind.link_list,
        )
        sections["profile_sections" if kind.side_by_side else "sections"].append(section)
    return sections


# The home page's newest organisations and projects: their sections' ids, titles and empty lines.
HOME_PROFILES = [
    (
        "latest-organisations",
        _("Newest organisations"),
        _("No organisations have been published yet."),
    ),
    ("latest-projects", _("Newest projects"), _("No projects have been published yet.")),
]


def home_profile_sections(organisations, projects) -> list[Section]:
    """The home page's newest organisations and projects, side by side (dsi_hub.views.HomeView)."""
    return [
        Section(
            id=section_id,
            title=title,
            items=items,
            cards="partials/profile_cards.html",
            empty=empty,
        )
        for (section_id, title, empty), items in zip(
            HOME_PROFILES, [organisations, projects], strict=True
        )
    ]


@dataclass(frozen=True)
class HomeKind:
    """A kind the home page shows the first of (dsi_hub.views.home_events, home_funding): its
    section's id, class, title, cards template and empty line; its links: to its list (`url`,
    a URL name) saying how many there are in all (`text`, with %(counter)s), or when there are
    none, to the list with `none_filters` (`none_text`); and then always to `other_url`."""

    id: str
    css_class: str
    title: str
    cards: str
    empty: str
    url: str
    text: str
    none_filters: str
    none_text: str
    other_url: str
    other_text: str


HOME_KINDS = {
    "events": HomeKind(
        "upcoming-events-title",
        "container home-events",
        _("Upcoming events"),
        "events/partials/event_cards.html",
        _("No upcoming events at the moment. Have a look at past events, or come back soon."),
        "events:event_list",
        ngettext_lazy(
            "All %(counter)s upcoming event", "All %(counter)s upcoming events", "counter"
        ),
        "?when=past",
        _("Past events"),
        "events:event_calendar",
        _("Month calendar"),
    ),
    "funding": HomeKind(
        "funding-soon-title",
        "container home-funding",
        _("Funding closing soon"),
        "funding/partials/opportunity_cards.html",
        _("No funding is open at the moment. Come back soon, or follow the feed."),
        "funding:opportunity_list",
        ngettext_lazy(
            "All %(counter)s open funding opportunity",
            "All %(counter)s open funding opportunities",
            "counter",
        ),
        "?status=upcoming",
        _("Funding opening later"),
        "funding:opportunity_feed",
        _("New funding feed (Atom)"),
    ),
}


def home_section(name: str, items: list, count: int, *, title=None) -> Section:
    """The home page's section of the HOME_KINDS `name`: its first `items`, of `count` in all,
    under its kind's title unless `title` says otherwise. Rendered once per language (and
    cached): nothing in it may depend on the visitor."""
    kind = HOME_KINDS[name]
    if count:
        rest = (reverse(kind.url), counted(kind.text, count))
    else:
        rest = (f"{reverse(kind.url)}{kind.none_filters}", kind.none_text)
    return Section(
        id=kind.id,
        css_class=kind.css_class,
        title=title or kind.title,
        items=items,
        cards=kind.cards,
        empty=kind.empty,
        link_list=True,
        links=[rest, (reverse(kind.other_url), kind.other_text)],
    )
