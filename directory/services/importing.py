"""Importing the original digitalsocial.eu (DSI4EU, 2017) export into the directory.

The export (shared/data/dsi4eu-2017, see its SOURCE.md) is two JSON arrays. The import is keyed on
`legacy_id`, so running it again skips what is already there; it runs in one transaction after
checking every record, writes in bulk (a few dozen queries whatever the size), maps the 2017
vocabularies to today's rows and keeps what it cannot map as free tags.
"""

import datetime as dt
import math
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reversion.models import Revision
from reversion.models import Version

from core.html import sanitize_html
from core.models import Licence
from core.models import Status
from directory.apps import UNVERSIONED
from directory.cities import city_canonical
from directory.models import DSIFocus
from directory.models import Organisation
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Technology
from directory.search import links_reindex
from directory.search import profile_search_fields
from directory.services.import_records import ID_KEYS
from directory.services.import_records import UNKNOWN_DATE
from directory.services.import_records import CountryMatcher
from directory.services.import_records import ImportReport
from directory.services.import_records import VocabularyMatcher
from directory.services.import_records import dsi4eu_check
from directory.services.import_records import tag_slug
from directory.services.importing_review import review_flags
from directory.services.importing_review import spam_score
from directory.services.profiles import RESERVED_SLUGS
from directory.services.profiles import tags_from_names
from directory.versions import directory_changed

# --- The import ------------------------------------------------------------------------------


def _moment(date: dt.date | None) -> dt.datetime | None:
    if date is None:
        return None
    return dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.UTC)


class _Slugs:
    """Readable slugs unused in the table and in this import ("fablab-catania-2")."""

    def __init__(self, model):
        self.model_name = model._meta.model_name
        self.taken = set(model.objects.values_list("slug", flat=True)) | RESERVED_SLUGS

    def new(self, name: str) -> str:
        base = (slugify(name) or self.model_name)[:200].strip("-") or self.model_name
        slug, number = base, 2
        while slug in self.taken:
            slug = f"{base}-{number}"
            number += 1
        self.taken.add(slug)
        return slug


