"""Resources in bulk: a CSV file uploaded by an editorial admin (stories.admin.ResourceAdmin).

Columns: title, kind, url, publisher, published_on (YYYY-MM-DD), description and social_areas
(slugs separated by ";"), in UTF-8 with or without a byte order mark. Every row is checked
first; only if all are valid are they written, in one transaction, so a file is imported whole
or not at all. A resource is known by its address: importing the same file twice updates the
rows the first import created instead of adding them again.
"""

import csv
import io
from dataclasses import dataclass
from dataclasses import field

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import SocialArea
from stories.models import Resource
from stories.models import ResourceKind
from stories.services import resource_set_search_fields
from stories.services import stories_changed
from stories.services import story_clean_body

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = ["title", "kind", "url", "publisher", "published_on", "description", "social_areas"]
FIELDS = ["title", "kind", "publisher", "published_on", "description"]
# Worked out from the row and its social areas (stories.services.resource_search_fields).
SEARCH_FIELDS = ["search_title", "search_body"]


class ResourceRowForm(forms.Form):
    """One row of the file, checked like the admin's form would."""

    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=ResourceKind.choices)
    url = forms.URLField(max_length=500, assume_scheme="https")
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    description = forms.CharField(required=False, strip=True)
    social_areas = forms.CharField(required=False)

    def __init__(self, *args, areas: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas

    def clean_social_areas(self):
        slugs = [slug.strip() for slug in self.cleaned_data["social_areas"].split(";")]
        slugs = [slug for slug in slugs if slug]
        unknown = [slug for slug in slugs if slug not in self.areas]
        if unknown:
            raise forms.ValidationError(
                _("Unknown social area(s): %(slugs)s.") % {"slugs": ", ".join(unknown)}
            )
        return list(dict.fromkeys(self.areas[slug] for slug in slugs))

    def clean_description(self):
        return story_clean_body(self.cleaned_data["description"])


@dataclass
class ImportReport:
    """What an import did, or why it did nothing: `errors` holds (line, messages) pairs,
    line 1 being the header, or (None, messages) for the file as a whole."""

    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _file_error(message) -> ImportReport:
    return ImportReport(errors=[(None, [str(message)])])


def read_rows(data: bytes) -> tuple[list[dict], ImportReport]:
    """The file's valid rows, or a report of every row's errors (and no rows)."""
    if len(data) > MAX_BYTES:
        return [], _file_error(_("The file is larger than 2 MB: please split it."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], _file_error(_("The file is not UTF-8 text: please save it as CSV (UTF-8)."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            return [], _file_error(_("The file is empty."))
        header = [name.strip().lower() for name in header]
        missing = [name for name in COLUMNS if name not in header]
        unknown = [name for name in header if name not in COLUMNS]
        if missing or unknown or len(set(header)) != len(header):
            return [], _file_error(
                _("The first line must name the columns %(columns)s, each once.")
                % {"columns": ", ".join(COLUMNS)}
            )
        areas = {area.slug: area for area in SocialArea.objects.all()}
        report = ImportReport()
        rows, seen = [], {}
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue  # blank lines
            if len(rows) + len(report.errors) >= MAX_ROWS:
                return [], _file_error(
                    _("The file has more than %(max)s rows: please split it.") % {"max": MAX_ROWS}
                )
            if len(values) != len(header):
                report.errors.append(
                    (
                        start,
                        [
                            _("This row has %(found)s values; the header names %(wanted)s.")
                            % {"found": len(values), "wanted": len(header)}
                        ],
                    )
                )
                continue
            form = ResourceRowForm(dict(zip(header, values, strict=True)), areas=areas)
            if not form.is_valid():
                report.errors.append(
                    (
                        start,
                        [
                            f"{name}: {message}" if name != "__all__" else str(message)
                            for name, messages in form.errors.items()
                            for message in messages
                        ],
                    )
                )
                continue
            url = form.cleaned_data["url"]
            if url in seen:
                report.errors.append(
                    (
                        start,
                        [_("url: this address is already on line %(line)s.") % {"line": seen[url]}],
                    )
                )
                continue
            seen[url] = start
            rows.append(form.cleaned_data)
    except csv.Error as error:
        return [], _file_error(
            _("The file could not be read as CSV (line %(line)s): %(error)s")
            % {"line": reader.line_num, "error": error}
        )
    if report.errors:
        return [], report
    if not rows:
        return [], _file_error(_("The file has no rows to import."))
    return rows, report


def import_resources(data: bytes) -> ImportReport:
    """Check every row, then create or update them all in one transaction (or none)."""
    rows, report = read_rows(data)
    if not report.ok:
        return report
    with transaction.atomic():
        existing = {
            resource.url: resource
            for resource in Resource.objects.select_for_update().filter(
                url__in=[row["url"] for row in rows]
            )
        }
        new, changed = [], []
        for row in rows:
            resource = existing.get(row["url"])
            if resource is None:
                resource = Resource(url=row["url"])
                new.append(resource)
            else:
                changed.append(resource)
            for name in FIELDS:
                setattr(resource, name, row[name])
            resource.import_areas = row["social_areas"]
            resource_set_search_fields(resource, areas=resource.import_areas)
        Resource.objects.bulk_create(new)
        if changed:
            Resource.objects.bulk_update(changed, [*FIELDS, *SEARCH_FIELDS])
        links = Resource.social_areas.through
        links.objects.filter(resource__in=changed).delete()
        links.objects.bulk_create(
            links(resource_id=resource.pk, socialarea_id=area.pk)
            for resource in [*new, *changed]
            for area in resource.import_areas
        )
        transaction.on_commit(stories_changed)
    report.created, report.updated = len(new), len(changed)
    return report


class ResourceImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8, at most 2 MB and 5,000 rows. Columns: title, kind, url, publisher, "
            "published_on (YYYY-MM-DD), description, social_areas (slugs separated by “;”)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB: please split it."))
        return upload
