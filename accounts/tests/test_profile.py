import io

from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from PIL import Image

from accounts.models import User
from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from accounts.tests.images import jpeg_with_exif
from accounts.tests.images import not_an_image
from accounts.tests.images import pixel_bomb
from directory.models import Country

EDIT_URL = "/en/account/profile/"


def profile_data(**overrides):
    data = {
        "name": "Grace Hopper",
        "job_title": "Rear admiral",
        "bio": "Wrote the first compiler.\nFound a moth.",
        "city": "Arlington",
        "country": Country.objects.get(code="US").pk,
        "skills": "COBOL, compilers, COBOL ,teaching",
        "languages": ["en", "es"],
        "links": "https://example.org/grace\r\nexample.com/hopper\r\n\r\n",
        "show_email": "on",
    }
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(EDIT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_a_person_edits_their_profile(client, user):
    client.force_login(user)
    response = client.post(EDIT_URL, profile_data())
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Grace Hopper"
    assert user.skills == ["COBOL", "compilers", "teaching"]
    assert user.languages == ["en", "es"]
    assert user.links == ["https://example.org/grace", "https://example.com/hopper"]
    assert user.country.code == "US"
    assert user.show_email


def test_avatar_is_reencoded_without_exif(client, user):
    client.force_login(user)
    response = client.post(EDIT_URL, profile_data(avatar=jpeg_with_exif()))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    with default_storage.open(user.avatar.name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert image.format == "WEBP"
    assert image.size == (512, 512)  # the 1200 × 800 photo, cropped to its centre as promised
    assert not image.getexif()
    assert "exif" not in image.info


def test_a_new_avatar_replaces_the_old_file(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    client.post(EDIT_URL, profile_data(avatar=jpeg_with_exif()))
    user.refresh_from_db()
    old = user.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EDIT_URL, profile_data(avatar=jpeg_with_exif()))
    user.refresh_from_db()
    assert user.avatar.name != old
    assert not default_storage.exists(old)


def test_pixel_bombs_are_refused_with_a_clear_message(client, user):
    client.force_login(user)
    response = client.post(EDIT_URL, profile_data(avatar=pixel_bomb()))
    assert response.status_code == 400
    assert "too large to process" in " ".join(response.context["form"].errors["avatar"])
    user.refresh_from_db()
    assert not user.avatar
    assert user.name != "Grace Hopper"  # nothing half-saved


def test_files_that_are_not_images_are_refused(client, user):
    client.force_login(user)
    response = client.post(EDIT_URL, profile_data(avatar=not_an_image()))
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()


def test_bad_links_and_too_many_skills_get_messages(client, user):
    client.force_login(user)
    response = client.post(
        EDIT_URL,
        profile_data(
            links="https://ok.example.org\nnot a url",
            skills=",".join(f"skill {n}" for n in range(25)),
            languages=["xx"],
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Line 2" in errors["links"][0]
    assert "at most 20" in errors["skills"][0]
    assert "languages" in errors


def test_the_public_profile_shows_what_the_person_chose(client, db, django_assert_num_queries):
    person = UserFactory(
        name="Margaret Hamilton",
        slug="margaret-hamilton",
        job_title="Software engineer",
        skills=["Apollo"],
        languages=["de"],
        links=["https://example.org/mh"],
        show_email=False,
        country=Country.objects.get(code="US"),
    )
    with django_assert_num_queries(1):
        response = client.get("/fr/people/margaret-hamilton/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Margaret Hamilton" in html
    assert "Apollo" in html
    assert "allemand" in html.lower()  # language names in the page's language
    assert "États-Unis" in html
    assert person.email not in html
    person.show_email = True
    person.save()
    assert person.email in client.get("/fr/people/margaret-hamilton/").content.decode()


def test_an_unknown_language_code_does_not_break_the_profile(client, db):
    UserFactory(slug="polyglot", languages=["fr", "xx-unknown"])
    response = client.get("/en/people/polyglot/")
    assert response.status_code == 200
    assert "French" in response.content.decode()


def test_unknown_and_inactive_profiles_are_404(client, db):
    UserFactory(slug="gone", is_active=False)
    assert client.get("/en/people/gone/").status_code == 404
    assert client.get("/en/people/nobody/").status_code == 404


def test_profile_edit_page_query_count(client, user, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(6):
        response = client.get(EDIT_URL)
    assert response.status_code == 200
    assert User.objects.count() == 1


def moderator_of_everything():
    person = UserFactory(is_staff=True)
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


def test_moderators_can_switch_off_notices(client, db, django_assert_max_num_queries):
    person = moderator_of_everything()
    assert person.moderation_notices
    client.force_login(person)
    with django_assert_max_num_queries(8):
        page = client.get(EDIT_URL).content.decode()
    assert 'name="moderation_notices"' in page
    assert "Email me when something new waits for review" in page
    assert client.post(EDIT_URL, profile_data()).status_code == 302
    person.refresh_from_db()
    assert not person.moderation_notices
    assert list(User.objects.receiving_moderation_notices()) == []
    client.post(EDIT_URL, profile_data(moderation_notices="on"))
    person.refresh_from_db()
    assert person.moderation_notices


def test_people_who_moderate_nothing_have_no_notices_to_switch(client, user):
    client.force_login(user)
    assert 'name="moderation_notices"' not in client.get(EDIT_URL).content.decode()
    client.post(EDIT_URL, profile_data())  # the unticked box is not theirs to send
    user.refresh_from_db()
    assert user.moderation_notices


def test_a_name_with_line_breaks_is_saved_on_one_line(client, user):
    # A name goes into email subjects, where a line break would refuse the whole message.
    client.force_login(user)
    response = client.post(EDIT_URL, profile_data(name="Grace\r\nBcc: all@example.org\t Hopper"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Grace Bcc: all@example.org Hopper"
    user.name = "Ada\u2028Lovelace\x00"
    user.save()
    user.refresh_from_db()
    assert user.name == "Ada Lovelace"