class _Importer:
    def __init__(self, report: ImportReport):
        self.report = report
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.countries = CountryMatcher()
        self.types = VocabularyMatcher(OrganisationType.objects.all())
        self.sizes = VocabularyMatcher(OrganisationSize.objects.all())
        self.areas = VocabularyMatcher(SocialArea.objects.all())
        self.technologies = VocabularyMatcher(Technology.objects.all())
        self.focus = VocabularyMatcher(DSIFocus.objects.all())

    # Values -----------------------------------------------------------------------------------

    def _note_mapping(self, label: str, value: str, row, how: str) -> None:
        if how == "alias" or how == "variant":
            self.report.mapped[f"{label}: {value} → {row.english}"] += 1

    def _vocabulary_value(self, label: str, vocabulary: VocabularyMatcher, value: str):
        if not value:
            return None
        row, how = vocabulary.get(value)
        if row is None:
            self.report.dropped_values[f"{label}: {value}"] += 1
            return None
        self._note_mapping(label, value, row, how)
        return row

    def _country(self, name: str):
        if not name:
            return None
        country = self.countries.get(name)
        if country is None:
            self.report.countries_not_found[name] += 1
        elif name not in (country.name, getattr(country, "name_en", None)):
            self.report.mapped[f"country: {name} → {country.name_en or country.name}"] += 1
        return country

    def _coordinates(self, label: str, record: dict):
        latitude, longitude = record["latitude"], record["longitude"]
        if latitude is None and longitude is None:
            return None, None
        valid = (
            latitude is not None
            and longitude is not None
            and math.isfinite(latitude)
            and math.isfinite(longitude)
            and -90 <= latitude <= 90
            and -180 <= longitude <= 180
        )
        if not valid:
            self.report.coordinates_dropped.append(f"{label}: {latitude!r}, {longitude!r}")
            return None, None
        return latitude, longitude

    def _date(self, kind: str, key: str, value: dt.date | None) -> dt.date | None:
        if value == UNKNOWN_DATE:
            self.report.dates_unknown[f"{kind} {key} 1970-01-01"] += 1
            return None
        return value

    def _classify(self, record: dict) -> dict[str, list]:
        """A project's listed values sorted into social areas, technologies, focus and tags.

        Each value is looked up in its own list first, then in the others (a social area listed
        among technologies is a social area); what matches nothing is kept as a free tag.
        """
        found = {"social_areas": [], "technologies": [], "focus": [], "tags": []}
        lists = [
            ("support_tags", "social_areas", self.areas, _("social area")),
            ("technology", "technologies", self.technologies, _("technology")),
            ("focus", "focus", self.focus, _("DSI focus")),
        ]
        for key, home, _vocabulary, label in lists:
            for value in record[key]:
                if not value:
                    continue
                if value.isdigit():
                    # Bare numbers ("21") are ids that leaked from the old form, not words.
                    self.report.dropped_values[f"{label}: {value}"] += 1
                    continue
                for _key_other, relation, vocabulary, other_label in sorted(
                    lists, key=lambda entry: entry[1] != home
                ):
                    row, how = vocabulary.get(value)
                    if row is None:
                        continue
                    found[relation].append(row)
                    if relation != home:
                        self.report.mapped[
                            f"{label} listed: {value} → {other_label} {row.english}"
                        ] += 1
                    elif relation == "technologies" and how != "exact":
                        self.report.technology_variants[f"{value} → {row.english}"] += 1
                    else:
                        self._note_mapping(label, value, row, how)
                    break
                else:
                    found["tags"].append(value)
                    self.report.kept_as_tags[f"{label}: {value}"] += 1
        return found

    # Rows -------------------------------------------------------------------------------------

    def _city(self, typed: str, country) -> str:
        """The city as the gazetteer names it (directory.cities); the renaming is reported and
        named in the import's history revision."""
        typed = " ".join(strip_tags(typed).split())[:100]
        city = city_canonical(typed, country.code if country else None)[:100]
        if city != typed:
            self.report.cities_renamed[f"{typed} → {city}"] += 1
        return city

    def _common(self, record: dict, *, name: str, kind: str, created_key: str, country) -> dict:
        created = _moment(self._date(kind, created_key, record[created_key]))
        latitude, longitude = self._coordinates(f"{kind} {name}", record)
        return {
            "name": strip_tags(name)[:200],
            "website": record["website"][:500],
            "short_description": strip_tags(record["short_description"])[:300],
            "description": sanitize_html(record["long_description"]),
            "city": self._city(record["region"], country),
            "latitude": latitude,
            "longitude": longitude,
            "licence": Licence.CC_BY_NC_SA_4,
            "status": Status.PUBLISHED,
            # Created on digitalsocial.eu (unknown: empty, and listed last by "newest");
            # published on the hub now, by this import.
            "created_at": created,
            "published_at": self.now,
        }

    def organisation(self, record: dict, slugs: _Slugs) -> Organisation:
        name = record["organisation_name"]
        country = self._country(record["country"])
        organisation = Organisation(
            legacy_id=record["organisation_id"],
            slug=slugs.new(name),
            address=record["address"][:300],
            country=country,
            organisation_type=self._vocabulary_value(
                _("organisation type"), self.types, record["organisation_type"]
            ),
            organisation_size=self._vocabulary_value(
                _("organisation size"), self.sizes, record["organisation_size"]
            ),
            start_date=self._date("organisations", "startDate", record["startDate"]),
            **self._common(
                record, name=name, kind="organisations", created_key="created", country=country
            ),
        )
        organisation.tag_names = {
            "tags": record["tags"],
            "network_tags": record["networkTags"],
        }
        return organisation

    def project(self, record: dict, slugs: _Slugs) -> Project:
        name = record["project_name"]
        country = self._country(record["country"])
        start = self._date("projects", "start_date", record["start_date"])
        end = self._date("projects", "end_date", record["end_date"])
        if start and end and end < start:
            self.report.end_dates_dropped.append(f"{name}: {start} → {end}")
            end = None
        project = Project(
            legacy_id=record["project_id"],
            slug=slugs.new(name),
            social_impact=sanitize_html(record["social_impact"]),
            start_date=start,
            end_date=end,
            live=not (end and end < self.today),
            **self._common(
                record, name=name, kind="projects", created_key="creation_date", country=country
            ),
        )
        found = self._classify(record)
        project.rows = {
            "countries": [country] if country else [],
            "social_areas": found["social_areas"],
            "technologies": found["technologies"],
            "focus": found["focus"],
        }
        project.tag_names = {
            "tags": found["tags"],
            "who_we_help": record["who_we_help_tags"],
            "network_tags": record["networkTags"],
        }
        return project


