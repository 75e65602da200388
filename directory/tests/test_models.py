from core.models import Status
from directory.models import Organisation


def test_only_published_profiles_are_public(db):
    for status in Status.values:
        Organisation.objects.create(name=status, slug=status, status=status)
    assert list(Organisation.objects.published().values_list("name", flat=True)) == ["published"]
