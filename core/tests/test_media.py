"""Uploaded files served by the hub itself (debug off, no proxy): safely, and cached."""

import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00"
    b"\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)


@pytest.fixture
def stored():
    name = default_storage.save("avatars/avatar-0123456789abcdef.webp", ContentFile(WEBP))
    yield name
    default_storage.delete(name)


def test_an_upload_is_served_with_its_type_and_a_long_cache(client, stored):
    response = client.get(f"/media/{stored}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == WEBP
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Length"] == str(len(WEBP))
    assert "max-age=31536000" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")

    again = client.get(f"/media/{stored}", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_a_head_request_gets_the_headers_and_a_post_is_refused(client, stored):
    assert client.head(f"/media/{stored}").status_code == 200
    assert client.post(f"/media/{stored}").status_code == 405


def test_markup_is_offered_as_a_download_never_shown_as_a_page(client):
    name = default_storage.save("stories/page.html", ContentFile(b"<script>alert(1)</script>"))
    try:
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    finally:
        default_storage.delete(name)


@pytest.mark.parametrize(
    "path",
    [
        "avatars/",  # no listing
        "avatars",
        "avatars/missing.webp",
        "../dsi_hub/settings.py",
        "avatars/../../dsi_hub/settings.py",
        "%2e%2e/dsi_hub/settings.py",
        "avatars/%2e%2e/%2e%2e/manage.py",
        "avatars/.hidden",
        "avatars//avatar-0123456789abcdef.webp",
        "avatars\\..\\..\\manage.py",
        "outside/passwd",  # a symbolic link out of the folder
    ],
)
def test_nothing_but_files_in_the_folder_is_served(client, stored, settings, path):
    os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
    os.makedirs(os.path.join(settings.MEDIA_ROOT, "avatars"), exist_ok=True)
    link = os.path.join(settings.MEDIA_ROOT, "outside")
    if not os.path.lexists(link):
        os.symlink("/etc", link)
    default_storage.save("avatars/.hidden", ContentFile(b"secret"))
    try:
        assert client.get(f"/media/{path}").status_code == 404
    finally:
        default_storage.delete("avatars/.hidden")
        os.remove(link)