def _hold_for_review(model, profiles: list, report: ImportReport, *, now) -> None:
    """Rows that look like tests, spam, tracking debris or duplicates (importing_review) are
    imported pending, not published, with the reasons for moderators in their spam signals."""
    kind = f"{model._meta.model_name}s"
    for index, flags in review_flags(profiles, model).items():
        profile = profiles[index]
        profile.status = Status.PENDING
        profile.published_at = None
        profile.submitted_at = now
        profile.spam_signals = [f"2017 import: {flag.reason}" for flag in flags]
        profile.spam_score = spam_score(flags)
        reasons = "; ".join(flag.reason for flag in flags)
        report.held_for_review.append(f"{kind} {profile.legacy_id} “{profile.name}”: {reasons}")


def _unique(rows: list) -> list:
    seen, unique = set(), []
    for row in rows:
        if row.pk not in seen:
            seen.add(row.pk)
            unique.append(row)
    return unique


def _attach_tags(profiles: list, tags_by_slug: dict) -> None:
    for profile in profiles:
        for relation, names in profile.tag_names.items():
            rows = [tags_by_slug[slug] for slug in map(tag_slug, names) if slug in tags_by_slug]
            profile.rows = {**getattr(profile, "rows", {}), relation: _unique(rows)}


def _create_relations(model, profiles: list) -> None:
    """The many-to-many rows of freshly created profiles, one bulk insert per relation."""
    by_relation = defaultdict(list)
    for profile in profiles:
        for relation, rows in profile.rows.items():
            through = getattr(model, relation).through
            source = f"{model._meta.model_name}_id"
            target = f"{getattr(model, relation).field.related_model._meta.model_name}_id"
            by_relation[relation].extend(
                through(**{source: profile.pk, target: row.pk}) for row in _unique(rows)
            )
    for relation, rows in by_relation.items():
        getattr(model, relation).through.objects.bulk_create(rows, batch_size=2000)


@transaction.atomic
def directory_import_dsi4eu(*, organisations: list, projects: list) -> ImportReport:
    """Import the 2017 export's organisations and projects, published; skip what is already in.

    The records are checked first (ImportDataError, nothing written); then everything is written
    in one transaction, in bulk, with one history revision for the whole import.
    """
    parsed = dsi4eu_check(organisations=organisations, projects=projects)
    report = ImportReport()
    importer = _Importer(report)

    existing = {
        "organisations": dict(
            Organisation.objects.filter(
                legacy_id__in=[row["organisation_id"] for row in parsed["organisations"]]
            ).values_list("legacy_id", "pk")
        ),
        "projects": dict(
            Project.objects.filter(
                legacy_id__in=[row["project_id"] for row in parsed["projects"]]
            ).values_list("legacy_id", "pk")
        ),
    }
    new_records = {}
    for kind in ("organisations", "projects"):
        new_records[kind] = [
            row for row in parsed[kind] if row[ID_KEYS[kind]] not in existing[kind]
        ]
        report.skipped[kind] = len(parsed[kind]) - len(new_records[kind])

    organisation_slugs = _Slugs(Organisation) if new_records["organisations"] else None
    project_slugs = _Slugs(Project) if new_records["projects"] else None
    new_organisations = [
        importer.organisation(row, organisation_slugs) for row in new_records["organisations"]
    ]
    new_projects = [importer.project(row, project_slugs) for row in new_records["projects"]]
    _hold_for_review(Organisation, new_organisations, report, now=importer.now)
    _hold_for_review(Project, new_projects, report, now=importer.now)

    all_names = [
        name
        for profile in (*new_organisations, *new_projects)
        for names in profile.tag_names.values()
        for name in names
    ]
    tags_by_slug = {tag.slug: tag for tag in tags_from_names(all_names)}
    _attach_tags(new_organisations, tags_by_slug)
    _attach_tags(new_projects, tags_by_slug)

    # Search text and filter keys from the rows already in hand: no reindex query per profile.
    for profile in (*new_organisations, *new_projects):
        for name, value in profile_search_fields(profile, tags=profile.rows).items():
            setattr(profile, name, value)

    Organisation.objects.bulk_create(new_organisations, batch_size=1000)
    Project.objects.bulk_create(new_projects, batch_size=1000)
    _create_relations(Organisation, new_organisations)
    _create_relations(Project, new_projects)
    report.created["organisations"] = len(new_organisations)
    report.created["projects"] = len(new_projects)

    links = _link(parsed, existing, new_organisations, new_projects, report)
    # Keys taken from linked profiles (directory.search), for both ends of every new link.
    links_reindex(
        organisation_ids=[link.organisation_id for link in links],
        project_ids=[link.project_id for link in links],
    )

    if new_organisations or new_projects:
        _record_history(new_organisations, new_projects, links, comment=report.revision_comment())
        report.revision = True
        directory_changed()
    return report


