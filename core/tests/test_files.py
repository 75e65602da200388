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
