import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from stories import resources_import
from stories.models import Resource

pytestmark = pytest.mark.django_db

IMPORT = "admin:stories_resource_import"
HEADER = "title,kind,url,publisher,published_on,description,social_areas\n"
GOOD = (
    HEADER
    + 'Care toolkit,toolkit,https://example.org/care,WeMake,2024-03-01,"<p>Hi<script>x</script></p>",'
    "health-and-care;digital-democracy\n" + "Open data,dataset,https://example.org/data,,,,\n"
)


def _staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="stories", codename__in=codenames)
    )
    return user


@pytest.fixture
def editor(client):
    client.force_login(_staff("view_resource", "add_resource", "change_resource"))
    return client


def _upload(client, text, *, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    upload = SimpleUploadedFile("resources.csv", data, content_type="text/csv")
    return client.post(reverse(IMPORT), {"file": upload})


def test_a_good_file_is_imported_with_a_summary(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _upload(editor, "\ufeff" + GOOD)
    assert response.status_code == 302
    assert callbacks  # stories_changed, once committed
    care = Resource.objects.get(url="https://example.org/care")
    assert care.kind == "toolkit" and care.publisher == "WeMake"
    assert str(care.published_on) == "2024-03-01"
    assert "script" not in care.description and "Hi" in care.description
    assert sorted(care.social_areas.values_list("slug", flat=True)) == [
        "digital-democracy",
        "health-and-care",
    ]
    assert Resource.objects.get(url="https://example.org/data").published_on is None
    message = str(list(editor.get(response.url).context["messages"])[0])
    assert "created 2" in message and "updated 0" in message


def test_reimporting_updates_instead_of_duplicating(editor):
    _upload(editor, GOOD)
    changed = GOOD.replace("Care toolkit", '"Care toolkit, second edition"').replace(
        "health-and-care;digital-democracy", "health-and-care"
    )
    response = _upload(editor, changed)
    assert response.status_code == 302
    assert Resource.objects.count() == 2
    care = Resource.objects.get(url="https://example.org/care")
    assert care.title == "Care toolkit, second edition"
    assert list(care.social_areas.values_list("slug", flat=True)) == ["health-and-care"]
    message = str(list(editor.get(response.url).context["messages"])[-1])
    assert "created 0" in message and "updated 2" in message


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(editor):
    text = (
        HEADER
        + "Fine,report,https://example.org/fine,,,,\n"
        + "Bad kind,poem,https://example.org/poem,,,,\n"
        + '"Two\nlines",report,not a url,,2024-13-01,,\n'
        + "Unknown area,report,https://example.org/area,,,,nowhere\n"
        + "Again,report,https://example.org/fine,,,,\n"
    )
    response = _upload(editor, text)
    assert response.status_code == 400
    assert Resource.objects.count() == 0
    errors = dict(response.context["report"].errors)
    assert set(errors) == {3, 4, 6, 7}
    assert any("kind" in error for error in errors[3])
    assert any("url" in error for error in errors[4])
    assert any("published_on" in error for error in errors[4])
    assert any("nowhere" in error for error in errors[6])
    assert any("line 2" in error for error in errors[7])
    assert "Line 4:" in response.content.decode()


def test_a_file_not_in_utf8_is_refused(editor):
    response = _upload(
        editor, HEADER + "Café,report,https://example.org/cafe,,,,\n", encoding="latin-1"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert not Resource.objects.exists()


def test_missing_columns_are_refused(editor):
    response = _upload(editor, "title,url\nA,https://example.org/a\n")
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_too_big_a_file_is_refused(editor, monkeypatch):
    monkeypatch.setattr(resources_import, "MAX_BYTES", 100)
    response = _upload(editor, GOOD + "x" * 100)
    assert response.status_code == 400
    assert "2 MB" in response.content.decode()
    assert not Resource.objects.exists()


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(resources_import, "MAX_ROWS", 1)
    report = resources_import.import_resources(GOOD.encode())
    assert not report.ok and report.errors[0][0] is None
    assert not Resource.objects.exists()


@pytest.mark.parametrize("codenames", [[], ["add_resource"], ["change_resource"]])
def test_only_editors_who_may_add_and_change_resources_import(client, codenames):
    client.force_login(_staff("view_resource", *codenames))
    assert client.get(reverse(IMPORT)).status_code == 403
    assert _upload(client, GOOD).status_code == 403
    assert not Resource.objects.exists()
    changelist = client.get(reverse("admin:stories_resource_changelist"))
    assert reverse(IMPORT) not in changelist.content.decode()


def test_editors_see_the_import_link_and_form(editor):
    changelist = editor.get(reverse("admin:stories_resource_changelist"))
    assert reverse(IMPORT) in changelist.content.decode()
    response = editor.get(reverse(IMPORT))
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