def _pks_linked(model, rows, key: str, known: dict) -> dict:
    """Legacy id -> pk of the profiles already in the directory that `rows` link to (their
    `key` list), beyond those `known`: one query."""
    wanted = {legacy_id for row in rows for legacy_id in row[key] if legacy_id not in known}
    return dict(model.objects.filter(legacy_id__in=wanted).values_list("legacy_id", "pk"))


def _link(parsed, existing, new_organisations, new_projects, report) -> list:
    """Organisations and projects linked as partners, from either side, once each."""
    organisation_pks = {**existing["organisations"]}
    organisation_pks.update({row.legacy_id: row.pk for row in new_organisations})
    project_pks = {**existing["projects"]}
    project_pks.update({row.legacy_id: row.pk for row in new_projects})
    organisation_pks.update(
        _pks_linked(Organisation, parsed["projects"], "linked_organisation_ids", organisation_pks)
    )
    project_pks.update(
        _pks_linked(Project, parsed["organisations"], "linked_project_ids", project_pks)
    )

    pairs = set()
    for row in parsed["organisations"]:
        pairs.update(
            (project_id, row["organisation_id"]) for project_id in row["linked_project_ids"]
        )
    for row in parsed["projects"]:
        pairs.update(
            (row["project_id"], organisation_id)
            for organisation_id in row["linked_organisation_ids"]
        )
    new_organisation_pks = {row.pk: row for row in new_organisations}
    new_project_pks = {row.pk: row for row in new_projects}
    links = []
    for project_id, organisation_id in sorted(pairs):
        project_pk = project_pks.get(project_id)
        organisation_pk = organisation_pks.get(organisation_id)
        if project_pk is None:
            report.links_skipped[_("missing project %(id)s") % {"id": project_id}] += 1
        elif organisation_pk is None:
            report.links_skipped[_("missing organisation %(id)s") % {"id": organisation_id}] += 1
        elif project_pk in new_project_pks or organisation_pk in new_organisation_pks:
            links.append(
                ProjectOrganisation(
                    project_id=project_pk,
                    organisation_id=organisation_pk,
                    role=ProjectOrganisation.Role.PARTNER,
                )
            )
        else:
            report.links_existing += 1
    ProjectOrganisation.objects.bulk_create(links, batch_size=2000)
    report.links_made = len(links)
    # Both ends in hand, so that the history (which names each link) needs no query per link.
    ends = {
        Project: new_project_pks,
        Organisation: new_organisation_pks,
    }
    for model, attribute in ((Project, "project"), (Organisation, "organisation")):
        wanted = {getattr(link, f"{attribute}_id") for link in links} - ends[model].keys()
        ends[model].update(model.objects.only("pk", "name").in_bulk(wanted))
        for link in links:
            setattr(link, attribute, ends[model][getattr(link, f"{attribute}_id")])
    return links


class _HistorySerializer(JSONSerializer):
    """Django's JSON serializer, taking many-to-many values from the rows already in hand."""

    def handle_m2m_field(self, obj, field):
        self._current[field.name] = [row.pk for row in _unique(obj.rows.get(field.name, []))]


def _versioned_fields(model) -> list[str]:
    """The fields django-reversion keeps for the model (as registered in directory.apps)."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [field.name for field in fields if field.name not in UNVERSIONED]


def _record_history(organisations: list, projects: list, links: list, *, comment: str) -> None:
    """One revision for the whole import, as reversion.add_to_revision would write it.

    The versions are serialised from the rows in hand and inserted in bulk: add_to_revision per
    object costs queries (and seconds) for every many-to-many field of every profile.
    """
    revision = Revision.objects.create(date_created=timezone.now(), comment=comment)
    versions = []
    for model, objects in (
        (Organisation, organisations),
        (Project, projects),
        (ProjectOrganisation, links),
    ):
        content_type = ContentType.objects.get_for_model(model)
        fields = _versioned_fields(model)
        for obj in objects:
            if model is ProjectOrganisation:
                obj.rows = {}
            versions.append(
                Version(
                    revision=revision,
                    content_type=content_type,
                    object_id=str(obj.pk),
                    db=DEFAULT_DB_ALIAS,
                    format="json",
                    serialized_data=_HistorySerializer().serialize([obj], fields=fields),
                    object_repr=str(obj),
                )
            )
    Version.objects.bulk_create(versions, batch_size=1000)
