"""The directory's filters (directory.filters): tags checked without a query once looked up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import filters
from directory.filters import OrganisationFilterSet
from directory.filters import tags_by_slug
from directory.models import Organisation
from directory.models import Tag


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tag_looked_up_once_is_checked_without_a_query(monkeypatch):
    monkeypatch.setattr(filters, "_known_tags", {})
    repair = Tag.objects.create(name="Repair", slug="repair")
    with CaptureQueriesContext(connection) as first:
        assert tags_by_slug(["repair", "nope"]) == {"repair": repair}
    with CaptureQueriesContext(connection) as again:
        filterset = OrganisationFilterSet({"tag": ["repair"]}, queryset=Organisation.objects.all())
        assert filterset.is_valid()
        assert [tag.pk for tag in filterset.form.cleaned_data["tag"]] == [repair.pk]
    assert (len(first), len(again)) == (1, 0)
    with CaptureQueriesContext(connection) as unknown:  # a slug that does not exist is asked
        filterset = OrganisationFilterSet({"tag": ["nope"]}, queryset=Organisation.objects.all())
        assert not filterset.is_valid()
    assert len(unknown) == 1
    assert "nope" in str(filterset.errors["tag"])


def test_inside_a_transaction_nothing_is_kept(db, monkeypatch):
    monkeypatch.setattr(filters, "_known_tags", {})
    Tag.objects.create(name="Repair", slug="repair")
    assert set(tags_by_slug(["repair"])) == {"repair"}
    assert filters._known_tags == {}
