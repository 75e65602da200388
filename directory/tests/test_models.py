from core.models import Status
from directory.models import Organisation


def test_only_published_profiles_are_public(db):
    for status in Status.values:
        Organisation.objects.create(name=status, slug=status, status=status)
    assert list(Organisation.objects.published().values_list("name", flat=True)) == ["published"]


def test_a_profile_name_is_saved_on_one_line(db):
    # Profile names go into email subjects (invitations, claims), one header line each.
    organisation = Organisation.objects.create(name="URGENT\r\nBcc: all@example.org", slug="u")
    organisation.refresh_from_db()
    assert organisation.name == "URGENT Bcc: all@example.org"
