"""Stored files: sizes as people read them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.files import file_size
from core.images import process_image_upload

MB = 1024 * 1024


@pytest.mark.parametrize(
    "num_bytes, round_up, text",
    [
        (5 * MB, False, "5 MB"),
        (5 * MB + 1, True, "5.1 MB"),
        (int(5.2 * MB), False, "5.2 MB"),
        (int(5.24 * MB), True, "5.3 MB"),
        (1536, False, "1.5 KB"),
        (100, False, "100 bytes"),
        (1, True, "1 byte"),
        (3 * 1024**3, False, "3 GB"),
    ],
)
def test_sizes_read_with_the_precision_they_need(num_bytes, round_up, text):
    assert file_size(num_bytes, round_up=round_up) == text


def test_sizes_follow_the_language():
    with translation.override("de"):
        assert file_size(int(5.2 * MB)) == "5,2 MB"


def test_an_image_just_over_the_limit_does_not_read_as_the_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 5 * MB
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"\0" * (5 * MB))
    with pytest.raises(ValidationError) as refused:
        process_image_upload(upload, max_size=(512, 512), name_prefix="a")
    assert refused.value.messages == ["The image is 5.1 MB; the largest we accept is 5 MB."]


def test_a_stored_file_that_cannot_be_deleted_spoils_nothing_after_the_commit(
    db, django_capture_on_commit_callbacks
):
    """The row is saved and committed: a storage that refuses to delete the old file (here a
    directory that is not empty) must not turn the request into a 500, nor skip what else
    waits for the commit (email to queue, cached pages to drop)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction

    from accounts.tests.factories import UserFactory

    user = UserFactory()
    default_storage.save("avatars/stuck/inside.txt", ContentFile(b"x"))
    user.avatar.name = "avatars/stuck"
    user.save()
    user.refresh_from_db()
    after = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        user.avatar = ""
        user.save()
        transaction.on_commit(lambda: after.append("ran"))
    assert after == ["ran"]
    user.refresh_from_db()
    assert not user.avatar
